/**
 * The marketplace as a mirror of an upstream index: server B runs with `upstream` pointing at
 * server A's /simple/ and serves A's plugins beside its own, marked mirrored; a plugin B has
 * locally is never replaced by A's (the dependency-confusion guard, with its warning); pip
 * installs a local and a mirrored plugin through B; one broken upstream project does not stop the
 * others. Runs on both stores (npm run test:pg).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Plugin, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { HttpError } from '../../server/errors.ts';
import type { SyncReport } from '../../server/upstream.ts';
import { parseUpstream, UpstreamMirror } from '../../server/upstream.ts';
import { resolveUpstream } from '../../server/settings.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, newRelease } from './util.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PIP_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };

let a: TestServer;
let b: TestServer;
let tmp: string;
let first: SyncReport;
const bLog: string[] = [];

/** B's own catalog: a `loki` of its own (A has one too) and a plugin only B has. */
const LOCAL_CATALOG = {
  fapilog_versions: ['0.14.0', '0.16.0'],
  plugins: [
    {
      name: 'loki',
      description: 'Our own Loki sink',
      author: 'Platform team',
      owner: 'platform',
      plugin_type: 'sink',
      license: 'MIT',
      releases: [{ version: '9.0.0', fapilog_compatibility: '>=0.14', published_at: '2026-02-01T10:00:00+00:00' }],
    },
    {
      name: 'in-house',
      description: 'Only here',
      author: 'Platform team',
      owner: 'platform',
      plugin_type: 'enricher',
      license: 'MIT',
      releases: [{ version: '0.3.0', fapilog_compatibility: '>=0.14', published_at: '2026-02-01T10:00:00+00:00' }],
    },
  ],
};

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-upstream-'));
  a = await startTestServer({ seed: true });
  // One broken upstream project: A lists a sha256 its file does not have.
  await a.marketplace.store.db.run("UPDATE files SET sha256 = ? WHERE package = 'fapilog-dedupe'", 'f'.repeat(64));
  const catalog = path.join(tmp, 'local.json');
  fs.writeFileSync(catalog, JSON.stringify(LOCAL_CATALOG));
  b = await startTestServer({
    seed: catalog,
    log: (line) => bLog.push(line),
    upstream: { url: `${a.url}/simple/`, prefix: 'fapilog-', intervalMinutes: 0 },
  });
  // The first sync started with the server; this joins it.
  first = await b.marketplace.upstream!.sync();
});

