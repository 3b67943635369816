/** Every client operation against the real reference server, seeded with the demo catalog. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { MarketplaceError } from '../../../src/core/marketplace/errors.ts';
import { metadataFor, wheelFor } from '../../server/util.ts';
import { startTestServer } from '../../helpers/server.ts';
import { startCountingProxy, useProxiedServer } from './peer.ts';
import { settingsFor } from './settings.ts';

const live = useProxiedServer();

const client = (token?: string) => new MarketplaceClient(settingsFor(live.proxy.apiUrl, token ? { token } : {}));

describe('reads', () => {
  test('list and search, with filters, sorted and paged', async () => {
    const c = client();
    const all = await c.list({ per_page: 100 });
    assert.equal(all.total, all.plugins.length);
    assert.ok(all.total >= 12);
    const sinks = await c.list({ type: 'sink', sort: 'rating' });
    assert.ok(sinks.plugins.every((p) => p.plugin_type === 'sink'));
    const ratings = sinks.plugins.map((p) => p.rating);
    assert.deepEqual(
      ratings,
      [...ratings].sort((a, b) => b - a),
    );
    const page2 = await c.list({ per_page: 5, page: 2, sort: 'name' });
    assert.deepEqual(
      page2.plugins.map((p) => p.name),
      [...all.plugins]
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(5, 10)
        .map((p) => p.name),
    );
    const found = await c.search({ q: 'kafka' });
    assert.ok(found.plugins.some((p) => p.name === 'kafka'));
    const rated = await c.search({ q: 'log', min_rating: 4.5 });
    assert.ok(rated.plugins.every((p) => p.rating >= 4.5));
  });

  test('a plugin by short or package name, its versions and one release; unknown ones are null', async () => {
    const c = client();
    const [short, pkg] = await Promise.all([c.getPlugin('loki'), c.getPlugin('fapilog-loki')]);
    assert.deepEqual(short, pkg);
    assert.equal(short?.package, 'fapilog-loki');
    const versions = await c.versions('loki');
    assert.deepEqual(versions?.versions, ['1.0.0', '1.2.0', '1.3.0', '1.4.0']);
    const release = await c.release('loki', '1.3.0');
    assert.equal(release?.version, '1.3.0');
    assert.equal(await c.getPlugin('no-such-plugin'), null);
    assert.equal(await c.versions('no-such-plugin'), null);
    assert.equal(await c.release('loki', '9.9.9'), null);
  });

  test('download gives a URL whose bytes match the sha256', async () => {
    const info = await client().download('loki', '1.4.0');
    const bytes = new Uint8Array(await (await fetch(new URL(info.url, live.server.url))).arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), info.sha256);
    await assert.rejects(
      client().download('loki', '9.9.9'),
      (err: unknown) => err instanceof MarketplaceError && err.status === 404 && /9\.9\.9/.test(err.message),
    );
  });

  test('batch and checkUpdates each cost one request', async () => {
    const c = client();
    const start = live.proxy.seen.length;
    const found = await c.batch(['loki', 'fapilog-kafka', 'ghost']);
    assert.equal(found['loki']?.plugin.name, 'loki');
    assert.equal(found['fapilog-kafka']?.plugin.name, 'kafka');
    assert.equal(found['ghost'], null);
    assert.equal(live.proxy.seen.length - start, 1);

    const checks = await client().checkUpdates([
      { name: 'loki', version: '1.2.0' },
      { name: 'kafka', version: '3.1.0' },
      { name: 'ghost', version: '1.0' },
    ]);
    assert.equal(live.proxy.seen.length - start, 2);
    assert.deepEqual(
      checks.map((x) => [x.name, x.latest, x.updateAvailable]),
      [
        ['loki', '1.4.0', true],
        ['kafka', '3.1.0', false],
        ['ghost', null, false],
      ],
    );
    assert.ok(checks[0]!.releases.length >= 4, 'releases come along for the compatibility analysis');
  });

  test('fapilog versions', async () => {
    const versions = await client().fapilogVersions();
    assert.ok(versions.length > 0);
    assert.ok(versions.every((v) => /^\d/.test(v)));
  });
});

describe('writes', () => {
  test('publish (then the same again: unchanged), yank and rate', async () => {
    const token = await live.server.createToken('acme');
    const c = client(token);
    const wheel = wheelFor('acme-client', '1.0.0');
    const meta = metadataFor('acme-client', '1.0.0', [wheel]);
    const published = await c.publish('acme-client', meta, [wheel]);
    assert.equal(published.status, 'published');
    assert.equal(published.files[0]?.filename, wheel.filename);
    const again = await client(token).publish('acme-client', meta, [wheel]);
    assert.equal(again.status, 'unchanged');
    assert.equal((await client().getPlugin('acme-client'))?.version, '1.0.0');

    const yanked = await c.yank('acme-client', '1.0.0', 'broken build');
    assert.equal(yanked.yanked, true);
    assert.equal(yanked.yanked_reason, 'broken build');

    const rating = await c.rate('loki', 5);
    assert.equal(rating.name, 'loki');
    assert.ok(rating.rating_count >= 1);
  });

  test("someone else's plugin: the server's 403 message reaches the caller", async () => {
    const c = client(await live.server.createToken('mallory'));
    await assert.rejects(c.yank('acme-client', '1.0.0', 'mine now'), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.status, 403);
      assert.match(err.message, /^POST \/plugins\/acme-client\/versions\/1\.0\.0\/yank: .*owner.* \(HTTP 403 forbidden\)$/);
      return true;
    });
  });
});

describe('rate limits', () => {
  test('when X-RateLimit-Remaining reaches 0 the client waits for the reset instead of hitting 429', async () => {
    const limited = await startTestServer({ seed: true, rateLimit: { limit: 2, windowSeconds: 1 } });
    const counting = await startCountingProxy(limited.apiUrl);
    try {
      const c = new MarketplaceClient(settingsFor(counting.apiUrl), { concurrency: 1 });
      const names = ['loki', 'kafka', 'otel', 'dedupe', 'sampling'];
      for (const name of names) assert.equal((await c.getPlugin(name))?.name, name);
      assert.deepEqual(
        counting.seen.map((s) => s.status),
        names.map(() => 200),
        'no request was refused',
      );
    } finally {
      await counting.close();
      await limited.stop();
    }
  });
});
