import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorBody } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true, rateLimit: { limit: 5, windowSeconds: 60 } });
});
after(() => server.stop());

test('every response carries X-RateLimit-*; over the limit is 429 with Retry-After', async () => {
  const seen: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${server.apiUrl}/plugins/loki`);
    await r.arrayBuffer();
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-ratelimit-limit'), '5');
    seen.push(Number(r.headers.get('x-ratelimit-remaining')));
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 61, `reset ${reset} is epoch seconds within the window`);
  }
  assert.deepEqual(seen, [4, 3, 2, 1, 0]);
  const limited = await fetch(`${server.apiUrl}/plugins/loki`);
  assert.equal(limited.status, 429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
  assert.equal(ErrorBody.parse(await limited.json()).error.code, 'rate_limited');
  // also the simple index and files: the limit is per client, not per endpoint
  const simple = await fetch(`${server.url}/simple/`);
  assert.equal(simple.status, 429);
  await simple.arrayBuffer();
});

test('a request with a token is counted for that token, not for the client address', async () => {
  const token = await server.createToken('someone');
  const r = await fetch(`${server.apiUrl}/plugins/loki`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-ratelimit-remaining'), '4');
  await r.arrayBuffer();
  const errors = await fetch(`${server.apiUrl}/plugins/nope`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(errors.status, 404);
  assert.equal(errors.headers.get('x-ratelimit-remaining'), '3', 'error responses carry the headers too');
  await errors.arrayBuffer();
});

test('made-up tokens share the client address bucket; a valid token has its own', async () => {
  const small = await startTestServer({ seed: true, rateLimit: { limit: 2, windowSeconds: 60 } });
  try {
    const get = async (token?: string) => {
      const r = await fetch(`${small.apiUrl}/plugins/loki`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
      await r.arrayBuffer();
      return r;
    };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (const junk of ['fpm_junk-one', 'fpm_junk-two', 'fpm_junk-three']) {
      last = await get(junk);
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 429], 'each new junk token must not open a fresh window');
    const retryAfter = Number(last!.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal((await get()).status, 429, 'no token: the same address bucket');

    const token = await small.createToken('someone');
    const first = await get(token);
    assert.equal(first.status, 200, 'a valid token is not charged to the exhausted address');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
    assert.equal((await get(token)).status, 200);
    assert.equal((await get(token)).status, 429, 'the token has a limit of its own');
  } finally {
    await small.stop();
  }
});
