import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, satisfies } from '@renovatebot/pep440';
import {
  BatchResponse,
  DownloadInfo,
  ErrorBody,
  FapilogVersions,
  Plugin,
  Release,
  SearchResult,
  VersionsResponse,
} from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson } from './util.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(() => server.stop());

const api = (p: string) => `${server.apiUrl}${p}`;

describe('GET /plugins', () => {
  test('lists every seeded plugin, each a valid Plugin, sorted by name by default', async () => {
    const { status, body } = await getJson(api('/plugins?per_page=100'));
    assert.equal(status, 200);
    const result = SearchResult.parse(body);
    assert.equal(result.total, 13);
    assert.equal(result.plugins.length, 13);
    const names = result.plugins.map((p) => p.name);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(new Set(result.plugins.map((p) => p.plugin_type)), new Set(['sink', 'processor', 'enricher', 'redactor', 'filter']));
  });

  test('filters by type, author and min_rating', async () => {
    const sinks = SearchResult.parse((await getJson(api('/plugins?type=sink'))).body);
    assert.deepEqual(sinks.plugins.map((p) => p.name).sort(), ['cloudwatch', 'datadog', 'kafka', 'loki']);
    const byAuthor = SearchResult.parse((await getJson(api('/plugins?author=lindqvist'))).body);
    assert.deepEqual(byAuthor.plugins.map((p) => p.name).sort(), ['loki', 'size-guard']);
    const rated = SearchResult.parse((await getJson(api('/plugins?min_rating=4.5&per_page=100'))).body);
    assert.ok(rated.total > 0);
    for (const p of rated.plugins) assert.ok(p.rating >= 4.5, `${p.name} rating ${p.rating}`);
    assert.ok(!rated.plugins.some((p) => p.name === 'dedupe'), 'unrated plugin excluded');
  });

  test('sorts by downloads, rating, name and updated', async () => {
    for (const [sort, key, dir] of [
      ['downloads', 'downloads', -1],
      ['rating', 'rating', -1],
      ['updated', 'published_at', -1],
      ['name', 'name', 1],
    ] as const) {
      const r = SearchResult.parse((await getJson(api(`/plugins?sort=${sort}&per_page=100`))).body);
      const values = r.plugins.map((p) => p[key]);
      const sorted = [...values].sort((a, b) => (a! < b! ? -dir : a! > b! ? dir : 0));
      if (sort !== 'updated') assert.deepEqual(values, sorted, `sort=${sort}`);
      else {
        // updated = newest release of any kind; the shown release may be older, so check the first only.
        assert.equal(r.plugins[0]!.name, 'kafka');
      }
    }
  });

  test('paginates with page and per_page', async () => {
    const all = SearchResult.parse((await getJson(api('/plugins?per_page=100'))).body).plugins.map((p) => p.name);
    const p1 = SearchResult.parse((await getJson(api('/plugins?per_page=5&page=1'))).body);
    const p3 = SearchResult.parse((await getJson(api('/plugins?per_page=5&page=3'))).body);
    assert.equal(p1.per_page, 5);
    assert.equal(p3.page, 3);
    assert.deepEqual(
      p1.plugins.map((p) => p.name),
      all.slice(0, 5),
    );
    assert.deepEqual(
      p3.plugins.map((p) => p.name),
      all.slice(10, 15),
    );
    assert.equal(p3.total, 13);
    const beyond = SearchResult.parse((await getJson(api('/plugins?per_page=5&page=9'))).body);
    assert.equal(beyond.plugins.length, 0);
  });

  test('a bad query parameter is a 400 naming it', async () => {
    for (const [query, param] of [
      ['per_page=101', 'per_page'],
      ['per_page=0', 'per_page'],
      ['page=abc', 'page'],
      ['type=logger', 'type'],
      ['sort=stars', 'sort'],
      ['min_rating=9', 'min_rating'],
    ] as const) {
      const { status, body } = await getJson(api(`/plugins?${query}`));
      assert.equal(status, 400, query);
      const err = ErrorBody.parse(body);
      assert.equal(err.error.code, 'invalid_parameter');
      assert.match(err.error.message, new RegExp(param), query);
    }
  });
});

