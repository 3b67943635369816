import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MarketplaceError } from '../../../src/core/marketplace/errors.ts';
import { HttpTransport, backoffDelay, parseRateLimitReset, parseRetryAfter } from '../../../src/core/marketplace/http.ts';
import { USER_AGENT } from '../../../src/core/version.ts';
import { closedPortUrl, sendJson, usePeers } from './peer.ts';

const peer = usePeers();

const get = (url: string) => ({ method: 'GET' as const, url, endpoint: 'GET /x' });

describe('header parsing', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('1'), 1000);
    assert.equal(parseRetryAfter(' 120 '), 120_000);
    const now = Date.parse('2026-11-25T10:00:00Z');
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  test('X-RateLimit-Reset as epoch seconds or seconds from now', () => {
    const now = 1_800_000_000_000;
    assert.equal(parseRateLimitReset('1800000030', now), 1_800_000_030_000);
    assert.equal(parseRateLimitReset('30', now), now + 30_000);
    assert.equal(parseRateLimitReset('x', now), undefined);
  });

  test('backoff doubles per attempt, with jitter within [half, full], capped', () => {
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(20, 100, 10_000, () => 1),
      10_000,
    );
  });
});

describe('HttpTransport against misbehaving peers', () => {
  test('sends the User-Agent, Accept and Bearer token', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, {}));
    await new HttpTransport({ token: 'tok-123' }).send(get(`${p.apiUrl}/x`));
    assert.equal(p.requests[0]?.headers['user-agent'], USER_AGENT);
    assert.equal(p.requests[0]?.headers['accept'], 'application/json');
    assert.equal(p.requests[0]?.headers['authorization'], 'Bearer tok-123');
  });

  test('429 with Retry-After: 1 delays the retry by at least one second, then succeeds', async () => {
    const p = await peer((_req, res, n) => {
      if (n === 1) sendJson(res, 429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '1' });
      else sendJson(res, 200, { ok: true });
    });
    const res = await new HttpTransport({ retries: 3 }).send(get(`${p.apiUrl}/x`));
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 2);
    assert.equal(p.requests.length, 2);
    const gap = p.requests[1]!.at - p.requests[0]!.at;
    assert.ok(gap >= 1000, `retry came ${gap}ms after the 429`);
  });

  test('503 with Retry-After as an HTTP date is honoured', async () => {
    const p = await peer((_req, res, n) => {
      if (n === 1) sendJson(res, 503, {}, { 'Retry-After': new Date(Date.now() + 1500).toUTCString() });
      else sendJson(res, 200, {});
    });
    const res = await new HttpTransport({ retries: 2, backoffMs: 1 }).send(get(`${p.apiUrl}/x`));
    assert.equal(res.status, 200);
    // HTTP dates have whole seconds, so at least the next second boundary lies ahead.
    assert.ok(p.requests[1]!.at - p.requests[0]!.at >= 400);
  });

  test('500 forever: exactly 1 + retries attempts, then the last response', async () => {
    const p = await peer((_req, res) => sendJson(res, 500, { error: { code: 'internal', message: 'boom' } }));
    const res = await new HttpTransport({ retries: 2, backoffMs: 5 }).send(get(`${p.apiUrl}/x`));
    assert.equal(res.status, 500);
    assert.equal(res.attempts, 3);
    assert.equal(p.requests.length, 3);
  });

  test('a POST is not retried on 503 (it may have been processed) but is on 429', async () => {
    const p503 = await peer((_req, res) => sendJson(res, 503, {}));
    const res = await new HttpTransport({ retries: 3, backoffMs: 1 }).send({
      method: 'POST',
      url: `${p503.apiUrl}/x`,
      endpoint: 'POST /x',
      body: '{}',
    });
    assert.equal(res.status, 503);
    assert.equal(p503.requests.length, 1);

    const p429 = await peer((_req, res, n) => (n === 1 ? sendJson(res, 429, {}, { 'Retry-After': '0' }) : sendJson(res, 201, {})));
    const res2 = await new HttpTransport({ retries: 3 }).send({ method: 'POST', url: `${p429.apiUrl}/x`, endpoint: 'POST /x', body: '{}' });
    assert.equal(res2.status, 201);
    assert.equal(p429.requests.length, 2);
  });

  test('4xx other than 429 is final at once', async () => {
    const p = await peer((_req, res) => sendJson(res, 400, {}));
    const res = await new HttpTransport({ retries: 3, backoffMs: 1 }).send(get(`${p.apiUrl}/x`));
    assert.equal(res.status, 400);
    assert.equal(p.requests.length, 1);
  });

  test('a Retry-After beyond the cap on waiting fails at once with a clear message', async () => {
    const p = await peer((_req, res) => sendJson(res, 429, {}, { 'Retry-After': '3600' }));
    await assert.rejects(new HttpTransport({ retries: 5, maxWaitMs: 2000 }).send(get(`${p.apiUrl}/x`)), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'wait-limit');
      assert.match(
        err.message,
        /^GET \/x: gave up: HTTP 429 with Retry-After \(retry 1 of 5\) means waiting 3600s more, over the 2\.0s limit on waiting/,
      );
      return true;
    });
    assert.equal(p.requests.length, 1, 'it did not wait an hour and ask again');
  });

  test('backoff waits add up to the cap: a flaky server cannot stretch a run forever', async () => {
    const p = await peer((_req, res) => sendJson(res, 502, {}));
    await assert.rejects(
      new HttpTransport({ retries: 10, backoffMs: 400, maxWaitMs: 1000 }).send(get(`${p.apiUrl}/x`)),
      /limit on waiting/,
    );
    assert.ok(p.requests.length >= 2 && p.requests.length < 11, `${p.requests.length} attempts`);
  });

  test('X-RateLimit-Remaining: 0 holds the next request until X-RateLimit-Reset', async () => {
    let resetAt = 0;
    const p = await peer((_req, res, n) => {
      if (n === 1) {
        resetAt = Math.ceil(Date.now() / 1000) + 1; // the next whole second, at least ~0-1s ahead
        sendJson(res, 200, {}, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) });
      } else sendJson(res, 200, {}, { 'X-RateLimit-Remaining': '5' });
    });
    const http = new HttpTransport();
    await http.send(get(`${p.apiUrl}/a`));
    await http.send(get(`${p.apiUrl}/b`));
    assert.equal(p.requests.length, 2);
    assert.ok(p.requests[1]!.at >= resetAt * 1000, 'the second request waited for the window to reopen');
  });

  test('connection refused: not retried (nothing listens; waiting seconds would not change that), a network error naming the host', async () => {
    const url = await closedPortUrl();
    await assert.rejects(new HttpTransport({ retries: 2, backoffMs: 1 }).send(get(`${url}/x`)), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'network');
      assert.match(err.message, /^GET \/x: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
      return true;
    });
  });

  test('a name that does not resolve: not retried either', async () => {
    await assert.rejects(
      new HttpTransport({ retries: 3, backoffMs: 1000 }).send(get('http://fapilog-market.invalid/x')),
      (err: unknown) => {
        assert.ok(err instanceof MarketplaceError);
        assert.match(err.message, /^GET \/x: cannot reach http:\/\/fapilog-market\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/);
        return true;
      },
    );
  });

  test('a peer that never answers hits the timeout', async () => {
    const p = await peer(() => {
      /* never answer */
    });
    await assert.rejects(new HttpTransport({ retries: 1, timeoutMs: 200, backoffMs: 1 }).send(get(`${p.apiUrl}/x`)), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'timeout');
      assert.match(err.message, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.2s after 2 attempts/);
      return true;
    });
    assert.equal(p.requests.length, 2);
  });
});

