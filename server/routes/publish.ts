/**
 * POST /api/v1/plugins/{name}/versions: multipart with a `metadata` JSON part (PublishMetadata)
 * and one part per file. Each file must be listed in the metadata with its sha256, be a wheel or
 * sdist of this package and version, and (for wheels) carry matching dist-info METADATA.
 */
import { equal as eq } from '../../src/core/pep440/index.ts';
import { unzipSync } from 'fflate';
import { PublishMetadata, type PublishResponse } from '../../src/core/marketplace/schemas.ts';
import { normalizeName } from '../../src/core/names.ts';
import { HttpError } from '../errors.ts';
import type { RequestContext, Router } from '../router.ts';
import { releaseView, sha256Hex } from '../store.ts';
import { canonicalVersion, checkReleaseFilename, isValidSpecifier, pluginPackage, printable } from '../validation.ts';
import { zodMessage } from '../body.ts';
import { API } from './plugins.ts';


export interface PublishLimits {
  maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export function registerPublishRoutes(router: Router, limits: PublishLimits): void {
  router.add('POST', `${API}/plugins/{name}/versions`, async (ctx) => publish(ctx, limits));
}

async function publish(ctx: RequestContext, limits: PublishLimits) {
  const pkg = pluginPackage(ctx.params['name']!);
  const { owner, provenance } = ctx.requirePublisher(pkg);
  // Refuse before reading a possibly large upload; the store checks again inside its transaction.
  const existing = ctx.store.pluginRow(pkg);
  if (existing && existing.owner !== owner) throw new HttpError(403, 'forbidden', `${pkg} belongs to another owner`);
  const contentType = ctx.req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'publish expects multipart/form-data with a metadata part and file parts');
  }
  const raw = await ctx.body(limits.maxUploadBytes);
  let form: FormData;
  try {
    form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
  } catch {
    throw new HttpError(400, 'invalid_multipart', 'the request body is not valid multipart/form-data');
  }

  const metaPart = form.get('metadata');
  if (metaPart === null) throw new HttpError(400, 'invalid_body', 'metadata: the multipart body has no metadata part');
  let metaJson: unknown;
  try {
    metaJson = JSON.parse(typeof metaPart === 'string' ? metaPart : await metaPart.text());
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
  if (!isValidSpecifier(meta.fapilog_compatibility)) {
    throw new HttpError(400, 'invalid_body', `metadata.fapilog_compatibility: not a PEP 440 specifier: ${printable(meta.fapilog_compatibility)}`);
  }
  if (meta.requires_python !== null && !isValidSpecifier(meta.requires_python)) {
    throw new HttpError(400, 'invalid_body', `metadata.requires_python: not a PEP 440 specifier: ${printable(meta.requires_python)}`);
  }

  const declared = new Map<string, string>();
  for (const f of meta.files) {
    checkReleaseFilename(f.filename, pkg, version);
    if (declared.has(f.filename)) throw new HttpError(400, 'invalid_body', `metadata.files: ${printable(f.filename)} is listed twice`);
    declared.set(f.filename, f.sha256);
  }
  const files: Array<{ filename: string; sha256: string; data: Uint8Array }> = [];
  for (const [field, value] of form.entries()) {
    if (field === 'metadata') continue;
    if (typeof value === 'string') throw new HttpError(400, 'invalid_body', `${printable(field)}: expected a file part`);
    const filename = value.name;
    const kind = checkReleaseFilename(filename, pkg, version);
    const expected = declared.get(filename);
    if (expected === undefined) throw new HttpError(400, 'invalid_body', `${printable(filename)} is not listed in metadata.files`);
    if (files.some((f) => f.filename === filename)) throw new HttpError(400, 'invalid_body', `${printable(filename)} was sent twice`);
    const data = new Uint8Array(await value.arrayBuffer());
    const sha256 = sha256Hex(data);
    if (sha256 !== expected) {
      throw new HttpError(400, 'checksum_mismatch', `${filename}: sha256 is ${sha256}, metadata says ${expected}`);
    }
    if (kind === 'wheel') checkWheel(data, filename, pkg, version);
    else if (!(data[0] === 0x1f && data[1] === 0x8b) && !(data[0] === 0x50 && data[1] === 0x4b)) {
      throw new HttpError(400, 'invalid_file', `${filename} is not a gzip or zip archive`);
    }
    files.push({ filename, sha256, data });
  }
  const missing = [...declared.keys()].filter((n) => !files.some((f) => f.filename === n));
  if (missing.length > 0) throw new HttpError(400, 'invalid_body', `metadata.files lists ${missing.map(printable).join(', ')} but no such file part was sent`);

  const { status } = ctx.store.publish(owner, {
    package: pkg,
    version,
    description: meta.description,
    author: meta.author,
    plugin_type: meta.plugin_type,
    license: meta.license,
    homepage: meta.homepage,
    repository: meta.repository,
    fapilog_compatibility: meta.fapilog_compatibility,
    requires_python: meta.requires_python,
    dependencies: meta.dependencies,
    readme: meta.readme,
    files,
    provenance,
  });
  const record = ctx.store.record(pkg)!;
  const release = record.releases.find((r) => eq(r.row.version, version))!;
  const body: PublishResponse = { ...releaseView(record, release, ctx.baseUrl), status };
  return { status: status === 'published' ? 201 : 200, json: body };
}

/** A wheel is a zip whose `*.dist-info/METADATA` names this package and version. */
function checkWheel(data: Uint8Array, filename: string, pkg: string, version: string): void {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(data, { filter: (f) => /^[^/]+\.dist-info\/METADATA$/.test(f.name) });
  } catch {
    throw new HttpError(400, 'invalid_file', `${filename} is not a valid zip archive`);
  }
  const metadata = Object.values(entries)[0];
  if (!metadata) throw new HttpError(400, 'invalid_file', `${filename} has no .dist-info/METADATA`);
  const text = new TextDecoder().decode(metadata);
  const name = /^Name:\s*(.+?)\s*$/m.exec(text)?.[1];
  const ver = /^Version:\s*(.+?)\s*$/m.exec(text)?.[1];
  if (!name || normalizeName(name) !== pkg || !ver || !eq(ver, version)) {
    throw new HttpError(400, 'invalid_file', `${filename}: its METADATA says ${name ?? '?'} ${ver ?? '?'}, expected ${pkg} ${version}`);
  }
}