describe('GET /plugins/search', () => {
  test('finds by name prefix, description words and author, with filters', async () => {
    const lok = SearchResult.parse((await getJson(api('/plugins/search?q=lok'))).body);
    assert.deepEqual(
      lok.plugins.map((p) => p.name),
      ['loki'],
    );
    const trace = SearchResult.parse((await getJson(api('/plugins/search?q=trace%20ids'))).body);
    assert.ok(trace.plugins.some((p) => p.name === 'otel'));
    const kube = SearchResult.parse((await getJson(api('/plugins/search?q=kubernetes'))).body);
    assert.deepEqual(
      kube.plugins.map((p) => p.name),
      ['k8s-metadata'],
    );
    const redact = SearchResult.parse((await getJson(api('/plugins/search?q=redact&type=redactor'))).body);
    assert.deepEqual(
      redact.plugins.map((p) => p.name),
      ['redact-pii'],
    );
    const none = SearchResult.parse((await getJson(api('/plugins/search?q=zzzyx'))).body);
    assert.equal(none.total, 0);
  });

  test('FTS syntax in the query is treated as text, not as a query language', async () => {
    const { status, body } = await getJson(api(`/plugins/search?q=${encodeURIComponent('"loki* ^(')}`));
    assert.equal(status, 200);
    assert.deepEqual(
      SearchResult.parse(body).plugins.map((p) => p.name),
      ['loki'],
    );
    for (const q of ['NEAR(', 'a OR', '"', '*', 'AND NOT']) {
      const r = await getJson(api(`/plugins/search?q=${encodeURIComponent(q)}`));
      assert.equal(r.status, 200, q);
      SearchResult.parse(r.body);
    }
  });
});

describe('GET /plugins/{name}', () => {
  test('answers by short name, package name and any PEP 503 spelling', async () => {
    const a = Plugin.parse((await getJson(api('/plugins/redact-pii'))).body);
    const b = Plugin.parse((await getJson(api('/plugins/fapilog-redact-pii'))).body);
    const c = Plugin.parse((await getJson(api('/plugins/Fapilog_Redact.PII'))).body);
    assert.deepEqual(a, b);
    assert.deepEqual(a, c);
    assert.equal(a.package, 'fapilog-redact-pii');
    assert.equal(a.name, 'redact-pii');
  });

  test('shows the newest non-yanked final release, with totals and rating', async () => {
    const datadog = Plugin.parse((await getJson(api('/plugins/datadog'))).body);
    assert.equal(datadog.version, '1.1.0', 'pre-release 1.2.0rc1 is not shown');
    assert.equal(datadog.downloads, 1320 + 2011 + 1874 + 88);
    assert.equal(datadog.rating_count, 3);
    assert.equal(datadog.rating, 4.33);
    assert.match(datadog.checksum ?? '', /^[0-9a-f]{64}$/);
    const kafka = Plugin.parse((await getJson(api('/plugins/kafka'))).body);
    assert.equal(kafka.version, '3.1.0');
    assert.equal(kafka.fapilog_compatibility, '>=0.18.1');
    assert.equal(kafka.published_at, '2026-02-11T09:00:00+00:00');
  });

  test('unknown plugin is 404; names that could escape a path are 400', async () => {
    const missing = await getJson(api('/plugins/no-such-plugin'));
    assert.equal(missing.status, 404);
    assert.equal(ErrorBody.parse(missing.body).error.code, 'not_found');
    for (const evil of ['..%2F..%2Fetc', '..', '.%2E', 'a%5Cb', 'x%00y', '%2Fetc%2Fpasswd']) {
      const r = await getJson(api(`/plugins/${evil}`));
      assert.ok(r.status === 400 || r.status === 404, `${evil}: ${r.status}`);
      assert.ok(ErrorBody.safeParse(r.body).success, evil);
    }
    const traversal = await getJson(api('/plugins/..%2F..%2Fetc'));
    assert.equal(traversal.status, 400);
    assert.equal(traversal.body.error.code, 'invalid_name');
  });
});

describe('versions, release and download', () => {
  test('versions are PEP 440 ascending and releases match them', async () => {
    const v = VersionsResponse.parse((await getJson(api('/plugins/datadog/versions'))).body);
    assert.deepEqual(v.versions, ['0.9.0', '1.0.0', '1.1.0', '1.2.0rc1']);
    assert.deepEqual(v.versions, [...v.versions].sort(compare));
    assert.deepEqual(
      v.releases.map((r) => r.version),
      v.versions,
    );
    for (const r of v.releases) {
      assert.equal(r.files.length, 1);
      assert.ok(r.files[0]!.url.startsWith(`${server.url}/files/fapilog-datadog/`));
    }
  });

  test('a release carries compatibility, yanked state and files', async () => {
    const yanked = Release.parse((await getJson(api('/plugins/sampling/versions/1.2.0'))).body);
    assert.equal(yanked.yanked, true);
    assert.match(yanked.yanked_reason ?? '', /fixed in 1\.2\.1/);
    const fixed = Release.parse((await getJson(api('/plugins/sampling/versions/1.2.1'))).body);
    assert.equal(fixed.yanked, false);
    assert.ok(satisfies('0.16.0', fixed.fapilog_compatibility));
    // PEP 440 equality: 1.2.1.0 is 1.2.1
    const same = Release.parse((await getJson(api('/plugins/sampling/versions/1.2.1.0'))).body);
    assert.equal(same.version, '1.2.1');
    assert.equal((await getJson(api('/plugins/sampling/versions/9.9.9'))).status, 404);
    const bad = await getJson(api('/plugins/sampling/versions/not..a..version'));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_version');
  });

  test('download counts only a GET answered 200: not HEAD, not 304', async () => {
    const downloads = async () => Plugin.parse((await getJson(api('/plugins/sampling'))).body).downloads;
    const url = api('/plugins/sampling/versions/1.2.1/download');
    const start = await downloads();
    const head = await fetch(url, { method: 'HEAD' });
    await head.arrayBuffer();
    assert.equal(head.status, 200);
    assert.equal(await downloads(), start, 'HEAD is not a download');
    const got = await fetch(url);
    assert.equal(got.status, 200);
    DownloadInfo.parse(await got.json());
    assert.equal(await downloads(), start + 1, 'GET 200 is one download');
    const etag = got.headers.get('etag');
    assert.ok(etag);
    const cached = await fetch(url, { headers: { 'If-None-Match': etag } });
    await cached.arrayBuffer();
    assert.equal(cached.status, 304);
    assert.equal(await downloads(), start + 1, 'a 304 is not a download');
  });

  test('download returns url, filename, sha256 and counts a download', async () => {
    const before = Plugin.parse((await getJson(api('/plugins/loki'))).body).downloads;
    const d = DownloadInfo.parse((await getJson(api('/plugins/loki/versions/1.4.0/download'))).body);
    assert.equal(d.filename, 'fapilog_loki-1.4.0-py3-none-any.whl');
    const after = Plugin.parse((await getJson(api('/plugins/loki'))).body).downloads;
    assert.equal(after, before + 1);
    const file = await fetch(d.url);
    assert.equal(file.status, 200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), d.sha256);
  });
});

