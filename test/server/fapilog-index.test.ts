/**
 * The per-fapilog pip index with real tools: releases built with Debian's hatchling, published
 * over HTTP, and a real `pip download --index-url …/fapilog/F/simple/` for three fapilog versions
 * picks the newest release compatible with F, as Python's `packaging` says; pip resolves from the
 * PEP 658 metadata file (the server log shows `.metadata` fetched, and no other wheel).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SimpleProject } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { build, cleanupTemp, pool, PYTHON, tempDir } from '../core/publish/helpers.ts';
import { getJson, metadataFor, publish, sha256 } from './util.ts';

const run = promisify(execFile);
// No pip configuration of the machine (config files, PIP_* variables such as find-links): our index only.
const PIP_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_'))),
  PIP_CONFIG_FILE: '/dev/null',
  PIP_NO_INPUT: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};

/** Releases of fapilog-multi and the fapilog range each declares; 2.2.0 is yanked. */
const RELEASES: Array<[string, string]> = [
  ['1.0.0', '>=0.14,<0.16'],
  ['1.1.0', '>=0.15,<0.17'],
  ['2.0.0', '>=0.17,<0.19'],
  ['2.1.0', '>=0.18,<0.20'],
  ['2.2.0', '>=0.18,<0.20'],
];
const FAPILOG = ['0.14.2', '0.16.0', '0.18.1'];

let server: TestServer;
const log: string[] = [];
let tmp: string;

