export const id = 162;
export const ids = [162];
export const modules = {

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


/***/ })

};
