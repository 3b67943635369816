/** Helpers shared by the server tests: JSON fetches and multipart publishes against a real server. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sha256Hex } from '../../src/core/sha256.ts';
import type { NewRelease } from '../../server/store/index.ts';
import { buildWheel, coreMetadataText, type WheelSpec } from '../../server/wheel.ts';
import { SimpleProject, type PluginType, type PublishMetadataInput } from '../../src/core/marketplace/schemas.ts';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export interface WheelOptions {
  type?: PluginType;
  compat?: string;
  summary?: string;
  requiresPython?: string | null;
  dependencies?: string[];
}

export function wheelFor(name: string, version: string, opts: WheelOptions = {}) {
  return buildWheel(specFor(name, version, opts));
}

/** A real sdist (tar.gz with a top-level PKG-INFO, as hatchling writes it) of the same metadata. */
export function sdistFor(name: string, version: string, opts: WheelOptions & { padding?: Uint8Array } = {}, pkgInfo?: string) {
  const spec = specFor(name, version, opts);
  const root = `${spec.package.replace(/-/g, '_')}-${version}`;
  const files: Record<string, string | Uint8Array> = {
    [`${root}/PKG-INFO`]: pkgInfo ?? coreMetadataText(spec),
    [`${root}/pyproject.toml`]: `[project]\nname = "${spec.package}"\nversion = "${version}"\n`,
    ...(opts.padding ? { [`${root}/data.bin`]: opts.padding } : {}),
  };
  return { filename: `${root}.tar.gz`, data: new Uint8Array(gzipSync(tar(files))) };
}

/** A ustar archive of regular files. */
export function tar(files: Record<string, string | Uint8Array>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, 100);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('14500000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function specFor(name: string, version: string, opts: WheelOptions): WheelSpec {
  const pkg = name.startsWith('fapilog-') ? name : `fapilog-${name}`;
  return {
    package: pkg,
    shortName: pkg.slice('fapilog-'.length),
    version,
    summary: opts.summary ?? `Test plugin ${pkg}`,
    author: 'Test Author',
    license: 'MIT',
    homepage: null,
    pluginType: opts.type ?? 'sink',
    fapilogCompatibility: opts.compat ?? '>=0.14',
    requiresPython: opts.requiresPython === undefined ? '>=3.9' : opts.requiresPython,
    dependencies: opts.dependencies ?? [],
  };
}

export function metadataFor(
  name: string,
  version: string,
  files: Array<{ filename: string; data: Uint8Array }>,
  extra: Partial<PublishMetadataInput> = {},
): PublishMetadataInput {
  return {
    name,
    version,
    description: `Test plugin ${name}`,
    author: 'Test Author',
    plugin_type: 'sink',
    license: 'MIT',
    fapilog_compatibility: '>=0.14',
    requires_python: '>=3.9',
    files: files.map((f) => ({ filename: f.filename, sha256: sha256(f.data) })),
    ...extra,
  };
}

export async function publish(
  apiUrl: string,
  name: string,
  metadata: unknown,
  files: Array<{ filename: string; data: Uint8Array }>,
  token?: string,
): Promise<{ status: number; headers: Headers; body: any }> {
  const form = new FormData();
  form.set('metadata', JSON.stringify(metadata));
  for (const f of files) form.append('file', new Blob([f.data as Uint8Array<ArrayBuffer>]), f.filename);
  return getJson(`${apiUrl}/plugins/${encodeURIComponent(name)}/versions`, {
    method: 'POST',
    body: form,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/** A release for Store.publish with a real wheel; `overrides` changes only what a test is about. */
export function newRelease(name: string, version: string, overrides: Partial<NewRelease> = {}): NewRelease {
  const wheel = wheelFor(name, version);
  return {
    package: `fapilog-${name}`,
    version,
    description: name,
    author: 'Alice',
    plugin_type: 'sink',
    license: 'MIT',
    homepage: null,
    repository: null,
    fapilog_compatibility: '>=0.14',
    requires_python: null,
    dependencies: [],
    readme: '',
    files: [{ filename: wheel.filename, sha256: sha256Hex(wheel.data), data: wheel.data }],
    ...overrides,
  };
}

/** The file names `/fapilog/{fapilog}/simple/{pkg}/` lists (PEP 691 JSON). */
export async function fapilogIndexFiles(serverUrl: string, fapilog: string, pkg: string): Promise<string[]> {
  const r = await getJson(`${serverUrl}/fapilog/${fapilog}/simple/${pkg}/`, {
    headers: { Accept: 'application/vnd.pypi.simple.v1+json' },
  });
  return SimpleProject.parse(r.body).files.map((f) => f.filename);
}
