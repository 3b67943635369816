export const id = 622;
export const ids = [622,162];
export const modules = {

/***/ 3622:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  findOnPath: () => (/* reexport */ disk_lock_runner/* findOnPath */.aY),
  publishMain: () => (/* binding */ publishMain),
  pythonCommand: () => (/* binding */ pythonCommand),
  renderPublishSummary: () => (/* binding */ renderPublishSummary)
});

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/project/disk-lock-runner.js + 1 modules
var disk_lock_runner = __webpack_require__(2750);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/config.js + 1 modules
var core_config = __webpack_require__(4085);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/client.js
var marketplace_client = __webpack_require__(3576);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/errors.js
var errors = __webpack_require__(7080);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/execute.js
/**
 * Sends a PublishPlan with client.publish and turns the marketplace's answer into an outcome a
 * user can act on: `published`, `unchanged` (the same files are already there: a re-run of the
 * same tag succeeds), or a failure that says what to do. Messages name the credential used
 * ("token from FAPILOG_MARKETPLACE_TOKEN"), never the token.
 */

/** The API address of a release, which the marketplace answers with its JSON. */
function releaseUrl(apiUrl, name, version) {
    return `${apiUrl.replace(/\/+$/, '')}/plugins/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}
async function executePublish(plan, client, opts) {
    if (!plan.metadata || !plan.name || !plan.version) {
        return {
            status: 'failed',
            reason: 'rejected',
            message: 'nothing to publish: the files do not describe a plugin release',
            httpStatus: null,
        };
    }
    const pkg = plan.package ?? plan.name;
    try {
        const release = await client.publish(plan.name, plan.metadata, plan.files.map((f) => ({ filename: f.filename, data: f.data })));
        return { status: release.status, release, url: releaseUrl(opts.apiUrl, plan.name, release.version) };
    }
    catch (err) {
        if (!(err instanceof errors/* MarketplaceError */.uf))
            throw err;
        const server = err.message.replace(/^[A-Z]+ \S+: /, '').replace(/\s*\(HTTP \d{3}[^)]*\)\s*$/, '');
        if (err.code === 'unauthenticated' && err.status === undefined) {
            return {
                status: 'failed',
                reason: 'no-token',
                message: `publishing needs a token: pass --token or set FAPILOG_MARKETPLACE_TOKEN (the Action: the \`token\` input)`,
                httpStatus: null,
            };
        }
        switch (err.status) {
            case 409:
                return {
                    status: 'failed',
                    reason: 'version-taken',
                    message: `${pkg} ${plan.version} is already taken on the marketplace with different files (HTTP 409: ${server}); published versions never change: bump the version (\`fapilog-plugins version patch\`), rebuild and publish the new version`,
                    httpStatus: 409,
                };
            case 401:
                return {
                    status: 'failed',
                    reason: 'unauthorized',
                    message: `the marketplace did not accept the ${opts.credential} (HTTP 401: ${server}); it is unknown, revoked or mistyped: create a token for the owner of ${pkg} and store it as a secret`,
                    httpStatus: 401,
                };
            case 403:
                return {
                    status: 'failed',
                    reason: 'forbidden',
                    message: `the ${opts.credential} may not publish ${pkg} (HTTP 403: ${server}); publishing a new release needs a token of the plugin's owner: use the owner's token, or ask the owner to publish`,
                    httpStatus: 403,
                };
            default:
                return {
                    status: 'failed',
                    reason: err.unreachable ? 'unreachable' : 'rejected',
                    message: `the marketplace did not take ${pkg} ${plan.version}: ${err.message}`,
                    httpStatus: err.status ?? null,
                };
        }
    }
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/names.js
var names = __webpack_require__(1975);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/pep440/index.js + 7 modules
var pep440 = __webpack_require__(6400);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/publish/artifacts.js + 1 modules
var artifacts = __webpack_require__(7162);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/publish/metadata.js
var publish_metadata = __webpack_require__(9098);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/declared.js
/**
 * What a release's files declare it needs: fapilog range, Requires-Python and runtime
 * dependencies, read from core metadata (a wheel's METADATA, an sdist's PKG-INFO). The marketplace
 * stores these and nothing else, and the publisher's JSON must say the same: the server and the
 * client's publish validation both compare with `disagreements`, so they report a mismatch alike.
 */



const DECLARED_FIELDS = ['fapilog_compatibility', 'requires_python', 'dependencies'];
/** `<0.20,>=0.14` -> `>=0.14,<0.20`: lower bounds first, as authors write them. */
function displaySpecifier(spec) {
    const clauses = spec
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
    const rank = (c) => c.startsWith('>') || c.startsWith('~=') ? 0 : c.startsWith('==') || c.startsWith('===') ? 1 : c.startsWith('!=') ? 3 : 2;
    return clauses.sort((a, b) => rank(a) - rank(b)).join(',');
}
/**
 * The declaration, and what keeps it from being one: no runtime fapilog requirement, one without
 * a PEP 440 range (a URL, no specifier), or several runtime ones with different ranges (markers
 * such as `python_version < "3.10"` do not make a requirement optional; `extra == "x"` does).
 */
function declaredOf(meta) {
    const problems = [];
    const fapilog = [];
    const dependencies = [];
    for (const text of meta.requiresDist) {
        const req = (0,publish_metadata/* parseRequirement */.pP)(text);
        if (req === null || (0,publish_metadata/* isExtraOnly */.pp)(req))
            continue;
        if ((0,names/* normalizeName */.Pc)(req.name) === 'fapilog')
            fapilog.push({ text, specifier: req.specifier });
        else
            dependencies.push(text.trim());
    }
    let range = null;
    if (fapilog.length === 0) {
        problems.push({ field: 'fapilog_compatibility', message: 'no runtime requirement on "fapilog" in Requires-Dist' });
    }
    else {
        const first = fapilog[0];
        if (first.specifier === null || first.specifier.trim() === '' || !(0,pep440/* isValidSpecifier */.J5)(first.specifier)) {
            const why = first.specifier === null
                ? 'a URL requirement'
                : first.specifier.trim() === ''
                    ? 'no version specifier'
                    : `"${first.specifier}" is not a PEP 440 specifier`;
            problems.push({ field: 'fapilog_compatibility', message: `Requires-Dist "${first.text}": ${why}` });
        }
        else if (fapilog.some((f) => f.specifier === null || !(0,pep440/* sameSpecifier */.rB)(f.specifier, first.specifier))) {
            problems.push({
                field: 'fapilog_compatibility',
                message: `several runtime requirements on fapilog with different ranges (${fapilog.map((f) => `"${f.text}"`).join(', ')}); the marketplace needs one range`,
            });
        }
        else {
            range = displaySpecifier(first.specifier);
        }
    }
    const requiresPython = meta.requiresPython?.trim() ? meta.requiresPython.trim() : null;
    if (requiresPython !== null && !(0,pep440/* isValidSpecifier */.J5)(requiresPython)) {
        problems.push({ field: 'requires_python', message: `Requires-Python "${requiresPython}" is not a PEP 440 specifier` });
    }
    return { declared: { fapilog_compatibility: range, requires_python: requiresPython, dependencies }, problems };
}
/** A requirement compared by meaning: name normalised, extras and clauses sorted, marker without spacing or quote style. */
function requirementKey(text) {
    const req = (0,publish_metadata/* parseRequirement */.pP)(text);
    if (!req)
        return text.trim();
    const spec = req.specifier === null
        ? `@${text
            .slice(text.indexOf('@') + 1)
            .split(';')[0]
            .trim()}`
        : ((0,pep440/* specifierKey */.gE)(req.specifier) ?? req.specifier.replace(/\s+/g, ''));
    const marker = req.marker === null ? '' : `;${req.marker.replace(/\s+/g, '').replace(/'/g, '"')}`;
    return `${(0,names/* normalizeName */.Pc)(req.name)}[${req.extras
        .map((e) => (0,names/* normalizeName */.Pc)(e))
        .sort()
        .join(',')}]${spec}${marker}`;
}
function sameRequirements(a, b) {
    const ka = a.map(requirementKey).sort();
    const kb = b.map(requirementKey).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}
function sameDeclared(field, a, b) {
    switch (field) {
        case 'dependencies':
            return sameRequirements(a.dependencies, b.dependencies);
        case 'fapilog_compatibility':
        case 'requires_python': {
            const x = a[field];
            const y = b[field];
            return x === null || y === null ? x === y : (0,pep440/* sameSpecifier */.rB)(x, y);
        }
    }
}
function showDeclared(field, d) {
    const v = d[field];
    return field === 'dependencies' ? JSON.stringify(v ?? []) : v === null || v === undefined ? 'none' : JSON.stringify(v);
}
/** Fields of `theirs` (absent ones are not compared) that say something else than `ours`. */
function disagreements(ours, theirs) {
    const out = [];
    for (const field of DECLARED_FIELDS) {
        if (theirs[field] === undefined)
            continue;
        const full = { ...ours, ...theirs };
        if (!sameDeclared(field, ours, full))
            out.push({ field, theirs: showDeclared(field, theirs), ours: showDeclared(field, ours) });
    }
    return out;
}
/** PKG-INFO's `Dynamic` header names the fields a wheel may fill in differently. */
const DYNAMIC_HEADER = {
    fapilog_compatibility: 'requires-dist',
    requires_python: 'requires-python',
    dependencies: 'requires-dist',
};
function fileProblem(f, what) {
    const { problems } = declaredOf(f.metadata);
    const p = problems[0];
    return p
        ? {
            ok: false,
            code: 'invalid_file',
            field: p.field,
            message: `${f.filename}: ${what}: ${problems.map((q) => `${q.field}: ${q.message}`).join('; ')}`,
        }
        : null;
}
/**
 * What a release declares: its wheels' METADATA (all alike), which every sdist's PKG-INFO must
 * agree with except in fields it marks Dynamic; without a wheel, the sdist's PKG-INFO when it
 * declares every field statically. The server refuses a publish with the message; the client's
 * validation reports it as a finding before uploading.
 */