after(async () => {
  await b?.stop();
  await a?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('B serves A’s plugins beside its own, marked mirrored, with A’s releases and files', async () => {
  assert.deepEqual(
    first.failed.map((f) => f.package),
    ['fapilog-dedupe'],
  );
  assert.match(first.failed[0]!.error, /sha256/);
  // 13 upstream projects: 11 mirrored, all but the local loki and the broken dedupe.
  assert.equal(first.projects, 13);
  assert.equal(first.leftOut, 0);
  assert.equal(first.added.length, 11);
  assert.ok(first.added.some((x) => x.package === 'fapilog-otel'));

  const list = (await getJson(`${b.apiUrl}/plugins?per_page=100&sort=name`)).body as { plugins: Plugin[] };
  const byName = new Map(list.plugins.map((p) => [p.package, p]));
  assert.equal(byName.get('fapilog-in-house')?.mirrored, false);
  assert.equal(byName.get('fapilog-otel')?.mirrored, true);
  assert.equal(byName.has('fapilog-dedupe'), false);

  const fromA = VersionsResponse.parse((await getJson(`${a.apiUrl}/plugins/otel/versions`)).body);
  const fromB = VersionsResponse.parse((await getJson(`${b.apiUrl}/plugins/otel/versions`)).body);
  assert.deepEqual(fromB.versions, fromA.versions);
  for (const [i, r] of fromB.releases.entries()) {
    const ra = fromA.releases[i]!;
    assert.equal(r.fapilog_compatibility, ra.fapilog_compatibility);
    assert.equal(r.requires_python, ra.requires_python);
    assert.equal(r.yanked, ra.yanked);
    assert.deepEqual(
      r.files.map((f) => [f.filename, f.sha256, f.size]),
      ra.files.map((f) => [f.filename, f.sha256, f.size]),
    );
    // B serves the bytes itself.
    assert.ok(r.files[0]!.url.startsWith(b.url), r.files[0]!.url);
  }
  const bytes = new Uint8Array(await (await fetch(fromB.releases[0]!.files[0]!.url)).arrayBuffer());
  const again = new Uint8Array(await (await fetch(fromA.releases[0]!.files[0]!.url)).arrayBuffer());
  assert.deepEqual(bytes, again);

  // A yank upstream and a new upstream release reach B on the next sync; nothing else is written.
  const otel = (await a.marketplace.store.record('fapilog-otel'))!;
  const yanked = otel.releases[0]!;
  await a.marketplace.store.yank(Number(yanked.row.id), 'broken on 3.13');
  await a.marketplace.store.publish(otel.row.owner, newRelease('otel', '9.9.0', { description: 'OpenTelemetry' }));
  const second = await b.marketplace.upstream!.sync();
  assert.deepEqual(second.added, [{ package: 'fapilog-otel', releases: 1 }]);
  assert.equal(second.yanks, 1);
  const after = VersionsResponse.parse((await getJson(`${b.apiUrl}/plugins/otel/versions`)).body);
  const mirroredYank = after.releases.find((r) => r.version === yanked.row.version)!;
  assert.equal(mirroredYank.yanked, true);
  assert.equal(mirroredYank.yanked_reason, 'broken on 3.13');
  assert.ok(after.versions.includes('9.9.0'));
  const third = await b.marketplace.upstream!.sync();
  assert.deepEqual([third.added, third.yanks], [[], 0]);
});

test('two syncs at once (two instances, or a server and `admin upstream sync`) store each release once', async () => {
  const otel = (await a.marketplace.store.record('fapilog-otel'))!;
  await a.marketplace.store.publish(otel.row.owner, newRelease('otel', '9.10.0', { description: 'OpenTelemetry' }));
  const other = new UpstreamMirror(b.marketplace.store, { url: `${a.url}/simple/`, prefix: 'fapilog-', intervalMinutes: 0 });
  const [one, two] = await Promise.all([b.marketplace.upstream!.sync(), other.sync()]);
  await other.close();
  // PostgreSQL: the advisory lock lets one run and the other skip; SQLite: both run, the store keeps one.
  const added = [one, two].flatMap((r) => r.added).reduce((n, x) => n + x.releases, 0);
  assert.equal(added, 1, JSON.stringify([one, two]));
  if (b.databaseUrl) assert.equal([one, two].filter((r) => r.busy).length, 1);
  const rows = await b.marketplace.store.db.all<{ n: number }>(
    "SELECT COUNT(*) AS n FROM releases r JOIN plugins p ON p.id = r.plugin_id WHERE p.package = 'fapilog-otel' AND r.version = '9.10.0'",
  );
  assert.equal(Number(rows[0]!.n), 1);
});

test('a plugin B has locally is never replaced by the upstream one: B’s wins and a warning says so', async () => {
  assert.deepEqual(first.shadowed, ['fapilog-loki']);
  const warning = bLog.find((l) => l.includes('fapilog-loki') && l.includes('upstream: warning:'));
  assert.ok(warning, bLog.join('\n'));
  assert.match(warning, /local plugin here; the upstream project of the same name .* is not mirrored \(the local one wins\)/);
  const loki = Plugin.parse((await getJson(`${b.apiUrl}/plugins/loki`)).body);
  assert.equal(loki.version, '9.0.0');
  assert.equal(loki.mirrored, false);
  const versions = VersionsResponse.parse((await getJson(`${b.apiUrl}/plugins/loki/versions`)).body);
  assert.deepEqual(versions.versions, ['9.0.0']);
  const page = await (await fetch(`${b.url}/simple/fapilog-loki/`)).text();
  assert.match(page, /fapilog_loki-9\.0\.0/);
  assert.doesNotMatch(page, /fapilog_loki-1\./);

  // Nor can a local publish mix its releases into a mirrored plugin.
  await assert.rejects(
    b.marketplace.store.publish('platform', newRelease('otel', '10.0.0')),
    (err: unknown) => err instanceof HttpError && err.status === 403 && /mirrored from the upstream index/.test(err.message),
  );
});

test('the web page and `info` show a mirrored plugin as mirrored', async () => {
  const html = await (await fetch(`${b.url}/plugins/otel`)).text();
  assert.match(html, /data-mirrored>mirrored</);
  assert.match(html, /mirrored from an upstream package index/);
  const local = await (await fetch(`${b.url}/plugins/in-house`)).text();
  assert.doesNotMatch(local, /data-mirrored/);
  // The lists say so too: search results and a fapilog release's plugins.
  const rowOf = (page: string, pkg: string, end: string) => {
    const at = page.indexOf(`>${pkg}</a>`);
    assert.ok(at > 0, `${pkg} is listed`);
    return page.slice(at, page.indexOf(end, at));
  };
  const search = await (await fetch(`${b.url}/?q=fapilog`)).text();
  assert.match(rowOf(search, 'fapilog-otel', '</li>'), /data-mirrored>mirrored</);
  assert.doesNotMatch(rowOf(search, 'fapilog-in-house', '</li>'), /data-mirrored/);
  const byFapilog = await (await fetch(`${b.url}/fapilog/0.16.0`)).text();
  assert.match(rowOf(byFapilog, 'fapilog-otel', '</tr>'), /data-mirrored>mirrored</);
  assert.doesNotMatch(rowOf(byFapilog, 'fapilog-in-house', '</tr>'), /data-mirrored/);
  const info = await runCli(['info', 'otel', '--marketplace-url', b.apiUrl]);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /Source\s+mirrored from an upstream package index/);
});

test('`admin upstream sync` runs a sync and prints the guard warning', async () => {
  const where = b.databaseUrl ? ['--database-url', b.databaseUrl] : ['--data-dir', b.dataDir];
  const res = await runCli(['admin', 'upstream', 'sync', '--upstream', `${a.url}/simple/`, ...where]);
  // dedupe still fails upstream: exit 1, the others are fine.
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /warning: fapilog-loki is a local plugin here; .* \(the local one wins\)/);
  assert.match(res.stderr, /warning: fapilog-dedupe was not synced: .*sha256/);
  assert.match(
    res.stdout,
    /synced http:\/\/127\.0\.0\.1:\d+\/simple\/: 13 projects, 0 new releases, 0 yank changes, 1 left to local plugins, 1 failed/,
  );
  const none = await runCli(['admin', 'upstream', 'sync', ...where]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no upstream: give --upstream URL \(or set FAPILOG_MARKETPLACE_UPSTREAM_URL\)/);
});

