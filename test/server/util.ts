/** Helpers shared by the server tests: JSON fetches and multipart publishes against a real server. */
import { createHash } from 'node:crypto';
import { sha256Hex } from '../../src/core/sha256.ts';
import type { NewRelease } from '../../server/store/index.ts';
import { buildWheel } from '../../server/wheel.ts';
import type { PluginType, PublishMetadataInput } from '../../src/core/marketplace/schemas.ts';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export function wheelFor(name: string, version: string, opts: { type?: PluginType; compat?: string; summary?: string } = {}) {
  const pkg = name.startsWith('fapilog-') ? name : `fapilog-${name}`;
  return buildWheel({
    package: pkg,
    shortName: pkg.slice('fapilog-'.length),
    version,
    summary: opts.summary ?? `Test plugin ${pkg}`,
    author: 'Test Author',
    license: 'MIT',
    homepage: null,
    pluginType: opts.type ?? 'sink',
    fapilogCompatibility: opts.compat ?? '>=0.14',
    requiresPython: '>=3.9',
    dependencies: [],
  });
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