function releaseDeclaration(wheels, sdists) {
    const first = wheels[0];
    if (!first) {
        const sdist = sdists[0];
        if (!sdist)
            return { ok: false, code: 'invalid_file', field: 'fapilog_compatibility', message: 'no wheel or sdist' };
        const dynamic = DECLARED_FIELDS.filter((f) => sdist.metadata.dynamic.includes(DYNAMIC_HEADER[f]));
        if (dynamic.length > 0) {
            return {
                ok: false,
                code: 'invalid_file',
                field: dynamic[0],
                message: `${sdist.filename}: PKG-INFO marks ${[...new Set(dynamic.map((f) => DYNAMIC_HEADER[f]))].join(', ')} as Dynamic, so only a wheel can say what the release needs; upload the wheel too`,
            };
        }
        return (fileProblem(sdist, 'PKG-INFO') ?? { ok: true, value: declaredOf(sdist.metadata).declared, source: `${sdist.filename}'s PKG-INFO` });
    }
    for (const w of wheels) {
        const bad = fileProblem(w, 'METADATA');
        if (bad)
            return bad;
    }
    const ours = declaredOf(first.metadata).declared;
    for (const w of wheels.slice(1)) {
        const theirs = declaredOf(w.metadata).declared;
        for (const field of DECLARED_FIELDS) {
            if (!sameDeclared(field, ours, theirs)) {
                return {
                    ok: false,
                    code: 'metadata_mismatch',
                    field,
                    message: `${field}: ${w.filename}'s METADATA says ${showDeclared(field, theirs)}, but ${first.filename}'s says ${showDeclared(field, ours)}`,
                };
            }
        }
    }
    for (const s of sdists) {
        const theirs = declaredOf(s.metadata).declared;
        for (const field of DECLARED_FIELDS) {
            if (s.metadata.dynamic.includes(DYNAMIC_HEADER[field]))
                continue;
            if (!sameDeclared(field, ours, theirs)) {
                return {
                    ok: false,
                    code: 'metadata_mismatch',
                    field,
                    message: `${field}: ${s.filename}'s PKG-INFO says ${showDeclared(field, theirs)}, but ${first.filename}'s METADATA says ${showDeclared(field, ours)}`,
                };
            }
        }
    }
    return { ok: true, value: ours, source: `${first.filename}'s METADATA` };
}
/** The publish JSON's fields against the files': one sentence naming each field and both values, or null. */
function jsonMismatch(truth, json) {
    const lies = disagreements(truth.value, json);
    if (lies.length === 0)
        return null;
    return (lies.map((l) => `metadata.${l.field} is ${l.theirs}, but ${truth.source} says ${l.ours}`).join('; ') +
        ' (the marketplace shows what the files declare: fix the JSON or leave the field out)');
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 9 modules
var schemas = __webpack_require__(7597);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/findings.js
/**
 * Every problem publishing can report: a stable code, a severity and a one-line fix. This table
 * is the single source of the codes; docs/publishing.md's findings table is checked against it
 * by test/core/publish/docs.test.ts, so adding a code here means documenting it there.
 */

const SEVERITIES = ['error', 'warning'];
const Severity = schemas/* enum */.k5n(SEVERITIES);
const Definition = schemas/* object */.Ikc({
    severity: Severity,
    /** What the finding means, for the docs table. */
    meaning: schemas/* string */.YjP().min(1),
    /** One line telling the author what to do. */
    fix: schemas/* string */.YjP().min(1),
});
const table = {
    // -- errors: publishing stops -----------------------------------------------------------------
    'name-not-plugin': {
        severity: 'error',
        meaning: 'The distribution name does not start with `fapilog-` after PEP 503 normalisation.',
        fix: 'Rename the project in pyproject.toml `[project] name` to `fapilog-<name>`.',
    },
    'name-mismatch': {
        severity: 'error',
        meaning: 'The wheel, the sdist and pyproject.toml name different projects.',
        fix: 'Rebuild every file from the same project (remove stale files from the dist directory).',
    },
    'version-invalid': {
        severity: 'error',
        meaning: 'The version is not a valid PEP 440 version.',
        fix: 'Set a PEP 440 version, e.g. `fapilog-plugins version 1.0.0`.',
    },
    'version-mismatch': {
        severity: 'error',
        meaning: 'The wheel, the sdist and pyproject.toml carry different versions.',
        fix: 'Remove stale files from the dist directory and rebuild with `python -m build`.',
    },
    'tag-mismatch': {
        severity: 'error',
        meaning: 'The git tag being published names a different version than the project.',
        fix: 'Run `fapilog-plugins version <tag version>`, commit, rebuild and re-tag, or push a tag `v<project version>`.',
    },
    'version-taken': {
        severity: 'error',
        meaning: 'This version is already on the marketplace with different files; published files never change.',
        fix: 'Bump the version (`fapilog-plugins version patch`), rebuild and publish the new version.',
    },
    'fapilog-requirement-missing': {
        severity: 'error',
        meaning: 'The package does not depend on `fapilog`, so nobody can tell which fapilog versions it works with.',
        fix: 'Add e.g. `"fapilog>=0.14,<0.20"` to `[project] dependencies`.',
    },
    'fapilog-specifier-invalid': {
        severity: 'error',
        meaning: 'The `fapilog` requirement is not a valid PEP 508 requirement with a PEP 440 specifier.',
        fix: 'Write the requirement as `fapilog>=MIN,<MAX`, e.g. `fapilog>=0.14,<0.20`.',
    },
    'fapilog-specifier-unsatisfiable': {
        severity: 'error',
        meaning: 'No released fapilog version satisfies the `fapilog` requirement.',
        fix: 'Widen the requirement so that it admits a released fapilog version (the message names the newest one).',
    },
    'entry-point-missing': {
        severity: 'error',
        meaning: 'The wheel registers no entry point in fapilog.sinks, fapilog.processors, fapilog.enrichers, fapilog.redactors or fapilog.filters, so fapilog cannot load the plugin.',
        fix: 'Add e.g. `[project.entry-points."fapilog.sinks"] my_sink = "my_pkg:MySink"` to pyproject.toml.',
    },
    'readme-missing': {
        severity: 'error',
        meaning: 'There is no long description: the README is missing or empty.',
        fix: 'Write a README.md and set `readme = "README.md"` in `[project]`.',
    },
    'license-missing': {
        severity: 'error',
        meaning: 'The package declares no license (no License-Expression, License or License-File).',
        fix: 'Set `license = "MIT"` (an SPDX expression) in `[project]` and add a LICENSE file.',
    },
    'wheel-missing': {
        severity: 'error',
        meaning: 'The dist directory holds no wheel (`.whl`); the marketplace installs wheels.',
        fix: 'Build with `python -m build` (or point --dist / packages-dir at the build output).',
    },
    'file-too-large': {
        severity: 'error',
        meaning: 'A file is larger than the marketplace accepts.',
        fix: 'Exclude data, tests and build leftovers from the package (`[tool.hatch.build] exclude`).',
    },
    'artifact-unreadable': {
        severity: 'error',
        meaning: 'A wheel or sdist cannot be read (not a zip/tar.gz, or no METADATA/PKG-INFO inside).',
        fix: 'Delete the file and rebuild with `python -m build`.',
    },
    'metadata-mismatch': {
        severity: 'error',
        meaning: "The built files declare different requirements: the sdist's PKG-INFO and the wheel's METADATA (or two wheels) disagree on the fapilog range, Requires-Python or dependencies, or the runtime `fapilog` requirements give several ranges. The marketplace reads these from the files and refuses such a release.",
        fix: 'Remove stale files from the dist directory and rebuild wheel and sdist together with `python -m build`; declare one fapilog range.',
    },
    'record-mismatch': {
        severity: 'error',
        meaning: "A wheel's RECORD does not match its contents (a file changed, added or removed after the build, or hashed with less than sha256); pip and the marketplace refuse it.",
        fix: 'Rebuild the wheel with `python -m build` instead of editing it.',
    },
    'pyproject-invalid': {
        severity: 'error',
        meaning: 'pyproject.toml is not valid TOML or its `[project]` table has a field of the wrong type.',
        fix: 'Fix the field named in the message; `python -m build` reports the same problem.',
    },
    // -- warnings: published unless --strict --------------------------------------------------------
    'version-backport': {
        severity: 'warning',
        meaning: 'The version is lower than the newest published one (a backport). Allowed, but users of the newest version will not see it as an update.',
        fix: 'Nothing if this is a deliberate backport; otherwise bump above the newest version.',
    },
    'entry-point-legacy-group': {
        severity: 'warning',
        meaning: 'An entry point is registered in the legacy `fapilog.plugins` group, which fapilog no longer reads.',
        fix: 'Move it to fapilog.sinks, fapilog.processors, fapilog.enrichers, fapilog.redactors or fapilog.filters.',
    },
    'fapilog-specifier-unbounded': {
        severity: 'warning',
        meaning: 'The `fapilog` requirement has no upper bound, so it claims compatibility with fapilog versions nobody has tested.',
        fix: 'Add an upper bound, e.g. `fapilog>=0.14,<0.20`.',
    },
    'sdist-missing': {
        severity: 'warning',
        meaning: 'Only a wheel is published; without an sdist nobody can rebuild the plugin from source.',
        fix: 'Build both with `python -m build` (without `--wheel`).',
    },
    'readme-template': {
        severity: 'warning',
        meaning: 'The README still contains text from the plugin template ("TODO: describe your plugin" or "fapilog-plugin-template").',
        fix: 'Describe what the plugin does, how to install and configure it.',
    },
    'repository-url-missing': {
        severity: 'warning',
        meaning: 'No repository URL: the marketplace cannot link to the source, and relative README links cannot be made absolute.',
        fix: 'Add `Repository = "https://github.com/<owner>/<repo>"` under `[project.urls]`.',
    },
    'readme-insecure-image': {
        severity: 'warning',
        meaning: 'The README loads an image over plain http, which browsers block on the marketplace page.',
        fix: 'Use https:// URLs for images (or a relative path into the repository).',
    },
    'marketplace-unreachable': {
        severity: 'warning',
        meaning: 'The marketplace could not be asked, so published versions and known fapilog versions were not checked.',
        fix: 'Check --marketplace-url / FAPILOG_MARKETPLACE_URL and the network, then run again.',
    },
};
const FINDING_CODES = Object.keys(table);
const FINDINGS = schemas/* record */.g1P(schemas/* string */.YjP(), Definition).parse(table);
function finding(code, message, fix) {
    const def = FINDINGS[code];
    return { code, severity: def.severity, message, fix: fix ?? def.fix };
}
/** Errors always fail; warnings fail under --strict. */
function isFailing(f, strict) {
    return f.severity === 'error' || (strict && f.severity === 'warning');
}
function failingFindings(findings, strict) {
    return findings.filter((f) => isFailing(f, strict));
}
/** The docs table: one row per code, in table order. */
function findingsMarkdownTable() {
    const rows = FINDING_CODES.map((code) => {
        const d = FINDINGS[code];
        return `| \`${code}\` | ${d.severity} | ${d.meaning.replace(/\|/g, '\\|')} | ${d.fix.replace(/\|/g, '\\|')} |`;
    });
    return ['| Code | Severity | Meaning | Fix |', '|---|---|---|---|', ...rows].join('\n');
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/bytes.js
var core_bytes = __webpack_require__(512);
// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var dist = __webpack_require__(3292);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/project.js
/**
 * The plugin project's pyproject.toml: the `[project]` fields publishing checks, and where the
 * version lives (a static `[project] version`, or a file hatchling reads it from through
 * `[tool.hatch.version] path`).
 */





const StringTable = schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP());
const ProjectTable = schemas/* object */.Ikc({
    name: schemas/* string */.YjP().min(1),
    version: schemas/* string */.YjP().optional(),
    dynamic: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    description: schemas/* string */.YjP().optional(),
    readme: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* object */.Ikc({ file: schemas/* string */.YjP().optional(), text: schemas/* string */.YjP().optional(), 'content-type': schemas/* string */.YjP().optional() })])
        .optional(),
    license: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* object */.Ikc({ file: schemas/* string */.YjP().optional(), text: schemas/* string */.YjP().optional() })]).optional(),
    'license-files': schemas/* union */.KCZ([schemas/* array */.YOg(schemas/* string */.YjP()), schemas/* object */.Ikc({ paths: schemas/* array */.YOg(schemas/* string */.YjP()).optional(), globs: schemas/* array */.YOg(schemas/* string */.YjP()).optional() })])
        .optional(),
    'requires-python': schemas/* string */.YjP().optional(),
    dependencies: schemas/* array */.YOg(schemas/* string */.YjP()).default([]),
    urls: StringTable.default({}),
    'entry-points': schemas/* record */.g1P(schemas/* string */.YjP(), StringTable).default({}),
    authors: schemas/* array */.YOg(schemas/* object */.Ikc({ name: schemas/* string */.YjP().optional(), email: schemas/* string */.YjP().optional() })).default([]),
})
    .loose();
const PyProject = schemas/* object */.Ikc({
    'build-system': schemas/* object */.Ikc({ 'build-backend': schemas/* string */.YjP().optional() }).loose().optional(),
    project: ProjectTable.optional(),
    tool: schemas/* object */.Ikc({
        hatch: schemas/* object */.Ikc({
            version: schemas/* object */.Ikc({ path: schemas/* string */.YjP().optional(), pattern: schemas/* string */.YjP().optional(), source: schemas/* string */.YjP().optional() })
                .loose()
                .optional(),
        })
            .loose()
            .optional(),
    })
        .loose()
        .optional(),
})
    .loose();
