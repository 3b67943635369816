/** The client against tiny misbehaving peers: contract violations, errors, secrets, concurrency. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MetadataCache } from '../../../src/core/marketplace/disk-cache.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { MarketplaceError } from '../../../src/core/marketplace/errors.ts';
import { sampleRelease, samplePlugin, sendJson, usePeers } from './peer.ts';
import { settingsFor, tempDir } from './settings.ts';

const peer = usePeers();

describe('responses are parsed with the contract', () => {
  test('a wrong field type names the endpoint and the field', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, samplePlugin({ downloads: 'lots' })));
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    await assert.rejects(client.getPlugin('loki'), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'invalid-response');
      assert.equal(err.endpoint, 'GET /plugins/loki');
      assert.equal(err.message, 'GET /plugins/loki: response field "downloads": expected number, received string');
      return true;
    });
  });

  test('a nested field is named by its path', async () => {
    const p = await peer((_req, res) =>
      sendJson(res, 200, {
        versions: ['1.0.0'],
        releases: [sampleRelease('1.0.0', { files: [{ filename: 'x.whl', sha256: 'a'.repeat(64), size: -1, url: '/f' }] })],
      }),
    );
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    await assert.rejects(client.versions('loki'), /GET \/plugins\/loki\/versions: response field "releases\[0\]\.files\[0\]\.size": /);
  });

  test('a body that is not JSON is an error, not a crash', async () => {
    const p = await peer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    await assert.rejects(new MarketplaceClient(settingsFor(p.apiUrl)).list(), /GET \/plugins: response is not JSON/);
  });

  test('404 on a plugin, its versions or a release is null; on a listing it is an error', async () => {
    const p = await peer((_req, res) => sendJson(res, 404, { error: { code: 'not_found', message: 'no such plugin' } }));
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    assert.equal(await client.getPlugin('nope'), null);
    assert.equal(await client.versions('nope'), null);
    assert.equal(await client.release('nope', '1.0'), null);
    await assert.rejects(client.search({ q: 'x' }), /GET \/plugins\/search\?q=x: no such plugin \(HTTP 404 not_found\)$/);
  });

  test("an error response surfaces the server's message and code", async () => {
    const p = await peer((_req, res) =>
      sendJson(res, 400, { error: { code: 'invalid_parameter', message: 'invalid query parameter sort: nope' } }),
    );
    await assert.rejects(new MarketplaceClient(settingsFor(p.apiUrl)).list({ page: 2 }), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.status, 400);
      assert.equal(err.code, 'invalid_parameter');
      assert.equal(err.message, 'GET /plugins?page=2: invalid query parameter sort: nope (HTTP 400 invalid_parameter)');
      return true;
    });
  });

  test('500 forever ends with a clear error after the configured retries', async () => {
    const p = await peer((_req, res) => sendJson(res, 500, { error: { code: 'internal', message: 'database is on fire' } }));
    const client = new MarketplaceClient(settingsFor(p.apiUrl), { retries: 2, backoffMs: 5 });
    await assert.rejects(client.getPlugin('loki'), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.message, 'GET /plugins/loki: database is on fire (HTTP 500 internal) after 3 attempts');
      return true;
    });
    assert.equal(p.requests.length, 3);
  });

  test('queries are checked before they are sent', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, {}));
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    await assert.rejects(client.list({ per_page: 500 }), /query parameter "per_page"/);
    assert.equal(p.requests.length, 0);
  });
});

describe('the token stays secret', () => {
  const TOKEN = 'fpt_SuperSecret-Token_0123456789';

  test('absent from errors, warnings, debug lines and cache files, even when a server echoes it', async () => {
    const p = await peer((req, res) => {
      const auth = String(req.headers['authorization'] ?? '');
      if (req.path.startsWith('/plugins/loki')) sendJson(res, 200, samplePlugin(), { ETag: '"v1"' });
      else sendJson(res, 401, { error: { code: 'unauthorized', message: `token rejected: ${auth} (${encodeURIComponent(auth)})` } });
    });
    const lines: string[] = [];
    const cacheDir = tempDir();
    const client = new MarketplaceClient(settingsFor(p.apiUrl, { token: TOKEN, cacheDir }), {
      debug: (m) => lines.push(m),
      warn: (m) => lines.push(m),
    });
    assert.ok(await client.getPlugin('loki'));
    let message = '';
    await client.list().catch((err: Error) => (message = `${err.message}\n${err.stack}`));
    assert.match(message, /token rejected: Bearer \*\*\*/);
    assert.equal(p.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`, 'the token was sent');
    assert.ok(lines.length > 0, 'debug lines were written');
    for (const text of [message, ...lines]) assert.ok(!text.includes(TOKEN) && !text.includes('SuperSecret'), text);
    const dir = new MetadataCache(cacheDir).dir;
    const files = readdirSync(dir);
    assert.ok(files.length > 0);
    // Neither the token nor its plain digest (which would confirm a guessed token) is stored.
    const digest = createHash('sha256').update(TOKEN).digest('hex');
    for (const f of files) {
      const content = readFileSync(path.join(dir, f), 'utf8');
      for (const secret of ['SuperSecret', digest, digest.slice(0, 16)]) {
        assert.ok(!f.includes(secret), f);
        assert.ok(!content.includes(secret), content);
      }
    }
  });

  test('writes need a token and say so without sending anything', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, {}));
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    await assert.rejects(client.yank('loki', '1.0.0', 'broken'), /POST \/plugins\/loki\/versions\/1\.0\.0\/yank: needs a token/);
    assert.equal(p.requests.length, 0);
  });
});

describe('requests: parallel, bounded, never duplicated', () => {
  test('one URL is fetched once per client, however many callers ask at once', async () => {
    const p = await peer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 50));
      sendJson(res, 200, samplePlugin());
    });
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    const results = await Promise.all(Array.from({ length: 8 }, () => client.getPlugin('loki')));
    assert.equal(p.requests.length, 1);
    assert.ok(results.every((r) => r?.name === 'loki'));
    await client.getPlugin('loki');
    assert.equal(p.requests.length, 1, 'a later ask is answered from memory too');
  });

  test('a failed lookup is not remembered: callers in flight share the error, a later call asks again', async () => {
    let healthy = false;
    const p = await peer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 20));
      if (healthy) sendJson(res, 200, samplePlugin());
      else sendJson(res, 500, { error: { code: 'internal', message: 'restarting' } });
    });
    const client = new MarketplaceClient(settingsFor(p.apiUrl), { retries: 0 });
    const failed = await Promise.allSettled([client.getPlugin('loki'), client.getPlugin('loki')]);
    assert.deepEqual(
      failed.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(p.requests.length, 1, 'concurrent callers share one request, and its failure');
    healthy = true;
    assert.equal((await client.getPlugin('loki'))?.name, 'loki');
    assert.equal(p.requests.length, 2, 'the recovered peer was asked again');
    assert.equal((await client.getPlugin('loki'))?.name, 'loki');
    assert.equal(p.requests.length, 2, 'a success is still answered from memory');
  });

  test('independent requests run in parallel up to the concurrency limit', async () => {
    const p = await peer(async (req, res) => {
      await new Promise((r) => setTimeout(r, 60));
      sendJson(res, 200, samplePlugin({ name: req.path.split('/')[2] }));
    });
    const client = new MarketplaceClient(settingsFor(p.apiUrl), { concurrency: 3 });
    const names = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const results = await Promise.all(names.map((n) => client.getPlugin(n)));
    assert.deepEqual(
      results.map((r) => r?.name),
      names,
    );
    assert.equal(p.requests.length, 10);
    assert.equal(p.maxConcurrent, 3);
  });

  test('batch: one request for many names; unknown names are null; keys as requested', async () => {
    const p = await peer((req, res) => {
      const names = new URL(req.path, 'http://x').searchParams.get('names')!.split(',');
      const plugins = Object.fromEntries(
        names.map((n) => [n, n === 'ghost' ? null : { plugin: samplePlugin({ name: n }), releases: [sampleRelease('1.2.0')] }]),
      );
      sendJson(res, 200, { plugins });
    });
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    const found = await client.batch(['loki', 'fapilog-kafka', 'ghost', 'loki']);
    assert.equal(p.requests.length, 1);
    assert.deepEqual(Object.keys(found).sort(), ['fapilog-kafka', 'ghost', 'loki']);
    assert.equal(found['ghost'], null);
    assert.equal(found['fapilog-kafka']?.plugin.name, 'fapilog-kafka');

    const many = Array.from({ length: 150 }, (_, i) => `n${i}`);
    const all = await client.batch(many);
    assert.equal(Object.keys(all).length, 150);
    assert.equal(p.requests.length, 3, 'two chunks of at most 100 names');
  });

  test('batch: a response missing a requested name is a contract error naming it', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, { plugins: {} }));
    await assert.rejects(new MarketplaceClient(settingsFor(p.apiUrl)).batch(['loki']), /response field "plugins\.loki": missing/);
  });

  test('checkUpdates: current and latest per installed plugin from one batch call', async () => {
    const p = await peer((_req, res) =>
      sendJson(res, 200, {
        plugins: {
          loki: { plugin: samplePlugin({ version: '1.4.0' }), releases: [sampleRelease('1.2.0'), sampleRelease('1.4.0')] },
          kafka: { plugin: samplePlugin({ name: 'kafka', version: '2.0.0' }), releases: [] },
          dd: {
            plugin: samplePlugin({ name: 'dd', version: '1.2.0' }),
            releases: [
              sampleRelease('1.10.0'),
              sampleRelease('1.9.0'),
              sampleRelease('1.11.0', { yanked: true, yanked_reason: 'bad' }),
              sampleRelease('1.12.0rc1'),
            ],
          },
          ghost: null,
        },
      }),
    );
    const checks = await new MarketplaceClient(settingsFor(p.apiUrl)).checkUpdates([
      { name: 'loki', version: '1.2.0' },
      { name: 'kafka', version: '2.0' },
      { name: 'dd', version: '1.9.0' },
      { name: 'ghost', version: '0.1' },
    ]);
    assert.equal(p.requests.length, 1);
    assert.deepEqual(
      checks.map((c) => [c.name, c.current, c.latest, c.updateAvailable, c.releases.length]),
      [
        ['loki', '1.2.0', '1.4.0', true, 2],
        ['kafka', '2.0', '2.0.0', false, 0],
        ['dd', '1.9.0', '1.10.0', true, 4],
        ['ghost', '0.1', null, false, 0],
      ],
    );
  });
});

describe('publish', () => {
  test('sends multipart: a metadata JSON part and one files part per file, with filenames', async () => {
    let form: FormData | undefined;
    const p = await peer(async (req, res) => {
      form = await new Request('http://x/', { method: 'POST', headers: req.headers as Record<string, string>, body: req.body }).formData();
      sendJson(res, 201, { ...sampleRelease('1.5.0'), status: 'published' });
    });
    const client = new MarketplaceClient(settingsFor(p.apiUrl, { token: 'tok' }));
    const wheel = new Uint8Array([80, 75, 3, 4, 1, 2, 3]);
    const sdist = new TextEncoder().encode('sdist bytes');
    const result = await client.publish(
      'loki',
      {
        name: 'loki',
        version: '1.5.0',
        plugin_type: 'sink',
        fapilog_compatibility: '>=0.4',
        files: [{ filename: 'a.whl', sha256: 'b'.repeat(64) }],
      },
      [
        { filename: 'fapilog_loki-1.5.0-py3-none-any.whl', data: wheel },
        { filename: 'fapilog_loki-1.5.0.tar.gz', data: sdist },
      ],
    );
    assert.equal(result.status, 'published');
    assert.equal(p.requests[0]?.method, 'POST');
    assert.equal(p.requests[0]?.path, '/plugins/loki/versions');
    assert.match(String(p.requests[0]?.headers['content-type']), /^multipart\/form-data; boundary=/);
    const metadata = JSON.parse(String(form!.get('metadata')));
    assert.equal(metadata.version, '1.5.0');
    assert.equal(metadata.author, 'Unknown', 'contract defaults are filled in');
    const files = form!.getAll('files') as File[];
    assert.deepEqual(
      files.map((f) => f.name),
      ['fapilog_loki-1.5.0-py3-none-any.whl', 'fapilog_loki-1.5.0.tar.gz'],
    );
    assert.deepEqual(new Uint8Array(await files[0]!.arrayBuffer()), wheel);
    assert.equal(await files[1]!.text(), 'sdist bytes');
  });

  test('a publish answered 503 is not retried (it may have been stored)', async () => {
    const p = await peer((_req, res) => sendJson(res, 503, { error: { code: 'unavailable', message: 'maintenance' } }));
    const client = new MarketplaceClient(settingsFor(p.apiUrl, { token: 'tok' }), { retries: 3, backoffMs: 1 });
    await assert.rejects(
      client.publish(
        'loki',
        {
          name: 'loki',
          version: '1',
          plugin_type: 'sink',
          fapilog_compatibility: '>=0.4',
          files: [{ filename: 'a.whl', sha256: 'b'.repeat(64) }],
        },
        [{ filename: 'a.whl', data: new Uint8Array([1]) }],
      ),
      /POST \/plugins\/loki\/versions: maintenance \(HTTP 503 unavailable\)$/,
    );
    assert.equal(p.requests.length, 1);
  });

  test('invalid metadata is refused before sending, naming the field', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, {}));
    const client = new MarketplaceClient(settingsFor(p.apiUrl, { token: 'tok' }));
    await assert.rejects(
      client.publish('loki', { name: 'loki', version: '1', plugin_type: 'bogus' as 'sink', fapilog_compatibility: '>=0.4', files: [] }, [
        { filename: 'a.whl', data: new Uint8Array() },
      ]),
      /metadata field "plugin_type"/,
    );
    assert.equal(p.requests.length, 0);
  });
});
