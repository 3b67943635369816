/**
 * POST /api/v1/plugins/{name}/versions: multipart with a `metadata` JSON part (PublishMetadata)
 * and one part per file. Each file must be listed in the metadata with its sha256, be a wheel or
 * sdist of this package and version, and (for wheels) carry matching dist-info METADATA.
 */
import fs from 'node:fs';
import { PublishMetadata, type PublishResponse } from '../../src/core/marketplace/schemas.ts';
import { HttpError } from '../errors.ts';
import type { RequestContext, Router } from '../router.ts';
import type { PublishIdentity } from '../trusted.ts';
import { releaseView, TEMP_FILE_PREFIX } from '../store/index.ts';
import { deprecationView } from '../store/views.ts';
import { jsonMismatch, releaseDeclaration, type FileMetadata } from '../../src/core/publish/declared.ts';
import { inspectSdist, inspectWheel } from '../release-files.ts';
import { receiveUpload, type Upload } from '../upload.ts';
import { canonicalVersion, checkReleaseFilename, pluginPackage, printable, sameVersion, specifierProblem } from '../validation.ts';
import { zodMessage } from '../body.ts';
import { API } from './plugins.ts';

export interface PublishLimits {
  maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** The metadata part (readme included). */
export const MAX_METADATA_BYTES = 4 * 1024 * 1024;
/** Parts of one publish: the metadata and a handful of files. */
const MAX_PARTS = 32;

export function registerPublishRoutes(router: Router, limits: PublishLimits): void {
  router.add('POST', `${API}/plugins/{name}/versions`, async (ctx) => publish(ctx, limits));
}

async function publish(ctx: RequestContext, limits: PublishLimits) {
  const pkg = pluginPackage(ctx.params['name']!);
  const { owner, provenance } = await ctx.requirePublisher(pkg);
  // Refuse before reading a possibly large upload; the store checks again inside its transaction.
  const existing = await ctx.store.pluginRow(pkg);
  if (existing && existing.owner !== owner) throw new HttpError(403, 'forbidden', `${pkg} belongs to another owner`);
  if (existing && deprecationView(existing)?.state === 'archived') {
    throw new HttpError(409, 'archived', `${pkg} is archived: it takes no new releases (its owner can undo that: DELETE .../deprecation)`);
  }
  const contentType = ctx.req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'publish expects multipart/form-data with a metadata part and file parts');
  }
  const declaredLength = Number(ctx.req.headers['content-length'] ?? NaN);
  if (declaredLength > limits.maxUploadBytes)
    throw new HttpError(413, 'too_large', `the request body exceeds ${limits.maxUploadBytes} bytes`);
  // Streamed to disk under temporary names (beside the package directories, not into one: a refused
  // first publish must not leave files/<pkg>/ behind; or a private temp dir when files live in the
  // database); memory stays bounded whatever the upload's size, and the store takes accepted files
  // from there (leftovers go at restart).
  const upload = await receiveUpload(ctx.req, contentType, ctx.store.stagingDir(), TEMP_FILE_PREFIX, {
    maxBytes: limits.maxUploadBytes,
    maxFieldBytes: MAX_METADATA_BYTES,
    maxParts: MAX_PARTS,
  });
  try {
    return await publishUpload(ctx, { owner, provenance }, pkg, upload);
  } finally {
    upload.discard();
  }
}

