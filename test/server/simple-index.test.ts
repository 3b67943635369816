import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Release, SimpleProject } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson } from './util.ts';

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(() => server.stop());

describe('PEP 503/691 simple index', () => {
  test('/simple/ lists every package as HTML and as JSON', async () => {
    const htmlRes = await fetch(`${server.url}/simple/`);
    assert.equal(htmlRes.status, 200);
    assert.match(htmlRes.headers.get('content-type') ?? '', /html/);
    const html = await htmlRes.text();
    assert.match(html, /<a href="\/simple\/fapilog-loki\/">fapilog-loki<\/a>/);
    const json = await getJson(`${server.url}/simple/`, { headers: { Accept: JSON_TYPE } });
    assert.equal(json.headers.get('content-type'), JSON_TYPE);
    assert.equal(json.body.meta['api-version'], '1.0');
    assert.equal(json.body.projects.length, 13);
    assert.ok(json.body.projects.some((p: { name: string }) => p.name === 'fapilog-sampling'));
  });

  test('a project page links files with #sha256=, requires-python and yanked', async () => {
    const html = await (await fetch(`${server.url}/simple/fapilog-sampling/`)).text();
    const versions = Release.array().parse((await getJson(`${server.apiUrl}/plugins/sampling/versions`)).body.releases);
    for (const r of versions) {
      const f = r.files[0]!;
      assert.ok(html.includes(`${f.url}#sha256=${f.sha256}`), f.filename);
    }
    assert.match(
      html,
      /fapilog_sampling-1\.2\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}" data-requires-python="&gt;=3\.10" data-yanked="drops every event/,
    );
    assert.doesNotMatch(html, /1\.2\.1-py3-none-any\.whl#sha256=[0-9a-f]{64}"[^>]*data-yanked/);
  });

  test('JSON project page (PEP 691) parses with SimpleProject; pip-style Accept negotiates JSON', async () => {
    const pipAccept = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
    const r = await getJson(`${server.url}/simple/fapilog-sampling/`, { headers: { Accept: pipAccept } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('vary') ?? '', /Accept/);
    const page = SimpleProject.parse(r.body);
    assert.equal(page.name, 'fapilog-sampling');
    const yanked = page.files.find((f) => f.filename.includes('1.2.0-'))!;
    assert.match(String(yanked.yanked), /drops every event/);
    assert.equal(yanked['requires-python'], '>=3.10');
    assert.equal(page.files.find((f) => f.filename.includes('1.2.1-'))!.yanked, undefined);
    const htmlPreferred = await fetch(`${server.url}/simple/fapilog-sampling/`, { headers: { Accept: `${JSON_TYPE}; q=0.2, text/html` } });
    assert.match(htmlPreferred.headers.get('content-type') ?? '', /html/);
    await htmlPreferred.arrayBuffer();
  });

  test('non-normalised names redirect; unknown projects 404; short names are not projects', async () => {
    const r = await fetch(`${server.url}/simple/Fapilog_Loki/`, { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/simple/fapilog-loki/');
    const noSlash = await fetch(`${server.url}/simple/fapilog-loki`, { redirect: 'manual' });
    assert.equal(noSlash.status, 301);
    assert.equal(noSlash.headers.get('location'), '/simple/fapilog-loki/');
    assert.equal((await fetch(`${server.url}/simple/fapilog-nothing/`)).status, 404);
    assert.equal((await fetch(`${server.url}/simple/loki/`)).status, 404);
  });

  test('files are served with their sha256, ETag and 304; nothing else is reachable', async () => {
    const page = SimpleProject.parse((await getJson(`${server.url}/simple/fapilog-loki/`, { headers: { Accept: JSON_TYPE } })).body);
    const f = page.files[0]!;
    const res = await fetch(f.url);
    assert.equal(res.status, 200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), f.hashes.sha256);
    assert.equal(Number(res.headers.get('content-length')), bytes.length);
    const etag = res.headers.get('etag')!;
    const again = await fetch(f.url, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    for (const evil of [
      '/files/fapilog-loki/..%2F..%2Fmarketplace.sqlite',
      '/files/..%2F/marketplace.sqlite',
      '/files/fapilog-loki/.tmp-x',
      '/files/fapilog-loki/%2Fetc%2Fpasswd',
      '/files/fapilog-loki/nothing.whl',
    ]) {
      const r = await fetch(`${server.url}${evil}`);
      assert.ok(r.status === 400 || r.status === 404, `${evil}: ${r.status}`);
      const body = await r.text();
      assert.ok(!body.includes('SQLite'), evil);
    }
  });

  test('HEAD answers like GET without a body', async () => {
    const r = await fetch(`${server.url}/simple/fapilog-loki/`, { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.ok(r.headers.get('etag'));
    assert.equal(await r.text(), '');
  });
});
