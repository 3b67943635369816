export const id = 956;
export const ids = [956];
export const modules = {

/***/ 6956:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $z: () => (/* binding */ readDist),
/* harmony export */   ArtifactError: () => (/* binding */ ArtifactError),
/* harmony export */   M6: () => (/* binding */ readSdist),
/* harmony export */   f0: () => (/* binding */ parseEntryPoints),
/* harmony export */   readWheel: () => (/* binding */ readWheel)
/* harmony export */ });
/* unused harmony export artifactKind */
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8522);
/* harmony import */ var fflate__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1306);
/* harmony import */ var tar__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8697);
/* harmony import */ var _sha256_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3148);
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
        files.push({ filename, kind, size: data.byteLength, sha256: (0,_sha256_js__WEBPACK_IMPORTED_MODULE_2__/* .sha256Hex */ .f)(data), data });
    }
    files.sort((a, b) => (a.kind === b.kind ? a.filename.localeCompare(b.filename) : a.kind === 'wheel' ? -1 : 1));
    return { files, ignored };
}
/** Reads the wheel's dist-info; throws ArtifactError when it is not a wheel. */
function readWheel(filename, data) {
    const wanted = /^[^/]+\.dist-info\/(METADATA|entry_points\.txt)$/;
    let members;
    try {
        members = (0,fflate__WEBPACK_IMPORTED_MODULE_3__/* .unzipSync */ .AO)(data, { filter: (f) => wanted.test(f.name) });
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
        metadataText: (0,fflate__WEBPACK_IMPORTED_MODULE_3__/* .strFromU8 */ .he)(members[metadataName]),
        entryPointsText: entryPoints ? (0,fflate__WEBPACK_IMPORTED_MODULE_3__/* .strFromU8 */ .he)(entryPoints) : null,
    };
}
/** Reads the sdist's top-level `PKG-INFO`; throws ArtifactError when it is not a tar.gz sdist. */
async function readSdist(filename, data) {
    let tarData;
    try {
        tarData = (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.gunzipSync)(data);
    }
    catch (err) {
        throw new ArtifactError(filename, `not a gzip archive (${err.message})`);
    }
    const found = await new Promise((resolve, reject) => {
        let result = null;
        const parser = new tar__WEBPACK_IMPORTED_MODULE_1__/* .Parser */ .iX({
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
