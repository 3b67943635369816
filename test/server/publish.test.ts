import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ErrorBody, Plugin, PublishResponse, RatingResponse, Release, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, metadataFor, publish, sdistFor, sha256, wheelFor } from './util.ts';

let server: TestServer;
let alice: string;
let bob: string;
before(async () => {
  server = await startTestServer({ seed: true });
  alice = await server.createToken('alice');
  bob = await server.createToken('bob');
});
after(() => server.stop());

describe('POST /plugins/{name}/versions', () => {
  test('publishes a new plugin (201), which the read API then serves', async () => {
    const wheel = wheelFor('acme-sink', '1.0.0');
    const r = await publish(server.apiUrl, 'acme-sink', metadataFor('acme-sink', '1.0.0', [wheel]), [wheel], alice);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const res = PublishResponse.parse(r.body);
    assert.equal(res.status, 'published');
    assert.equal(res.package, 'fapilog-acme-sink');
    assert.equal(res.files[0]!.sha256, sha256(wheel.data));
    assert.equal(res.files[0]!.size, wheel.data.length);
    const plugin = Plugin.parse((await getJson(`${server.apiUrl}/plugins/acme-sink`)).body);
    assert.equal(plugin.version, '1.0.0');
    assert.equal(plugin.checksum, sha256(wheel.data));
    const file = new Uint8Array(await (await fetch(res.files[0]!.url)).arrayBuffer());
    assert.equal(sha256(file), sha256(wheel.data));
    // Stored where the store keeps files: under the data dir (SQLite) or in the database (PostgreSQL).
    const stored = await server.marketplace.store.file('fapilog-acme-sink', wheel.filename);
    assert.ok(stored);
    assert.equal(sha256(await server.marketplace.store.fileBytes(stored)), sha256(wheel.data));
    if (!server.databaseUrl) assert.ok(fs.existsSync(path.join(server.dataDir, 'files', 'fapilog-acme-sink', wheel.filename)));
  });

  test('re-publishing identical files is 200 "unchanged"; different files are 409', async () => {
    const wheel = wheelFor('acme-sink', '1.0.0');
    const again = await publish(server.apiUrl, 'fapilog-acme-sink', metadataFor('fapilog-acme-sink', '1.0.0', [wheel]), [wheel], alice);
    assert.equal(again.status, 200);
    assert.equal(PublishResponse.parse(again.body).status, 'unchanged');
    const other = wheelFor('acme-sink', '1.0.0', { summary: 'different bytes' });
    const clash = await publish(server.apiUrl, 'acme-sink', metadataFor('acme-sink', '1.0.0', [other]), [other], alice);
    assert.equal(clash.status, 409);
    assert.equal(ErrorBody.parse(clash.body).error.code, 'conflict');
    // the stored file is untouched
    const rel = Release.parse((await getJson(`${server.apiUrl}/plugins/acme-sink/versions/1.0.0`)).body);
    assert.equal(rel.files[0]!.sha256, sha256(wheel.data));
  });

  test('no token or an unknown token is 401; another owner is 403', async () => {
    const wheel = wheelFor('acme-sink', '1.1.0');
    const meta = metadataFor('acme-sink', '1.1.0', [wheel]);
    const none = await publish(server.apiUrl, 'acme-sink', meta, [wheel]);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate')?.startsWith('Bearer'), true);
    const bogus = await publish(server.apiUrl, 'acme-sink', meta, [wheel], 'fpm_not-a-real-token');
    assert.equal(bogus.status, 401);
    assert.ok(!JSON.stringify(bogus.body).includes('fpm_not-a-real-token'), 'the token is not echoed');
    const foreign = await publish(server.apiUrl, 'acme-sink', meta, [wheel], bob);
    assert.equal(foreign.status, 403);
    assert.equal(ErrorBody.parse(foreign.body).error.code, 'forbidden');
    const seeded = wheelFor('loki', '9.0.0');
    const notOwner = await publish(server.apiUrl, 'loki', metadataFor('loki', '9.0.0', [seeded]), [seeded], alice);
    assert.equal(notOwner.status, 403);
    const owner = await server.createToken('observability-guild');
    const ok = await publish(server.apiUrl, 'loki', metadataFor('loki', '9.0.0', [seeded]), [seeded], owner);
    assert.equal(ok.status, 201);
    assert.equal(Plugin.parse((await getJson(`${server.apiUrl}/plugins/loki`)).body).version, '9.0.0');
  });

  test('a newer version updates the listing; an older one does not', async () => {
    const w2 = wheelFor('acme-sink', '2.0.0', { summary: 'acme v2' });
    const r2 = await publish(server.apiUrl, 'acme-sink', metadataFor('acme-sink', '2.0.0', [w2], { description: 'acme v2' }), [w2], alice);
    assert.equal(r2.status, 201);
    const w15 = wheelFor('acme-sink', '1.5.0');
    const r15 = await publish(
      server.apiUrl,
      'acme-sink',
      metadataFor('acme-sink', '1.5.0', [w15], { description: 'acme backport' }),
      [w15],
      alice,
    );
    assert.equal(r15.status, 201);
    const plugin = Plugin.parse((await getJson(`${server.apiUrl}/plugins/acme-sink`)).body);
    assert.equal(plugin.version, '2.0.0');
    assert.equal(plugin.description, 'acme v2');
    const v = VersionsResponse.parse((await getJson(`${server.apiUrl}/plugins/acme-sink/versions`)).body);
    assert.deepEqual(v.versions, ['1.0.0', '1.5.0', '2.0.0']);
  });

  test('rejects bad metadata, checksums and files with a 400 naming the problem', async () => {
    const wheel = wheelFor('acme-bad', '1.0.0');
    const cases: Array<[string, unknown, Array<{ filename: string; data: Uint8Array }>, RegExp]> = [
      ['missing plugin_type', { ...metadataFor('acme-bad', '1.0.0', [wheel]), plugin_type: undefined }, [wheel], /plugin_type/],
      ['bad version', metadataFor('acme-bad', 'one.two', [wheel]), [wheel], /version/],
      ['bad specifier', metadataFor('acme-bad', '1.0.0', [wheel], { fapilog_compatibility: 'whatever' }), [wheel], /fapilog_compatibility/],
      ['name mismatch', metadataFor('other', '1.0.0', [wheel]), [wheel], /does not match/],
      [
        'checksum mismatch',
        { ...metadataFor('acme-bad', '1.0.0', [wheel]), files: [{ filename: wheel.filename, sha256: '0'.repeat(64) }] },
        [wheel],
        /sha256/,
      ],
      ['file not listed', metadataFor('acme-bad', '1.0.0', []), [wheel], /files/],
      ['listed but not sent', metadataFor('acme-bad', '1.0.0', [wheel]), [], /no such file part/],
      [
        'wrong version in filename',
        metadataFor('acme-bad', '1.0.0', [{ filename: 'fapilog_acme_bad-2.0.0-py3-none-any.whl', data: wheel.data }]),
        [{ filename: 'fapilog_acme_bad-2.0.0-py3-none-any.whl', data: wheel.data }],
        /not a wheel or sdist/,
      ],
      [
        'not a zip',
        metadataFor('acme-bad', '1.0.0', [{ filename: wheel.filename, data: new TextEncoder().encode('hello') }]),
        [{ filename: wheel.filename, data: new TextEncoder().encode('hello') }],
        /zip/,
      ],
    ];
    for (const [label, meta, files, message] of cases) {
      const r = await publish(server.apiUrl, 'acme-bad', meta, files, alice);
      assert.equal(r.status, 400, `${label}: ${JSON.stringify(r.body)}`);
      assert.match(ErrorBody.parse(r.body).error.message, message, label);
    }
    assert.equal((await getJson(`${server.apiUrl}/plugins/acme-bad`)).status, 404, 'nothing was stored');
    const notMultipart = await getJson(`${server.apiUrl}/plugins/acme-bad/versions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(notMultipart.status, 415);
  });

  test('file names and plugin names that could escape the data dir are rejected', async () => {
    const wheel = wheelFor('acme-evil', '1.0.0');
    for (const filename of [
      'fapilog-x/../../y',
      '../../etc/passwd',
      '..\\..\\evil.whl',
      '/abs/fapilog_acme_evil-1.0.0-py3-none-any.whl',
      '.fapilog_acme_evil-1.0.0-py3-none-any.whl',
    ]) {
      const meta = metadataFor('acme-evil', '1.0.0', [{ filename, data: wheel.data }]);
      const r = await publish(server.apiUrl, 'acme-evil', meta, [{ filename, data: wheel.data }], alice);
      assert.equal(r.status, 400, filename);
      assert.match(ErrorBody.parse(r.body).error.code, /invalid_filename|invalid_body/, filename);
    }
    for (const name of ['..%2F..%2Fetc', '..', 'a%2Fb', '%00']) {
      const r = await getJson(`${server.apiUrl}/plugins/${name}/versions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'multipart/form-data; boundary=x' },
        body: '--x--',
      });
      assert.ok(r.status === 400 || r.status === 404, `${name}: ${r.status}`);
    }
    const evilDir = path.resolve(server.dataDir, '..', 'etc');
    assert.ok(!fs.existsSync(path.join(evilDir, 'passwd')));
    const filesDir = server.marketplace.store.filesDir;
    const stray = filesDir ? fs.readdirSync(filesDir).filter((d) => !d.startsWith('fapilog-')) : [];
    assert.deepEqual(stray, []);
  });

  test('an sdist can be published next to the wheel', async () => {
    const wheel = wheelFor('acme-two', '0.1.0');
    const sdist = sdistFor('acme-two', '0.1.0');
    const r = await publish(server.apiUrl, 'acme-two', metadataFor('acme-two', '0.1.0', [wheel, sdist]), [wheel, sdist], alice);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(
      PublishResponse.parse(r.body)
        .files.map((f) => f.filename)
        .sort(),
      [sdist.filename, wheel.filename].sort(),
    );
  });
});

