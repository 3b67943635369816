/** The demo catalog parses, demonstrates every status for an app on fapilog 0.16.0, and seeds deterministic wheels. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { maxSatisfying, satisfies } from '@renovatebot/pep440';
import { strFromU8, unzipSync } from 'fflate';
import { readCatalog } from '../../server/seed.ts';
import { buildWheel } from '../../server/wheel.ts';
import { Plugin } from '../../src/core/marketplace/schemas.ts';
import { CATALOG_FILE, startTestServer } from '../helpers/server.ts';
import { getJson } from './util.ts';

const catalog = readCatalog(CATALOG_FILE);
const FAPILOG = '0.16.0';

function plugin(name: string) {
  const p = catalog.plugins.find((x) => x.name === name);
  assert.ok(p, name);
  return p;
}

function latestCompatible(name: string): string | null {
  const rs = plugin(name).releases.filter((r) => !r.yanked_reason && satisfies(FAPILOG, r.fapilog_compatibility));
  return maxSatisfying(
    rs.map((r) => r.version),
    '>=0',
  );
}

test('the catalog has a dozen plugins of all five types, the fapilog versions, and one yanked release', () => {
  assert.ok(catalog.plugins.length >= 12);
  assert.deepEqual(new Set(catalog.plugins.map((p) => p.plugin_type)), new Set(['sink', 'processor', 'enricher', 'redactor', 'filter']));
  for (const v of [
    '0.3.0',
    '0.5.0',
    '0.8.0',
    '0.10.0',
    '0.12.0',
    '0.14.0',
    '0.15.0',
    '0.16.0',
    '0.17.0',
    '0.18.0',
    '0.18.1',
    '0.19.0rc1',
  ]) {
    assert.ok(catalog.fapilog_versions.includes(v), v);
  }
  const yanked = catalog.plugins.flatMap((p) => p.releases.filter((r) => r.yanked_reason).map((r) => `${p.name} ${r.version}`));
  assert.deepEqual(yanked, ['sampling 1.2.0']);
  for (const p of catalog.plugins) assert.ok(p.releases.length >= 2, `${p.name} has several releases`);
});

test('the README table holds: each status is demonstrated for an app on fapilog 0.16.0', () => {
  const readme = fs.readFileSync(new URL('../../examples/catalog/README.md', import.meta.url), 'utf8');
  // up-to-date: pinned to the newest release, which supports 0.16.0
  assert.equal(latestCompatible('loki'), '1.4.0');
  assert.equal(plugin('loki').releases.at(-1)!.version, '1.4.0');
  // outdated: pinned release works, a newer one works too
  assert.ok(satisfies(FAPILOG, plugin('redact-pii').releases.find((r) => r.version === '1.0.0')!.fapilog_compatibility));
  assert.equal(latestCompatible('redact-pii'), '1.1.0');
  // incompatible: pinned release excludes 0.16.0, a newer one includes it
  assert.ok(!satisfies(FAPILOG, plugin('request-context').releases.find((r) => r.version === '0.4.0')!.fapilog_compatibility));
  assert.equal(latestCompatible('request-context'), '1.2.0');
  // held-back: newer releases all need >= 0.18
  assert.equal(latestCompatible('kafka'), '2.1.0');
  const kafka3 = plugin('kafka').releases.filter((r) => r.version.startsWith('3.'));
  assert.ok(kafka3.length > 0, 'kafka has 3.x releases');
  for (const r of kafka3) {
    assert.ok(!satisfies(FAPILOG, r.fapilog_compatibility) && satisfies('0.18.1', r.fapilog_compatibility), r.version);
  }
  // yanked: a pin-able yanked release with a compatible fix
  assert.ok(plugin('sampling').releases.find((r) => r.version === '1.2.0')!.yanked_reason);
  assert.equal(latestCompatible('sampling'), '1.2.1');
  for (const row of [
    '| up-to-date | loki',
    '| outdated | redact-pii',
    '| incompatible | request-context',
    '| held-back | kafka',
    '| yanked | sampling',
  ]) {
    assert.ok(readme.includes(row), row);
  }
});

test("the README table quotes examples/app's real requirements", () => {
  const readme = fs.readFileSync(new URL('../../examples/catalog/README.md', import.meta.url), 'utf8');
  const app = (file: string) => fs.readFileSync(new URL(`../../examples/app/${file}`, import.meta.url), 'utf8');
  assert.match(readme, /`examples\/app` pins `fapilog==0\.16\.0`/);
  assert.match(app('pyproject.toml'), /"fapilog==0\.16\.0"/);
  // | status | name (`package`) | `requirement` [with `--hash`] [(file) | (extra x) | (group x)] | why |
  const rows = [...readme.matchAll(/^\| [^|]+ \| [\w-]+ \(`(fapilog-[\w-]+)`\) \| `([^`]+)`([^|]*)\|/gm)];
  assert.ok(rows.length >= 10, `table rows found: ${rows.length}`);
  for (const [, pkg, req, rest] of rows) {
    const file = /\(([\w.-]+\.txt)\)/.exec(rest ?? '')?.[1] ?? 'pyproject.toml';
    assert.ok(app(file).includes(`${pkg}${req}`), `examples/app/${file} has ${pkg}${req}`);
  }
});

test('generated wheels are valid and byte-for-byte deterministic', () => {
  const spec = {
    package: 'fapilog-loki',
    shortName: 'loki',
    version: '1.4.0',
    summary: 'Loki sink',
    author: 'A',
    license: 'MIT',
    homepage: null,
    pluginType: 'sink' as const,
    fapilogCompatibility: '>=0.15,<0.20',
    requiresPython: '>=3.10',
    dependencies: ['httpx>=0.27'],
  };
  const a = buildWheel(spec);
  const b = buildWheel(spec);
  assert.equal(a.filename, 'fapilog_loki-1.4.0-py3-none-any.whl');
  assert.deepEqual(a.data, b.data);
  const entries = unzipSync(a.data);
  const info = 'fapilog_loki-1.4.0.dist-info';
  assert.deepEqual(
    Object.keys(entries).sort(),
    [`${info}/METADATA`, `${info}/RECORD`, `${info}/WHEEL`, `${info}/entry_points.txt`, 'fapilog_loki/__init__.py'].sort(),
  );
  const metadata = strFromU8(entries[`${info}/METADATA`]!);
  assert.match(metadata, /^Name: fapilog-loki$/m);
  assert.match(metadata, /^Requires-Dist: fapilog>=0.15,<0.20$/m);
  assert.match(metadata, /^Requires-Python: >=3.10$/m);
  assert.match(strFromU8(entries[`${info}/entry_points.txt`]!), /^\[fapilog\.sinks\]\nloki = fapilog_loki:LokiSink$/m);
  // RECORD hashes match the entries (pip checks them on install)
  for (const line of strFromU8(entries[`${info}/RECORD`]!).trim().split('\n')) {
    const [name = '', hash, size] = line.split(',');
    if (name === `${info}/RECORD`) continue;
    const data = entries[name]!;
    assert.equal(hash, `sha256=${createHash('sha256').update(data).digest('base64url')}`, name);
    assert.equal(Number(size), data.length, name);
  }
});

test('two seeded servers serve the same checksums', async () => {
  const [s1, s2] = await Promise.all([startTestServer({ seed: true }), startTestServer({ seed: true })]);
  try {
    for (const name of ['loki', 'kafka', 'sampling']) {
      const a = Plugin.parse((await getJson(`${s1.apiUrl}/plugins/${name}`)).body);
      const b = Plugin.parse((await getJson(`${s2.apiUrl}/plugins/${name}`)).body);
      assert.equal(a.checksum, b.checksum, name);
      assert.match(a.checksum ?? '', /^[0-9a-f]{64}$/);
    }
  } finally {
    await Promise.all([s1.stop(), s2.stop()]);
  }
});

test('seeding twice is idempotent', async () => {
  const { createMarketplace } = await import('../../server/index.ts');
  const s = await startTestServer({ seed: true });
  const before = (await getJson(`${s.apiUrl}/plugins/loki`)).body;
  await s.stop(); // removes its dir; re-create to reseed the same dir
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-reseed-'));
  try {
    for (let i = 0; i < 2; i++) {
      const m = await createMarketplace({ dataDir: dir, seedFile: CATALOG_FILE });
      const url = await m.listen(0, '127.0.0.1');
      const p = Plugin.parse((await getJson(`${url}/api/v1/plugins/loki`)).body);
      assert.equal(p.rating_count, 8, `run ${i}`);
      assert.equal(p.downloads, before.downloads, `run ${i}`);
      assert.equal(p.checksum, before.checksum);
      await m.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