async function publishUpload(ctx: RequestContext, { owner, provenance }: PublishIdentity, pkg: string, upload: Upload) {
  let metaText = upload.fields.get('metadata');
  const metaFile = upload.files.find((f) => f.field === 'metadata');
  if (metaText === undefined && metaFile) {
    if (metaFile.size > MAX_METADATA_BYTES)
      throw new HttpError(413, 'too_large', `the "metadata" part exceeds ${MAX_METADATA_BYTES} bytes`);
    metaText = fs.readFileSync(metaFile.path, 'utf8');
  }
  if (metaText === undefined) throw new HttpError(400, 'invalid_body', 'metadata: the multipart body has no metadata part');
  let metaJson: unknown;
  try {
    metaJson = JSON.parse(metaText);
  } catch {
    throw new HttpError(400, 'invalid_json', 'metadata: not valid JSON');
  }
  const parsed = PublishMetadata.safeParse(metaJson);
  if (!parsed.success) throw new HttpError(400, 'invalid_body', `metadata.${zodMessage(parsed.error)}`);
  const meta = parsed.data;

  if (pluginPackage(meta.name) !== pkg) {
    throw new HttpError(400, 'name_mismatch', `metadata.name ${printable(meta.name)} does not match the URL's ${pkg}`);
  }
  const version = canonicalVersion(meta.version);
  const compatProblem = meta.fapilog_compatibility === undefined ? null : specifierProblem(meta.fapilog_compatibility);
  if (compatProblem) throw new HttpError(400, 'invalid_body', `metadata.fapilog_compatibility: ${compatProblem}`);
  const pythonProblem = meta.requires_python === undefined || meta.requires_python === null ? null : specifierProblem(meta.requires_python);
  if (pythonProblem) throw new HttpError(400, 'invalid_body', `metadata.requires_python: ${pythonProblem}`);

  const declared = new Map<string, string>();
  for (const f of meta.files) {
    checkReleaseFilename(f.filename, pkg, version);
    if (declared.has(f.filename)) throw new HttpError(400, 'invalid_body', `metadata.files: ${printable(f.filename)} is listed twice`);
    declared.set(f.filename, f.sha256);
  }
  for (const [field] of upload.fields) {
    if (field !== 'metadata') throw new HttpError(400, 'invalid_body', `${printable(field)}: expected a file part`);
  }
  const files: Array<{ filename: string; sha256: string; stagedPath: string; size: number }> = [];
  const wheels: FileMetadata[] = [];
  const sdists: FileMetadata[] = [];
  for (const value of upload.files) {
    if (value.field === 'metadata') continue;
    const filename = value.filename;
    const kind = checkReleaseFilename(filename, pkg, version);
    const expected = declared.get(filename);
    if (expected === undefined) throw new HttpError(400, 'invalid_body', `${printable(filename)} is not listed in metadata.files`);
    if (files.some((f) => f.filename === filename)) throw new HttpError(400, 'invalid_body', `${printable(filename)} was sent twice`);
    if (value.sha256 !== expected) {
      throw new HttpError(400, 'checksum_mismatch', `${filename}: sha256 is ${value.sha256}, metadata says ${expected}`);
    }
    if (kind === 'wheel') {
      wheels.push({ filename, metadata: inspectWheel(value.path, filename, pkg, version).metadata });
    } else {
      const magic = readMagic(value.path);
      if (!(magic[0] === 0x1f && magic[1] === 0x8b) && !(magic[0] === 0x50 && magic[1] === 0x4b)) {
        throw new HttpError(400, 'invalid_file', `${filename} is not a gzip or zip archive`);
      }
      sdists.push({ filename, metadata: (await inspectSdist(value.path, filename, pkg, version)).metadata });
    }
    files.push({ filename, sha256: value.sha256, stagedPath: value.path, size: value.size });
  }
  const missing = [...declared.keys()].filter((n) => !files.some((f) => f.filename === n));
  if (missing.length > 0)
    throw new HttpError(400, 'invalid_body', `metadata.files lists ${missing.map(printable).join(', ')} but no such file part was sent`);
  const truth = releaseDeclaration(wheels, sdists);
  if (!truth.ok) throw new HttpError(400, truth.code, truth.message);
  const lie = jsonMismatch(truth, {
    ...(meta.fapilog_compatibility !== undefined ? { fapilog_compatibility: meta.fapilog_compatibility } : {}),
    ...(meta.requires_python !== undefined ? { requires_python: meta.requires_python } : {}),
    ...(meta.dependencies !== undefined ? { dependencies: meta.dependencies } : {}),
  });
  if (lie) throw new HttpError(400, 'metadata_mismatch', lie);
  // Cut off meanwhile (503 sent): the client was told it failed, so nothing is committed.
  if (ctx.signal.aborted) throw new HttpError(503, 'timeout', 'the request was cut off');

  const { status } = await ctx.store.publish(owner, {
    package: pkg,
    version,
    description: meta.description,
    author: meta.author,
    plugin_type: meta.plugin_type,
    license: meta.license,
    homepage: meta.homepage,
    repository: meta.repository,
    fapilog_compatibility: truth.value.fapilog_compatibility!,
    requires_python: truth.value.requires_python,
    dependencies: truth.value.dependencies,
    readme: meta.readme,
    files,
    provenance,
  });
  const record = (await ctx.store.record(pkg))!;
  const release = record.releases.find((r) => sameVersion(r.row.version, version))!;
  const body: PublishResponse = { ...releaseView(record, release, ctx.baseUrl), status };
  return { status: status === 'published' ? 201 : 200, json: body };
}

function readMagic(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    fs.readSync(fd, b, 0, 2, 0);
    return b;
  } finally {
    fs.closeSync(fd);
  }
}
