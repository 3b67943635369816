export const id = 204;
export const ids = [204];
export const modules = {

/***/ 4204:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  IndexClient: () => (/* binding */ IndexClient)
});

// UNUSED EXPORTS: INDEX_CONCURRENCY, MAX_WHEEL_BYTES

// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/cache.js
var cache = __webpack_require__(1337);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/lru.js
var lru = __webpack_require__(5670);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/disk-cache.js
var disk_cache = __webpack_require__(7129);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/errors.js
var errors = __webpack_require__(7080);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/http.js
var http = __webpack_require__(4907);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/limiter.js
var limiter = __webpack_require__(5787);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/client.js
var client = __webpack_require__(3576);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/marketplace/schemas.js + 3 modules
var schemas = __webpack_require__(9823);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/names.js
var core_names = __webpack_require__(1975);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/pep440/index.js + 7 modules
var pep440 = __webpack_require__(6400);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/publish/metadata.js
var metadata = __webpack_require__(9098);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/sha256.js
var sha256 = __webpack_require__(3148);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/index/releases.js
/**
 * From an index's files and core metadata to the records the analysis reads (the marketplace
 * contract's Release and Plugin), pure. What an index does not know (ratings, downloads, the
 * plugin type) gets the contract's neutral value; `index` in the report says where it came from.
 */




/** Which release a distribution file belongs to: `(name)-(version)` of a wheel or an sdist. */
function fileVersion(filename, project) {
    const wanted = (0,core_names/* normalizeName */.Pc)(project);
    if (filename.endsWith('.whl')) {
        const parts = filename.slice(0, -4).split('-');
        if (parts.length < 5 || parts.length > 6)
            return null;
        return (0,core_names/* normalizeName */.Pc)(parts[0] ?? '') === wanted && (0,pep440/* isValid */.fn)(parts[1] ?? '') ? parts[1] : null;
    }
    const m = /^(.+)\.(tar\.gz|zip|tar\.bz2|tgz)$/.exec(filename);
    if (!m)
        return null;
    const stem = m[1];
    // Older sdists keep `-` in the name (`fapilog-loki-1.0.0`): the version is after the `-` where the name ends.
    for (let i = stem.indexOf('-'); i >= 0; i = stem.indexOf('-', i + 1)) {
        const version = stem.slice(i + 1);
        if ((0,core_names/* normalizeName */.Pc)(stem.slice(0, i)) === wanted && (0,pep440/* isValid */.fn)(version))
            return version;
    }
    return null;
}
/** Files grouped by release, PEP 440 ascending; files that name no release of this project are left out. */
function groupReleases(files, project) {
    const byVersion = new Map();
    for (const f of files) {
        const version = fileVersion(f.filename, project);
        if (version === null)
            continue;
        // `1.0` and `1.0.0` are one release: keyed by the first spelling seen.
        const key = [...byVersion.keys()].find((k) => (0,pep440/* compare */.UD)(k, version) === 0) ?? version;
        const group = byVersion.get(key) ?? { version: key, files: [] };
        group.files.push(f);
        byVersion.set(key, group);
    }
    return [...byVersion.values()]
        .sort((a, b) => (0,pep440/* compare */.UD)(a.version, b.version))
        .map((g) => ({
        ...g,
        yanked: g.files.every((f) => f.yanked !== false) ? (g.files.find((f) => f.yanked !== false)?.yanked ?? '') : false,
    }));
}
/**
 * The file whose metadata speaks for the release: a wheel with a metadata file, then any wheel
 * (its METADATA can be read from the archive), then an sdist with a metadata file.
 */