describe('HttpTransport on node:http', () => {
  test('follows redirects as fetch did: the token to the same origin only, a 303 after a POST becomes a GET', async () => {
    const other = await peer((req, res) => sendJson(res, 200, { at: 'other', auth: req.headers['authorization'] ?? null }));
    const p = await peer((req, res) => {
      if (req.path.endsWith('/moved')) {
        res.writeHead(301, { Location: '/api/v1/here' });
        return void res.end();
      }
      if (req.path.endsWith('/away')) {
        res.writeHead(302, { Location: `${other.apiUrl}/there` });
        return void res.end();
      }
      if (req.path.endsWith('/posted')) {
        res.writeHead(303, { Location: '/api/v1/here' });
        return void res.end();
      }
      sendJson(res, 200, { at: 'here', method: req.method, auth: req.headers['authorization'] ?? null });
    });
    const t = new HttpTransport({ token: 'tok-9' });
    const same = await t.send(get(`${p.apiUrl}/moved`));
    assert.deepEqual(JSON.parse(same.body), { at: 'here', method: 'GET', auth: 'Bearer tok-9' });
    assert.equal(same.headers.get('Content-Type'), 'application/json');
    const away = await t.send(get(`${p.apiUrl}/away`));
    assert.deepEqual(JSON.parse(away.body), { at: 'other', auth: null });
    const posted = await t.send({ method: 'POST', url: `${p.apiUrl}/posted`, endpoint: 'POST /posted', body: '{"a":1}' });
    assert.deepEqual(JSON.parse(posted.body), { at: 'here', method: 'GET', auth: 'Bearer tok-9' });
    assert.equal(p.requests.find((r) => r.path.endsWith('/posted'))?.body.toString(), '{"a":1}');
  });

  test('a GET loads neither fetch nor its HTTP stack (undici): a one-shot CLI run pays for node:http only', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, { ok: true }));
    const script = [
      `import { HttpTransport } from ${JSON.stringify(new URL('../../../src/core/marketplace/http.ts', import.meta.url).href)};`,
      `const res = await new HttpTransport().send({ method: 'GET', url: ${JSON.stringify(`${p.apiUrl}/x`)}, endpoint: 'GET /x' });`,
      'const undici = process.moduleLoadList.filter((m) => /undici/.test(m));',
      'console.log(JSON.stringify({ status: res.status, body: res.body, undici }));',
    ].join('\n');
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout, stderr) =>
        err ? reject(new Error(stderr)) : resolve(stdout),
      ),
    );
    assert.deepEqual(JSON.parse(out), { status: 200, body: '{"ok":true}', undici: [] });
  });
});
