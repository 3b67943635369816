/** Small pieces: the limiter, cache file naming, error formatting and redaction. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { cacheUrl, tokenScope } from '../../../src/core/marketplace/cache.ts';
import { MetadataCache } from '../../../src/core/marketplace/disk-cache.ts';
import { describeSchemaError, redact } from '../../../src/core/marketplace/errors.ts';
import { Limiter } from '../../../src/core/marketplace/limiter.ts';
import { queryString } from '../../../src/core/marketplace/client.ts';
import { tempDir } from './settings.ts';

describe('Limiter', () => {
  test('never runs more than its limit at once, and runs everything', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let most = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limiter.run(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
          done.push(i);
        }),
      ),
    );
    assert.equal(most, 2);
    assert.equal(done.length, 7);
    assert.equal(limiter.active, 0);
  });

  test('a failing task frees its slot', async () => {
    const limiter = new Limiter(1);
    await assert.rejects(limiter.run(async () => Promise.reject(new Error('x'))));
    assert.equal(await limiter.run(async () => 42), 42);
  });

  test('rejects a nonsense limit', () => {
    assert.throws(() => new Limiter(0), RangeError);
  });
});

describe('MetadataCache', () => {
  test('keys never carry credentials embedded in a URL', () => {
    assert.equal(cacheUrl('https://user:secret@example.com/api/v1/plugins#x'), 'https://example.com/api/v1/plugins');
    const cache = new MetadataCache(tempDir());
    assert.equal(cache.fileFor('https://user:secret@example.com/a'), cache.fileFor('https://example.com/a'));
    assert.match(cache.fileFor('https://example.com/a'), /[0-9a-f]{64}\.json$/);
  });

  test('round-trips an entry; an entry for another URL in the file counts as corrupt', async () => {
    const cache = new MetadataCache(tempDir());
    await cache.put('http://h/a', { status: 200, etag: '"e"', fetchedAt: 1, body: '{}' });
    assert.deepEqual(await cache.get('http://h/a'), {
      format: 2,
      url: 'http://h/a',
      scope: 'anonymous',
      status: 200,
      etag: '"e"',
      fetchedAt: 1,
      body: '{}',
    });
    writeFileSync(cache.fileFor('http://h/b'), readFileSync(cache.fileFor('http://h/a')));
    assert.equal(await cache.get('http://h/b'), undefined);
  });

  test('each token has its own scope, a one-way fingerprint; no token is the anonymous scope', () => {
    const token = 'fpt_unit-Secret_42';
    const scope = tokenScope(token);
    assert.match(scope, /^[0-9a-f]{16}$/);
    assert.equal(tokenScope(token), scope, 'stable across runs');
    assert.notEqual(tokenScope('fpt_unit-Secret_43'), scope);
    assert.equal(tokenScope(undefined), 'anonymous');
    assert.equal(tokenScope(''), 'anonymous');
    const plainDigest = createHash('sha256').update(token).digest('hex');
    assert.ok(!plainDigest.startsWith(scope), 'not the plain sha256 of the token');

    const dir = tempDir();
    const files = [undefined, token, 'fpt_unit-Secret_43'].map((t) => new MetadataCache(dir, { token: t }).fileFor('http://h/a'));
    assert.equal(new Set(files).size, 3, 'one file per scope for the same URL');
    for (const f of files) assert.ok(!f.includes('Secret') && !f.includes(plainDigest));
  });

  test('an entry written under another scope is not served', async () => {
    const dir = tempDir();
    const alice = new MetadataCache(dir, { token: 'alice-token' });
    const bob = new MetadataCache(dir, { token: 'bob-token' });
    await alice.put('http://h/a', { status: 200, etag: null, fetchedAt: 1, body: '{"who":"alice"}' });
    assert.equal(await bob.get('http://h/a'), undefined);
    assert.equal(await new MetadataCache(dir).get('http://h/a'), undefined);
    // Even a file copied into bob's place is refused: the entry names its scope.
    writeFileSync(bob.fileFor('http://h/a'), readFileSync(alice.fileFor('http://h/a')));
    assert.equal(await bob.get('http://h/a'), undefined);
    assert.equal((await alice.get('http://h/a'))?.body, '{"who":"alice"}');
  });

  test('an unwritable cache directory costs a refetch, not a failure', async () => {
    const dir = tempDir();
    const cache = new MetadataCache(dir);
    writeFileSync(cache.dir, 'a file where the directory should be');
    await cache.put('http://h/a', { status: 200, etag: null, fetchedAt: 1, body: '{}' });
    assert.equal(await cache.get('http://h/a'), undefined);
  });
});

describe('messages', () => {
  test('schema errors name the first field path and count the rest', () => {
    const r = z.object({ a: z.array(z.object({ b: z.number() })), c: z.string() }).safeParse({ a: [{ b: 'x' }], c: 1 });
    assert.equal(describeSchemaError(r.error!), 'response field "a[0].b": expected number, received string (and 1 more problem)');
  });

  test('redact hides the secret and its URL-encoded form', () => {
    assert.equal(redact('a tok/en b tok%2Fen', 'tok/en'), 'a *** b ***');
    assert.equal(redact('nothing', undefined), 'nothing');
  });

  test('query strings keep a fixed order and leave out what was not given', () => {
    assert.equal(queryString({ per_page: 5, q: 'a b', type: 'sink' }), '?q=a+b&type=sink&per_page=5');
    assert.equal(queryString({}), '');
  });
});

describe('how old a stale copy is', () => {
  test('the stale-copy warning names when the copy was fetched and how old it is, in the largest whole unit', async () => {
    const { age, staleSince } = await import('../../../src/core/marketplace/client.ts');
    assert.equal(age(0), '0 seconds');
    assert.equal(age(1000), '1 second');
    assert.equal(age(59_999), '59 seconds');
    assert.equal(age(60_000), '1 minute');
    assert.equal(age(2 * 3_600_000 + 5), '2 hours');
    assert.equal(age(3 * 86_400_000 + 7_200_000), '3 days');
    assert.equal(staleSince(Date.UTC(2026, 4, 4, 6, 17), Date.UTC(2026, 4, 7, 6, 17)), '2026-05-04T06:17:00.000Z, 3 days old');
  });
});