before(async () => {
  server = await startTestServer({ log: (line) => log.push(line) });
  tmp = await tempDir('fapilog-index-');
  const token = await server.createToken('multi-team');
  const built = await pool(
    RELEASES.map(([version, range]) => async () => {
      const dir = path.join(tmp, `src-${version}`);
      fs.mkdirSync(path.join(dir, 'src', 'fapilog_multi'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'pyproject.toml'),
        [
          '[build-system]',
          'requires = ["hatchling"]',
          'build-backend = "hatchling.build"',
          '[project]',
          'name = "fapilog-multi"',
          `version = "${version}"`,
          'requires-python = ">=3.9"',
          `dependencies = ["fapilog${range}", "definitely-not-on-this-index>=1"]`,
          '[project.entry-points."fapilog.sinks"]',
          'multi = "fapilog_multi:MultiSink"',
          '[tool.hatch.build.targets.wheel]',
          'packages = ["src/fapilog_multi"]',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(path.join(dir, 'src', 'fapilog_multi', '__init__.py'), `VERSION = "${version}"\n`);
      return { version, dist: await build(dir, { only: 'wheel' }) };
    }),
  );
  for (const { version, dist } of built) {
    const files = fs.readdirSync(dist).map((filename) => ({ filename, data: new Uint8Array(fs.readFileSync(path.join(dist, filename))) }));
    // The JSON leaves the requirements out: the marketplace reads them from the wheel.
    const { fapilog_compatibility: _c, requires_python: _p, ...meta } = metadataFor('multi', version, files);
    const r = await publish(server.apiUrl, 'multi', meta, files, token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const yank = await getJson(`${server.apiUrl}/plugins/multi/versions/2.2.0/yank`, {
    method: 'POST',
    body: JSON.stringify({ reason: 'leaks file handles' }),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  });
  assert.equal(yank.status, 200);
});

after(async () => {
  await server.stop();
  await cleanupTemp();
});

/** Python's packaging: the newest non-yanked release whose range admits the fapilog version. */
async function expectedByPackaging(fapilog: string): Promise<string> {
  const script = [
    'import json, sys',
    'from packaging.specifiers import SpecifierSet',
    'from packaging.version import Version',
    'releases, yanked, f = json.loads(sys.argv[1]), set(json.loads(sys.argv[2])), Version(sys.argv[3])',
    'ok = [Version(v) for v, spec in releases if v not in yanked and SpecifierSet(spec).contains(f, prereleases=True)]',
    'print(max(ok))',
  ].join('\n');
  const { stdout } = await run(PYTHON, ['-c', script, JSON.stringify(RELEASES), JSON.stringify(['2.2.0']), fapilog]);
  return stdout.trim();
}

test('pip download from /fapilog/F/simple/ picks the newest release compatible with F, resolving from PEP 658 metadata', async () => {
  for (const fapilog of FAPILOG) {
    const expected = await expectedByPackaging(fapilog);
    const dest = path.join(tmp, `dl-${fapilog}`);
    const from = log.length;
    const { stdout } = await run(
      PYTHON,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--no-cache-dir',
        '--disable-pip-version-check',
        '-d',
        dest,
        '--index-url',
        `${server.url}/fapilog/${fapilog}/simple/`,
        'fapilog-multi',
      ],
      { env: PIP_ENV, timeout: 90_000 },
    );
    assert.deepEqual(
      fs.readdirSync(dest),
      [`fapilog_multi-${expected}-py3-none-any.whl`],
      `fapilog ${fapilog}: packaging says ${expected}`,
    );
    assert.match(
      stdout,
      new RegExp(
        `Obtaining dependency information for fapilog-multi from \\S*/fapilog_multi-${expected.replace(/\./g, '\\.')}-py3-none-any\\.whl\\.metadata`,
      ),
    );
    assert.doesNotMatch(stdout, /Looking in links/);
    const requests = log.slice(from).filter((l) => l.startsWith('GET '));
    const metadataAt = requests.findIndex((l) =>
      l.startsWith(`GET /files/fapilog-multi/fapilog_multi-${expected}-py3-none-any.whl.metadata 200`),
    );
    const wheelAt = requests.findIndex((l) => l.startsWith(`GET /files/fapilog-multi/fapilog_multi-${expected}-py3-none-any.whl 200`));
    assert.ok(metadataAt >= 0, `the metadata file was fetched:\n${requests.join('\n')}`);
    assert.ok(wheelAt > metadataAt, `the wheel only after its metadata:\n${requests.join('\n')}`);
    // pip 23.0 fetches the chosen wheel twice when saving it; it never fetches another release's.
    const others = requests.filter((l) => /\.whl 200/.test(l) && !l.includes(`fapilog_multi-${expected}-`));
    assert.deepEqual(others, [], `no other wheel was downloaded:\n${requests.join('\n')}`);
  }
});

test('the per-fapilog project page lists only compatible, non-yanked releases; each wheel offers its metadata with the right hash', async () => {
  const page = SimpleProject.parse(
    (await getJson(`${server.url}/fapilog/0.18.1/simple/fapilog-multi/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } }))
      .body,
  );
  assert.deepEqual(
    page.files.map((f) => f.filename),
    ['fapilog_multi-2.0.0-py3-none-any.whl', 'fapilog_multi-2.1.0-py3-none-any.whl'],
  );
  for (const f of page.files) {
    const metadata = new Uint8Array(await (await fetch(`${f.url}.metadata`)).arrayBuffer());
    assert.deepEqual(f['core-metadata'], { sha256: sha256(metadata) });
    assert.equal(f['dist-info-metadata'], undefined, 'PEP 714: JSON names it core-metadata only');
    assert.match(new TextDecoder().decode(metadata), /^Requires-Dist: fapilog<0\.(19|20),>=0\.1[78]$/m);
  }
  const html = await (await fetch(`${server.url}/fapilog/0.18.1/simple/fapilog-multi/`)).text();
  assert.match(
    html,
    /fapilog_multi-2\.1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}" data-requires-python="&gt;=3\.9" data-dist-info-metadata="sha256=[0-9a-f]{64}" data-core-metadata="sha256=[0-9a-f]{64}"/,
  );
  assert.doesNotMatch(html, /2\.2\.0/, 'the yanked release is not offered');
  // The whole index still offers it, marked yanked.
  assert.match(
    await (await fetch(`${server.url}/simple/fapilog-multi/`)).text(),
    /2\.2\.0-py3-none-any\.whl[^>]*data-yanked="leaks file handles"/,
  );
  // No release for fapilog 0.13: a page without files; a bad version is a 400; an unknown plugin 404.
  const none = SimpleProject.parse(
    (await getJson(`${server.url}/fapilog/0.13.0/simple/fapilog-multi/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } }))
      .body,
  );
  assert.deepEqual(none.files, []);
  assert.equal((await fetch(`${server.url}/fapilog/banana/simple/fapilog-multi/`)).status, 400);
  assert.equal((await fetch(`${server.url}/fapilog/0.16.0/simple/fapilog-nothing/`)).status, 404);
  const root = await (await fetch(`${server.url}/fapilog/0.16.0/simple/`)).text();
  assert.match(root, /href="\/fapilog\/0\.16\.0\/simple\/fapilog-multi\/"/);
  const redirect = await fetch(`${server.url}/fapilog/0.16.0/simple/Fapilog_Multi/`, { redirect: 'manual' });
  assert.equal(redirect.headers.get('location'), '/fapilog/0.16.0/simple/fapilog-multi/');
});
