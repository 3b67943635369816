/** The simple API in both forms, files to releases, and metadata to the contract's records. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSourceSettings, DEFAULT_INDEX_URL } from '../../../src/core/config.ts';
import { fapilogCompatibility, fileVersion, groupReleases, metadataFile, toPlugin, toRelease } from '../../../src/core/index/releases.ts';
import { parseProjectList, parseProjectPage, SimpleParseError } from '../../../src/core/index/simple.ts';
import { parseCoreMetadata } from '../../../src/core/publish/metadata.ts';

const SHA = 'a'.repeat(64);

describe('simple API pages', () => {
  test('PEP 691 JSON: relative URLs resolved, yanks, core-metadata (PEP 714) and dist-info-metadata (PEP 658)', () => {
    const page = parseProjectPage(
      JSON.stringify({
        meta: { 'api-version': '1.1' },
        name: 'fapilog-loki',
        files: [
          {
            filename: 'fapilog_loki-1.0.0-py3-none-any.whl',
            url: '../../files/fapilog_loki-1.0.0-py3-none-any.whl',
            hashes: { sha256: SHA },
            'core-metadata': { sha256: SHA },
            'upload-time': '2025-01-02T03:04:05.123456Z',
          },
          {
            filename: 'fapilog_loki-1.1.0-py3-none-any.whl',
            url: 'https://files.example/x.whl#sha256=' + SHA,
            hashes: {},
            yanked: 'broken',
            'dist-info-metadata': true,
          },
          { filename: 'fapilog_loki-1.2.0.tar.gz', url: '/f/fapilog_loki-1.2.0.tar.gz', hashes: { sha256: SHA }, yanked: true },
        ],
      }),
      'http://idx.example/simple/fapilog-loki/',
      'fapilog-loki',
    );
    assert.deepEqual(
      page.files.map((f) => [f.url, f.sha256, f.yanked, f.coreMetadata]),
      [
        ['http://idx.example/files/fapilog_loki-1.0.0-py3-none-any.whl', SHA, false, true],
        ['https://files.example/x.whl', SHA, 'broken', true],
        ['http://idx.example/f/fapilog_loki-1.2.0.tar.gz', SHA, '', false],
      ],
    );
    const releases = groupReleases(page.files, 'fapilog-loki');
    assert.deepEqual(
      releases.map((r) => [r.version, r.yanked]),
      [
        ['1.0.0', false],
        ['1.1.0', 'broken'],
        ['1.2.0', ''],
      ],
    );
    assert.equal(toRelease('fapilog-loki', releases[0]!, null).published_at, '2025-01-02T03:04:05+00:00');
    // No PEP 700 upload time: unknown (null), not the epoch.
    const untimed = toRelease('fapilog-loki', releases[1]!, null);
    assert.equal(untimed.published_at, null);
    assert.equal(toPlugin(untimed, null).published_at, null);
  });

  test('PEP 503 HTML: entities, data-yanked, data-core-metadata="false" and a file of another project', () => {
    const html = `<html><body>
      <a href="../../files/fapilog_kafka-2.0.0-py3-none-any.whl#sha256=${SHA}" data-requires-python="&gt;=3.10" data-core-metadata="sha256=${SHA}">fapilog_kafka-2.0.0-py3-none-any.whl</a><br/>
      <a href='../../files/fapilog_kafka-2.1.0-py3-none-any.whl' data-yanked="bad &amp; sad" data-core-metadata="false">fapilog_kafka-2.1.0-py3-none-any.whl</a>
      <a href="../../files/fapilog-kafka-2.2.0.tar.gz" data-dist-info-metadata>fapilog-kafka-2.2.0.tar.gz</a>
      <a href="../../files/other-1.0-py3-none-any.whl">other-1.0-py3-none-any.whl</a>
    </body></html>`;
    const page = parseProjectPage(html, 'http://127.0.0.1:1/simple/fapilog-kafka/', 'fapilog-kafka');
    assert.deepEqual(
      page.files.map((f) => [f.filename, f.requiresPython, f.yanked, f.coreMetadata]),
      [
        ['fapilog_kafka-2.0.0-py3-none-any.whl', '>=3.10', false, true],
        ['fapilog_kafka-2.1.0-py3-none-any.whl', null, 'bad & sad', false],
        ['fapilog-kafka-2.2.0.tar.gz', null, false, true],
        ['other-1.0-py3-none-any.whl', null, false, false],
      ],
    );
    const releases = groupReleases(page.files, 'fapilog-kafka');
    assert.deepEqual(
      releases.map((r) => r.version),
      ['2.0.0', '2.1.0', '2.2.0'],
    );
    // An sdist with a metadata file speaks for its release when there is no wheel.
    assert.equal(metadataFile(releases[2]!)?.filename, 'fapilog-kafka-2.2.0.tar.gz');
  });

  test('the root page in both forms; an unexpected shape names the field', () => {
    assert.deepEqual(parseProjectList('{"meta":{"api-version":"1.0"},"projects":[{"name":"fapilog-loki"},{"name":"requests"}]}'), [
      'fapilog-loki',
      'requests',
    ]);
    assert.deepEqual(parseProjectList('<a href="/simple/fapilog-loki/">fapilog-loki</a>\n<a href="/simple/x/">x</a>'), [
      'fapilog-loki',
      'x',
    ]);
    assert.throws(
      () => parseProjectList('{"meta":{"api-version":"1.0"},"projects":[{"nom":"x"}]}'),
      (err: unknown) => err instanceof SimpleParseError && /projects\[0\]\.name/.test(err.message),
    );
    assert.throws(() => parseProjectPage('{"meta":{"api-version":"2.0"},"name":"x","files":[]}', 'http://x/simple/x/', 'x'), /api-version/);
    assert.throws(
      () => parseProjectPage('<a href="javascript:alert(1)">x-1.0.tar.gz</a>', 'http://x/simple/x/', 'x'),
      /not an http\(s\) URL/,
    );
  });
});

describe('files to releases', () => {
  test('versions come from wheel and sdist names of this project only', () => {
    assert.equal(fileVersion('fapilog_loki-1.4.0-py3-none-any.whl', 'fapilog-loki'), '1.4.0');
    assert.equal(fileVersion('fapilog_loki-1.4.0-1-py3-none-any.whl', 'fapilog-loki'), '1.4.0');
    assert.equal(fileVersion('fapilog-loki-1.4.0rc1.tar.gz', 'fapilog-loki'), '1.4.0rc1');
    assert.equal(fileVersion('fapilog_loki-1.4.0.zip', 'Fapilog.Loki'), '1.4.0');
    assert.equal(fileVersion('fapilog_lokix-1.4.0-py3-none-any.whl', 'fapilog-loki'), null);
    assert.equal(fileVersion('fapilog_loki-1.4.0.exe', 'fapilog-loki'), null);
  });

  test("the fapilog requirement's specifier is the compatibility; extras and other names are not", () => {
    const meta = (lines: string[]) =>
      parseCoreMetadata(['Metadata-Version: 2.1', 'Name: fapilog-x', 'Version: 1.0', ...lines, ''].join('\n'));
    assert.equal(fapilogCompatibility(meta(['Requires-Dist: httpx>=0.27', 'Requires-Dist: fapilog<0.20,>=0.15'])), '<0.20,>=0.15');
    assert.equal(fapilogCompatibility(meta(['Requires-Dist: fapilog (>=0.12)'])), '>=0.12');
    assert.equal(fapilogCompatibility(meta(['Requires-Dist: fapilog>=0.1; extra == "dev"', 'Requires-Dist: fapilog-core>=1'])), '');
    const release = toRelease(
      'fapilog-x',
      { version: '1.0', files: [], yanked: false },
      meta(['Requires-Dist: fapilog>=0.14', 'Requires-Dist: httpx', 'Requires-Dist: pytest; extra == "test"']),
    );
    assert.deepEqual([release.fapilog_compatibility, release.dependencies], ['>=0.14', ['httpx']]);
  });
});

describe('which source', () => {
  test('nothing configured: PyPI; an index beats a marketplace at the same level; a flag beats the environment', () => {
    const pypi = resolveSourceSettings({}, {});
    assert.equal(pypi.kind, 'index');
    assert.equal(pypi.kind === 'index' && pypi.index.url, DEFAULT_INDEX_URL);
    assert.equal(pypi.chosenBy, 'default');
    const env = { FAPILOG_INDEX_URL: 'http://idx/simple', FAPILOG_MARKETPLACE_URL: 'http://m/api/v1' };
    const both = resolveSourceSettings({}, env);
    assert.deepEqual([both.kind, both.kind === 'index' && both.index.url, both.chosenBy], ['index', 'http://idx/simple/', 'env']);
    const flag = resolveSourceSettings({ url: 'http://m2/api/v1' }, env);
    assert.deepEqual([flag.kind, flag.chosenBy], ['marketplace', 'flag']);
    const market = resolveSourceSettings({}, { FAPILOG_MARKETPLACE_URL: 'http://m/api/v1' });
    assert.equal(market.kind, 'marketplace');
  });
});
