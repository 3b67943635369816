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

test('the shared limiter counts parallel requests of one key together, each in its own place', async () => {
  // A real SQL engine behind the limiter's one statement (PostgreSQL's table, in SQLite's dialect).
  const { DatabaseSync } = await import('node:sqlite');
  const { SharedRateLimiter } = await import('../../server/rate-limit.ts');
  const db = new DatabaseSync(':memory:');
  db.exec(
    'CREATE TABLE rate_limits (key TEXT NOT NULL, window_start INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, window_start))',
  );
  const statements: string[] = [];
  const sql = {
    async get<T>(text: string, ...params: Array<string | number>) {
      statements.push(text);
      await new Promise((r) => setTimeout(r, 5)); // a round trip: later requests queue behind it
      return db.prepare(text).get(...params) as T | undefined;
    },
    async run(text: string, ...params: Array<string | number>) {
      return { changes: Number(db.prepare(text).run(...params).changes) };
    },
  };
  const limiter = new SharedRateLimiter({ limit: 7, windowSeconds: 60 }, sql, () => 120_000 + 5);
  const first = await Promise.all(Array.from({ length: 3 }, () => limiter.take('addr:a')));
  const burst = await Promise.all([...Array.from({ length: 12 }, () => limiter.take('addr:a')), limiter.take('addr:b')]);
  const decisions = [...first, ...burst.slice(0, 12)];
  assert.equal(decisions.filter((d) => d.allowed).length, 7);
  assert.deepEqual(
    decisions.map((d) => d.headers['X-RateLimit-Remaining']),
    ['6', '5', '4', '3', '2', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
    'each request has its own place in the count',
  );
  assert.ok(decisions.slice(7).every((d) => !d.allowed && Number(d.headers['Retry-After']) >= 1));
  assert.equal(burst[12]!.allowed, true, 'another key has its own window');
  assert.equal(burst[12]!.headers['X-RateLimit-Remaining'], '6');
  const row = db.prepare("SELECT count FROM rate_limits WHERE key = 'addr:a'").get() as { count: number };
  assert.equal(row.count, 15, 'every request is counted, as one upsert each would have');
  assert.ok(statements.length <= 4, `${statements.length} upserts for 16 requests of two keys`);
});
