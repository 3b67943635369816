/**
 * The discovery commands through the cache and against failing marketplaces: conditional requests,
 * prefer-offline, offline, stale copies, rate limits, 500s, contract violations and the token.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { describe, test } from 'node:test';
import { Plugin } from '../../src/core/marketplace/schemas.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/server.ts';
import { samplePlugin, sampleRelease, sendJson, usePeers, useProxiedServer } from '../core/marketplace/peer.ts';
import { tempDir } from '../core/marketplace/settings.ts';

const live = useProxiedServer();
const peer = usePeers();

describe('the cache', () => {
  test('a repeated info makes conditional requests answered 304; --prefer-offline makes none', async () => {
    const cacheDir = tempDir();
    const args = ['info', 'loki', '--marketplace-url', live.proxy.apiUrl, '--cache-dir', cacheDir];
    const start = live.proxy.seen.length;
    const first = await runCli(args);
    assert.equal(first.code, 0, first.stderr);
    const firstRound = live.proxy.seen.slice(start);
    assert.deepEqual(firstRound.map((s) => [s.path, s.ifNoneMatch === undefined, s.status]).sort(), [
      ['/plugins/loki', true, 200],
      ['/plugins/loki/stats', true, 200],
      ['/plugins/loki/versions', true, 200],
    ]);

    const second = await runCli(args);
    assert.equal(second.stdout, first.stdout, 'the same output from revalidated data');
    const secondRound = live.proxy.seen.slice(start + 3);
    assert.equal(secondRound.length, 3, 'one request per endpoint');
    for (const s of secondRound) {
      assert.ok(s.ifNoneMatch, `${s.path} was conditional`);
      assert.equal(s.status, 304, s.path);
    }

    const third = await runCli([...args, '--prefer-offline']);
    assert.equal(third.code, 0);
    assert.equal(third.stdout, first.stdout);
    assert.equal(live.proxy.seen.length, start + 6, 'no request at all under --prefer-offline');
  });

  test('with the server stopped, info prints the cached data with a stale warning', async () => {
    const own = await startTestServer({ seed: true });
    const args = ['info', 'kafka', '--marketplace-url', own.apiUrl, '--cache-dir', tempDir(), '--retries', '1'];
    const fresh = await runCli(args);
    assert.equal(fresh.code, 0, fresh.stderr);
    await own.stop();

    const stale = await runCli(args);
    assert.equal(stale.code, 0, stale.stderr);
    assert.equal(stale.stdout, fresh.stdout, 'the cached data, printed as usual');
    assert.match(
      stale.stderr,
      /^warning: the marketplace could not be reached \(GET \/plugins\/kafka.*: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\); showing cached data from \d{4}-\d\d-\d\dT[\d:.]+Z, \d+ (second|minute)s? old \(stale\)\n$/,
    );

    const json = await runCli([...args, '--json']);
    assert.equal(json.code, 0);
    Plugin.parse((JSON.parse(json.stdout) as { plugin: unknown }).plugin);
    assert.match(json.stderr, /^warning: .*\(stale\)\n$/, 'under --json the warning goes to stderr');
  });

  test('--offline with an empty cache exits 2 with a clear message, and sends nothing', async () => {
    const start = live.proxy.seen.length;
    const r = await runCli(['info', 'loki', '--offline', '--marketplace-url', live.proxy.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: not in the cache \(offline mode\): \/plugins\/loki(\/versions)?\n$/);
    assert.equal(live.proxy.seen.length, start);
  });

  test('--offline after an online run works from the cache alone', async () => {
    const cacheDir = tempDir();
    const online = await runCli(['search', 'redact', '--marketplace-url', live.proxy.apiUrl, '--cache-dir', cacheDir]);
    const start = live.proxy.seen.length;
    const offline = await runCli(['search', 'redact', '--offline', '--marketplace-url', live.proxy.apiUrl, '--cache-dir', cacheDir]);
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(offline.stdout, online.stdout);
    assert.equal(live.proxy.seen.length, start);
  });

  test('--offline answers from what is cached per plugin when the set of plugins changed, and names what is missing', async () => {
    const cacheDir = tempDir();
    const project = tempDir();
    const pins = ['fapilog==0.16.0', 'fapilog-loki==1.4.0', 'fapilog-otel==1.1.0'];
    fs.writeFileSync(path.join(project, 'requirements.txt'), `${pins.join('\n')}\n`);
    const online = await runCli(['--json', 'outdated', project, '--marketplace-url', live.proxy.apiUrl, '--cache-dir', cacheDir]);
    const cached = Report.parse(JSON.parse(online.stdout));
    // Another plugin joins: the batch of three names was never asked, but two of them were.
    fs.writeFileSync(path.join(project, 'requirements.txt'), `${[...pins, 'fapilog-kafka==2.1.0'].join('\n')}\n`);
    const start = live.proxy.seen.length;
    const r = await runCli(['--json', 'outdated', project, '--offline', '--marketplace-url', live.proxy.apiUrl, '--cache-dir', cacheDir]);
    assert.equal(live.proxy.seen.length, start, 'nothing sent');
    const report = Report.parse(JSON.parse(r.stdout));
    const status = (rep: Report) => Object.fromEntries(rep.plugins.map((p) => [p.package, p.status]));
    assert.deepEqual(status(report), { ...status(cached), 'fapilog-kafka': 'unknown' });
    assert.equal(
      r.stderr,
      'warning: not in the cache (offline mode): fapilog-kafka; answered for the other 2 of 3 plugins from the cache (run once online to cache the rest)\n',
    );
  });

  test('--offline and --prefer-offline together are a usage error', async () => {
    const r = await runCli(['list', '--offline', '--prefer-offline', '--marketplace-url', live.proxy.apiUrl]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: --offline and --prefer-offline cannot be used together\n');
  });
});

describe('a misbehaving marketplace', () => {
  test('429 with Retry-After: 1 delays the retry by at least a second, then succeeds', async () => {
    const p = await peer((req, res, n) => {
      if (n === 1) return sendJson(res, 429, { error: { code: 'rate_limited', message: 'too many requests' } }, { 'Retry-After': '1' });
      if (req.path === '/plugins/loki') return sendJson(res, 200, samplePlugin());
      return sendJson(res, 200, { versions: ['1.2.0'], releases: [sampleRelease('1.2.0')] });
    });
    const r = await runCli(['info', 'loki', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^loki 1\.2\.0/);
    const limited = p.requests[0]!;
    const retry = p.requests.slice(1).find((q) => q.path === limited.path);
    assert.ok(retry, 'the refused request was sent again');
    const gap = retry.at - limited.at;
    assert.ok(gap >= 1000, `the retry came ${gap}ms after the 429`);
  });

  test('500 forever ends with a clear one-line error after the configured retries', async () => {
    const p = await peer((_req, res) => sendJson(res, 500, { error: { code: 'internal', message: 'database unavailable' } }));
    const r = await runCli(['list', '--retries', '2', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'error: GET /plugins?page=1&per_page=20: database unavailable (HTTP 500 internal) after 3 attempts\n');
    assert.equal(p.requests.length, 3, '1 attempt + 2 retries');
  });

  test('a payload with a wrong field type fails naming the field', async () => {
    const p = await peer((req, res) =>
      req.path === '/plugins/loki'
        ? sendJson(res, 200, samplePlugin({ rating: 'five stars' }))
        : sendJson(res, 200, { versions: [], releases: [] }),
    );
    const r = await runCli(['info', 'loki', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: GET /plugins/loki: response field "rating": expected number, received string\n');
  });

  test('errors are one line without a stack; --debug adds the stack and the HTTP exchange', async () => {
    const p = await peer((_req, res) => sendJson(res, 404, { error: { code: 'not_found', message: 'gone' } }));
    const plain = await runCli(['search', 'x', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(plain.code, 2);
    assert.equal(plain.stderr.trimEnd().split('\n').length, 1);
    const debug = await runCli(['search', 'x', '--debug', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /^debug: -> GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/plugins\/search\?q=x/m);
    assert.match(debug.stderr, /^debug: <- 404 GET \/plugins\/search/m);
    assert.match(debug.stderr, /\n {4}at /, 'a stack trace');
  });

  test('the token never appears in errors or debug output, from a flag or the environment', async () => {
    const TOKEN = 'fpt_cli-Secret_987654321';
    const p = await peer((req, res) =>
      sendJson(res, 401, { error: { code: 'unauthorized', message: `bad credentials: ${String(req.headers['authorization'])}` } }),
    );
    const viaFlag = await runCli(['list', '--debug', '--token', TOKEN, '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
    const viaEnv = await runCli(['info', 'loki', '--debug', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()], {
      env: { FAPILOG_MARKETPLACE_TOKEN: TOKEN },
    });
    assert.equal(p.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`, 'the token was sent');
    assert.equal(p.requests.at(-1)?.headers['authorization'], `Bearer ${TOKEN}`, 'the env token was sent');
    for (const r of [viaFlag, viaEnv]) {
      assert.equal(r.code, 2);
      assert.match(r.stderr, /bad credentials: Bearer \*\*\*/);
      assert.ok(!r.stderr.includes('Secret_987654321') && !r.stdout.includes('Secret_987654321'), r.stderr);
    }
  });
});
