/**
 * The response cache (server/response-cache.ts): answers come from it only while nothing was
 * written, by this server or by another connection; ETags, 304s, rate limits and the Accept and
 * Host variants stay exactly as without it; it is bounded in entries and bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace, type Marketplace } from '../../server/index.ts';
import { ResponseCache, type CachedAnswer } from '../../server/response-cache.ts';
import { openStore } from '../../server/store/index.ts';
import { Plugin, SearchResult, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { CATALOG_FILE } from '../helpers/server.ts';
import { getJson, metadataFor, newRelease, publish, wheelFor } from './util.ts';

function answer(bytes: number): CachedAnswer {
  return { status: 200, headers: {}, contentType: 'application/json', body: Buffer.alloc(bytes), etag: '"x"' };
}

describe('ResponseCache bounds and the store generation', () => {
  test('keeps at most maxEntries, dropping the least recently used', () => {
    const c = new ResponseCache({ maxEntries: 2 });
    c.set('a', 'g1', answer(1));
    c.set('b', 'g1', answer(1));
    assert.ok(c.get('a', 'g1'), 'a is kept and becomes the most recently used');
    c.set('c', 'g1', answer(1));
    assert.equal(c.size, 2);
    assert.equal(c.get('b', 'g1'), undefined, 'b was the least recently used');
    assert.ok(c.get('a', 'g1'));
    assert.ok(c.get('c', 'g1'));
  });

  test('keeps at most maxBytes, and does not keep an answer over maxEntryBytes', () => {
    const c = new ResponseCache({ maxBytes: 10_000, maxEntryBytes: 6_000 });
    c.set('big', 'g', answer(7_000));
    assert.equal(c.get('big', 'g'), undefined);
    c.set('a', 'g', answer(4_000));
    c.set('b', 'g', answer(4_000));
    c.set('c', 'g', answer(4_000));
    assert.ok(c.bytes <= 10_000, `${c.bytes} bytes kept`);
    assert.equal(c.get('a', 'g'), undefined);
    assert.ok(c.get('c', 'g'));
    c.set('c', 'g', answer(10));
    assert.ok(c.bytes < 5_000, 'replacing an entry gives its bytes back');
  });

  test('an answer of another generation is not served, and is dropped', () => {
    const c = new ResponseCache();
    c.set('a', 'g1', answer(1));
    assert.ok(c.get('a', 'g1'));
    assert.equal(c.get('a', 'g2'), undefined);
    assert.equal(c.size, 0);
    assert.equal(c.bytes, 0);
  });

  test("the store's generation: every commit changes it; a counted download leaves the content generation", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-rcache-'));
    const store = await openStore({ dataDir: dir });
    try {
      await store.publish('alice', newRelease('gen', '1.0.0'));
      const release = (await store.record('fapilog-gen'))!.releases[0]!.row.id;
      const all = await store.generation('all');
      const content = await store.generation('content');
      await store.recordDownloads([{ releaseId: Number(release), day: '2026-03-01', count: 1 }], '2025-01-01');
      assert.notEqual(await store.generation('all'), all);
      assert.equal(await store.generation('content'), content);
      await store.yank(Number(release), 'broken');
      assert.notEqual(await store.generation('content'), content);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cached answers follow every write', () => {
  let dir: string;
  let m: Marketplace;
  let api: string;
  let token: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-rcache-'));
    m = await createMarketplace({ dataDir: dir, seedFile: CATALOG_FILE, rateLimit: { limit: 100_000, windowSeconds: 60 } });
    api = `${await m.listen(0, '127.0.0.1')}/api/v1`;
    token = await m.createToken('carol');
  });
  after(async () => {
    await m.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('publish, rating, yank and download change what search, plugin GET and versions answer', async () => {
    const search = `${api}/plugins/search?q=cachetest`;
    const simple = `${api.slice(0, -'/api/v1'.length)}/simple/fapilog-cachetest/`;
    assert.equal((await fetch(simple)).status, 404);
    const empty1 = await getJson(search);
    const empty2 = await getJson(search);
    assert.equal(SearchResult.parse(empty1.body).total, 0);
    assert.equal(empty2.headers.get('etag'), empty1.headers.get('etag'), 'a repeated answer has the same ETag');
    const notModified = await fetch(search, { headers: { 'If-None-Match': empty1.headers.get('etag')! } });
    assert.equal(notModified.status, 304);
    assert.equal((await notModified.arrayBuffer()).byteLength, 0);

    const wheel = wheelFor('cachetest', '1.0.0');
    const pub = await publish(api, 'cachetest', metadataFor('cachetest', '1.0.0', [wheel]), [wheel], token);
    assert.equal(pub.status, 201, JSON.stringify(pub.body));
    const found = await getJson(search);
    assert.deepEqual(
      SearchResult.parse(found.body).plugins.map((p) => p.name),
      ['cachetest'],
    );
    assert.notEqual(found.headers.get('etag'), empty1.headers.get('etag'));
    const stale = await fetch(search, { headers: { 'If-None-Match': empty1.headers.get('etag')! } });
    assert.equal(stale.status, 200, 'the old ETag no longer matches');
    await stale.arrayBuffer();

    const simpleText = async () => {
      const r = await fetch(simple);
      assert.equal(r.status, 200);
      return r.text();
    };
    assert.ok((await simpleText()).includes(wheel.filename), 'the simple page lists the new file');
    assert.ok(!(await simpleText()).includes('data-yanked'));

    const plugin = `${api}/plugins/cachetest`;
    assert.equal(Plugin.parse((await getJson(plugin)).body).rating_count, 0);
    const rated = await getJson(`${plugin}/rating`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stars: 4 }),
    });
    assert.equal(rated.status, 200);
    const afterRating = Plugin.parse((await getJson(plugin)).body);
    assert.deepEqual([afterRating.rating, afterRating.rating_count], [4, 1]);
    assert.equal(SearchResult.parse((await getJson(search)).body).plugins[0]!.rating, 4, 'the search page too');

    assert.equal(VersionsResponse.parse((await getJson(`${plugin}/versions`)).body).releases[0]!.yanked, false);
    const yanked = await getJson(`${plugin}/versions/1.0.0/yank`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'broken' }),
    });
    assert.equal(yanked.status, 200);
    const versions = VersionsResponse.parse((await getJson(`${plugin}/versions`)).body);
    assert.deepEqual([versions.releases[0]!.yanked, versions.releases[0]!.yanked_reason], [true, 'broken']);
    assert.ok((await simpleText()).includes('data-yanked="broken"'), 'the simple page shows the yank');

    const before = Plugin.parse((await getJson(plugin)).body).downloads;
    assert.equal((await getJson(`${plugin}/versions/1.0.0/download`)).status, 200);
    assert.equal(Plugin.parse((await getJson(plugin)).body).downloads, before + 1);
    assert.equal(Plugin.parse((await getJson(plugin)).body).downloads, before + 1);
    assert.equal((await getJson(`${plugin}/versions/1.0.0/download`)).status, 200);
    assert.equal(SearchResult.parse((await getJson(search)).body).plugins[0]!.downloads, before + 2, 'every download is seen');
    assert.ok((await simpleText()).includes('data-yanked="broken"'));
  });

  test('a write by another connection (an admin command, a second server) is seen', async () => {
    const versions = `${api}/fapilog/versions`;
    const first = (await getJson(versions)).body.versions as string[];
    assert.ok(!first.includes('99.0.0'));
    await getJson(versions);
    const other = await openStore({ dataDir: dir });
    try {
      await other.addFapilogVersions(['99.0.0']);
      await other.publish('carol', newRelease('elsewhere', '2.0.0'));
    } finally {
      await other.close();
    }
    assert.ok(((await getJson(versions)).body.versions as string[]).includes('99.0.0'));
    assert.equal(Plugin.parse((await getJson(`${api}/plugins/elsewhere`)).body).version, '2.0.0');
  });

  test('answers are the same bytes and content types as from a server without the cache', async () => {
    const plain = await createMarketplace({ dataDir: dir, responseCache: false, rateLimit: { limit: 100_000, windowSeconds: 60 } });
    const plainUrl = await plain.listen(0, '127.0.0.1');
    try {
      const base = api.slice(0, -'/api/v1'.length);
      const paths = [
        '/api/v1/plugins',
        '/api/v1/plugins/search?q=loki',
        '/api/v1/plugins/loki',
        '/api/v1/plugins/loki/versions',
        '/api/v1/plugins/batch?names=loki,nope,cachetest',
        '/simple/',
        '/simple/fapilog-loki/',
      ];
      for (const p of paths) {
        for (let round = 0; round < 2; round++) {
          const a = await fetch(`${base}${p}`);
          const b = await fetch(`${plainUrl}${p}`);
          // Links differ only in the port each server is reached at.
          const ta = (await a.text()).replaceAll(base, 'BASE');
          const tb = (await b.text()).replaceAll(plainUrl, 'BASE');
          assert.equal(a.status, 200, p);
          assert.equal(ta, tb, p);
          assert.equal(a.headers.get('content-type'), b.headers.get('content-type'), p);
        }
      }
    } finally {
      await plain.close();
    }
  });

  test('the Accept and Host variants of one URL are kept apart', async () => {
    const base = new URL(api);
    const get = (headers: Record<string, string>) =>
      new Promise<{ type: string; body: string }>((resolve, reject) => {
        http
          .get({ host: base.hostname, port: base.port, path: '/simple/fapilog-loki/', headers }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ type: String(res.headers['content-type']), body }));
          })
          .on('error', reject);
      });
    for (let round = 0; round < 2; round++) {
      const json = await get({ Accept: 'application/vnd.pypi.simple.v1+json' });
      const html = await get({ Accept: 'text/html' });
      assert.equal(json.type, 'application/vnd.pypi.simple.v1+json');
      assert.match(html.type, /^application\/vnd\.pypi\.simple\.v1\+html/);
      assert.ok(html.body.startsWith('<!DOCTYPE html>'));
      const one = await get({ Host: 'one.example:8000' });
      const two = await get({ Host: 'two.example:9000' });
      assert.ok(
        one.body.includes('http://one.example:8000/files/') && !one.body.includes('two.example'),
        'links use the Host the client used',
      );
      assert.ok(two.body.includes('http://two.example:9000/files/') && !two.body.includes('one.example'));
    }
  });
});

test('the rate limit applies to answers from the cache', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-rcache-'));
  const m = await createMarketplace({ dataDir: dir, seedFile: CATALOG_FILE, rateLimit: { limit: 3, windowSeconds: 60 } });
  t.after(async () => {
    await m.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `${await m.listen(0, '127.0.0.1')}/api/v1/plugins/search?q=loki`;
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await fetch(url);
    await r.arrayBuffer();
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [200, 200, 200, 429]);
});
