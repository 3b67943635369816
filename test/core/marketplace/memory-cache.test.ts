/**
 * The client in a long-running process: no cache directory (answers kept in memory, bounded), an
 * injected cache shared between clients, and a de-duplication memo that forgets old URLs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryMetadataCache } from '../../../src/core/marketplace/cache.ts';
import { LruMap } from '../../../src/core/lru.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { MarketplaceError } from '../../../src/core/marketplace/errors.ts';
import { MarketplaceSettings } from '../../../src/core/config.ts';
import { useProxiedServer } from './peer.ts';

const live = useProxiedServer();
const seenSince = (from: number) => live.proxy.seen.slice(from).map((s) => [s.path, s.ifNoneMatch ? 'conditional' : 'plain', s.status]);
const noDir = (cacheMode: 'online' | 'offline' = 'online') => MarketplaceSettings.parse({ url: live.proxy.apiUrl, cacheMode });

describe('a client without a cache directory', () => {
  test('settings need no directory; answers are cached in memory and revalidated with the ETag', async () => {
    const settings = noDir();
    assert.equal(settings.cacheDir, undefined);
    const shared = new MemoryMetadataCache();
    const start = live.proxy.seen.length;
    const first = await new MarketplaceClient(settings, { cache: shared }).getPlugin('loki');
    const second = await new MarketplaceClient(settings, { cache: shared }).getPlugin('loki');
    assert.deepEqual(second, first);
    assert.deepEqual(seenSince(start), [
      ['/plugins/loki', 'plain', 200],
      ['/plugins/loki', 'conditional', 304],
    ]);
    assert.equal(shared.size, 1);
    // Offline with an empty in-memory cache is a miss, as with an empty directory.
    await assert.rejects(
      new MarketplaceClient(noDir('offline')).getPlugin('loki'),
      (e: unknown) => e instanceof MarketplaceError && e.kind === 'offline-miss',
    );
  });

  test('the memo forgets the least recently asked URLs beyond its bound (and asks again, through the cache)', async () => {
    const client = new MarketplaceClient(noDir(), { remember: 1 });
    const start = live.proxy.seen.length;
    await client.getPlugin('loki');
    await client.getPlugin('loki'); // remembered: no request
    await client.getPlugin('kafka'); // pushes loki out
    await client.getPlugin('loki'); // asked again: a conditional request from the memory cache
    assert.deepEqual(seenSince(start), [
      ['/plugins/loki', 'plain', 200],
      ['/plugins/kafka', 'plain', 200],
      ['/plugins/loki', 'conditional', 304],
    ]);
  });
});

describe('bounded memory', () => {
  test('LruMap keeps the most recently used entries', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    assert.equal(m.get('a'), 1); // a is now the most recent
    m.set('c', 3);
    assert.equal(m.get('b'), undefined);
    assert.equal(m.get('a'), 1);
    assert.equal(m.get('c'), 3);
    assert.equal(m.size, 2);
    assert.throws(() => new LruMap(0), RangeError);
  });

  test('the memory cache holds at most maxEntries answers, per token scope', async () => {
    const cache = new MemoryMetadataCache({ maxEntries: 2 });
    const entry = { status: 200 as const, etag: null, fetchedAt: 1, body: '{}' };
    for (const u of ['http://m/a', 'http://m/b', 'http://m/c']) await cache.put(u, entry);
    assert.equal(cache.size, 2);
    assert.equal(await cache.get('http://m/a'), undefined);
    assert.equal((await cache.get('http://m/c'))?.url, 'http://m/c');
    const other = new MemoryMetadataCache({ token: 'secret-token' });
    await other.put('http://m/c', entry);
    assert.notEqual((await other.get('http://m/c'))?.scope, 'anonymous');
    assert.ok(!JSON.stringify(await other.get('http://m/c')).includes('secret-token'));
  });
});

describe('what a report says about the marketplace', () => {
  test('status() never shows credentials in the URL', () => {
    const client = new MarketplaceClient(MarketplaceSettings.parse({ url: 'https://user:s3cret@market.example/api/v1' }));
    assert.deepEqual(client.status(), { url: 'https://market.example/api/v1', stale: false, kind: 'marketplace' });
    const plain = new MarketplaceClient(MarketplaceSettings.parse({ url: 'https://market.example/api/v1' }));
    assert.equal(plain.status().url, 'https://market.example/api/v1');
  });
});
