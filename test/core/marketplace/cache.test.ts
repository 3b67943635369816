/** The metadata cache in its three modes, against the real reference server behind a counting proxy. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { MetadataCache } from '../../../src/core/marketplace/disk-cache.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { MarketplaceError } from '../../../src/core/marketplace/errors.ts';
import { Plugin } from '../../../src/core/marketplace/schemas.ts';
import { startTestServer } from '../../helpers/server.ts';
import { samplePlugin, sendJson, startPeer, useProxiedServer } from './peer.ts';
import { settingsFor, tempDir } from './settings.ts';

const live = useProxiedServer();

const count = (from: number) => live.proxy.seen.slice(from);

describe('online: revalidate with If-None-Match', () => {
  test('a repeated lookup is a conditional request answered 304, with the same data', async () => {
    const cacheDir = tempDir();
    const start = live.proxy.seen.length;
    const first = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).getPlugin('loki');
    assert.equal(first?.name, 'loki');
    const cache = new MetadataCache(cacheDir);
    const entry1 = await cache.get(`${live.proxy.apiUrl}/plugins/loki`);
    assert.ok(entry1?.etag, 'the ETag was stored');

    const second = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).getPlugin('loki');
    assert.deepEqual(second, first);
    const seen = count(start);
    assert.deepEqual(
      seen.map((s) => [s.path, s.ifNoneMatch ?? null, s.status]),
      [
        ['/plugins/loki', null, 200],
        ['/plugins/loki', entry1.etag, 304],
      ],
    );
    const entry2 = await cache.get(`${live.proxy.apiUrl}/plugins/loki`);
    assert.ok(entry2!.fetchedAt >= entry1.fetchedAt, 'a 304 refreshes the fetch time');
  });
});

describe('prefer-offline: fresh entries need no request', () => {
  test('no request for a fresh entry; a request once it is older than the TTL', async () => {
    const cacheDir = tempDir();
    await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).versions('kafka');
    const start = live.proxy.seen.length;
    const cached = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir, cacheMode: 'prefer-offline' })).versions('kafka');
    assert.ok(cached && cached.versions.length > 0);
    assert.equal(count(start).length, 0, 'answered from the cache alone');

    await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir, cacheMode: 'prefer-offline' }), { ttlMs: 0 }).versions('kafka');
    assert.deepEqual(
      count(start).map((s) => s.status),
      [304],
      'an old entry is revalidated',
    );
  });
});

describe('offline: the cache only', () => {
  test('a miss is a clear error and sends nothing', async () => {
    const start = live.proxy.seen.length;
    const client = new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheMode: 'offline' }));
    await assert.rejects(client.getPlugin('loki'), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'offline-miss');
      assert.equal(err.message, 'not in the cache (offline mode): /plugins/loki');
      return true;
    });
    assert.equal(count(start).length, 0);
  });

  test('cached answers, 404s included, are served without the network', async () => {
    const cacheDir = tempDir();
    const online = new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir }));
    assert.equal(await online.getPlugin('no-such-plugin'), null);
    const listing = await online.list({ type: 'sink' });
    const start = live.proxy.seen.length;
    const offline = new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir, cacheMode: 'offline' }));
    assert.equal(await offline.getPlugin('no-such-plugin'), null);
    assert.deepEqual(await offline.list({ type: 'sink' }), listing);
    assert.equal(count(start).length, 0);
    await assert.rejects(offline.list({ type: 'enricher' }), /not in the cache \(offline mode\): \/plugins\?type=enricher/);
  });

  test('downloads are never cached (each one is counted by the server)', async () => {
    const cacheDir = tempDir();
    const info = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).download('loki', '1.3.0');
    assert.match(info.filename, /^fapilog_loki-1\.3\.0/);
    await assert.rejects(
      new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir, cacheMode: 'offline' })).download('loki', '1.3.0'),
      /offline mode/,
    );
  });
});

describe('stale copies when the marketplace fails', () => {
  test('a server that is gone: the cached copy, one warning, client.stale', async () => {
    const own = await startTestServer({ seed: true });
    const cacheDir = tempDir();
    const fresh = await new MarketplaceClient(settingsFor(own.apiUrl, { cacheDir })).getPlugin('loki');
    await own.stop();
    const warnings: string[] = [];
    const client = new MarketplaceClient(settingsFor(own.apiUrl, { cacheDir }), {
      retries: 1,
      backoffMs: 1,
      warn: (m) => warnings.push(m),
    });
    assert.equal(client.stale, false);
    assert.deepEqual(await client.getPlugin('loki'), fresh);
    assert.equal(client.stale, true);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /could not be reached \(GET \/plugins\/loki: cannot reach .*ECONNREFUSED.*\); showing cached data from \d{4}-\d\d-\d\dT.*\(stale\)/,
    );
    await assert.rejects(client.getPlugin('kafka'), /cannot reach/, 'with nothing cached the failure is reported');
  });

  test('5xx after the retries: the cached copy', async () => {
    let broken = false;
    const p = await startPeer((_req, res) =>
      broken ? sendJson(res, 503, { error: { code: 'down', message: 'down' } }) : sendJson(res, 200, samplePlugin(), { ETag: '"1"' }),
    );
    try {
      const cacheDir = tempDir();
      await new MarketplaceClient(settingsFor(p.apiUrl, { cacheDir })).getPlugin('loki');
      broken = true;
      const client = new MarketplaceClient(settingsFor(p.apiUrl, { cacheDir }), { retries: 2, backoffMs: 1, warn: () => {} });
      assert.equal((await client.getPlugin('loki'))?.name, 'loki');
      assert.equal(client.stale, true);
      assert.equal(p.requests.length, 4, 'one fetch, then 1 + 2 retries before giving up');
    } finally {
      await p.close();
    }
  });

  test('a 4xx is an answer, not an outage: no stale copy', async () => {
    let status = 200;
    const p = await startPeer((_req, res) =>
      status === 200
        ? sendJson(res, 200, samplePlugin(), { ETag: '"1"' })
        : sendJson(res, status, { error: { code: 'forbidden', message: 'private plugin' } }),
    );
    try {
      const cacheDir = tempDir();
      await new MarketplaceClient(settingsFor(p.apiUrl, { cacheDir })).getPlugin('loki');
      status = 403;
      const client = new MarketplaceClient(settingsFor(p.apiUrl, { cacheDir }));
      await assert.rejects(client.getPlugin('loki'), /private plugin \(HTTP 403 forbidden\)/);
      assert.equal(client.stale, false);
    } finally {
      await p.close();
    }
  });
});

describe('entries are kept per token', () => {
  // A private marketplace: each token (and no token) sees its own answer.
  const TOKENS = { alice: 'fpt_alice-Private_111', bob: 'fpt_bob-Private_222' } as const;
  const whoFor = (auth: string | undefined) => Object.entries(TOKENS).find(([, t]) => auth === `Bearer ${t}`)?.[0] ?? 'public';

  test('two tokens and no token against one cache each get their own data', async () => {
    const p = await startPeer((req, res) => {
      const who = whoFor(req.headers['authorization']);
      if (req.headers['if-none-match'] === `"${who}"`) {
        res.writeHead(304, { ETag: `"${who}"` });
        res.end();
        return;
      }
      sendJson(res, 200, samplePlugin({ description: `seen by ${who}` }), { ETag: `"${who}"` });
    });
    try {
      const cacheDir = tempDir();
      const client = (token: string | undefined, cacheMode: 'online' | 'prefer-offline' | 'offline') =>
        new MarketplaceClient(settingsFor(p.apiUrl, { cacheDir, cacheMode, ...(token ? { token } : {}) }));

      assert.equal((await client(TOKENS.alice, 'online').getPlugin('loki'))?.description, 'seen by alice');
      // prefer-offline would answer from a fresh shared entry without asking; bob's scope has none.
      assert.equal((await client(TOKENS.bob, 'prefer-offline').getPlugin('loki'))?.description, 'seen by bob');
      assert.equal((await client(undefined, 'prefer-offline').getPlugin('loki'))?.description, 'seen by public');
      assert.deepEqual(
        p.requests.map((r) => [whoFor(r.headers['authorization']), r.headers['if-none-match'] ?? null]),
        [
          ['alice', null],
          ['bob', null],
          ['public', null],
        ],
        "each scope fetched once, unconditionally: nobody revalidated another scope's ETag",
      );

      for (const [who, token] of [
        ['alice', TOKENS.alice],
        ['bob', TOKENS.bob],
        ['public', undefined],
      ] as const) {
        assert.equal((await client(token, 'offline').getPlugin('loki'))?.description, `seen by ${who}`, `${who} offline`);
      }
      await assert.rejects(client('fpt_carol-Private_333', 'offline').getPlugin('loki'), /not in the cache \(offline mode\)/);

      const dir = new MetadataCache(cacheDir).dir;
      const files = readdirSync(dir);
      assert.equal(files.filter((f) => f.endsWith('.json')).length, 3, 'one entry per scope');
      for (const f of files) {
        const content = readFileSync(path.join(dir, f), 'utf8');
        for (const token of Object.values(TOKENS)) {
          assert.ok(!f.includes(token) && !content.includes(token), `${f} holds a token`);
          assert.ok(!content.includes('Private_'), content);
        }
      }
    } finally {
      await p.close();
    }
  });
});

describe('entries on disk', () => {
  test('a corrupt entry is dropped and refetched', async () => {
    const cacheDir = tempDir();
    const url = `${live.proxy.apiUrl}/plugins/otel`;
    await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).getPlugin('otel');
    const cache = new MetadataCache(cacheDir);
    writeFileSync(cache.fileFor(url), '{"format":1,"url":"' + url + '","sta');
    const start = live.proxy.seen.length;
    const plugin = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir })).getPlugin('otel');
    assert.equal(plugin?.name, 'otel');
    assert.deepEqual(
      count(start).map((s) => [s.ifNoneMatch ?? null, s.status]),
      [[null, 200]],
      'an unconditional refetch',
    );
    assert.ok(await cache.get(url), 'a good entry replaced the corrupt one');
  });

  test('an entry whose body no longer matches the contract is refetched', async () => {
    const cacheDir = tempDir();
    const url = `${live.proxy.apiUrl}/plugins/dedupe`;
    const cache = new MetadataCache(cacheDir);
    await cache.put(url, { status: 200, etag: '"old"', fetchedAt: Date.now(), body: JSON.stringify({ name: 'dedupe' }) });
    const plugin = await new MarketplaceClient(settingsFor(live.proxy.apiUrl, { cacheDir, cacheMode: 'prefer-offline' })).getPlugin(
      'dedupe',
    );
    assert.equal(Plugin.parse(plugin).name, 'dedupe');
  });

  test('two processes writing one entry at once never leave a torn file', async () => {
    const cacheDir = tempDir();
    const url = 'http://127.0.0.1:9/api/v1/plugins/shared';
    const writer = fileURLToPath(new URL('./fixtures/cache-writer.ts', import.meta.url));
    const spawnWriter = (id: string) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [writer, 'entries', cacheDir, url, id, '40'], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code ?? 1));
      });
    const cache = new MetadataCache(cacheDir);
    const done = Promise.all([spawnWriter('A'), spawnWriter('B')]);
    let finished = false;
    void done.then(() => (finished = true));
    let reads = 0;
    while (!finished) {
      // Read the raw file: a torn write would show up as JSON that does not parse.
      const file = cache.fileFor(url);
      if (existsSync(file)) {
        let text = '';
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue; // renamed away between exists and read
        }
        const entry = JSON.parse(text) as { body: string };
        assert.match(JSON.parse(entry.body).writer, /^[AB]$/);
        reads++;
      }
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await done, [0, 0]);
    assert.ok(reads > 0, 'the reader saw the entry while it was being written');
    assert.ok(await cache.get(url));
    assert.deepEqual(
      readdirSync(cache.dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left behind',
    );
  });

  test('two client processes sharing a cache with the real server', async () => {
    const cacheDir = tempDir();
    const writer = fileURLToPath(new URL('./fixtures/cache-writer.ts', import.meta.url));
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [writer, 'clients', cacheDir, live.server.apiUrl, '15'], {
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code ?? 1));
      });
    assert.deepEqual(await Promise.all([run(), run()]), [0, 0]);
    const offline = new MarketplaceClient(settingsFor(live.server.apiUrl, { cacheDir, cacheMode: 'offline' }));
    assert.equal((await offline.getPlugin('loki'))?.name, 'loki');
    assert.equal((await offline.getPlugin('kafka'))?.name, 'kafka');
    assert.ok((await offline.versions('loki'))!.versions.length > 0);
    assert.ok((await offline.list({ per_page: 50 })).plugins.length > 0);
    const dir = new MetadataCache(cacheDir).dir;
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.json')).length, 4);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});