describe('yank and rating', () => {
  test('only the owner can yank, with a reason; the plugin then shows the previous release', async () => {
    const url = `${server.apiUrl}/plugins/acme-sink/versions/2.0.0/yank`;
    const body = JSON.stringify({ reason: 'broken import' });
    const headers = (t?: string) => ({ 'Content-Type': 'application/json', ...(t ? { Authorization: `Bearer ${t}` } : {}) });
    assert.equal((await getJson(url, { method: 'POST', body, headers: headers() })).status, 401);
    assert.equal((await getJson(url, { method: 'POST', body, headers: headers(bob) })).status, 403);
    const noReason = await getJson(url, { method: 'POST', body: '{}', headers: headers(alice) });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body.error.message, /reason/);
    const ok = await getJson(url, { method: 'POST', body, headers: headers(alice) });
    assert.equal(ok.status, 200);
    const rel = Release.parse(ok.body);
    assert.equal(rel.yanked, true);
    assert.equal(rel.yanked_reason, 'broken import');
    assert.equal(Plugin.parse((await getJson(`${server.apiUrl}/plugins/acme-sink`)).body).version, '1.5.0');
    const simple = await (await fetch(`${server.url}/simple/fapilog-acme-sink/`)).text();
    assert.match(simple, /fapilog_acme_sink-2\.0\.0-py3-none-any\.whl[^>]*data-yanked="broken import"/);
    assert.equal(
      (await getJson(`${server.apiUrl}/plugins/acme-sink/versions/7.0.0/yank`, { method: 'POST', body, headers: headers(alice) })).status,
      404,
    );
  });

  test('rating: one per token, average and count shown', async () => {
    const url = `${server.apiUrl}/plugins/dedupe/rating`;
    const put = (t: string | undefined, stars: unknown) =>
      getJson(url, {
        method: 'PUT',
        body: JSON.stringify({ stars }),
        headers: { 'Content-Type': 'application/json', ...(t ? { Authorization: `Bearer ${t}` } : {}) },
      });
    assert.equal((await put(undefined, 5)).status, 401);
    assert.equal((await put(alice, 6)).status, 400);
    assert.equal((await put(alice, 2.5)).status, 400);
    let r = RatingResponse.parse((await put(alice, 5)).body);
    assert.deepEqual(r, { name: 'dedupe', rating: 5, rating_count: 1 });
    r = RatingResponse.parse((await put(alice, 3)).body);
    assert.deepEqual(r, { name: 'dedupe', rating: 3, rating_count: 1 }, 'a second rating by the same token replaces the first');
    r = RatingResponse.parse((await put(bob, 4)).body);
    assert.deepEqual(r, { name: 'dedupe', rating: 3.5, rating_count: 2 });
    const plugin = Plugin.parse((await getJson(`${server.apiUrl}/plugins/dedupe`)).body);
    assert.equal(plugin.rating, 3.5);
    assert.equal(plugin.rating_count, 2);
    const bad = await getJson(url, { method: 'PUT', body: 'not json', headers: { Authorization: `Bearer ${alice}` } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_json');
  });
});
