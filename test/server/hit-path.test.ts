/**
 * The cache-hit path (server/index.ts answerHit): a cached answer sent without the promise chain
 * must be what the full path sends for the same hit, header for header: rate-limit headers, ETag,
 * Cache-Control, Content-Type and Length, 304 on If-None-Match, HEAD without a body, and the
 * metrics. A request with a token takes the full path, so the two are compared side by side.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace, type Marketplace } from '../../server/index.ts';
import { plainTarget } from '../../server/router.ts';
import { CATALOG_FILE } from '../helpers/server.ts';

describe('plainTarget splits a target as URL does, or declines', () => {
  test('plain targets', () => {
    for (const t of [
      '/',
      '/api/v1/plugins/loki',
      '/api/v1/plugins/search?q=loki&per_page=20',
      '/api/v1/plugins/batch?names=a,b,c',
      '/simple/fapilog-loki/',
      '/x?',
      '/x?a=1?b=2',
      '/x?q=%41+b:c/d',
      '/a.b/c-d_e~f',
    ]) {
      const got = plainTarget(t);
      const url = new URL(t, 'http://localhost');
      assert.deepEqual(got, { pathname: url.pathname, search: url.search }, t);
    }
  });

  test('targets URL would rewrite are left to it', () => {
    for (const t of [
      '',
      '*',
      'api/v1',
      '//evil.example/x',
      '/a//b',
      '/a/../b',
      '/a/./b',
      '/a/..',
      '/%2e%2e/x',
      '/a%2Fb',
      '/a b',
      '/a\\b',
      '/a#frag',
      "/x?q='",
      '/x?q=a b',
      '/x?q=<',
      '/é',
      '/a\tb',
    ]) {
      assert.equal(plainTarget(t), null, JSON.stringify(t));
    }
  });
});

interface Raw {
  status: number;
  headers: string[];
  body: string;
}

function request(base: string, target: string, method: string, headers: Record<string, string>): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .request({ host: u.hostname, port: u.port, path: target, method, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.rawHeaders, body }));
      })
      .on('error', reject)
      .end();
  });
}

/** Header lines as `name: value`, without those that differ between any two answers (time, the window's count). */
function stable(raw: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'date' || name === 'x-ratelimit-remaining' || name === 'x-ratelimit-reset') lines.push(name);
    else lines.push(`${name}: ${raw[i + 1]}`);
  }
  return lines;
}

describe('a cache hit answers as the full path does', () => {
  let dir: string;
  let m: Marketplace;
  let base: string;
  let token: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-hit-'));
    m = await createMarketplace({ dataDir: dir, seedFile: CATALOG_FILE, rateLimit: { limit: 100_000, windowSeconds: 60 } });
    base = await m.listen(0, '127.0.0.1');
    token = await m.createToken('carol');
  });
  after(async () => {
    await m.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const targets = [
    '/api/v1/plugins/loki',
    '/api/v1/plugins/search?q=loki&per_page=5',
    '/api/v1/plugins/batch?names=loki,nope',
    '/simple/fapilog-loki/',
    '/api/v1/plugins/loki/versions',
  ];

  test('GET, HEAD and If-None-Match: the same status, header lines and body with and without the full path', async () => {
    for (const target of targets) {
      const built = await request(base, target, 'GET', {});
      assert.equal(built.status, 200, target);
      const etag = built.headers[built.headers.findIndex((h) => h.toLowerCase() === 'etag') + 1]!;
      for (const [method, extra] of [
        ['GET', {}],
        ['HEAD', {}],
        ['GET', { 'If-None-Match': etag }],
        ['GET', { 'If-None-Match': '"other", W/' + etag }],
        ['GET', { 'If-None-Match': '"other"' }],
      ] as const) {
        const hit = await request(base, target, method, extra);
        const full = await request(base, target, method, { ...extra, Authorization: `Bearer ${token}` });
        const what = `${method} ${target} ${JSON.stringify(extra)}`;
        assert.equal(hit.status, full.status, what);
        assert.deepEqual(stable(hit.headers), stable(full.headers), what);
        assert.equal(hit.body, full.body, what);
        if (method === 'HEAD' || hit.status === 304) assert.equal(hit.body, '', what);
        else assert.equal(hit.body, built.body, what);
      }
    }
  });

  test('the rate-limit window counts hits one by one', async () => {
    const remaining = async () => {
      const r = await request(base, targets[0]!, 'GET', {});
      return Number(r.headers[r.headers.findIndex((h) => h === 'X-RateLimit-Remaining') + 1]);
    };
    const a = await remaining();
    const b = await remaining();
    const c = await remaining();
    assert.deepEqual([b, c], [a - 1, a - 2]);
  });

  test('hits are counted in the metrics under their route and status', async () => {
    const metric = async (re: RegExp) => {
      const text = (await request(base, '/metrics', 'GET', {})).body;
      return Number(re.exec(text)?.[1] ?? 0);
    };
    const hits = /^fapilog_response_cache_hits_total (\d+)$/m;
    const ok = /^fapilog_http_requests_total\{method="GET",route="\/api\/v1\/plugins\/\{name\}",status="200"\} (\d+)$/m;
    const notModified = /^fapilog_http_requests_total\{method="GET",route="\/api\/v1\/plugins\/\{name\}",status="304"\} (\d+)$/m;
    const head = /^fapilog_http_requests_total\{method="HEAD",route="\/api\/v1\/plugins\/\{name\}",status="200"\} (\d+)$/m;
    const before = [await metric(hits), await metric(ok), await metric(notModified), await metric(head)];
    const built = await request(base, targets[0]!, 'GET', {});
    const etag = built.headers[built.headers.findIndex((h) => h === 'ETag') + 1]!;
    await request(base, targets[0]!, 'GET', {});
    await request(base, targets[0]!, 'GET', { 'If-None-Match': etag });
    await request(base, targets[0]!, 'HEAD', {});
    const now = [await metric(hits), await metric(ok), await metric(notModified), await metric(head)];
    assert.deepEqual(
      now.map((n, i) => n - before[i]!),
      [4, 2, 1, 1],
    );
  });

  test('a target URL parsing would rewrite is answered as its rewritten form', async () => {
    const plain = await request(base, '/api/v1/plugins/loki', 'GET', {});
    const dotted = await request(base, '/api/v1/plugins/x/../loki', 'GET', {});
    assert.equal(dotted.status, 200);
    assert.equal(dotted.body, plain.body);
  });
});