class project_ProjectError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ProjectError';
    }
}
const PYPROJECT = 'pyproject.toml';
/** hatchling's default: `__version__ = "1.2.3"` or `VERSION = '1.2.3'`, optional `v`. */
const HATCH_DEFAULT_PATTERN = /^(?:__version__|VERSION) *= *(['"])v?(?<version>.+?)\1/im;
/** A Python `re` pattern from `[tool.hatch.version] pattern` as a JS RegExp (named groups, inline flags). */
function hatchPattern(pattern) {
    if (!pattern)
        return HATCH_DEFAULT_PATTERN;
    let flags = 'm';
    let source = pattern;
    const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
    if (inline) {
        source = source.slice(inline[0].length);
        if (inline[1].includes('i'))
            flags += 'i';
        if (inline[1].includes('s'))
            flags += 's';
    }
    source = source.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>');
    try {
        return new RegExp(source, flags);
    }
    catch (err) {
        throw new project_ProjectError(`[tool.hatch.version] pattern is not a usable regular expression: ${err.message}`);
    }
}
function parsePyProject(text, file = 'pyproject.toml') {
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(text);
    }
    catch (err) {
        const first = (err.message.split('\n')[0] ?? '').trim();
        throw new project_ProjectError(`${file} is not valid TOML: ${first}`);
    }
    const parsed = PyProject.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? (0,errors/* formatPath */.jV)(issue.path) : 'document';
        throw new project_ProjectError(`${file} field "${where}": ${issue?.message ?? 'unexpected shape'}`);
    }
    return parsed.data;
}
/** Reads pyproject.toml at the project's root; null when there is none. Throws ProjectError when it is broken. */
async function project_readProject(files) {
    const bytes = await files.read(PYPROJECT);
    if (bytes === null)
        return null;
    const text = (0,core_bytes/* decodeBytes */.yj)(bytes);
    const notUtf8 = (0,core_bytes/* nonUtf8Position */.Af)(text);
    if (notUtf8 !== null)
        throw new project_ProjectError(`pyproject.toml is not valid UTF-8 (${notUtf8}); TOML files must be UTF-8, so it was not changed`);
    const data = parsePyProject(text);
    if (!data.project)
        throw new project_ProjectError('pyproject.toml has no [project] table (PEP 621 metadata is required)');
    const project = data.project;
    const { source, version } = await locateVersion(files, data, project);
    return { dir: files.label, text, data, project, versionSource: source, version };
}
/** A path as pyproject.toml gives it (`./src/x/__about__.py`, `src\\x.py`) as a ProjectFiles path. */
function projectPath(given) {
    return external_node_path_.posix.normalize(given.replace(/\\/g, '/')).replace(/^\.\//, '');
}
async function locateVersion(files, data, project) {
    if (project.version !== undefined)
        return { source: { kind: 'project', file: PYPROJECT }, version: project.version };
    if (!project.dynamic.includes('version')) {
        return { source: { kind: 'unknown', reason: '[project] has neither `version` nor `dynamic = ["version"]`' }, version: null };
    }
    const hatch = data.tool?.hatch?.version;
    const backend = data['build-system']?.['build-backend'] ?? '';
    if (!hatch?.path || (hatch.source && hatch.source !== 'regex') || (backend && !backend.startsWith('hatchling'))) {
        return {
            source: { kind: 'unknown', reason: 'the version is dynamic and not read from a file by hatchling (`[tool.hatch.version] path`)' },
            version: null,
        };
    }
    const file = projectPath(hatch.path);
    const pattern = hatchPattern(hatch.pattern);
    const bytes = await files.read(file).catch(() => null);
    if (bytes === null)
        throw new project_ProjectError(`[tool.hatch.version] path ${hatch.path} cannot be read`);
    const m = pattern.exec((0,core_bytes/* decodeBytes */.yj)(bytes));
    const found = m?.groups?.['version'];
    if (found === undefined)
        throw new project_ProjectError(`${hatch.path} has no version matching ${pattern.source}`);
    return { source: { kind: 'hatch-file', file, pattern }, version: found };
}
/** README file named by `[project] readme`, else the first README.* present. */
async function readProjectReadme(proj, files) {
    const readme = proj?.project.readme;
    if (readme !== undefined && typeof readme !== 'string' && readme.text !== undefined) {
        return { text: readme.text, contentType: readme['content-type'] ?? 'text/plain', file: null };
    }
    const named = typeof readme === 'string' ? readme : readme?.file;
    const candidates = named ? [named] : ['README.md', 'README.rst', 'README.txt', 'README'];
    for (const c of candidates) {
        // Too large or unreadable: the next name, as a missing one.
        const bytes = await files.read(projectPath(c)).catch(() => null);
        if (bytes === null)
            continue;
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        const contentType = c.endsWith('.md') ? 'text/markdown' : c.endsWith('.rst') ? 'text/x-rst' : 'text/plain';
        return { text, contentType: typeof readme === 'object' && readme['content-type'] ? readme['content-type'] : contentType, file: c };
    }
    return null;
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/readme.js
/**
 * The long description shown on the marketplace page: taken from the wheel's METADATA body
 * (what PyPI shows too), else from the project's README; its first paragraph is the summary;
 * relative links and images are made absolute at the repository and tag, because the marketplace
 * page is not the repository and a relative `docs/x.md` would point nowhere.
 */

/** Link and raw-file bases for GitHub and GitLab repositories; null for hosts we cannot map. */
function repositoryBases(repo) {
    let url;
    try {
        url = new URL(repo.repository.trim());
    }
    catch {
        return null;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return null;
    const parts = url.pathname
        .replace(/\.git$/, '')
        .split('/')
        .filter((p) => p !== '');
    const ref = encodeURI(repo.ref);
    if (url.hostname === 'github.com' || url.hostname === 'www.github.com') {
        if (parts.length < 2)
            return null;
        const [owner, name] = parts;
        return {
            blob: `https://github.com/${owner}/${name}/blob/${ref}/`,
            tree: `https://github.com/${owner}/${name}/tree/${ref}/`,
            raw: `https://raw.githubusercontent.com/${owner}/${name}/${ref}/`,
        };
    }
    if (url.hostname === 'gitlab.com' || url.hostname.startsWith('gitlab.')) {
        const cut = parts.indexOf('-');
        const project = (cut >= 0 ? parts.slice(0, cut) : parts).join('/');
        if (!project.includes('/'))
            return null;
        const base = `${url.protocol}//${url.host}/${project}`;
        return { blob: `${base}/-/blob/${ref}/`, tree: `${base}/-/tree/${ref}/`, raw: `${base}/-/raw/${ref}/` };
    }
    return null;
}
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;
const IMAGE_EXT = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico)(?:[?#].*)?$/i;
/** The absolute URL for a relative reference, or null to leave it as written. */
function absolutize(target, kind, bases, subdirectory) {
    const t = target.trim();
    if (t === '' || ABSOLUTE.test(t))
        return null;
    const cut = t.search(/[?#]/);
    const pathPart = cut >= 0 ? t.slice(0, cut) : t;
    const suffix = cut >= 0 ? t.slice(cut) : '';
    const joined = pathPart.startsWith('/') ? pathPart.slice(1) : external_node_path_.posix.join(subdirectory, pathPart);
    const normal = external_node_path_.posix.normalize(joined === '' ? '.' : joined);
    if (normal === '..' || normal.startsWith('../'))
        return null;
    const clean = normal === '.' ? '' : normal.replace(/^\.\//, '');
    const isDir = pathPart.endsWith('/') || clean === '';
    const base = kind === 'image' ? bases.raw : isDir ? bases.tree : bases.blob;
    return base + clean.replace(/\/$/, '') + (isDir && clean !== '' ? '/' : '') + suffix;
}
/** Applies `fn` to the parts of a Markdown text outside fenced code blocks and inline code. */
function outsideCode(text, fn) {
    const lines = text.split('\n');
    const out = [];
    let fence = null;
    let buffer = [];
    const flush = () => {
        if (buffer.length > 0)
            out.push(mapInline(buffer.join('\n'), fn));
        buffer = [];
    };
    for (const line of lines) {
        const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
        if (fence === null && m) {
            flush();
            fence = m[1][0];
            out.push(line);
        }
        else if (fence !== null) {
            out.push(line);
            if (m && m[1][0] === fence)
                fence = null;
        }
        else if (/^(?: {4}|\t)/.test(line) && (buffer.length === 0 || buffer[buffer.length - 1] === '')) {
            // indented code block (after a blank line): leave as written
            flush();
            out.push(line);
        }
        else {
            buffer.push(line);
        }
    }
    flush();
    return out.join('\n');
}
function mapInline(text, fn) {
    return text
        .split(/(`+[^`]*?`+)/)
        .map((part, i) => (i % 2 === 1 ? part : fn(part)))
        .join('');
}
const MD_IMAGE = /!\[([^\]]*)\]\(\s*(<[^>]*>|[^\s)]+)(\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const MD_LINK = /(?<!!)\[((?:[^[\]]|!?\[[^\]]*\]\([^)]*\))*)\]\(\s*(<[^>]*>|[^\s)]+)(\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const MD_REFDEF = /^( {0,3}\[[^\]]+\]:[ \t]*)(<[^>]*>|\S+)/gm;
const HTML_ATTR = /(<(img|a|source)\b[^>]*?\s(src|href|srcset)\s*=\s*)(["'])(.*?)\4/gi;
const RST_IMAGE = /^(\s*\.\. (?:image|figure)::[ \t]*)(\S+)/gm;
const RST_TARGET = /^(\s*:target:[ \t]*)(\S+)/gm;
const RST_LINK = /(`[^`<]*<)([^>`]+)(>`__?)/g;
/** Rewrites relative links and images in Markdown (with inline HTML) or reStructuredText. */
function absolutizeReadme(text, contentType, repo) {
    const bases = repositoryBases(repo);
    if (!bases)
        return text;
    const sub = (repo.subdirectory ?? '').replace(/^\/+|\/+$/g, '');
    const rewrite = (target, kind) => {
        const bracketed = target.startsWith('<') && target.endsWith('>');
        const inner = bracketed ? target.slice(1, -1) : target;
        const abs = absolutize(inner, kind, bases, sub);
        return abs === null ? target : bracketed ? `<${abs}>` : abs;
    };
    if (/rst/i.test(contentType)) {
        return text
            .replace(RST_IMAGE, (_m, head, t) => head + rewrite(t, 'image'))
            .replace(RST_TARGET, (_m, head, t) => head + rewrite(t, 'link'))
            .replace(RST_LINK, (_m, head, t, tail) => head + rewrite(t, 'link') + tail);
    }
    return outsideCode(text, (chunk) => chunk
        .replace(MD_IMAGE, (_m, alt, t, title) => `![${alt}](${rewrite(t, 'image')}${title ?? ''})`)
        .replace(MD_LINK, (_m, label, t, title) => `[${label}](${rewrite(t, 'link')}${title ?? ''})`)
        .replace(MD_REFDEF, (_m, head, t) => head + rewrite(t, IMAGE_EXT.test(t) ? 'image' : 'link'))
        .replace(HTML_ATTR, (_m, head, tag, attr, q, t) => {
        if (attr.toLowerCase() === 'srcset')
            return `${head}${q}${t}${q}`;
        const kind = tag.toLowerCase() === 'a' ? 'link' : 'image';
        return `${head}${q}${rewrite(t, kind)}${q}`;
    }));
}
/** Image URLs fetched over plain http (Markdown images, `<img src>`, RST image directives). */
function insecureImages(text) {
    const found = new Set();
    for (const m of text.matchAll(MD_IMAGE)) {
        const t = m[2].replace(/^<|>$/g, '');
        if (/^http:\/\//i.test(t))
            found.add(t);
    }
    for (const m of text.matchAll(HTML_ATTR)) {
        if (m[2].toLowerCase() !== 'a' && /^http:\/\//i.test(m[5]))
            found.add(m[5]);
    }
    for (const m of text.matchAll(RST_IMAGE)) {
        if (/^http:\/\//i.test(m[2]))
            found.add(m[2]);
    }
    for (const m of text.matchAll(MD_REFDEF)) {
        const t = m[2];
        if (/^http:\/\//i.test(t) && IMAGE_EXT.test(t))
            found.add(t);
    }
    return [...found];
}
/** What marks a README copied from the plugin template and never edited. */
const README_TEMPLATE_MARKERS = ['TODO: describe your plugin', 'fapilog-plugin-template'];
function templateMarkers(text) {
    const lower = text.toLowerCase();
    return README_TEMPLATE_MARKERS.filter((m) => lower.includes(m.toLowerCase()));
}
function plainText(markdown) {
    return markdown
        .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
        .replace(/<[^>]+>/g, '')
        .replace(/`([^`]*)`/g, '$1')
        .replace(/(\*\*|__)(.*?)\1/g, '$2')
        .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
        .replace(/\s+/g, ' ')
        .trim();
}
const MAX_SUMMARY = 500;
/**
 * The first paragraph of prose: headings, badges, HTML-only lines, code, tables, lists' absence of
 * prose, RST directives and title underlines are skipped.
 */
function firstParagraph(text) {
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    let fence = null;
    let paragraph = [];
    let inComment = false;
    for (let i = 0; i < lines.length; i += 1) {
        const line = lines[i];
        const trimmed = line.trim();
        const next = (lines[i + 1] ?? '').trim();
        if (inComment) {
            if (trimmed.includes('-->'))
                inComment = false;
            continue;
        }
        const f = /^(`{3,}|~{3,})/.exec(trimmed);
        if (fence !== null) {
            if (f && f[1][0] === fence)
                fence = null;
            continue;
        }
        if (f) {
            if (paragraph.length > 0)
                break;
            fence = f[1][0];
            continue;
        }
        if (trimmed.startsWith('<!--')) {
            if (!trimmed.includes('-->'))
                inComment = true;
            continue;
        }
        const setextOrRstTitle = next !== '' && /^([=\-~^"'`#*+:.])\1{2,}$/.test(next);
        const isSkippable = trimmed === '' ||
            /^#{1,6}(\s|$)/.test(trimmed) ||
            /^([=\-~^"'`#*+:.])\1{2,}$/.test(trimmed) ||
            (setextOrRstTitle && paragraph.length === 0) ||
            /^\.\. /.test(trimmed) ||
            /^\|/.test(trimmed) ||
            /^<\/?[a-z][^>]*>\s*$/i.test(trimmed) ||
            plainText(trimmed) === '';
        if (isSkippable) {
            if (paragraph.length > 0)
                break;
            if (setextOrRstTitle)
                i += 1;
            continue;
        }
        paragraph.push(trimmed);
    }
    const summary = plainText(paragraph.join(' '));
    return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1).trimEnd()}…` : summary;
}
function extractReadme(source, repo) {
    let from = 'none';
    let original = '';
    let contentType = 'text/plain';
    if (source.metadataDescription.trim() !== '') {
        from = 'metadata';
        original = source.metadataDescription;
        contentType = source.metadataContentType ?? 'text/x-rst'; // the core metadata default
    }
    else if (source.file && source.file.text.trim() !== '') {
        from = 'file';
        original = source.file.text;
        contentType = source.file.contentType;
    }
    const text = repo && original !== '' ? absolutizeReadme(original, contentType, repo) : original;
    return { from, contentType, original, text, summary: firstParagraph(original) };
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/size.js
var size = __webpack_require__(4810);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/schemas.js + 3 modules
var marketplace_schemas = __webpack_require__(9823);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/validate.js
/**
 * What publishing read (PublishFacts: project, artifacts, README, tag, marketplace answers) and
 * the questions the plan and the rules (rules.ts) both ask of it: the release's name, version,
 * fapilog requirement, license, URLs, whether the marketplace already has it. No I/O here.
 */




const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;
/** Entry-point group -> plugin_type, in the order a plugin's type is chosen when it has several. */
const ENTRY_POINT_GROUPS = Object.fromEntries(marketplace_schemas/* PLUGIN_TYPES */.Y7.map((t) => [`fapilog.${t}s`, t]));
const LEGACY_GROUP = 'fapilog.plugins';
function primaryMetadata(facts) {
    return facts.wheels[0]?.metadata ?? facts.sdists[0]?.metadata ?? null;
}
function releaseName(facts) {
    return primaryMetadata(facts)?.name ?? facts.project?.project.name ?? null;
}
/** The metadata a release is described by, its name and its version. */
function releaseIdentity(facts) {
    return { meta: primaryMetadata(facts), name: releaseName(facts), version: releaseVersion(facts) };
}
/**
 * The version being released: the project's when a built file carries it (files of an older
 * build left next to it are stale, not the release), else the wheel's or sdist's.
 */
function releaseVersion(facts) {
    const own = facts.project?.version ?? null;
    const built = [...facts.wheels, ...facts.sdists].map((a) => a.metadata.version);
    if (own !== null && built.some((v) => (0,pep440/* sameVersion */.r1)(v, own)))
        return own;
    return primaryMetadata(facts)?.version ?? own;
}
/** The tag's version: `v1.2.0`, `V1.2.0` and `1.2.0` all name 1.2.0; `refs/tags/` is stripped. */
function tagVersion(tag) {
    return tag.replace(/^refs\/tags\//, '').replace(/^[vV](?=\d)/, '');
}
function pluginTypes(entryPoints) {
    const types = new Set(entryPoints.map((e) => ENTRY_POINT_GROUPS[e.group]).filter((t) => t !== undefined));
    return marketplace_schemas/* PLUGIN_TYPES */.Y7.filter((t) => types.has(t));
}
/** The runtime `fapilog` requirement among Requires-Dist (or pyproject dependencies). */
function fapilogRequirement(requirements) {
    for (const text of requirements) {
        const req = (0,publish_metadata/* parseRequirement */.pP)(text);
        if (req && (0,names/* normalizeName */.Pc)(req.name) === 'fapilog' && !(0,publish_metadata/* isExtraOnly */.pp)(req))
            return { text, specifier: req.specifier };
    }
    return null;
}

function hasUpperBound(spec) {
    const clauses = (0,pep440/* parseSpecifier */.J6)(spec) ?? [];
    return clauses.some((c) => c.operator === '<' || c.operator === '<=' || c.operator === '~=' || c.operator === '==' || c.operator === '===');
}
const REPOSITORY_LABELS = /^(repository|source|source[ _-]?code|code|github|gitlab|git)$/i;
/** The repository URL: a `Repository`-like project URL, else a GitHub/GitLab homepage. */
function repositoryUrl(meta, project) {
    const urls = meta
        ? meta.projectUrls
        : Object.entries(project?.project.urls ?? {}).map(([label, url]) => ({ label, url }));
    const labelled = urls.find((u) => REPOSITORY_LABELS.test(u.label.trim()));
    if (labelled)
        return labelled.url;
    const hosted = [...urls.map((u) => u.url), meta?.homePage ?? ''].find((u) => /^https?:\/\/(www\.)?(github\.com|gitlab\.com)\/[^/]+\/[^/]+/.test(u));
    return hosted ?? null;
}
function homepageUrl(meta, project) {
    const urls = meta
        ? meta.projectUrls
        : Object.entries(project?.project.urls ?? {}).map(([label, url]) => ({ label, url }));
    return urls.find((u) => /^home[ _-]?page$/i.test(u.label.trim()))?.url ?? meta?.homePage ?? null;
}
/** License as the marketplace shows it: the SPDX expression, else a one-line License, else the classifier. */
function licenseOf(meta, project) {
    if (meta?.licenseExpression)
        return meta.licenseExpression;
    const text = meta?.license?.trim();
    if (text && !text.includes('\n') && text.length <= 100)
        return text;
    const classifier = meta?.classifiers.find((c) => c.startsWith('License :: ') && c !== 'License :: OSI Approved');
    if (classifier)
        return classifier.split(' :: ').pop() ?? null;
    const pl = project?.project.license;
    if (typeof pl === 'string' && pl.trim() !== '')
        return pl.trim();
    if (text)
        return (text.split('\n')[0] ?? '').trim() || null;
    return null;
}
function filesSignature(files) {
    return files
        .map((f) => `${f.filename}:${f.sha256}`)
        .sort()
        .join('\n');
}
/** Whether the marketplace already has this version with exactly these files. */
function publishedIdentically(release, files) {
    return release !== undefined && filesSignature(release.files) === filesSignature(files);
}
function findRelease(releases, version) {
    return releases.find((r) => (0,pep440/* sameVersion */.r1)(r.version, version));
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/rules.js







function pluginFacts(facts) {
    const meta = primaryMetadata(facts);
    const project = facts.project;
    const projectEntryPoints = () => Object.entries(project?.project['entry-points'] ?? {}).flatMap(([group, eps]) => Object.entries(eps).map(([n, value]) => ({ group, name: n, value })));
    return {
        projectError: facts.projectError,
        unreadable: facts.unreadable.map((u) => u.message),
        files: facts.files.map((f) => ({ filename: f.filename, kind: f.kind, size: f.size, sha256: f.sha256 })),
        maxFileSize: facts.maxFileSize,
        recordProblems: facts.wheels.flatMap((w) => (w.recordProblem ? [w.recordProblem] : [])),
        declaration: facts.wheels.length + facts.sdists.length > 0
            ? releaseDeclaration(facts.wheels.map((w) => ({ filename: w.file.filename, metadata: w.metadata })), facts.sdists.map((s) => ({ filename: s.file.filename, metadata: s.metadata })))
            : null,
        described: meta !== null || project !== null,
        fromMetadata: meta !== null,
        name: releaseName(facts),
        names: [
            ...[...facts.wheels, ...facts.sdists].map((a) => ({ where: a.file.filename, from: 'built', value: a.metadata.name })),
            ...(project ? [{ where: 'pyproject.toml', from: 'project', value: project.project.name }] : []),
        ],
        versions: [
            ...[...facts.wheels, ...facts.sdists].map((a) => ({ where: a.file.filename, from: 'built', value: a.metadata.version })),
            ...(project?.version != null
                ? [
                    {
                        where: project.versionSource.kind === 'hatch-file' ? 'the hatch version file' : 'pyproject.toml',
                        from: 'project',
                        value: project.version,
                    },
                ]
                : []),
        ],
        version: releaseVersion(facts),
        tag: facts.tag,
        fapilog: fapilogRequirement(meta ? meta.requiresDist : (project?.project.dependencies ?? [])),
        entryPoints: facts.wheels[0] ? facts.wheels[0].entryPoints : project ? projectEntryPoints() : null,
        readme: facts.readme,
        licenseDeclared: meta
            ? Boolean(meta.licenseExpression?.trim() ||
                meta.license?.trim() ||
                meta.licenseFiles.length > 0 ||
                meta.classifiers.some((c) => c.startsWith('License :: ')))
            : Boolean(project?.project.license !== undefined || facts.projectLicenseFiles.length > 0),
        repository: repositoryUrl(meta, project),
        marketplace: facts.marketplace,
    };
}
/**
 * Files of several versions (usually an old build left in dist/: python -m build adds, never
 * removes): judging the tag or the marketplace by one of them would report false mismatches.
 */
function mixedVersions(f) {
    return new Set(f.versions.filter((v) => (0,pep440/* isValid */.fn)(v.value)).map((v) => (0,pep440/* normalize */.S8)(v.value))).size > 1;
}
/** The version the tag and the marketplace are judged by: valid, and the files agree on it. */
function judgedVersion(f) {
    return f.version !== null && (0,pep440/* isValid */.fn)(f.version) && !mixedVersions(f) ? f.version : null;
}
const when = (cond, make) => (cond ? [make()] : []);
const RULES = [
    {
        about: 'pyproject.toml reads',
        check: (f) => when(f.projectError !== null, () => finding('pyproject-invalid', f.projectError)),
    },
    { about: 'built files read', check: (f) => f.unreadable.map((m) => finding('artifact-unreadable', m)) },
    {
        about: 'a wheel',
        check: (f) => when(f.files.every((x) => x.kind !== 'wheel'), () => finding('wheel-missing', f.files.length === 0
            ? 'no wheel or sdist found in the dist directory'
            : `no wheel among ${f.files.map((x) => x.filename).join(', ')}`)),
    },
    {
        about: 'an sdist',
        check: (f) => when(f.files.length > 0 && f.files.every((x) => x.kind !== 'sdist'), () => finding('sdist-missing', 'no sdist (.tar.gz) next to the wheel')),
    },
    {
        about: 'file sizes',
        check: (f) => f.files
            .filter((x) => x.size > f.maxFileSize)
            .map((x) => finding('file-too-large', `${x.filename} is ${(0,size/* formatSize */.X)(x.size)}, over the ${(0,size/* formatSize */.X)(f.maxFileSize)} limit`)),
    },
    { about: 'wheel RECORDs match', check: (f) => f.recordProblems.map((m) => finding('record-mismatch', m)) },
    {
        about: 'a fapilog-* name',
        check: ({ name }) => when(name !== null && !(0,names/* isPluginPackage */.ks)(name), () => finding('name-not-plugin', `"${name}" (normalised "${(0,names/* normalizeName */.Pc)(name)}") does not start with "fapilog-"`, `Rename the project to "fapilog-${(0,names/* normalizeName */.Pc)(name).replace(/^fapilog-?/, '') || 'name'}" in pyproject.toml [project] name.`)),
    },
    {
        about: 'one name',
        check: (f) => when(new Set(f.names.map((n) => (0,names/* normalizeName */.Pc)(n.value))).size > 1, () => finding('name-mismatch', `different names: ${f.names.map((n) => `${n.where} says "${n.value}"`).join(', ')}`)),
    },
    {
        about: 'PEP 440 versions',
        check: (f) => f.versions
            .filter((v) => !(0,pep440/* isValid */.fn)(v.value))
            .map((v) => finding('version-invalid', `${v.where}: "${v.value}" is not a PEP 440 version`)),
    },
    {
        about: 'one version',
        check: (f) => {
            if (!mixedVersions(f))
                return [];
            const valid = f.versions.filter((v) => (0,pep440/* isValid */.fn)(v.value));
            const own = f.versions.find((v) => v.from === 'project' && (0,pep440/* isValid */.fn)(v.value))?.value ?? null;
            const built = valid.filter((v) => v.from === 'built');
            const stale = own === null ? [] : built.filter((v) => !(0,pep440/* sameVersion */.r1)(v.value, own));
            // Some files are of the project's version and some not: leftovers (none of it: the project was bumped after the build).
            return [
                stale.length > 0 && stale.length < built.length && own !== null
                    ? finding('version-mismatch', `the dist directory holds files of another version, left by an older build: ${stale.map((v) => `${v.where} (${v.value})`).join(', ')}; the project's version is ${own}`, 'Clean the dist directory (`rm -rf dist`) and rebuild with `python -m build`: a build adds its files next to the old ones.')
                    : finding('version-mismatch', `different versions: ${valid.map((v) => `${v.where} says ${v.value}`).join(', ')}`),
            ];
        },
    },
    {
        about: 'the tag names the version',
        check: (f) => {
            const version = judgedVersion(f);
            if (f.tag === null || version === null)
                return [];
            const wanted = tagVersion(f.tag);
            if ((0,pep440/* sameVersion */.r1)(wanted, version))
                return [];
            const fix = (0,pep440/* isValid */.fn)(wanted)
                ? `Run \`fapilog-plugins version ${(0,pep440/* normalize */.S8)(wanted)}\`, commit, rebuild and move the tag; or tag the project's version as v${version}.`
                : `Push a tag named after the version, e.g. v${version}.`;
            return [
                finding('tag-mismatch', `tag ${f.tag} names version ${(0,pep440/* isValid */.fn)(wanted) ? (0,pep440/* normalize */.S8)(wanted) : `"${wanted}" (not PEP 440)`}, but the project's version is ${version}`, fix),
            ];
        },
    },
    {
        about: 'a fapilog requirement with a PEP 440 range',
        check: ({ described, fapilog: req }) => {
            if (!described)
                return [];
            if (!req)
                return [finding('fapilog-requirement-missing', 'no runtime requirement on "fapilog" in Requires-Dist / [project] dependencies')];
            if (req.specifier !== null && req.specifier.trim() !== '' && (0,pep440/* isValidSpecifier */.J5)(req.specifier))
                return [];
            const why = req.specifier === null
                ? 'a URL requirement'
                : req.specifier.trim() === ''
                    ? 'no version specifier'
                    : `"${req.specifier}" is not a PEP 440 specifier`;
            return [finding('fapilog-specifier-invalid', `"${req.text}": ${why}`)];
        },
    },
    {
        about: 'an upper bound on fapilog',
        check: ({ fapilog: req }) => {
            const spec = usableSpecifier(req);
            return when(spec !== null && !hasUpperBound(spec), () => finding('fapilog-specifier-unbounded', `"fapilog${displaySpecifier(spec)}" has no upper bound`));
        },
    },
    {
        about: 'a released fapilog admitted',
        check: ({ fapilog: req, marketplace }) => {
            const spec = usableSpecifier(req);
            const known = marketplace?.fapilogVersions;
            if (spec === null || !known || known.length === 0 || known.some((v) => (0,pep440/* satisfies */.ib)(v, spec, { prereleases: true })))
                return [];
            const newest = (0,pep440/* sortVersions */.M7)(known).at(-1);
            return [
                finding('fapilog-specifier-unsatisfiable', `"fapilog${displaySpecifier(spec)}" admits none of the ${known.length} known fapilog releases (newest ${newest})`, `Widen the requirement to admit a released fapilog, e.g. "fapilog>=${newest}".`),
            ];
        },
    },
    {
        // What the marketplace will read from the files (the same check the server makes); a missing
        // or unusable fapilog requirement is said above already, unless the files disagree.
        about: 'the files declare one set of requirements',
        check: (f) => {
            const d = f.declaration;
            if (d === null || d.ok || mixedVersions(f))
                return [];
            const said = f.described && usableSpecifier(f.fapilog) === null;
            return when(d.code === 'metadata_mismatch' || !said, () => finding('metadata-mismatch', d.message));
        },
    },
    {
        about: 'entry points in the fapilog groups',
        check: ({ entryPoints }) => {
            if (entryPoints === null)
                return [];
            const legacy = entryPoints.filter((e) => e.group === LEGACY_GROUP);
            const out = legacy.map((e) => finding('entry-point-legacy-group', `entry point "${e.name} = ${e.value}" is in the legacy "${LEGACY_GROUP}" group`));
            if (pluginTypes(entryPoints).length === 0) {
                const groups = [...new Set(entryPoints.map((e) => e.group))];
                out.push(finding('entry-point-missing', groups.length === 0 ? 'the wheel has no entry points' : `no entry point in a fapilog group (found: ${groups.join(', ')})`, legacy[0]
                    ? `Move "${legacy[0].name}" to [project.entry-points."fapilog.sinks"] (or processors, enrichers, redactors, filters).`
                    : undefined));
            }
            return out;
        },
    },
    {
        about: 'a README of its own',
        check: ({ described, fromMetadata, readme }) => {
            if (!described)
                return [];
            if (readme.from === 'none') {
                return [
                    finding('readme-missing', fromMetadata ? 'the wheel has no long description and the project has no README' : 'the project has no README'),
                ];
            }
            const markers = templateMarkers(readme.original);
            return [
                ...when(markers.length > 0, () => finding('readme-template', `the README still contains ${markers.map((m) => `"${m}"`).join(' and ')}`)),
                ...insecureImages(readme.original).map((url) => finding('readme-insecure-image', `image over plain http: ${url}`, `Use ${url.replace(/^http:/i, 'https:')} (if the host serves https) or a relative path.`)),
            ];
        },
    },
    {
        about: 'a license',
        check: (f) => when(f.described && !f.licenseDeclared, () => finding('license-missing', f.fromMetadata
            ? 'the metadata has no License-Expression, License, License-File or license classifier'
            : 'pyproject.toml declares no license')),
    },
    {
        about: 'a repository URL',
        check: (f) => when(f.described && f.repository === null, () => finding('repository-url-missing', 'no Repository/Source URL in [project.urls]')),
    },
    {
        about: 'the marketplace answered',
        check: ({ marketplace }) => when(Boolean(marketplace?.unreachable), () => finding('marketplace-unreachable', marketplace?.unreachable)),
    },
    {
        about: 'a published version never changes',
        check: (f) => {
            const version = judgedVersion(f);
            if (!f.marketplace || f.marketplace.unreachable || version === null)
                return [];
            const same = findRelease(f.marketplace.releases, version);
            if (!same || publishedIdentically(same, f.files))
                return [];
            const theirs = same.files.map((x) => `${x.filename} ${x.sha256.slice(0, 12)}`).join(', ') || 'no files';
            return [
                finding('version-taken', `${f.name} ${same.version} is already published with different files (${theirs}); a published version never changes, publish a new version`, `Run \`fapilog-plugins version patch\` (or minor/major), rebuild, tag and publish again.`),
            ];
        },
    },
    {
        about: 'newer than what is published',
        check: (f) => {
            const version = judgedVersion(f);
            if (!f.marketplace || f.marketplace.unreachable || version === null || findRelease(f.marketplace.releases, version))
                return [];
            const newest = (0,pep440/* sortVersions */.M7)(f.marketplace.releases.map((r) => r.version)).at(-1);
            return when(newest !== undefined && (0,pep440/* compare */.UD)(version, newest) < 0, () => finding('version-backport', `${version} is lower than the newest published version ${newest}`));
        },
    },
];
/** The fapilog requirement's specifier when it is a usable PEP 440 range, else null. */
function usableSpecifier(req) {
    return req?.specifier != null && req.specifier.trim() !== '' && (0,pep440/* isValidSpecifier */.J5)(req.specifier) ? req.specifier : null;
}
/** Every rule's findings in table order, errors first (they are what stops the publish). */
function applyRules(f, rules = RULES) {
    const out = rules.flatMap((r) => r.check(f));
    return out.filter((x) => x.severity === 'error').concat(out.filter((x) => x.severity !== 'error'));
}
/** The findings for what publishing read. */
function validate(facts) {
    return applyRules(pluginFacts(facts));
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/plan.js










const LICENSE_FILE = /^(licen[cs]e|copying|notice|authors)(\.|-|$)/i;
async function projectLicenseFiles(files) {
    return (await files.list())
        .map((e) => e.path)
        .filter((f) => !f.includes('/') && LICENSE_FILE.test(f))
        .sort();
}
async function marketplaceFacts(client, name) {
    try {
        const [fapilogVersions, versions] = await Promise.all([client.fapilogVersions(), client.versions(name)]);
        return { unreachable: null, fapilogVersions, releases: versions?.releases ?? [] };
    }
    catch (err) {
        return { unreachable: `could not ask the marketplace: ${err.message.split('\n')[0]}`, fapilogVersions: null, releases: [] };
    }
}
function authorOf(meta, project) {
    if (meta?.author?.trim())
        return meta.author.trim();
    const fromEmail = meta?.authorEmail
        ?.split(',')
        .map((a) => a
        .trim()
        .replace(/\s*<[^>]*>$/, '')
        .replace(/^"|"$/g, ''))
        .filter((a) => a !== '' && !a.includes('@'));
    if (fromEmail && fromEmail.length > 0)
        return fromEmail.join(', ');
    const names = project?.project.authors.map((a) => a.name).filter((n) => Boolean(n)) ?? [];
    return names.length > 0 ? names.join(', ') : 'Unknown';
}
function runtimeDependencies(requirements) {
    return requirements.filter((text) => {
        const req = (0,publish_metadata/* parseRequirement */.pP)(text);
        return req !== null && !(0,publish_metadata/* isExtraOnly */.pp)(req) && (0,names/* normalizeName */.Pc)(req.name) !== 'fapilog';
    });
}
async function preparePublish(opts) {
    let project = null;
    let projectError = null;
    try {
        project = await project_readProject(opts.project);
    }
    catch (err) {
        if (!(err instanceof project_ProjectError))
            throw err;
        projectError = err.message;
    }
    const { files, ignored } = await (0,artifacts/* readDist */.$z)(opts.dist);
    const wheels = [];
    const sdists = [];
    const unreadable = [];
    for (const file of files) {
        try {
            if (file.kind === 'wheel') {
                const w = (0,artifacts.readWheel)(file.filename, file.data);
                wheels.push({
                    file,
                    metadata: (0,publish_metadata/* parseCoreMetadata */.Ug)(w.metadataText),
                    entryPoints: w.entryPointsText ? (0,artifacts/* parseEntryPoints */.f0)(w.entryPointsText) : [],
                    recordProblem: (0,artifacts/* wheelRecordProblem */.Sc)(file.filename, file.data),
                });
            }
            else {
                const s = await (0,artifacts/* readSdist */.M6)(file.filename, file.data);
                sdists.push({ file, metadata: (0,publish_metadata/* parseCoreMetadata */.Ug)(s.pkgInfoText) });
            }
        }
        catch (err) {
            const message = err instanceof artifacts.ArtifactError ? err.message : `${file.filename}: metadata is unreadable (${err.message.split('\n')[0]})`;
            unreadable.push({ filename: file.filename, message });
        }
    }
    const { meta, name: pkg, version } = releaseIdentity({ project, wheels, sdists });
    const givenTag = opts.tag ? opts.tag.replace(/^refs\/tags\//, '') : null;
    const tag = givenTag ?? (version !== null && (0,pep440/* isValid */.fn)(version) ? `v${(0,pep440/* normalize */.S8)(version)}` : null);
    const repository = repositoryUrl(meta, project);
    const readmeFile = meta?.description.trim() ? null : await readProjectReadme(project, opts.project);
    const readme = extractReadme({
        metadataDescription: meta?.description ?? '',
        metadataContentType: meta?.descriptionContentType ?? null,
        file: readmeFile ? { text: readmeFile.text, contentType: readmeFile.contentType, name: readmeFile.file } : null,
    }, repository && tag ? { repository, ref: tag, subdirectory: opts.subdirectory ?? '' } : null);
    const marketplace = opts.client && pkg ? await marketplaceFacts(opts.client, (0,names/* shortName */.EU)(pkg)) : null;
    const facts = {
        project,
        projectError,
        files,
        wheels,
        sdists,
        unreadable,
        tag: givenTag,
        readme,
        projectLicenseFiles: await projectLicenseFiles(opts.project),
        marketplace,
        maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    };
    const findings = validate(facts);
    const entryPoints = wheels[0]?.entryPoints ?? [];
    const pluginType = pluginTypes(entryPoints)[0] ?? null;
    const requirements = meta?.requiresDist ?? project?.project.dependencies ?? [];
    const fapilog = fapilogRequirement(requirements);
    const planFiles = files.map((f) => ({
        filename: f.filename,
        kind: f.kind,
        size: f.size,
        sha256: f.sha256,
        data: f.data,
    }));
    // What the marketplace reads from the files; the JSON says the same (the server compares).
    const truth = releaseDeclaration(wheels.map((w) => ({ filename: w.file.filename, metadata: w.metadata })), sdists.map((s) => ({ filename: s.file.filename, metadata: s.metadata })));
    const canDescribe = pkg !== null && version !== null && pluginType !== null && fapilog?.specifier && planFiles.length > 0;
    const metadata = canDescribe
        ? {
            name: (0,names/* shortName */.EU)(pkg),
            version,
            description: meta?.summary.trim() || readme.summary,
            author: authorOf(meta, project),
            plugin_type: pluginType,
            license: licenseOf(meta, project) ?? 'Unknown',
            homepage: homepageUrl(meta, project),
            repository,
            fapilog_compatibility: truth.ok && truth.value.fapilog_compatibility ? truth.value.fapilog_compatibility : displaySpecifier(fapilog.specifier),
            requires_python: truth.ok ? truth.value.requires_python : (meta?.requiresPython ?? project?.project['requires-python'] ?? null),
            dependencies: truth.ok ? truth.value.dependencies : runtimeDependencies(requirements),
            readme: readme.text,
            files: planFiles.map((f) => ({ filename: f.filename, sha256: f.sha256 })),
        }
        : null;
    const releases = marketplace?.releases ?? [];
    return {
        projectDir: opts.project.label,
        distDir: opts.dist.label,
        package: pkg === null ? null : (0,names/* normalizeName */.Pc)(pkg),
        name: pkg === null ? null : (0,names/* shortName */.EU)(pkg),
        version,
        tag,
        tagGiven: givenTag !== null,
        pluginType,
        metadata,
        files: planFiles,
        ignored,
        findings,
        readme,
        alreadyPublished: version !== null && publishedIdentically(findRelease(releases, version), files),
        publishedVersions: releases.map((r) => r.version),
    };
}
/** Findings that stop the publish: every error, and warnings too under strict. */
function blockingFindings(plan, strict) {
    return failingFindings(plan.findings, strict);
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/publish/provenance.js
var provenance = __webpack_require__(3852);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/flow.js
/**
 * The publish flow the CLI and the Action share, from a prepared PublishPlan to a verdict:
 * blocked by findings, nothing to describe, dry run, no credential, or sent (execute.ts). The
 * front ends show the plan between preparePublish and completePublish, and render the verdict;
 * the wording, the API URL (never with its user:password@) and the release URL are decided here.
 */




/** The tag a ref names: `refs/tags/v1.2.0` -> `v1.2.0`; other refs (branches) name none. */
function tagFromRef(ref) {
    return ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}
/** `not published: 1 error and 2 warnings (--strict) (tag-mismatch, sdist-missing)`. */
function notPublishedMessage(blocking, strictOption) {
    const errors = blocking.filter((f) => f.severity === 'error').length;
    const warnings = blocking.length - errors;
    const parts = [
        errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '',
        warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'} (${strictOption})` : '',
    ].filter((p) => p !== '');
    const codes = [...new Set(blocking.map((f) => f.code))].join(', ');
    return `not published: ${parts.join(' and ')} (${codes})`;
}
async function completePublish(plan, opts) {
    const apiUrl = (0,errors/* stripCredentials */.PH)(opts.marketplaceUrl);
    const verdict = (status, message, rest = {}) => ({
        status,
        message,
        url: null,
        failure: null,
        blocking: [],
        version: plan.version,
        release: null,
        publisher: null,
        markdown: null,
        ...rest,
    });
    const blocking = blockingFindings(plan, opts.strict);
    if (blocking.length > 0)
        return verdict('failed', notPublishedMessage(blocking, opts.strictOption), { failure: 'blocked', blocking });
    if (!plan.metadata)
        return verdict('failed', 'not published: the files do not describe a plugin release', { failure: 'undescribable' });
    if (opts.dryRun) {
        return verdict('dry-run', plan.alreadyPublished
            ? `dry run: ${plan.package} ${plan.version} is already published with these files (a publish would report unchanged)`
            : `dry run: ${plan.package} ${plan.version} would be published to ${apiUrl}`);
    }
    const auth = await opts.authorize();
    if (!auth.ok)
        return verdict('failed', auth.message, { failure: 'no-credential', markdown: auth.markdown ?? null });
    const outcome = await executePublish(plan, auth.sender, { apiUrl, credential: auth.credential });
    if (outcome.status === 'failed')
        return verdict('failed', outcome.message, { failure: outcome.reason });
    const { release } = outcome;
    return verdict(outcome.status, outcome.status === 'unchanged'
        ? `unchanged: ${plan.package} ${release.version} is already published with identical files`
        : `published ${plan.package} ${release.version}`, {
        url: outcome.url,
        version: release.version,
        release,
        publisher: release.provenance === undefined ? null : (0,provenance/* describePublisher */.w$)(release.provenance),
    });
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/render/markdown.js
var markdown = __webpack_require__(9003);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/atomic-file.js
var atomic_file = __webpack_require__(133);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/project/disk-files.js
var disk_files = __webpack_require__(3174);
// EXTERNAL MODULE: ./node_modules/toml-eslint-parser/lib/index.mjs + 3 modules
var lib = __webpack_require__(9605);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/bump.js
/**
 * `fapilog-plugins version major|minor|patch|pre|<version>`: computes the next PEP 440 version and
 * rewrites exactly the characters of the old version where the build backend reads it
 * (`[project] version` in pyproject.toml, or the file hatchling's `[tool.hatch.version] path`
 * names). Everything else in the files, comments and quoting included, stays byte for byte.
 *
 * `pre`: from a pre-release, the next one of the same kind (1.2.0rc1 -> 1.2.0rc2, 2.0.0b1 -> 2.0.0b2);
 * from a dev release, the first release candidate of it (1.3.0.dev2 -> 1.3.0rc1); from a final or
 * post release, the first release candidate of the next patch (1.2.3 -> 1.2.4rc1).
 * `major|minor|patch` from a pre-release finish it when it already is that kind of bump
 * (2.0.0rc1 -> major -> 2.0.0; 1.2.4rc1 -> patch -> 1.2.4), as the PEP 440 room's `increment` does.
 */





const BUMP_KINDS = (/* unused pure expression or super */ null && (['major', 'minor', 'patch', 'pre']));
class bump_BumpError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BumpError';
    }
}
/** The version after `kind`, or the given version (normalised; a leading `v` is allowed). */
function nextVersion(current, kind) {
    if (BUMP_KINDS.includes(kind)) {
        if (!isValid(current))
            throw new bump_BumpError(`the current version "${current}" is not PEP 440, so it cannot be bumped; give the new version instead`);
        if (kind === 'pre')
            return nextPre(current);
        const out = increment(current, kind);
        if (out === null)
            throw new bump_BumpError(`cannot compute the ${kind} version after ${current}`);
        return out;
    }
    const wanted = kind.replace(/^[vV](?=\d)/, '');
    const n = isValid(wanted) ? normalize(wanted) : null;
    if (n === null)
        throw new bump_BumpError(`"${kind}" is neither major, minor, patch, pre nor a PEP 440 version`);
    return n;
}
function nextPre(current) {
    const v = explain(current);
    if (!v)
        throw new bump_BumpError(`"${current}" is not a PEP 440 version`);
    const epoch = v.epoch ? `${v.epoch}!` : '';
    if (v.pre && v.pre.length === 2) {
        return `${epoch}${v.release.join('.')}${String(v.pre[0])}${Number(v.pre[1]) + 1}`;
    }
    if (v.dev !== null && v.post === null)
        return `${epoch}${v.release.join('.')}rc1`;
    const [major = 0, minor = 0, patch = 0] = v.release;
    return `${epoch}${major}.${minor}.${patch + 1}rc1`;
}
/** Span of the `[project] version` string's content (inside the quotes) in pyproject.toml. */
function projectVersionSpan(text) {
    const ast = parseTOML(text);
    const top = ast.body[0];
    if (!top)
        return null;
    const visit = (prefix, kv) => {
        const keyPath = [...prefix, ...kv.key.keys.map((k) => (k.name ?? k.value))];
        if (keyPath.length === 2 &&
            keyPath[0] === 'project' &&
            keyPath[1] === 'version' &&
            kv.value.type === 'TOMLValue' &&
            kv.value.kind === 'string') {
            const [s, e] = kv.value.range;
            const raw = text.slice(s, e);
            const quote = raw.startsWith('"""') || raw.startsWith("'''") ? 3 : 1;
            return { start: s + quote, end: e - quote, value: String(kv.value.value) };
        }
        return null;
    };
    for (const node of top.body) {
        if (node.type === 'TOMLKeyValue') {
            const hit = visit([], node);
            if (hit)
                return hit;
        }
        else if (node.type === 'TOMLTable') {
            for (const kv of node.body) {
                const hit = visit(node.resolvedKey, kv);
                if (hit)
                    return hit;
            }
        }
    }
    return null;
}
function editOf(file, text, start, end, after) {
    return {
        file,
        start,
        end,
        before: text.slice(start, end),
        after,
        oldText: text,
        newText: text.slice(0, start) + after + text.slice(end),
    };
}
async function bump_planBump(files, kind) {
    let project;
    try {
        project = await readProject(files);
    }
    catch (err) {
        if (err instanceof ProjectError)
            throw new bump_BumpError(err.message);
        throw err;
    }
    if (!project)
        throw new bump_BumpError(`no pyproject.toml in ${files.label}`);
    const source = project.versionSource;
    if (source.kind === 'unknown' || project.version === null) {
        throw new bump_BumpError(`cannot find the version to change: ${source.kind === 'unknown' ? source.reason : 'no static version'}`);
    }
    const from = project.version;
    const to = nextVersion(from, kind);
    const edits = [];
    if (source.kind === 'project') {
        const span = projectVersionSpan(project.text);
        if (!span)
            throw new bump_BumpError('pyproject.toml: [project] version is not a plain string');
        if (span.value !== project.text.slice(span.start, span.end)) {
            throw new bump_BumpError('pyproject.toml: [project] version uses escapes; write it as a plain string first');
        }
        edits.push(editOf(source.file, project.text, span.start, span.end, to));
    }
    else {
        const bytes = await files.read(source.file);
        if (bytes === null)
            throw new bump_BumpError(`${source.file} cannot be read`);
        const text = decodeBytes(bytes);
        const re = new RegExp(source.pattern.source, `${source.pattern.flags.replace('d', '')}d`);
        const m = re.exec(text);
        const indices = m?.indices?.groups?.['version'];
        if (!m || !indices)
            throw new bump_BumpError(`${source.file}: no version matching the hatch pattern`);
        edits.push(editOf(source.file, text, indices[0], indices[1], to));
    }
    return { projectDir: files.label, from, to, tag: `v${to}`, edits };
}
/**
 * Re-reads the new text the way the build backend will, so a bad edit is never written (the
 * writer, disk-plugin.ts, calls this just before it replaces the file).
 */
async function bump_verifyBumpEdit(plan, edit, files) {
    if (edit.file === 'pyproject.toml') {
        const data = parseToml(edit.newText);
        if (data.project?.version !== plan.to)
            throw new bump_BumpError(`internal error: ${edit.file} would not read back version ${plan.to}`);
        return;
    }
    const project = await readProject(files);
    const source = project?.versionSource;
    if (source?.kind !== 'hatch-file')
        throw new bump_BumpError('internal error: the version file moved while bumping');
    const m = source.pattern.exec(edit.newText);
    if (m?.groups?.['version'] !== plan.to)
        throw new bump_BumpError(`internal error: ${edit.file} would not read back version ${plan.to}`);
}
function isDowngrade(plan) {
    return isValid(plan.from) && compare(plan.to, plan.from) < 0;
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/disk-plugin.js
/**
 * A plugin project and its dist directory on disk, as the ProjectFiles publishing reads (the CLI,
 * the Action and scripts start from paths): the project's own files (pyproject.toml, the version
 * file hatchling reads, the README, the LICENSE files at its root) and every file of the dist
 * directory at any size (an oversized wheel is a finding, not a read error); and writing a
 * version bump, file by file, each atomically and only while it still holds the planned bytes.
 */






const everything = () => true;
/** The project directory: its root's files listed (LICENSE*), any file inside it read by path. */
function pluginProjectFiles(dir) {
    return new disk_files/* DiskProjectFiles */.Y(dir, { select: everything, topLevelOnly: true });
}
/** The dist directory: every file at its root, whatever its size. */
function pluginDistFiles(dir) {
    return new disk_files/* DiskProjectFiles */.Y(dir, { select: everything, topLevelOnly: true, maxFileBytes: Number.POSITIVE_INFINITY });
}
function preparePublishOnDisk(opts) {
    const { projectDir: given, distDir: distGiven, ...rest } = opts;
    const projectDir = external_node_path_.resolve(given);
    return preparePublish({
        ...rest,
        project: pluginProjectFiles(projectDir),
        dist: pluginDistFiles(external_node_path_.resolve(projectDir, distGiven ?? 'dist')),
    });
}
function planBumpOnDisk(projectDir, kind) {
    return planBump(pluginProjectFiles(path.resolve(projectDir)), kind);
}
/** The absolute path of a bump edit's file. */
function bumpFilePath(plan, file) {
    return path.join(plan.projectDir, ...file.split('/'));
}
/** Writes each edit atomically, after checking the file is unchanged and the edit reads back as the new version. */
async function applyBump(plan) {
    const files = pluginProjectFiles(plan.projectDir);
    for (const edit of plan.edits) {
        const target = bumpFilePath(plan, edit.file);
        const current = await files.read(edit.file);
        if (current === null || decodeBytes(current) !== edit.oldText)
            throw new BumpError(`${target} changed while bumping; run the command again`);
        await verifyBumpEdit(plan, edit, files);
        await replaceFileAtomically(target, edit.newText);
    }
}

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/action/oidc.js + 6 modules
var oidc = __webpack_require__(9592);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/action/publish.js
/**
 * The Action's `publish` command, for `on: push: tags`: optionally builds the project, validates
 * the built files, uploads them, and renders the job summary (every file with size and sha256,
 * every finding). No @actions imports here: the runner passes @actions/exec as `deps.exec` and
 * sets the outputs, the summary and the step's failure from the returned result.
 */










/** How the runner got the token, for 401/403 messages (the value itself never appears). */
const CREDENTIAL = `token given to the action (\`token\` input or ${core_config/* ENV */.Km.token})`;

/** `python`, else `python3` (Debian and macOS runners without setup-python have only that), else null. */
function pythonCommand(which) {
    if (which('python'))
        return 'python';
    if (which('python3'))
        return 'python3';
    return null;
}
async function isEmpty(dir) {
    try {
        return (await (0,promises_.readdir)(dir)).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).length === 0;
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return true;
        throw err;
    }
}
async function publishMain(config, deps) {
    const log = deps.log;
    const tag = tagFromRef(config.ref);
    const failed = (message, plan, extra) => ({
        version: plan?.version ?? null,
        status: 'failed',
        url: null,
        summaryMarkdown: renderPublishSummary({
            plan,
            status: 'failed',
            url: null,
            message,
            strict: config.strict,
            ...(extra ? { extra } : {}),
        }),
        failed: true,
        failureMessage: message,
    });
    if (config.ref && !tag)
        log(`${config.ref} is not a tag: the version is not compared with a tag (publish runs on \`push: tags\`)`);
    if (config.build && (await isEmpty(config.packagesDir))) {
        if (!deps.exec)
            return failed('build: true needs a command runner, and none was given', null);
        const python = pythonCommand(deps.which ?? ((cmd) => (0,disk_lock_runner/* findOnPath */.aY)(cmd)));
        if (!python)
            return failed('build: true needs Python, and neither `python` nor `python3` is on PATH (add actions/setup-python before this step)', null);
        const args = ['-m', 'build', '--outdir', config.packagesDir, config.projectDir];
        log(`building: ${python} ${args.join(' ')}`);
        let code;
        try {
            code = await deps.exec(python, args, { cwd: config.projectDir });
        }
        catch (err) {
            // @actions/exec rejects on a non-zero exit (and when python cannot be started).
            return failed(`${python} -m build failed: ${err.message.split('\n')[0]}; is \`build\` installed (pip install build)?`, null);
        }
        if (code !== 0)
            return failed(`${python} -m build exited with ${code}; is \`build\` installed (pip install build)?`, null);
    }
    const client = new marketplace_client/* MarketplaceClient */.Bl(config.settings, { warn: (m) => log(`warning: ${m}`) });
    const plan = await preparePublishOnDisk({ projectDir: config.projectDir, distDir: config.packagesDir, tag, client });
    logPlan(plan, config.strict, log);
    const verdict = await completePublish(plan, {
        strict: config.strict,
        dryRun: config.dryRun,
        marketplaceUrl: config.settings.url,
        strictOption: '`strict: true`',
        authorize: () => authorize(config, plan, deps, client),
    });
    if (verdict.status !== 'failed')
        log(verdict.url ? `${verdict.message}: ${verdict.url}` : verdict.message);
    if (verdict.publisher !== null)
        log(`publisher: ${verdict.publisher}`);
    if (verdict.status === 'failed')
        return failed(verdict.message, plan, verdict.markdown ?? undefined);
    return {
        version: verdict.version,
        status: verdict.status,
        url: verdict.url,
        summaryMarkdown: renderPublishSummary({
            plan,
            status: verdict.status,
            url: verdict.url,
            message: verdict.message,
            strict: config.strict,
            ...(verdict.publisher !== null ? { publisher: verdict.publisher } : {}),
        }),
        failed: false,
        failureMessage: null,
    };
}
/** The token input, else trusted publishing (GitHub OIDC), else why neither is there. */
async function authorize(config, plan, deps, client) {
    if (config.settings.token)
        return { ok: true, sender: client, credential: CREDENTIAL };
    if (deps.oidc?.available) {
        const trusted = await (0,oidc.trustedPublishToken)(config.settings.url, plan.package, deps.oidc);
        if (!trusted.ok)
            return { ok: false, message: trusted.message, markdown: trusted.markdown };
        deps.log((0,oidc.trustedLine)(trusted.publisher, trusted.expiresAt));
        return {
            ok: true,
            sender: new marketplace_client/* MarketplaceClient */.Bl({ ...config.settings, token: trusted.token }, { warn: (m) => deps.log(`warning: ${m}`) }),
            credential: 'publish token from trusted publishing (OIDC exchange)',
        };
    }
    if (deps.oidc?.forkPullRequest)
        return { ok: false, message: (0,oidc.forkMessage)(deps.oidc.forkPullRequest) };
    return {
        ok: false,
        message: `publishing needs a token: set the \`token\` input to a secret holding a token of the plugin's owner (or ${core_config/* ENV */.Km.token}), or use trusted publishing: give the publish job \`permissions: id-token: write\` and register the workflow as the plugin's trusted publisher`,
    };
}
function logPlan(plan, strict, log) {
    log(`${plan.package ?? '(unnamed project)'} ${plan.version ?? ''}${plan.tag ? ` (tag ${plan.tag})` : ''}`);
    for (const f of plan.files)
        log(`  ${f.filename}  ${f.size} bytes  sha256:${f.sha256}`);
    if (plan.files.length === 0)
        log(`  no wheel or sdist in ${plan.distDir}`);
    for (const f of plan.findings) {
        log(`${f.severity}${isFailing(f, strict) ? '' : ' (not blocking)'} ${f.code}: ${f.message}`);
        log(`  fix: ${f.fix}`);
    }
}
const STATUS_LINE = {
    published: '✅ published',
    unchanged: '✅ unchanged (already published with identical files)',
    'dry-run': '🧪 dry run (nothing uploaded)',
    failed: '❌ failed',
};
// Names, messages and findings come from the project and the marketplace: escaped (markdown.ts).
const cell = markdown/* cell */.Hn;
const code = markdown/* code */.aY;
/** The job summary; also what test/e2e pastes into the closing note. */
function renderPublishSummary(args) {
    const { plan, status, url, message, strict } = args;
    const out = [];
    const title = plan?.package ? `${plan.package} ${plan.version ?? ''}`.trim() : 'plugin';
    out.push(`## fapilog plugins publish: ${(0,markdown/* text */.Qq)(title)}`, '');
    const link = url ? (0,markdown/* linkUrl */.YY)(url) : null;
    out.push(`**Status:** ${STATUS_LINE[status]}${link ? ` — [release](${link})` : url ? ` — ${code(url)}` : ''}`, '');
    out.push(cell(message), '');
    if (args.publisher)
        out.push(`**Publisher:** ${cell(args.publisher)}`, '');
    if (args.extra)
        out.push(args.extra.trimEnd(), '');
    if (plan) {
        const facts = [
            plan.pluginType ? `**Type:** ${cell(plan.pluginType)}` : null,
            plan.tag ? `**Tag:** ${code(plan.tag)}` : null,
            plan.metadata?.fapilog_compatibility ? `**fapilog:** ${code(plan.metadata.fapilog_compatibility)}` : null,
        ].filter((f) => f !== null);
        if (facts.length > 0)
            out.push(facts.join(' · '), '');
        out.push('### Files', '');
        if (plan.files.length === 0) {
            out.push(`No wheel or sdist in ${code(plan.distDir)}.`, '');
        }
        else {
            out.push('| File | Size | sha256 |', '|---|---:|---|');
            for (const f of plan.files)
                out.push(`| ${(0,markdown/* codeCell */.MZ)(f.filename)} | ${(0,size/* formatSize */.X)(f.size)} (${f.size} bytes) | ${(0,markdown/* codeCell */.MZ)(f.sha256)} |`);
            out.push('');
        }
        out.push('### Findings', '');
        if (plan.findings.length === 0) {
            out.push('No findings.', '');
        }
        else {
            out.push('| Severity | Code | Message | Fix |', '|---|---|---|---|');
            for (const f of plan.findings)
                out.push(findingRow(f, strict));
            out.push('');
        }
    }
    return `${out.join('\n').trimEnd()}\n`;
}
function findingRow(f, strict) {
    const severity = f.severity === 'error' ? '❌ error' : isFailing(f, strict) ? '❌ warning (strict)' : '⚠️ warning';
    return `| ${severity} | ${(0,markdown/* codeCell */.MZ)(f.code)} | ${cell(f.message)} | ${cell(f.fix)} |`;
}


/***/ }),

/***/ 7162:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ArtifactError: () => (/* binding */ ArtifactError),
  f0: () => (/* binding */ parseEntryPoints),
  $z: () => (/* binding */ readDist),
  M6: () => (/* binding */ readSdist),
  readWheel: () => (/* binding */ readWheel),
  Sc: () => (/* binding */ wheelRecordProblem)
});

// UNUSED EXPORTS: artifactKind

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/fflate/esm/index.mjs
var esm = __webpack_require__(1306);
// EXTERNAL MODULE: ./node_modules/tar/dist/esm/index.min.js
var index_min = __webpack_require__(8697);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/sha256.js
var sha256 = __webpack_require__(3148);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/record.js
/**
 * A wheel's RECORD against the archive's entries (the wheel spec, as pip checks at install): every
 * file listed once with a sha256-or-stronger hash and its size, nothing listed that is not there,
 * nothing there that is not listed (RECORD itself and its signatures excepted). The server refuses
 * a tampered wheel with this, and the client reports the same before uploading.
 */

const RECORD_HASHES = ['sha256', 'sha384', 'sha512'];
function entryDigest(data) {
    const digest = (alg) => (0,external_node_crypto_.createHash)(alg).update(data).digest('base64url');
    return { size: data.byteLength, digest: { sha256: digest('sha256'), sha384: digest('sha384'), sha512: digest('sha512') } };
}
/** One line of a RECORD (Python's csv dialect: fields may be quoted, `""` is a quote). */
function parseCsvLine(line) {
    const out = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted) {
            if (ch === '"' && line[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (ch === '"')
                quoted = false;
            else
                field += ch;
        }
        else if (ch === '"' && field === '')
            quoted = true;
        else if (ch === ',') {
            out.push(field);
            field = '';
        }
        else
            field += ch;
    }
    out.push(field);
    return out;
}
const show = (s) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);
/**
 * null when RECORD matches the entries, else why not (one sentence naming the file).
 * `entries`: every file entry of the archive (no directories); `recordName`: `x.dist-info/RECORD`,
 * or null when the archive has none.
 */
function recordProblem(recordText, recordName, entries) {
    if (recordText === null || recordName === null)
        return 'it has no .dist-info/RECORD';
    const distInfo = recordName.slice(0, recordName.lastIndexOf('/'));
    const unsigned = new Set([`${distInfo}/RECORD`, `${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
    const listed = new Set();
    for (const [i, line] of recordText.split(/\r?\n/).entries()) {
        if (line.trim() === '')
            continue;
        const [file = '', hash = '', size = ''] = parseCsvLine(line);
        const where = `RECORD line ${i + 1}`;
        if (file === '')
            return `${where} names no file`;
        if (listed.has(file))
            return `${where} lists ${show(file)} twice`;
        listed.add(file);
        if (unsigned.has(file))
            continue;
        const actual = entries.get(file);
        if (!actual)
            return `${where} lists ${show(file)}, which is not in the archive`;
        const eq = hash.indexOf('=');
        const alg = eq > 0 ? hash.slice(0, eq) : '';
        if (!RECORD_HASHES.includes(alg)) {
            return hash === ''
                ? `${where} gives no hash for ${show(file)}`
                : `${where} hashes ${show(file)} with ${show(alg)}, not sha256 or stronger`;
        }
        const want = hash.slice(eq + 1).replace(/=+$/, '');
        const have = actual.digest[alg];
        if (want !== have)
            return `RECORD says ${show(file)} has ${alg}=${show(want)}, the archive's has ${alg}=${have}`;
        if (size !== '' && Number(size) !== actual.size)
            return `RECORD says ${show(file)} is ${show(size)} bytes, the archive's is ${actual.size}`;
    }
    for (const name of entries.keys()) {
        if (!listed.has(name) && !unsigned.has(name))
            return `${show(name)} is in the archive but not in RECORD`;
    }
    return null;
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/publish/artifacts.js
/**
 * The built files in a dist directory and what is inside them: a wheel's
 * `*.dist-info/METADATA` and `entry_points.txt` (zip, read with fflate) and an sdist's top-level
 * `PKG-INFO` (tar.gz, read with tar). Only the members we need are decompressed.
 */





class ArtifactError extends Error {
    filename;
    constructor(filename, message) {
        super(`${filename}: ${message}`);
        this.name = 'ArtifactError';
        this.filename = filename;
    }
}
function artifactKind(filename) {
    if (filename.endsWith('.whl'))
        return 'wheel';
    if (filename.endsWith('.tar.gz'))
        return 'sdist';
    return null;
}
/**
 * Wheels and sdists among the dist directory's files, sorted by name (wheels first), with size
 * and sha256. Other files (build logs, `.gitignore`) are not published and are returned as `ignored`.
 */
async function readDist(dist) {
    const files = [];
    const ignored = [];
    for (const filename of (await dist.list()).map((e) => e.path).sort()) {
        const kind = artifactKind(filename);
        if (!kind) {
            ignored.push(filename);
            continue;
        }
        const data = await dist.read(filename);
        if (data === null)
            continue;
        files.push({ filename, kind, size: data.byteLength, sha256: (0,sha256/* sha256Hex */.f)(data), data });
    }
    files.sort((a, b) => (a.kind === b.kind ? a.filename.localeCompare(b.filename) : a.kind === 'wheel' ? -1 : 1));
    return { files, ignored };
}
/** Reads the wheel's dist-info; throws ArtifactError when it is not a wheel. */
function readWheel(filename, data) {
    const wanted = /^[^/]+\.dist-info\/(METADATA|entry_points\.txt)$/;
    let members;
    try {
        members = (0,esm/* unzipSync */.AO)(data, { filter: (f) => wanted.test(f.name) });
    }
    catch (err) {
        throw new ArtifactError(filename, `not a readable zip archive (${err.message})`);
    }
    const metadataName = Object.keys(members).find((n) => n.endsWith('/METADATA'));
    if (!metadataName)
        throw new ArtifactError(filename, 'no *.dist-info/METADATA inside');
    const distInfo = metadataName.slice(0, metadataName.indexOf('/'));
    const entryPoints = members[`${distInfo}/entry_points.txt`];
    return {
        distInfo,
        metadataText: (0,esm/* strFromU8 */.he)(members[metadataName]),
        entryPointsText: entryPoints ? (0,esm/* strFromU8 */.he)(entryPoints) : null,
    };
}
/** Why the wheel's RECORD does not match its entries, or null (src/core/publish/record.ts). */
function wheelRecordProblem(filename, data) {
    let members;
    try {
        members = (0,esm/* unzipSync */.AO)(data);
    }
    catch (err) {
        return `not a readable zip archive (${err.message})`;
    }
    const entries = new Map();
    for (const [name, bytes] of Object.entries(members))
        if (!name.endsWith('/'))
            entries.set(name, entryDigest(bytes));
    const recordName = Object.keys(members).find((n) => /^[^/]+\.dist-info\/RECORD$/.test(n)) ?? null;
    const problem = recordProblem(recordName === null ? null : (0,esm/* strFromU8 */.he)(members[recordName]), recordName, entries);
    return problem === null ? null : `${filename}: ${problem}`;
}
/** Reads the sdist's top-level `PKG-INFO`; throws ArtifactError when it is not a tar.gz sdist. */
async function readSdist(filename, data) {
    let tarData;
    try {
        tarData = (0,external_node_zlib_.gunzipSync)(data);
    }
    catch (err) {
        throw new ArtifactError(filename, `not a gzip archive (${err.message})`);
    }
    const found = await new Promise((resolve, reject) => {
        let result = null;
        const parser = new index_min/* Parser */.iX({
            strict: true,
            onReadEntry: (entry) => {
                const m = /^(?:\.\/)?([^/]+)\/PKG-INFO$/.exec(entry.path);
                if (!m || result) {
                    entry.resume();
                    return;
                }
                const chunks = [];
                entry.on('data', (c) => chunks.push(c));
                entry.on('end', () => {
                    result = { root: m[1], text: Buffer.concat(chunks).toString('utf8') };
                });
            },
        });
        parser.on('error', (err) => reject(new ArtifactError(filename, `not a readable tar archive (${err.message})`)));
        parser.on('end', () => resolve(result));
        parser.end(tarData);
    });
    if (!found)
        throw new ArtifactError(filename, 'no top-level PKG-INFO inside');
    return { root: found.root, pkgInfoText: found.text };
}
/** `entry_points.txt` is INI: `[group]` sections of `name = module:attr` lines. */
function parseEntryPoints(text) {
    const out = [];
    let group = null;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#') || line.startsWith(';'))
            continue;
        const section = /^\[(.+)\]$/.exec(line);
        if (section) {
            group = section[1].trim();
            continue;
        }
        const eq = line.indexOf('=');
        if (group === null || eq <= 0)
            continue;
        out.push({ group, name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
    }
    return out;
}


/***/ }),

/***/ 9098:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   QG: () => (/* binding */ parseHeaders),
/* harmony export */   Ug: () => (/* binding */ parseCoreMetadata),
/* harmony export */   pP: () => (/* binding */ parseRequirement),
/* harmony export */   pp: () => (/* binding */ isExtraOnly)
/* harmony export */ });
/* unused harmony exports ProjectUrl, CoreMetadata */
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7597);
/**
 * Core metadata (`METADATA` in a wheel, `PKG-INFO` in an sdist): RFC 822 style headers, then
 * the long description as the body (metadata 2.1+) or in a `Description` header whose
 * continuation lines start with 8 spaces and `|` (older writers).
 */

const ProjectUrl = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({ label: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), url: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP() });
const CoreMetadata = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    metadataVersion: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1, 'Metadata-Version is missing'),
    name: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1, 'Name is missing'),
    version: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1, 'Version is missing'),
    summary: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    author: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    authorEmail: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    homePage: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    license: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    licenseExpression: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    licenseFiles: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()),
    classifiers: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()),
    requiresPython: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    requiresDist: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()),
    projectUrls: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(ProjectUrl),
    descriptionContentType: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().nullable(),
    /** Fields marked `Dynamic` (metadata 2.2+, in an sdist's PKG-INFO), lowercase header names. */
    dynamic: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()),
    /** The long description (body or Description header), '' when there is none. */
    description: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
});
/** Header name (lowercase) -> values in order. */
function parseHeaders(text) {
    const headers = new Map();
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    let last = null;
    let i = 0;
    for (; i < lines.length; i += 1) {
        const line = lines[i];
        if (line === '') {
            i += 1;
            break;
        }
        if (/^[ \t]/.test(line) && last) {
            const values = headers.get(last.key);
            values[last.index] = `${values[last.index]}\n${line}`;
            continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0)
            continue; // not a header: ignore rather than guess
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).replace(/^[ \t]/, '');
        const values = headers.get(key) ?? [];
        values.push(value);
        headers.set(key, values);
        last = { key, index: values.length - 1 };
    }
    return { headers, body: lines.slice(i).join('\n') };
}
/** The `Description` header form: continuation lines are indented with 8 spaces and `|`. */
function unfoldDescription(value) {
    return value
        .split('\n')
        .map((line, idx) => (idx === 0 ? line : line.replace(/^ {7}\|/, '').replace(/^[ \t]+\|?/, '')))
        .join('\n');
}
function unfoldPlain(value) {
    return value
        .split('\n')
        .map((l) => l.trim())
        .join('\n')
        .trim();
}
function parseCoreMetadata(text) {
    const { headers, body } = parseHeaders(text);
    const one = (key) => {
        const v = headers.get(key)?.[0];
        return v === undefined ? null : unfoldPlain(v);
    };
    const all = (key) => (headers.get(key) ?? []).map(unfoldPlain).filter((v) => v !== '');
    const projectUrls = all('project-url').map((v) => {
        const comma = v.indexOf(',');
        return comma < 0 ? { label: '', url: v.trim() } : { label: v.slice(0, comma).trim(), url: v.slice(comma + 1).trim() };
    });
    const headerDescription = headers.get('description')?.[0];
    const description = body.trim() !== '' ? body : headerDescription !== undefined ? unfoldDescription(headerDescription) : '';
    return CoreMetadata.parse({
        metadataVersion: one('metadata-version') ?? '',
        name: one('name') ?? '',
        version: one('version') ?? '',
        summary: one('summary') ?? '',
        author: one('author'),
        authorEmail: one('author-email'),
        homePage: one('home-page'),
        license: headers.get('license')?.[0] !== undefined ? unfoldDescription(headers.get('license')?.[0]).trim() : null,
        licenseExpression: one('license-expression'),
        licenseFiles: all('license-file'),
        classifiers: all('classifier'),
        requiresPython: one('requires-python'),
        requiresDist: all('requires-dist'),
        projectUrls,
        descriptionContentType: one('description-content-type'),
        dynamic: all('dynamic').map((d) => d.toLowerCase()),
        description: description.replace(/\s+$/, '') + (description.trim() === '' ? '' : '\n'),
    });
}
const REQUIREMENT = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;
/** null when the text is not a requirement at all (no name). */
function parseRequirement(text) {
    const m = REQUIREMENT.exec(text);
    if (!m)
        return null;
    let rest = (m[3] ?? '').trim();
    let marker = null;
    const semi = rest.indexOf(';');
    if (semi >= 0) {
        marker = rest.slice(semi + 1).trim();
        rest = rest.slice(0, semi).trim();
    }
    let specifier;
    if (rest.startsWith('@'))
        specifier = null;
    else if (rest.startsWith('(') && rest.endsWith(')'))
        specifier = rest.slice(1, -1).trim();
    else
        specifier = rest;
    const extras = (m[2] ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
    return { name: m[1], extras, specifier, marker };
}
/** The marker's top-level `or` alternatives (parentheses and quoted strings are not split). */
function alternatives(marker) {
    const out = [];
    let depth = 0;
    let quote = null;
    let start = 0;
    for (let i = 0; i < marker.length; i++) {
        const ch = marker[i];
        if (quote) {
            if (ch === quote)
                quote = null;
        }
        else if (ch === '"' || ch === "'")
            quote = ch;
        else if (ch === '(')
            depth++;
        else if (ch === ')')
            depth--;
        else if (depth === 0 && /\s/.test(ch) && /^\s+or\s/.test(marker.slice(i))) {
            out.push(marker.slice(start, i));
            const skip = /^\s+or\s+/.exec(marker.slice(i))[0].length;
            start = i + skip;
            i = start - 1;
        }
    }
    out.push(marker.slice(start));
    return out;
}
/**
 * A requirement only pulled in by an extra (`; extra == "dev"`) is not a runtime requirement:
 * every `or` alternative of its marker needs an extra (`python_version < "3.10" or extra == "x"`
 * applies without one).
 */
function isExtraOnly(req) {
    return req.marker !== null && alternatives(req.marker).every((a) => /\bextra\s*==/.test(a));
}


/***/ }),

/***/ 3148:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/**
 * The one sha256 of file bytes: publishing prints and sends it, the server stores and checks it.
 * Ground floor (imports nothing of the project), so the server may import it as it imports the
 * PEP 440 room.
 */

/** Lowercase hex, the form the marketplace and pip's `--hash=sha256:` use. */
function sha256Hex(data) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
}


/***/ })

};