test('pip installs a local and a mirrored plugin through B’s simple index', async () => {
  // A venv of Debian's python3 (its pip bundled by python3-venv), asking B's index only.
  const venv = path.join(tmp, 'venv');
  await run(PYTHON, ['-m', 'venv', venv], { timeout: 120_000 });
  const python = path.join(venv, 'bin', 'python');
  await run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--no-deps',
      '--no-cache-dir',
      '--index-url',
      `${b.url}/simple/`,
      'fapilog-in-house',
      'fapilog-kafka',
      'fapilog-loki',
    ],
    { env: PIP_ENV, timeout: 120_000 },
  );
  const { stdout } = await run(python, ['-m', 'pip', 'list', '--format=json'], { env: PIP_ENV });
  const installed = Object.fromEntries(
    (JSON.parse(stdout) as Array<{ name: string; version: string }>)
      .filter((p) => p.name.startsWith('fapilog'))
      .map((p) => [p.name, p.version]),
  );
  const kafka = Plugin.parse((await getJson(`${b.apiUrl}/plugins/kafka`)).body).version;
  assert.deepEqual(installed, { 'fapilog-in-house': '0.3.0', 'fapilog-kafka': kafka, 'fapilog-loki': '9.0.0' });
});

test('upstream settings: flags over env, a prefix outside fapilog- refused, bad numbers named', () => {
  assert.deepEqual(parseUpstream('https://pypi.org/simple/', 'Fapilog_Acme-'), {
    url: 'https://pypi.org/simple/',
    prefix: 'fapilog-acme-',
  });
  assert.throws(() => parseUpstream('https://pypi.org/simple/', 'acme-'), /--upstream-prefix must start with fapilog-/);
  assert.throws(() => parseUpstream('ftp://x/'), /--upstream must be an http\(s\) URL/);
  const env = { FAPILOG_MARKETPLACE_UPSTREAM_URL: 'https://env.example/simple/', FAPILOG_MARKETPLACE_UPSTREAM_INTERVAL: '15' };
  assert.deepEqual(resolveUpstream({}, env), { url: 'https://env.example/simple/', prefix: 'fapilog-', intervalMinutes: 15 });
  assert.equal(resolveUpstream({ upstream: 'https://flag.example/simple/' }, env)?.url, 'https://flag.example/simple/');
  assert.equal(resolveUpstream({}, {}), undefined);
  assert.throws(
    () => resolveUpstream({}, { ...env, FAPILOG_MARKETPLACE_UPSTREAM_INTERVAL: 'soon' }),
    /FAPILOG_MARKETPLACE_UPSTREAM_INTERVAL must be an integer/,
  );
});
