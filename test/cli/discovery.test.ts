/** `search`, `list` and `info` against the reference server's demo catalog, human and --json. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Plugin, Release, SearchResult, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { tempDir } from '../core/marketplace/settings.ts';

let server: TestServer;
let M: string[];
before(async () => {
  server = await startTestServer({ seed: true });
  M = ['--marketplace-url', server.apiUrl, '--cache-dir', tempDir()];
});
after(() => server.stop());

const ESC = '\u001b[';

describe('list', () => {
  test('human: an aligned table of the catalog with a page footer', async () => {
    const r = await runCli(['list', ...M]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+VERSION\s+TYPE\s+RATING\s+DOWNLOADS\s+DESCRIPTION$/);
    const loki = lines.find((l) => l.startsWith('loki '));
    assert.ok(loki, r.stdout);
    assert.match(loki, /^loki\s+1\.4\.0\s+sink\s+4\.5 \(8\)\s+18,785\s+Ship structured log events/);
    // Columns line up: every row has its VERSION where the header has it.
    const at = lines[0]!.indexOf('VERSION');
    for (const line of lines.slice(1, -1)) assert.match(line.slice(at), /^\d/, line);
    assert.match(lines.at(-1)!, /^1-13 of 13 plugins \(page 1 of 1\)$/);
    assert.ok(!r.stdout.includes(ESC), 'no colour when stdout is not a terminal');
  });

  test('--json: the parsed payload alone, honouring filters, sort and paging', async () => {
    const r = await runCli(['list', '--type', 'sink', '--sort', 'downloads', '--per-page', '2', '--page', '2', '--json', ...M]);
    assert.equal(r.code, 0, r.stderr);
    const result = SearchResult.parse(JSON.parse(r.stdout));
    assert.equal(result.page, 2);
    assert.equal(result.per_page, 2);
    assert.ok(result.total >= 4);
    assert.equal(result.plugins.length, 2);
    assert.ok(result.plugins.every((p) => p.plugin_type === 'sink'));
    const all = SearchResult.parse(
      JSON.parse((await runCli(['list', '--type', 'sink', '--sort', 'downloads', '--per-page', '100', '--json', ...M])).stdout),
    );
    const downloads = all.plugins.map((p) => p.downloads);
    assert.deepEqual(
      downloads,
      [...downloads].sort((a, b) => b - a),
    );
    assert.deepEqual(
      result.plugins.map((p) => p.name),
      all.plugins.slice(2, 4).map((p) => p.name),
    );
  });

  test('--min-rating and --author filter', async () => {
    const rated = SearchResult.parse(JSON.parse((await runCli(['list', '--min-rating', '4.5', '--json', ...M])).stdout));
    assert.ok(rated.plugins.length > 0);
    assert.ok(rated.plugins.every((p) => p.rating >= 4.5));
    const author = rated.plugins[0]!.author;
    const byAuthor = SearchResult.parse(JSON.parse((await runCli(['list', '--author', author, '--json', ...M])).stdout));
    assert.ok(byAuthor.plugins.length > 0 && byAuthor.plugins.every((p) => p.author === author));
  });

  test('colour on a terminal, none with NO_COLOR', async () => {
    const tty = await runCli(['list', ...M], { isTTY: true });
    assert.ok(tty.stdout.includes(`${ESC}1mNAME`), 'bold header');
    assert.ok(tty.stdout.includes(`${ESC}36mloki`), 'cyan names');
    const noColor = await runCli(['list', ...M], { isTTY: true, env: { NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes(ESC));
    // no-color.org: an empty NO_COLOR is the same as none.
    const empty = await runCli(['list', ...M], { isTTY: true, env: { NO_COLOR: '' } });
    assert.ok(empty.stdout.includes(`${ESC}36mloki`), 'NO_COLOR= leaves colour on');
    const json = await runCli(['list', '--json', ...M], { isTTY: true });
    assert.ok(!json.stdout.includes(ESC));
  });

  test('FORCE_COLOR beside NO_COLOR: forces colour on a pipe, FORCE_COLOR=0 turns it off on a terminal, never under --json', async () => {
    const piped = await runCli(['list', ...M], { isTTY: false, env: { FORCE_COLOR: '1' } });
    assert.ok(piped.stdout.includes(`${ESC}36mloki`), 'FORCE_COLOR=1 colours a pipe');
    const empty = await runCli(['list', ...M], { isTTY: false, env: { FORCE_COLOR: '' } });
    assert.ok(empty.stdout.includes(`${ESC}36mloki`), 'FORCE_COLOR= counts as set, as Node reads it');
    const over = await runCli(['list', ...M], { isTTY: false, env: { FORCE_COLOR: '3', NO_COLOR: '1' } });
    assert.ok(over.stdout.includes(ESC), 'FORCE_COLOR wins over NO_COLOR, as in Node');
    for (const off of ['0', 'false']) {
      const r = await runCli(['list', ...M], { isTTY: true, env: { FORCE_COLOR: off } });
      assert.ok(!r.stdout.includes(ESC), `FORCE_COLOR=${off} on a terminal`);
    }
    const json = await runCli(['list', '--json', ...M], { isTTY: true, env: { FORCE_COLOR: '1' } });
    assert.ok(!json.stdout.includes(ESC));
  });

  test('the table fits a narrow terminal, long descriptions end in …', async () => {
    const r = await runCli(['list', ...M], { isTTY: true, columns: 72, env: { NO_COLOR: '1' } });
    assert.equal(r.code, 0);
    for (const line of r.stdout.trimEnd().split('\n')) assert.ok([...line].length <= 72, `${[...line].length}: ${line}`);
    assert.ok(r.stdout.includes('…'));
  });

  test('piped (not a terminal), nothing is cut short whatever the width', async () => {
    const r = await runCli(['list', ...M], { isTTY: false, columns: 72 });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('…'), r.stdout);
    const json = SearchResult.parse(JSON.parse((await runCli(['list', '--json', ...M])).stdout));
    for (const plugin of json.plugins) assert.ok(r.stdout.includes(plugin.description), plugin.description);
  });

  for (const [args, option] of [
    [['--per-page', '0'], '--per-page'],
    [['--per-page', '101'], '--per-page'],
    [['--page', 'two'], '--page'],
    [['--page', '1.5'], '--page'],
    [['--min-rating', '6'], '--min-rating'],
    [['--min-rating', 'high'], '--min-rating'],
    [['--type', 'database'], '--type'],
    [['--sort', 'stars'], '--sort'],
  ] as const) {
    test(`a bad value (${args.join(' ')}) is exit 2 with one line naming the option`, async () => {
      const r = await runCli(['list', ...args, ...M]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, new RegExp(`^error: option '${option} <\\w+>' argument '${args[1]}' is invalid`));
    });
  }
});

describe('search', () => {
  test('human and --json find the matching plugins', async () => {
    const human = await runCli(['search', 'loki', ...M]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^loki\s+1\.4\.0\s+sink/m);
    const json = SearchResult.parse(JSON.parse((await runCli(['search', 'kafka', '--json', ...M])).stdout));
    assert.ok(json.plugins.some((p) => p.name === 'kafka'));
    assert.ok(json.plugins.every((p) => /kafka/i.test(`${p.name} ${p.description} ${p.author}`)));
  });

  test('search combined with --type', async () => {
    const json = SearchResult.parse(JSON.parse((await runCli(['search', 'log', '--type', 'enricher', '--json', ...M])).stdout));
    assert.ok(json.plugins.every((p) => p.plugin_type === 'enricher'));
  });

  test('no match: a friendly line and exit 0', async () => {
    const r = await runCli(['search', 'zzzznothing', ...M]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No plugins match "zzzznothing".\n');
  });

  test('a query is required', async () => {
    const r = await runCli(['search', ...M]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: missing required argument 'query'\n");
  });
});

describe('info', () => {
  test('human: details, compatibility, releases newest first and the files of the latest', async () => {
    const r = await runCli(['info', 'fapilog-loki', ...M]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^loki 1\.4\.0 {2}\(fapilog-loki\)\n/);
    assert.match(r.stdout, /^ {2}fapilog\s+>=0\.15,<0\.20$/m);
    assert.match(r.stdout, /^ {2}Type\s+sink$/m);
    const releases = r.stdout.split('Releases\n')[1]!.split('\n\n')[0]!.split('\n');
    assert.match(releases[0]!, /^VERSION\s+FAPILOG\s+PYTHON\s+PUBLISHED\s+STATUS$/);
    assert.deepEqual(
      releases.slice(1).map((l) => l.split(/\s+/)[0]),
      ['1.4.0', '1.3.0', '1.2.0', '1.0.0'],
    );
    assert.match(releases[1]!, /latest$/);
    assert.match(r.stdout, /Files of 1\.4\.0\nFILENAME\s+SIZE\s+SHA256\nfapilog_loki-1\.4\.0-py3-none-any\.whl\s+\d/);
  });

  test('a version is found by PEP 440 equality: 1.3 and 1.3.0.0 are 1.3.0', async () => {
    for (const asked of ['1.3', '1.3.0.0', '1.3.0']) {
      const r = await runCli(['info', 'loki', asked, ...M]);
      assert.equal(r.code, 0, `${asked}: ${r.stderr}`);
      assert.match(r.stdout, /Files of 1\.3\.0\nFILENAME\s+SIZE\s+SHA256\nfapilog_loki-1\.3\.0-py3-none-any\.whl\s/, asked);
      const json = JSON.parse((await runCli(['info', 'loki', asked, '--json', ...M])).stdout) as { release: { version: string } | null };
      assert.equal(json.release?.version, '1.3.0', asked);
    }
    const bad = await runCli(['info', 'loki', '1.3.x', ...M]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: loki has no release 1\.3\.x /);
  });

  test('with a version, everything release-specific comes from that release', async () => {
    const r = await runCli(['info', 'loki', '1.3', ...M]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^loki 1\.3\.0 {2}\(fapilog-loki\) {2}latest: 1\.4\.0\n/);
    assert.match(r.stdout, /^ {2}fapilog\s+>=0\.14,<0\.19$/m);
    assert.match(r.stdout, /^ {2}Python\s+>=3\.10$/m);
    assert.match(r.stdout, /^ {2}Dependencies\s+httpx>=0\.25$/m);
    assert.match(r.stdout, /^ {2}Install\s+pip install "fapilog-loki==1\.3\.0"$/m);
    assert.doesNotMatch(r.stdout, /1\.4\.0"|>=0\.15,<0\.20\n|httpx>=0\.27/);

    const yanked = await runCli(['info', 'sampling', '1.2.0', ...M]);
    assert.equal(yanked.code, 0, yanked.stderr);
    assert.match(yanked.stdout, /^sampling 1\.2\.0 {2}\(fapilog-sampling\) {2}yanked, latest: 1\.2\.1\n/);
    assert.match(yanked.stdout, /^ {2}Yanked\s+drops every event/m);
  });

  test('--json with a version: release is that release; without one, the latest', async () => {
    const r = await runCli(['info', 'loki', '1.3', '--json', ...M]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { plugin: unknown; release: unknown };
    const release = Release.parse(json.release);
    assert.equal(release.version, '1.3.0');
    assert.equal(release.fapilog_compatibility, '>=0.14,<0.19');
    assert.equal(Plugin.parse(json.plugin).version, '1.4.0');
    const latest = JSON.parse((await runCli(['info', 'loki', '--json', ...M])).stdout) as { release: unknown };
    assert.equal(Release.parse(latest.release).version, '1.4.0');
  });

  test('piped output keeps the whole sha256; a narrow terminal shortens it', async () => {
    const json = JSON.parse((await runCli(['info', 'loki', '--json', ...M])).stdout) as { release: unknown };
    const sha = Release.parse(json.release).files[0]!.sha256;
    assert.match(sha, /^[0-9a-f]{64}$/);
    const piped = await runCli(['info', 'loki', ...M], { isTTY: false, columns: 80 });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, new RegExp(`^fapilog_loki-1\\.4\\.0-py3-none-any\\.whl\\s+\\S+ \\S+\\s+${sha}$`, 'm'));
    const tty = await runCli(['info', 'loki', ...M], { isTTY: true, columns: 80, env: { NO_COLOR: '1' } });
    assert.ok(!tty.stdout.includes(sha));
    assert.match(tty.stdout, new RegExp(`${sha.slice(0, 8)}[0-9a-f]*…$`, 'm'));
  });

  test('a yanked release is marked with its reason; a pre-release is marked', async () => {
    const sampling = await runCli(['info', 'sampling', ...M]);
    assert.match(sampling.stdout, /^1\.2\.0\s.*yanked: drops every event/m);
    const datadog = await runCli(['info', 'datadog', '1.2.0rc1', ...M]);
    assert.match(datadog.stdout, /^1\.2\.0rc1\s.*pre-release$/m);
    assert.match(datadog.stdout, /Files of 1\.2\.0rc1\n/);
  });

  test('--json: plugin, versions and releases, parsed with the contract', async () => {
    const r = await runCli(['info', 'loki', '--json', ...M]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { plugin: unknown };
    const plugin = Plugin.parse(json.plugin);
    const history = VersionsResponse.parse(json);
    assert.equal(plugin.package, 'fapilog-loki');
    assert.deepEqual(history.versions, ['1.0.0', '1.2.0', '1.3.0', '1.4.0']);
    assert.equal(history.releases.length, 4);
  });

  test('an unknown plugin or version is exit 2 with one line', async () => {
    const r = await runCli(['info', 'no-such-plugin', ...M]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `error: no plugin named "no-such-plugin" in the marketplace at ${server.apiUrl}\n`);
    const v = await runCli(['info', 'loki', '9.9.9', ...M]);
    assert.equal(v.code, 2);
    assert.match(v.stderr, /^error: loki has no release 9\.9\.9 \(known: 1\.0\.0, 1\.2\.0, 1\.3\.0, 1\.4\.0\)\n$/);
  });

  test('--help describes the command', async () => {
    const r = await runCli(['info', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: fapilog-plugins info \[options\] <name> \[version\]/);
  });
});

describe('newcomer frictions', () => {
  test('search: filters that exclude everything are named, with what the words alone find', async () => {
    const r = await runCli(['search', 'loki', '--type', 'enricher', '--min-rating', '4', ...M]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No plugins match "loki" with --type enricher, --min-rating 4; [1-9]\d* match without these filters\.\n$/);
    const none = await runCli(['search', 'zzzznothing', '--author', 'Nobody', ...M]);
    assert.equal(none.stdout, 'No plugins match "zzzznothing" (even without --author "Nobody").\n');
    const list = await runCli(['list', '--author', 'Nobody At All', ...M]);
    assert.equal(list.stdout, 'No plugins match the filters --author "Nobody At All".\n');
  });

  test('info on a yanked release does not suggest installing it, but the newest release that is not yanked', async () => {
    const r = await runCli(['info', 'sampling', '1.2.0', ...M]);
    assert.equal(r.code, 0, r.stderr);
    const install = r.stdout.split('\n').find((l) => /^\s+Install\s/.test(l));
    assert.equal(install?.trim().replace(/\s+/, ' '), 'Install not recommended: 1.2.0 is yanked; pip install "fapilog-sampling==1.2.1"');
    assert.doesNotMatch(r.stdout, /pip install "fapilog-sampling==1\.2\.0"/);
    const latest = await runCli(['info', 'sampling', ...M]);
    assert.match(latest.stdout, /^\s+Install\s+pip install "fapilog-sampling==1\.2\.1"$/m);
  });

  test('a marketplace URL without /api/v1 that answers 404 gets a hint', async () => {
    const r = await runCli(['list', '--marketplace-url', server.url, '--cache-dir', tempDir()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /404/);
    assert.match(
      r.stderr,
      new RegExp(
        `\\(the marketplace API is usually under /api/v1: try --marketplace-url ${server.url.replace(/\./g, '\\.')}/api/v1\\)\\n$`,
      ),
    );
    // With the prefix a 404 is just that: no hint.
    const wrong = await runCli(['list', '--marketplace-url', `${server.url}/api/v2`, '--cache-dir', tempDir()]);
    assert.equal(wrong.code, 2);
    assert.doesNotMatch(wrong.stderr, /usually under/);
  });
});