function metadataFile(release) {
    const wheels = release.files.filter((f) => f.filename.endsWith('.whl'));
    return (wheels.find((f) => f.coreMetadata) ??
        wheels.find((f) => f.yanked === false) ??
        wheels[0] ??
        release.files.find((f) => f.coreMetadata) ??
        null);
}
/** The `fapilog` requirement's specifier ('' when the plugin does not name fapilog: every version admitted). */
function fapilogCompatibility(meta) {
    for (const line of meta.requiresDist) {
        const req = (0,metadata/* parseRequirement */.pP)(line);
        if (req && (0,core_names/* normalizeName */.Pc)(req.name) === 'fapilog' && !(0,metadata/* isExtraOnly */.pp)(req))
            return req.specifier ?? '';
    }
    return '';
}
function runtimeDependencies(meta) {
    return meta.requiresDist.filter((line) => {
        const req = (0,metadata/* parseRequirement */.pP)(line);
        return req !== null && (0,core_names/* normalizeName */.Pc)(req.name) !== 'fapilog' && !(0,metadata/* isExtraOnly */.pp)(req);
    });
}
const EPOCH = '1970-01-01T00:00:00+00:00';
/** PEP 700 upload time as the contract's timestamp (explicit offset), else the epoch: the index did not say. */
function publishedAt(files) {
    const times = files.map((f) => f.uploadTime).filter((t) => t !== null && !Number.isNaN(Date.parse(t)));
    if (times.length === 0)
        return EPOCH;
    const first = times.map((t) => Date.parse(t)).sort((a, b) => a - b)[0];
    return new Date(first).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
function toRelease(project, release, meta) {
    const pkg = (0,core_names/* normalizeName */.Pc)(project);
    return {
        name: (0,core_names/* shortName */.EU)(pkg),
        package: pkg,
        version: release.version,
        fapilog_compatibility: meta ? fapilogCompatibility(meta) : '',
        requires_python: meta?.requiresPython ?? release.files.find((f) => f.requiresPython)?.requiresPython ?? null,
        dependencies: meta ? runtimeDependencies(meta) : [],
        yanked: release.yanked !== false,
        yanked_reason: release.yanked === false || release.yanked === '' ? null : release.yanked,
        published_at: publishedAt(release.files),
        readme: '',
        files: release.files.map((f) => ({ filename: f.filename, sha256: f.sha256 ?? '0'.repeat(64), size: f.size ?? 0, url: f.url })),
    };
}
/** The release a plugin record describes: the newest final one that is not yanked, else the newest. */
function describedRelease(releases) {
    const newest = (list) => list.reduce((best, r) => (best === null || (0,pep440/* compare */.UD)(r.version, best.version) > 0 ? r : best), null);
    return (newest(releases.filter((r) => !r.yanked && !(0,pep440/* isPrerelease */.V1)(r.version))) ?? newest(releases.filter((r) => !r.yanked)) ?? newest(releases));
}
/** A plugin type named in the metadata's keywords or classifiers (`fapilog sink`), else `sink`: the contract needs one. */
function pluginType(meta, keywords) {
    const words = `${keywords} ${meta?.classifiers.join(' ') ?? ''}`.toLowerCase();
    return schemas/* PLUGIN_TYPES */.Y7.find((t) => new RegExp(`\\b${t}s?\\b`).test(words)) ?? 'sink';
}
function repositoryUrl(meta) {
    const labelled = meta.projectUrls.find((u) => /^(source|source code|repository|code|github)$/i.test(u.label));
    return labelled?.url ?? null;
}
function toPlugin(release, meta, keywords = '') {
    const author = meta?.author ?? meta?.authorEmail?.replace(/\s*<[^>]*>\s*/g, '').trim() ?? '';
    return {
        name: release.name,
        package: release.package,
        version: release.version,
        description: meta?.summary ?? '',
        author: author || 'Unknown',
        plugin_type: pluginType(meta, keywords),
        downloads: 0,
        rating: 0,
        rating_count: 0,
        homepage: meta?.homePage ?? meta?.projectUrls.find((u) => /^(homepage|home|documentation)$/i.test(u.label))?.url ?? null,
        repository: meta ? repositoryUrl(meta) : null,
        license: meta?.licenseExpression ?? meta?.license?.split('\n')[0] ?? 'Unknown',
        fapilog_compatibility: release.fapilog_compatibility,
        dependencies: release.dependencies,
        published_at: release.published_at,
        checksum: release.files.find((f) => f.filename.endsWith('.whl'))?.sha256 ?? release.files[0]?.sha256 ?? null,
    };
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 9 modules
var classic_schemas = __webpack_require__(7597);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/index/simple.js
/**
 * The simple repository API of a Python package index, as one shape whichever form it came in:
 * PEP 691 JSON (asked for first) or PEP 503 HTML (a static directory, an older index). Core
 * metadata files (PEP 658, renamed by PEP 714) and yanks (PEP 592) are read from both forms.
 */


/** What the client asks for: JSON first, HTML as the fallback an index without PEP 691 serves. */
const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';
class SimpleParseError extends Error {
    name = 'SimpleParseError';
}
const Meta = classic_schemas/* object */.Ikc({ 'api-version': classic_schemas/* string */.YjP().regex(/^1\.\d+$/, 'a 1.x api-version') });
const Flag = classic_schemas/* union */.KCZ([classic_schemas/* boolean */.zMY(), classic_schemas/* object */.Ikc({ sha256: classic_schemas/* string */.YjP().optional() }).loose()]);
const JsonProject = classic_schemas/* object */.Ikc({
    meta: Meta,
    name: classic_schemas/* string */.YjP().min(1),
    files: classic_schemas/* array */.YOg(classic_schemas/* object */.Ikc({
        filename: classic_schemas/* string */.YjP().min(1),
        url: classic_schemas/* string */.YjP().min(1),
        hashes: classic_schemas/* record */.g1P(classic_schemas/* string */.YjP(), classic_schemas/* string */.YjP()),
        'requires-python': classic_schemas/* string */.YjP().nullable().optional(),
        yanked: classic_schemas/* union */.KCZ([classic_schemas/* boolean */.zMY(), classic_schemas/* string */.YjP()]).optional(),
        'core-metadata': Flag.optional(),
        'dist-info-metadata': Flag.optional(),
        'data-dist-info-metadata': Flag.optional(),
        size: classic_schemas/* number */.aig().int().nonnegative().optional(),
        'upload-time': classic_schemas/* string */.YjP().nullable().optional(),
    })
        .loose()),
});
const JsonRoot = classic_schemas/* object */.Ikc({ meta: Meta, projects: classic_schemas/* array */.YOg(classic_schemas/* object */.Ikc({ name: classic_schemas/* string */.YjP().min(1) }).loose()) });
/** Is this body the JSON form? The cache keeps bodies, not content types: JSON starts with `{`. */
function looksJson(body) {
    return /^\s*\{/.test(body);
}
function parseJson(body, schema, what) {
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        throw new SimpleParseError(`${what} is not valid JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
        throw new SimpleParseError(`${what}: ${(0,errors/* describeSchemaError */.LA)(parsed.error)}`);
    return parsed.data;
}
function withoutFragment(url) {
    const hash = url.indexOf('#');
    if (hash < 0)
        return { url, sha256: null };
    const m = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(url.slice(hash + 1));
    return { url: url.slice(0, hash), sha256: m?.[1]?.toLowerCase() ?? null };
}
function absolute(href, base, what) {
    try {
        const u = new URL(href, base);
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
            throw new Error('not http(s)');
        return u.toString();
    }
    catch {
        throw new SimpleParseError(`${what}: file URL ${JSON.stringify(href.slice(0, 100))} is not an http(s) URL`);
    }
}
/** A project page (`<index>/<project>/`), JSON or HTML; `pageUrl` resolves relative links. */
function parseProjectPage(body, pageUrl, project) {
    const what = `the index page of ${project}`;
    if (looksJson(body)) {
        const page = parseJson(body, JsonProject, what);
        return {
            name: page.name,
            files: page.files.map((f) => {
                const { url, sha256: fromFragment } = withoutFragment(absolute(f.url, pageUrl, what));
                const meta = f['core-metadata'] ?? f['dist-info-metadata'] ?? f['data-dist-info-metadata'] ?? false;
                const sha = f.hashes['sha256'];
                return {
                    filename: f.filename,
                    url,
                    sha256: sha && /^[0-9a-fA-F]{64}$/.test(sha) ? sha.toLowerCase() : fromFragment,
                    requiresPython: f['requires-python'] ?? null,
                    yanked: f.yanked === undefined || f.yanked === false ? false : f.yanked === true ? '' : f.yanked,
                    coreMetadata: meta !== false,
                    size: f.size ?? null,
                    uploadTime: f['upload-time'] ?? null,
                };
            }),
        };
    }
    return { name: project, files: simple_anchors(body).map((a) => fileFromAnchor(a, pageUrl, what)) };
}
/** The root page (`<index>/`): every project name the index holds. */
function parseProjectList(body) {
    if (looksJson(body))
        return parseJson(body, JsonRoot, 'the index root page').projects.map((p) => p.name);
    return simple_anchors(body)
        .map((a) => a.text.trim())
        .filter((t) => t.length > 0);
}
const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/a\s*>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
function simple_anchors(html) {
    const out = [];
    for (const m of html.matchAll(ANCHOR)) {
        const attrs = new Map();
        for (const a of (m[1] ?? '').matchAll(ATTRIBUTE)) {
            const value = a[2] ?? a[3] ?? a[4];
            attrs.set((a[1] ?? '').toLowerCase(), value === undefined ? null : unescapeHtml(value));
        }
        out.push({ attrs, text: unescapeHtml((m[2] ?? '').replace(/<[^>]*>/g, '')) });
    }
    return out;
}
function fileFromAnchor(a, pageUrl, what) {
    const href = a.attrs.get('href');
    if (!href)
        throw new SimpleParseError(`${what}: a link without href (${JSON.stringify(a.text.slice(0, 80))})`);
    const { url, sha256 } = withoutFragment(absolute(href, pageUrl, what));
    const filename = a.text.trim() || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    const yanked = a.attrs.has('data-yanked') ? (a.attrs.get('data-yanked') ?? '') : false;
    const meta = a.attrs.get('data-core-metadata') ?? a.attrs.get('data-dist-info-metadata');
    const metaGiven = a.attrs.has('data-core-metadata') || a.attrs.has('data-dist-info-metadata');
    return {
        filename,
        url,
        sha256,
        requiresPython: a.attrs.get('data-requires-python') ?? null,
        yanked,
        // PEP 714: the attribute's presence says the file exists, unless its value is "false".
        coreMetadata: metaGiven && meta !== 'false',
        size: null,
        uploadTime: null,
    };
}
function unescapeHtml(s) {
    return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (whole, e) => {
        const lower = e.toLowerCase();
        if (lower.startsWith('#x'))
            return safeChar(parseInt(lower.slice(2), 16), whole);
        if (lower.startsWith('#'))
            return safeChar(parseInt(lower.slice(1), 10), whole);
        return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? whole;
    });
}
function safeChar(code, fallback) {
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/core/index/client.js














/** A wheel read for its METADATA (no metadata file offered) is refused above this size. */
const MAX_WHEEL_BYTES = 32 * 1024 * 1024;
/** Requests in flight at once: a first run reads one metadata file per release. */
const INDEX_CONCURRENCY = 8;
const DEFAULT_TTL_MS = 10 * 60_000;
class IndexClient {
    kind = 'index';
    settings;
    /** True once any result came from a stale cache copy because the index could not be asked. */
    stale = false;
    /** Requests sent over the network (retries included), for diagnostics and tests. */
    requests = 0;
    #base;
    #http;
    #cache;
    #limiter;
    #ttlMs;
    #warn;
    #debug;
    #inflight;
    /** Per host: how the first request to it ended (its error when the host cannot be reached at all). */
    #contact = new Map();
    constructor(settings, opts = {}) {
        this.settings = settings;
        this.#base = settings.url.endsWith('/') ? settings.url : `${settings.url}/`;
        // user:password@ in the index URL (a private index) keeps its answers apart in the cache, as a token does.
        const credential = (0,errors/* splitCredentials */.JD)(this.#base).basic;
        this.#warn = (m) => opts.warn?.((0,errors/* stripCredentials */.PH)(m));
        this.#debug = (m) => opts.debug?.((0,errors/* stripCredentials */.PH)(m));
        this.#http = new http/* HttpTransport */.G5({
            timeoutMs: opts.timeoutMs,
            retries: opts.retries,
            backoffMs: opts.backoffMs,
            maxWaitMs: opts.maxWaitMs,
            debug: opts.debug ? this.#debug : undefined,
        });
        this.#cache =
            opts.cache ??
                (settings.cacheDir !== undefined
                    ? new disk_cache/* MetadataCache */.Me(settings.cacheDir, { token: credential, debug: opts.debug ? this.#debug : undefined })
                    : new cache/* MemoryMetadataCache */.$0({ token: credential }));
        this.#inflight = new lru/* LruMap */.A(opts.remember ?? 1000);
        this.#limiter = new limiter/* Limiter */.j(opts.concurrency ?? INDEX_CONCURRENCY);
        this.#ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
    }
    /** The index URL for reports (never its user:password@), and whether a stale copy stood in. */
    status() {
        return { url: withoutCredentials(this.#base), stale: this.stale, kind: 'index' };
    }
    // ---- what the check, update and install ask -------------------------------------------
    async batch(names) {
        const out = Object.create(null);
        await Promise.all([...new Set(names)].map(async (name) => {
            out[name] = (0,core_names/* isValidProjectName */.FE)(name) ? await this.#entry(name) : null;
        }));
        return out;
    }
    /** fapilog's own releases on the index (not yanked), PEP 440 ascending; [] when the index does not carry fapilog. */
    async fapilogVersions() {
        const page = await this.#page('fapilog');
        if (!page)
            return [];
        return groupReleases(page.files, 'fapilog')
            .filter((r) => r.yanked === false)
            .map((r) => r.version);
    }
    // ---- info, search, list -----------------------------------------------------------------
    async getPlugin(name) {
        return (await this.#entry((0,core_names/* packageName */.oZ)(name)))?.plugin ?? null;
    }
    async versions(name) {
        const entry = await this.#entry((0,core_names/* packageName */.oZ)(name));
        return entry ? { versions: entry.releases.map((r) => r.version), releases: entry.releases } : null;
    }
    async release(name, version) {
        const entry = await this.#entry((0,core_names/* packageName */.oZ)(name));
        return entry?.releases.find((r) => (0,pep440/* compare */.UD)(r.version, version) === 0) ?? null;
    }
    /**
     * The index's `fapilog-*` projects whose names hold every word of the query. The simple API
     * lists names only: matching is by name, and the page shown is described from each plugin's
     * newest release (one project page and one metadata file per plugin, both cached).
     */
    async search(query) {
        unsupported(query);
        const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const names = (await this.#pluginNames()).filter((n) => words.every((w) => n.includes(w)));
        return this.#pageOf(names, query);
    }
    async list(query = {}) {
        unsupported(query);
        return this.#pageOf(await this.#pluginNames(), query);
    }
    async #pageOf(names, query) {
        const page = query.page ?? 1;
        const perPage = Math.min(query.per_page ?? 20, schemas/* MAX_PER_PAGE */.Vg);
        let candidates = names;
        if (query.author) {
            const author = query.author.toLowerCase();
            const described = await Promise.all(names.map((n) => this.getPlugin(n)));
            candidates = names.filter((_, i) => described[i]?.author.toLowerCase().includes(author));
        }
        const slice = candidates.slice((page - 1) * perPage, page * perPage);
        const plugins = (await Promise.all(slice.map((n) => this.getPlugin(n)))).filter((p) => p !== null);
        return { plugins, total: candidates.length, page, per_page: perPage };
    }
    /**
     * Every `fapilog-*` name on the index, sorted. On PyPI the root page lists every project (tens of
     * megabytes): it is read once, and only the plugin names are kept in the cache, with the ETag
     * that later revalidates them.
     */
    async #pluginNames() {
        const served = await this.#get(this.#base, 'GET /', {
            accept: SIMPLE_ACCEPT,
            keep: (body) => JSON.stringify({
                meta: { 'api-version': '1.0' },
                projects: this.#parse('GET /', () => parseProjectList(body))
                    .filter(core_names/* isPluginPackage */.ks)
                    .map((name) => ({ name })),
            }),
        });
        if (served.status === 404)
            throw new errors/* MarketplaceError */.uf('http', 'GET /', `the index at ${withoutCredentials(this.#base)} has no project list (HTTP 404)`, {
                status: 404,
                code: 'http-404',
            });
        const names = this.#parse('GET /', () => parseProjectList(served.body));
        return [...new Set(names.filter(core_names/* isPluginPackage */.ks).map(core_names/* normalizeName */.Pc))].sort();
    }
    // ---- plumbing -------------------------------------------------------------------------
    #entry(name) {
        const project = (0,core_names/* normalizeName */.Pc)(name);
        return this.#once(`entry:${project}`, async () => {
            const page = await this.#page(project);
            if (!page)
                return null;
            const releases = groupReleases(page.files, project);
            if (releases.length === 0)
                return null;
            const read = await Promise.all(releases.map(async (r) => ({ r, meta: await this.#metadata(project, r) })));
            const records = read.map(({ r, meta }) => toRelease(project, r, meta?.meta ?? null));
            const described = describedRelease(records);
            const meta = read.find(({ r }) => (0,pep440/* compare */.UD)(r.version, described.version) === 0)?.meta ?? null;
            return { plugin: toPlugin(described, meta?.meta ?? null, meta?.keywords ?? ''), releases: records };
        });
    }
    async #page(project) {
        const url = `${this.#base}${encodeURIComponent(project)}/`;
        const endpoint = `GET /${project}/`;
        const served = await this.#get(url, endpoint, { accept: SIMPLE_ACCEPT });
        if (served.status === 404)
            return null;
        return this.#parse(endpoint, () => parseProjectPage(served.body, (0,errors/* splitCredentials */.JD)(url).url, project));
    }
    /** One release's core metadata: its metadata file, else the METADATA in its wheel; null when it has neither. */
    async #metadata(project, release) {
        const file = metadataFile(release);
        if (!file)
            return null;
        // The URL of the metadata file (PEP 658), also the cache key of METADATA read from the wheel.
        const url = `${withCredentialsOf(file.url, this.#base)}.metadata`;
        const endpoint = `GET ${pathOf(file.url)}.metadata`;
        let text = null;
        if (file.coreMetadata) {
            const served = await this.#get(url, endpoint, { accept: '*/*', immutable: true });
            if (served.status === 200)
                text = served.body;
        }
        text ??= await this.#wheelMetadata(file, url);
        if (text === null)
            return null;
        const parsed = this.#parse(endpoint, () => (0,metadata/* parseCoreMetadata */.Ug)(text));
        if ((0,core_names/* normalizeName */.Pc)(parsed.name) !== project) {
            throw new errors/* MarketplaceError */.uf('invalid-response', endpoint, `the metadata names ${JSON.stringify(parsed.name.slice(0, 80))}, not ${project}`);
        }
        return { meta: parsed, keywords: (0,metadata/* parseHeaders */.QG)(text).headers.get('keywords')?.join(' ') ?? '' };
    }
    /** METADATA from inside the wheel (a bounded download, checked against the index's sha256), kept in the cache under the metadata file's URL. */
    async #wheelMetadata(file, key) {
        if (!file.filename.endsWith('.whl'))
            return null;
        const endpoint = `GET ${pathOf(file.url)}`;
        const cached = await this.#cache.get(key);
        if (cached?.status === 200)
            return cached.body;
        if (this.settings.cacheMode === 'offline') {
            throw new errors/* MarketplaceError */.uf('offline-miss', endpoint, `not in the cache (offline mode): the metadata of ${file.filename}`, {
                code: 'offline-miss',
                bare: true,
            });
        }
        const res = await this.#send({
            method: 'GET',
            url: withCredentialsOf(file.url, this.#base),
            endpoint,
            binary: true,
            maxBytes: MAX_WHEEL_BYTES,
            headers: { Accept: '*/*' },
        });
        if (res.status !== 200 || !res.bytes)
            throw this.#httpError(endpoint, res);
        if (file.sha256 && (0,sha256/* sha256Hex */.f)(res.bytes) !== file.sha256) {
            throw new errors/* MarketplaceError */.uf('invalid-response', endpoint, `${file.filename} does not match the sha256 the index lists for it`);
        }
        const { readWheel, ArtifactError } = await Promise.all(/* import() */[__webpack_require__.e(828), __webpack_require__.e(162)]).then(__webpack_require__.bind(__webpack_require__, 7162));
        let text;
        try {
            text = readWheel(file.filename, res.bytes).metadataText;
        }
        catch (err) {
            if (err instanceof ArtifactError)
                throw new errors/* MarketplaceError */.uf('invalid-response', endpoint, err.message);
            throw err;
        }
        await this.#cache.put(key, { status: 200, etag: null, fetchedAt: Date.now(), body: text });
        return text;
    }
    #parse(endpoint, fn) {
        try {
            return fn();
        }
        catch (err) {
            if (err instanceof SimpleParseError)
                throw new errors/* MarketplaceError */.uf('invalid-response', endpoint, err.message);
            if (err instanceof Error && err.name === 'ZodError') {
                throw new errors/* MarketplaceError */.uf('invalid-response', endpoint, `the core metadata is not readable (${err.message.split('\n')[0]?.slice(0, 200)})`);
            }
            throw err;
        }
    }
    /** Within one command every key costs at most one successful lookup; a failure is forgotten. */
    #once(key, fn) {
        let pending = this.#inflight.get(key);
        if (!pending) {
            const started = fn();
            this.#inflight.set(key, started);
            started.catch(() => {
                if (this.#inflight.get(key) === started)
                    this.#inflight.delete(key);
            });
            pending = started;
        }
        return pending;
    }
    #get(url, endpoint, opts) {
        return this.#once(`get:${url}`, () => this.#serve(url, endpoint, opts));
    }
    async #serve(url, endpoint, opts) {
        const mode = this.settings.cacheMode;
        const entry = await this.#cache.get(url);
        const fromEntry = (e) => ({ status: e.status, body: e.body, source: 'cache' });
        // A published release's metadata never changes: a cached copy is the answer in every mode.
        if (entry && opts.immutable && entry.status === 200)
            return fromEntry(entry);
        if (mode === 'offline') {
            if (entry)
                return fromEntry(entry);
            throw new errors/* MarketplaceError */.uf('offline-miss', endpoint, `not in the cache (offline mode): ${endpoint.replace(/^GET /, '')} of the index ${withoutCredentials(this.#base)}`, {
                code: 'offline-miss',
                bare: true,
            });
        }
        if (mode === 'prefer-offline' && entry && Date.now() - entry.fetchedAt < this.#ttlMs)
            return fromEntry(entry);
        let res;
        try {
            const headers = { Accept: opts.accept, ...(entry?.etag ? { 'If-None-Match': entry.etag } : {}) };
            res = await this.#send({ method: 'GET', url, endpoint, headers });
        }
        catch (err) {
            if (entry && err instanceof errors/* MarketplaceError */.uf && err.unreachable)
                return this.#staleCopy(entry, err.message);
            throw err;
        }
        if (res.status === 304 && entry) {
            await this.#cache.put(url, { ...entry, fetchedAt: Date.now() });
            return fromEntry(entry);
        }
        if (res.status === 200 || res.status === 404) {
            const body = res.status === 200 && opts.keep ? opts.keep(res.body) : res.body;
            await this.#cache.put(url, { status: res.status, etag: res.headers.get('etag'), fetchedAt: Date.now(), body });
            return { status: res.status, body, source: 'network' };
        }
        const error = this.#httpError(endpoint, res);
        if (entry && error.unreachable)
            return this.#staleCopy(entry, error.message);
        throw error;
    }
    /**
     * The first request to a host goes alone; the rest wait for it. When it cannot reach the host at
     * all (no such name, connection refused) they fail at once with its error, instead of a dozen
     * lookups of a name that does not resolve queueing behind each other.
     */
    async #send(req) {
        const origin = originOf(req.url);
        const first = this.#contact.get(origin);
        if (first) {
            const failure = await first;
            if (failure)
                throw failure;
        }
        const attempt = this.#limiter.run(async () => {
            const res = await this.#http.send(req);
            this.requests += res.attempts;
            return res;
        });
        if (!first) {
            this.#contact.set(origin, attempt.then(() => null, (err) => (err instanceof errors/* MarketplaceError */.uf && err.final ? err : null)));
        }
        return attempt;
    }
    #staleCopy(entry, why) {
        if (!this.stale) {
            this.#warn(`the package index could not be reached (${why}); showing cached data from ${(0,client/* staleSince */._g)(entry.fetchedAt)} (stale)`);
        }
        this.stale = true;
        return { status: entry.status, body: entry.body, source: 'cache' };
    }
    #httpError(endpoint, res) {
        let message = `the package index answered HTTP ${res.status}`;
        if (res.attempts !== undefined && res.attempts > 1)
            message += ` after ${res.attempts} attempts`;
        return new errors/* MarketplaceError */.uf('http', endpoint, (0,errors/* redact */.E$)(message, undefined), { status: res.status, code: `http-${res.status}` });
    }
}
/** Marketplace-only query features, refused by name rather than silently ignored. */
function unsupported(query) {
    const refused = [];
    if (query.type)
        refused.push('--type');
    if (query.min_rating !== undefined)
        refused.push('--min-rating');
    if (query.sort && query.sort !== 'name')
        refused.push(`--sort ${query.sort}`);
    if (refused.length > 0) {
        throw new errors/* MarketplaceError */.uf('invalid-request', 'GET /', `${refused.join(', ')}: a package index knows no plugin types, ratings, downloads or update times (a marketplace does: --marketplace-url)`, {
            code: 'unsupported',
            bare: true,
        });
    }
}
function withoutCredentials(url) {
    return (0,errors/* splitCredentials */.JD)(url).url;
}
/** A file on the index's own host gets the index's user:password@ (a private index); other hosts never do. */
function withCredentialsOf(fileUrl, base) {
    try {
        const b = new URL(base);
        const f = new URL(fileUrl);
        if (!b.username || f.origin !== b.origin || f.username)
            return fileUrl;
        f.username = b.username;
        f.password = b.password;
        return f.toString();
    }
    catch {
        return fileUrl;
    }
}
function pathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return url;
    }
}
function originOf(url) {
    try {
        return new URL(url).origin;
    }
    catch {
        return url;
    }
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