describe('batch and fapilog versions', () => {
  test('batch keys are the names exactly as requested; unknown and invalid names are null', async () => {
    const { status, body } = await getJson(api('/plugins/batch?names=loki,fapilog-Kafka,nope,..%2Fx'));
    assert.equal(status, 200);
    const b = BatchResponse.parse(body);
    assert.deepEqual(Object.keys(b.plugins).sort(), ['../x', 'fapilog-Kafka', 'loki', 'nope'].sort());
    assert.equal(b.plugins['loki']!.plugin.name, 'loki');
    assert.equal(b.plugins['loki']!.releases.length, 4);
    assert.equal(b.plugins['fapilog-Kafka']!.plugin.package, 'fapilog-kafka');
    assert.equal(b.plugins['nope'], null);
    assert.equal(b.plugins['../x'], null);
    const empty = await getJson(api('/plugins/batch'));
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /names/);
  });

  test('fapilog versions are PEP 440 ascending', async () => {
    const v = FapilogVersions.parse((await getJson(api('/fapilog/versions'))).body);
    assert.equal(v.versions[0], '0.3.0');
    assert.equal(v.versions.at(-1), '0.19.0rc1');
    assert.deepEqual(v.versions, [...v.versions].sort(compare));
    assert.ok(v.versions.indexOf('0.10.0') > v.versions.indexOf('0.8.0'));
  });
});

describe('HTTP behaviour', () => {
  test('every GET has an ETag and If-None-Match gets a 304 without a body', async () => {
    for (const p of ['/plugins', '/plugins/loki', '/plugins/loki/versions', '/plugins/batch?names=loki', '/fapilog/versions']) {
      const first = await fetch(api(p));
      await first.arrayBuffer();
      const etag = first.headers.get('etag');
      assert.ok(etag, `${p} has an ETag`);
      const second = await fetch(api(p), { headers: { 'If-None-Match': etag } });
      assert.equal(second.status, 304, p);
      assert.equal(await second.text(), '');
      assert.equal(second.headers.get('etag'), etag);
      const other = await fetch(api(p), { headers: { 'If-None-Match': '"something-else"' } });
      assert.equal(other.status, 200);
      await other.arrayBuffer();
    }
  });

  test('the ETag changes when the data changes', async () => {
    const a = await fetch(api('/plugins/cloudwatch'));
    await a.arrayBuffer();
    await (await fetch(api('/plugins/cloudwatch/versions/0.5.0/download'))).arrayBuffer();
    const b = await fetch(api('/plugins/cloudwatch'), { headers: { 'If-None-Match': a.headers.get('etag')! } });
    assert.equal(b.status, 200);
    assert.notEqual(b.headers.get('etag'), a.headers.get('etag'));
    await b.arrayBuffer();
  });

  test('errors have the error shape; unknown endpoints 404, wrong methods 405', async () => {
    const unknown = await getJson(`${server.url}/api/v1/nothing`);
    assert.equal(unknown.status, 404);
    ErrorBody.parse(unknown.body);
    const wrong = await getJson(api('/plugins/loki'), { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    ErrorBody.parse(wrong.body);
    assert.ok(wrong.headers.get('allow'));
  });

  test('timestamps are ISO 8601 with +00:00', async () => {
    const v = VersionsResponse.parse((await getJson(api('/plugins/otel/versions'))).body);
    assert.ok(v.releases.length > 0, 'otel has releases');
    for (const r of v.releases) assert.match(r.published_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  });
});
