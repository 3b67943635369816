/**
 * A Python package index as the plugin source: `outdated examples/app` against a plain static
 * index (real wheels, PEP 658 metadata files, `python3 -m http.server`) and against our own
 * server's /simple/ (no metadata files there: METADATA read from the wheels) gives the same
 * statuses as against the reference marketplace; a host that does not resolve fails at once with
 * one line that names the source and how to choose another.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startStaticIndex, type StaticIndex } from '../helpers/static-index.ts';

const APP = path.resolve(import.meta.dirname, '../../examples/app');

function statuses(stdout: string): Record<string, string> {
  const report = Report.parse(JSON.parse(stdout));
  return Object.fromEntries(
    report.plugins.map((p) => [
      `${p.package} ${p.location.file}:${p.location.line}`,
      `${p.status} ${p.current} -> ${p.latestCompatible} (latest ${p.latest})`,
    ]),
  );
}

describe('outdated with --index-url', () => {
  let server: TestServer;
  let index: StaticIndex;
  const caches: string[] = [];
  const cache = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-index-cache-'));
    caches.push(dir);
    return dir;
  };
  let expected: Record<string, string>;

  before(async () => {
    [server, index] = await Promise.all([startTestServer({ seed: true }), startStaticIndex()]);
    const market = await runCli(['--json', 'outdated', APP, '--marketplace-url', server.apiUrl], {
      env: { FAPILOG_MARKETPLACE_CACHE: cache() },
    });
    assert.equal(market.code, 1, market.stderr);
    expected = statuses(market.stdout);
    assert.equal(Object.keys(expected).length, 11);
  });
  after(async () => {
    await Promise.all([server?.stop(), index?.stop()]);
    for (const dir of caches) rmSync(dir, { recursive: true, force: true });
  });

  test('a static index of real wheels with metadata files gives the marketplace statuses and names itself', async () => {
    const dir = cache();
    const json = await runCli(['--json', 'outdated', APP, '--index-url', index.url], { env: { FAPILOG_MARKETPLACE_CACHE: dir } });
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(statuses(json.stdout), expected);
    const report = Report.parse(JSON.parse(json.stdout));
    assert.deepEqual(report.marketplace, { url: index.url, stale: false, kind: 'index' });
    // fapilog itself is on this index: the held-back notes name the release that unlocks them, as the marketplace's do.
    const kafka = report.plugins.find((p) => p.package === 'fapilog-kafka');
    assert.match(kafka?.note ?? '', /needs fapilog 0\.18\.0 or newer/);

    const text = await runCli(['outdated', APP], { env: { FAPILOG_MARKETPLACE_CACHE: dir, FAPILOG_INDEX_URL: index.url } });
    assert.equal(text.code, 1);
    assert.equal(text.stdout.split('\n')[1], `package index ${index.url} (an index publishes no advisories or deprecations)`);
  });

  test('release metadata is fetched once; later runs revalidate the project pages only, and offline mode answers from the cache', async () => {
    const dir = cache();
    const first = await runCli(['--debug', 'outdated', APP, '--index-url', index.url], { env: { FAPILOG_MARKETPLACE_CACHE: dir } });
    const metadataRequests = (s: string) => s.split('\n').filter((l) => /^debug: -> GET .*\.metadata$/.test(l)).length;
    assert.ok(metadataRequests(first.stderr) > 11, first.stderr);
    const second = await runCli(['--debug', 'outdated', APP, '--index-url', index.url], { env: { FAPILOG_MARKETPLACE_CACHE: dir } });
    assert.equal(second.code, 1);
    assert.equal(metadataRequests(second.stderr), 0);
    assert.ok(second.stderr.includes('/simple/fapilog-loki/'));
    const offline = await runCli(['--json', '--offline', 'outdated', APP, '--index-url', index.url], {
      env: { FAPILOG_MARKETPLACE_CACHE: dir },
    });
    assert.equal(offline.code, 1, offline.stderr);
    assert.deepEqual(statuses(offline.stdout), expected);
  });

  test("our own server's /simple/ (PEP 691 JSON) gives the same statuses", async () => {
    const run = await runCli(['--json', 'outdated', APP, '--index-url', `${server.url}/simple/`], {
      env: { FAPILOG_MARKETPLACE_CACHE: cache() },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(statuses(run.stdout), expected);
  });

  test('an index without metadata files: METADATA is read from each wheel (checked against its sha256), once', async () => {
    const bare = await startStaticIndex({ metadataFiles: false });
    try {
      const dir = cache();
      const first = await runCli(['--json', '--debug', 'outdated', APP, '--index-url', bare.url], {
        env: { FAPILOG_MARKETPLACE_CACHE: dir },
      });
      assert.equal(first.code, 1, first.stderr);
      assert.deepEqual(statuses(first.stdout), expected);
      const wheelRequests = (s: string) => s.split('\n').filter((l) => /^debug: -> GET .*\.whl$/.test(l)).length;
      assert.ok(wheelRequests(first.stderr) > 11, first.stderr);
      assert.equal(first.stderr.split('\n').filter((l) => /\.metadata$/.test(l) && l.startsWith('debug: ->')).length, 0);
      const second = await runCli(['--json', '--debug', 'outdated', APP, '--index-url', bare.url], {
        env: { FAPILOG_MARKETPLACE_CACHE: dir },
      });
      assert.equal(wheelRequests(second.stderr), 0);
      assert.deepEqual(statuses(second.stdout), expected);
    } finally {
      await bare.stop();
    }
  });

  test('info, search and list read the index', async () => {
    const env = { FAPILOG_MARKETPLACE_CACHE: cache(), FAPILOG_INDEX_URL: index.url };
    const info = await runCli(['info', 'sampling'], { env });
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^sampling 1\.2\.1 {2}\(fapilog-sampling\)/);
    assert.match(info.stdout, /1\.2\.0\s+>=0\.12\s.*yanked: drops every event/);
    assert.doesNotMatch(info.stdout, /Rating|Downloads/);
    // A static index gives no upload times: unknown, never 1970-01-01.
    assert.match(info.stdout, /Published\s+unknown/);
    assert.doesNotMatch(info.stdout, /1970/);
    const search = await runCli(['--json', 'search', 'red'], { env });
    assert.equal(search.code, 0, search.stderr);
    assert.deepEqual(
      (JSON.parse(search.stdout) as { plugins: Array<{ package: string }> }).plugins.map((p) => p.package),
      ['fapilog-redact-pii'],
    );
    const list = await runCli(['--json', 'list', '--per-page', '3', '--page', '2'], { env });
    const page = JSON.parse(list.stdout) as { plugins: Array<{ package: string }>; total: number };
    assert.equal(page.total, 13);
    assert.deepEqual(
      page.plugins.map((p) => p.package),
      ['fapilog-field-mapper', 'fapilog-k8s-metadata', 'fapilog-kafka'],
    );
    const typed = await runCli(['list', '--type', 'sink'], { env });
    assert.equal(typed.code, 2);
    assert.match(typed.stderr, /--type: a package index knows no plugin types/);
  });

  test('a host that does not resolve: one attempt, exit 2, one line naming the source and how to choose another', async () => {
    const run = await runCli(['outdated', APP, '--index-url', 'http://fapilog-index.invalid/simple/', '--retries', '3'], {
      env: { FAPILOG_MARKETPLACE_CACHE: cache() },
    });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0] ?? '',
      /^error: the package index http:\/\/fapilog-index\.invalid\/simple\/ could not be reached: GET \/fapilog-[a-z-]+\/: cannot reach http:\/\/fapilog-index\.invalid \((ENOTFOUND|EAI_AGAIN)\); choose another source with --index-url URL \(a package index\) or --marketplace-url URL \(a marketplace\)/,
    );
    // Not retried: no "after N attempts".
    assert.doesNotMatch(lines[0] ?? '', /attempts/);
  });

  test('a marketplace on a port nothing listens on is not retried either', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const run = await runCli(['outdated', APP, '--marketplace-url', `http://127.0.0.1:${port}/api/v1`, '--retries', '3'], {
      env: { FAPILOG_MARKETPLACE_CACHE: cache() },
    });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^error: the marketplace http:\/\/127\.0\.0\.1:\d+\/api\/v1 could not be reached: .*\(ECONNREFUSED\); choose another source/,
    );
    assert.doesNotMatch(run.stderr, /attempts/);
  });
});
