/**
 * Operations on both stores: GET /healthz, /readyz and /metrics (Prometheus text), the JSON access
 * log, and `admin migrate`'s refusal of a schema newer than the code. On PostgreSQL, /readyz turns
 * 503 while the database is down and 200 again once it is back, without a restart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace } from '../../server/index.ts';
import { LATEST_VERSION, openStore } from '../../server/store/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startCluster, testStore } from '../helpers/postgres.ts';
import { getJson, metadataFor, publish, wheelFor } from './util.ts';

describe('health, readiness, metrics and the JSON access log', () => {
  let server: TestServer;
  const lines: string[] = [];
  before(async () => {
    server = await startTestServer({ seed: true, log: (l) => lines.push(l), logFormat: 'json' });
  });
  after(() => server.stop());

  test('/healthz and /readyz answer 200, are not rate limited and not cached', async () => {
    const h = await getJson(`${server.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { status: 'ok' });
    assert.equal(h.headers.get('x-ratelimit-limit'), null, 'health checks do not spend a client budget');
    const r = await getJson(`${server.url}/readyz`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ready', store: testStore() });
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal((await fetch(`${server.url}/readyz`, { method: 'POST' })).status, 405);
  });

  test('/metrics counts requests by route and status, latency, publishes, downloads and cache hits', async () => {
    const token = await server.createToken('metrics');
    const wheel = wheelFor('measured', '1.0.0');
    assert.equal((await publish(server.apiUrl, 'measured', metadataFor('measured', '1.0.0', [wheel]), [wheel], token)).status, 201);
    assert.equal((await getJson(`${server.apiUrl}/plugins/measured/versions/1.0.0/download`)).status, 200);
    await getJson(`${server.apiUrl}/plugins/loki`);
    await getJson(`${server.apiUrl}/plugins/loki`);
    await getJson(`${server.apiUrl}/plugins/no-such-plugin`);
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    assert.ok(value(/^fapilog_http_requests_total\{method="GET",route="\/api\/v1\/plugins\/\{name\}",status="200"\} (\d+)$/m) >= 2, text);
    assert.equal(value(/^fapilog_http_requests_total\{method="GET",route="\/api\/v1\/plugins\/\{name\}",status="404"\} (\d+)$/m), 1);
    assert.equal(
      value(/^fapilog_http_requests_total\{method="POST",route="\/api\/v1\/plugins\/\{name\}\/versions",status="201"\} (\d+)$/m),
      1,
    );
    assert.ok(value(/^fapilog_http_request_duration_seconds_count\{route="\/api\/v1\/plugins\/\{name\}"\} (\d+)$/m) >= 3);
    assert.match(text, /^fapilog_http_request_duration_seconds_bucket\{route="\/api\/v1\/plugins\/\{name\}",le="\+Inf"\} \d+$/m);
    assert.equal(value(/^fapilog_publishes_total (\d+)$/m), 1);
    assert.equal(value(/^fapilog_downloads_total (\d+)$/m), 1);
    assert.ok(value(/^fapilog_response_cache_hits_total (\d+)$/m) >= 1, 'the second GET of loki came from the cache');
    assert.equal(value(/^fapilog_rate_limited_total (\d+)$/m), 0);
    // Raw paths never become labels (unbounded cardinality): only route templates.
    assert.doesNotMatch(text, /no-such-plugin/);
  });

  test('the JSON access log: one object per request, no token, no query string', async () => {
    await getJson(`${server.apiUrl}/plugins/search?q=secret-query`, { headers: { Authorization: 'Bearer fpm_not_logged' } });
    const entries = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const search = entries.find((e) => e['path'] === '/api/v1/plugins/search');
    assert.ok(search, lines.join('\n'));
    assert.equal(search['route'], '/api/v1/plugins/search');
    assert.equal(search['status'], 200);
    assert.equal(typeof search['ms'], 'number');
    assert.ok(!lines.join('\n').includes('fpm_not_logged') && !lines.join('\n').includes('secret-query'));
  });
});

describe('schema versions', () => {
  test('a store whose schema is newer than the code is refused, by the server and by admin', async (t) => {
    if (testStore() === 'postgres') return t.skip('the SQLite leg covers it; the PostgreSQL text is the same check');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-schema-'));
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const store = await openStore({ dataDir });
    await store.transaction((tx) =>
      tx.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        LATEST_VERSION + 1,
        'from the future',
        '2030-01-01',
      ),
    );
    await store.close();
    await assert.rejects(createMarketplace({ dataDir }), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(`schema is at version ${LATEST_VERSION + 1}, newer than this server knows \\(${LATEST_VERSION}\\)`),
      );
      return true;
    });
  });
});

describe('readiness follows PostgreSQL', { skip: testStore() !== 'postgres' && 'PostgreSQL leg only (npm run test:pg)' }, () => {
  test('/readyz is 503 while PostgreSQL is stopped and 200 again once it is back, without a restart', { timeout: 240_000 }, async (t) => {
    // A cluster of its own: stopping the suite's shared one would fail other test processes.
    const cluster = await startCluster();
    t.after(() => cluster.stop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-ready-'));
    t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const m = await createMarketplace({ dataDir, databaseUrl: await cluster.createDatabase(), seedFile: undefined });
    const url = await m.listen(0, '127.0.0.1');
    t.after(() => m.close());
    assert.equal((await getJson(`${url}/readyz`)).status, 200);

    cluster.stop();
    const down = await getJson(`${url}/readyz`);
    assert.equal(down.status, 503);
    assert.equal(down.body.status, 'unavailable');
    assert.match(down.body.error, /^store: /);
    assert.ok(!JSON.stringify(down.body).includes('postgres://'), 'no connection string in the answer');
    assert.equal((await getJson(`${url}/healthz`)).status, 200, 'the process is up all the same');
    const api = await getJson(`${url}/api/v1/fapilog/versions`);
    assert.equal(api.status, 503, 'a request that needs the store is a 503, not a 500');

    cluster.start();
    // The pool reconnects on its own; a connection that broke with the server fails once at most.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await getJson(`${url}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, 200);
    assert.equal((await getJson(`${url}/api/v1/fapilog/versions`)).status, 200);
  });
});
