/**
 * Every finding code from real files: one real build of examples/plugin (python3 -m build), copies
 * of it changed after the build (stale files, a broken pyproject.toml, a file removed), and
 * wheels made with fflate for what the metadata says (no build needed: the rules only see the
 * METADATA, and rules.test.ts covers each rule's words from plain facts). Checks that exactly the
 * expected findings appear with the table's severity; marketplace checks ask the real reference
 * server, and what it refuses it refuses with the same words.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { strToU8, unzipSync, zipSync } from 'fflate';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveMarketplaceSettings } from '../../../src/core/config.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { executePublish } from '../../../src/core/publish/execute.ts';
import { FINDINGS, FINDING_CODES, type FindingCode } from '../../../src/core/publish/findings.ts';
import type { PublishPlan } from '../../../src/core/publish/plan.ts';
import { preparePublishOnDisk, type DiskPrepareOptions } from '../../../src/core/publish/disk-plugin.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { build, cleanupTemp, copyExample, edit, makeWheel, tempDir } from './helpers.ts';

const covered = new Set<FindingCode>();

function codes(plan: PublishPlan): string[] {
  return plan.findings.map((f) => f.code).sort();
}

/** Exactly these codes, each with the severity the table gives it, and a one-line message and fix. */
function expectFindings(plan: PublishPlan, expected: FindingCode[]): void {
  assert.deepEqual(codes(plan), [...expected].sort(), plan.findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
  for (const f of plan.findings) {
    assert.equal(f.severity, FINDINGS[f.code].severity, f.code);
    assert.ok(f.message.length > 0 && !f.message.includes('\n'), `${f.code} message is one line`);
    assert.ok(f.fix.length > 0 && !f.fix.includes('\n'), `${f.code} fix is one line`);
    covered.add(f.code);
  }
}

function clientFor(url: string, cacheDir: string): MarketplaceClient {
  return new MarketplaceClient(resolveMarketplaceSettings({ url, cacheDir }, {}), { retries: 0, timeoutMs: 5000 });
}

const pyproject = (dir: string) => path.join(dir, 'pyproject.toml');

const BASE = 'base';
type VariantName = typeof BASE;

const built = {} as Record<VariantName, { dir: string; dist: string }>;
let server: TestServer;
let cacheDir: string;
let online: MarketplaceClient;

before(async () => {
  server = await startTestServer({ seed: true });
  cacheDir = await tempDir('fapilog-cache-');
  online = clientFor(server.apiUrl, cacheDir);
  const dir = await copyExample();
  built[BASE] = { dir, dist: await build(dir) };
});

after(async () => {
  await server?.stop();
  await cleanupTemp();
});

async function plan(name: VariantName, opts: Partial<DiskPrepareOptions> = {}): Promise<PublishPlan> {
  const b = built[name];
  return preparePublishOnDisk({ projectDir: b.dir, distDir: b.dist, tag: 'v1.0.0', client: online, ...opts });
}

/** A project holding only one constructed wheel in dist/ (no pyproject.toml): findings from its METADATA alone. */
async function constructed(wheel: Parameters<typeof makeWheel>[0], opts: Partial<DiskPrepareOptions> = {}): Promise<PublishPlan> {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'dist'));
  const w = makeWheel(wheel);
  await writeFile(path.join(dir, 'dist', w.filename), w.data);
  return preparePublishOnDisk({ projectDir: dir, client: online, ...opts });
}

const LICENSE = 'License-Expression: MIT';
const REPO = 'Project-URL: Repository, https://github.com/o/r';
const MD = 'Description-Content-Type: text/markdown';
/** A constructed wheel's headers with this fapilog requirement (null: none). */
const requiring = (fapilog: string | null) => [...(fapilog ? [`Requires-Dist: ${fapilog}`] : []), LICENSE, REPO, MD];

/** A variant's project with its dist copied, to change things after the build (stale files). */
async function afterBuild(name: VariantName, change: (dir: string, dist: string) => Promise<void>): Promise<{ dir: string; dist: string }> {
  const dir = path.join(await tempDir(), 'plugin');
  await cp(built[name].dir, dir, { recursive: true });
  const dist = path.join(dir, 'dist');
  await cp(built[name].dist, dist, { recursive: true });
  await change(dir, dist);
  return { dir, dist };
}

describe('the example plugin', () => {
  test('builds into a wheel and an sdist with no findings, described as a sink', async () => {
    const p = await plan('base');
    expectFindings(p, []);
    assert.equal(p.package, 'fapilog-stdout-json');
    assert.equal(p.name, 'stdout-json');
    assert.equal(p.version, '1.0.0');
    assert.equal(p.pluginType, 'sink');
    assert.deepEqual(
      p.files.map((f) => f.kind),
      ['wheel', 'sdist'],
    );
    for (const f of p.files) {
      assert.match(f.sha256, /^[0-9a-f]{64}$/);
      assert.equal(f.size, f.data.byteLength);
    }
    assert.equal(p.metadata?.fapilog_compatibility, '>=0.14,<0.20');
    assert.equal(p.metadata?.license, 'MIT');
    assert.equal(p.metadata?.repository, 'https://github.com/fapilog-examples/fapilog-stdout-json');
    assert.equal(p.metadata?.author, 'Example Author');
    assert.equal(p.metadata?.requires_python, '>=3.10');
    assert.match(
      p.metadata?.readme ?? '',
      /raw\.githubusercontent\.com\/fapilog-examples\/fapilog-stdout-json\/v1\.0\.0\/docs\/output\.svg/,
    );
    assert.equal(p.alreadyPublished, false);
  });
});

describe('errors', () => {
  test('name-not-plugin: the distribution is not fapilog-*', async () => {
    const p = await constructed({ name: 'stdout-json' });
    expectFindings(p, ['name-not-plugin', 'sdist-missing']);
    assert.match(p.findings[0]?.fix ?? '', /fapilog-stdout-json/);
  });

  test('name-mismatch: pyproject renamed after the build', async () => {
    const v = await afterBuild('base', (d) =>
      edit(pyproject(d), (t) => t.replace('name = "fapilog-stdout-json"', 'name = "fapilog-other"')),
    );
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['name-mismatch']);
    assert.match(p.findings[0]?.message ?? '', /fapilog-other/);
  });

  test('version-invalid: pyproject holds a non-PEP 440 version; a wheel says "banana"', async () => {
    const v = await afterBuild('base', (d) => edit(pyproject(d), (t) => t.replace('version = "1.0.0"', 'version = "one.two"')));
    expectFindings(await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online }), ['version-invalid']);

    const dir = await tempDir();
    await mkdir(path.join(dir, 'dist'));
    const wheel = makeWheel({ version: 'banana' });
    await writeFile(path.join(dir, 'dist', wheel.filename), wheel.data);
    expectFindings(await preparePublishOnDisk({ projectDir: dir, client: online }), ['version-invalid', 'sdist-missing']);
  });

  test('version-mismatch: pyproject bumped after the build (stale dist)', async () => {
    const v = await afterBuild('base', (d) => edit(pyproject(d), (t) => t.replace('version = "1.0.0"', 'version = "1.0.1"')));
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['version-mismatch']);
    assert.match(p.findings[0]?.message ?? '', /pyproject\.toml says 1\.0\.1/);
  });

  test('tag-mismatch: names the tag, both versions and the version command', async () => {
    const p = await plan('base', { tag: 'refs/tags/v1.2.0' });
    expectFindings(p, ['tag-mismatch']);
    const f = p.findings[0];
    assert.match(f?.message ?? '', /tag v1\.2\.0 names version 1\.2\.0, but the project's version is 1\.0\.0/);
    assert.match(f?.fix ?? '', /fapilog-plugins version 1\.2\.0/);
    // A `v` prefix, none, or another spelling of the same version all match.
    for (const tag of ['v1.0.0', '1.0.0', 'V1.0', 'refs/tags/v1.0.0']) expectFindings(await plan('base', { tag }), []);
  });

  test('fapilog-requirement-missing: no fapilog in the dependencies', async () => {
    expectFindings(await constructed({ headers: requiring('orjson>=3') }), ['fapilog-requirement-missing', 'sdist-missing']);
  });

  test('fapilog-specifier-invalid: bare "fapilog"; a wheel with a garbage specifier', async () => {
    expectFindings(await constructed({ headers: requiring('fapilog') }), ['fapilog-specifier-invalid', 'sdist-missing']);
    const dir = await tempDir();
    await mkdir(path.join(dir, 'dist'));
    const wheel = makeWheel({
      headers: ['Requires-Dist: fapilog (>=zero)', 'License-Expression: MIT', 'Project-URL: Repository, https://github.com/o/r'],
    });
    await writeFile(path.join(dir, 'dist', wheel.filename), wheel.data);
    const p = await preparePublishOnDisk({ projectDir: dir, client: online });
    expectFindings(p, ['fapilog-specifier-invalid', 'sdist-missing']);
    assert.match(p.findings.find((f) => f.code === 'fapilog-specifier-invalid')?.message ?? '', />=zero/);
  });

  test('fapilog-specifier-unsatisfiable: >=5,<6 admits no fapilog the marketplace knows', async () => {
    const p = await constructed({ headers: requiring('fapilog<6,>=5') });
    expectFindings(p, ['fapilog-specifier-unsatisfiable', 'sdist-missing']);
    assert.match(p.findings[0]?.message ?? '', /newest 0\.19\.0rc1/);
  });

  test('entry-point-missing: no entry point in a fapilog group', async () => {
    const p = await constructed({ entryPoints: null });
    expectFindings(p, ['entry-point-missing', 'sdist-missing']);
    assert.equal(p.pluginType, null);
    assert.equal(p.metadata, null);
  });

  test('readme-missing: no readme field and no README file', async () => {
    expectFindings(await constructed({ description: '' }), ['readme-missing', 'sdist-missing']);
  });

  test('license-missing: no license field, classifier or file', async () => {
    expectFindings(await constructed({ headers: [`Requires-Dist: fapilog<0.20,>=0.14`, REPO, MD] }), ['license-missing', 'sdist-missing']);
  });

  test('wheel-missing: only an sdist is there (sdist-only projects still get checked from PKG-INFO)', async () => {
    const v = await afterBuild('base', async (_d, dist) => {
      for (const f of await readdir(dist)) if (f.endsWith('.whl')) await rm(path.join(dist, f));
    });
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, tag: 'v1.0.0', client: online });
    expectFindings(p, ['wheel-missing']);
    assert.equal(p.version, '1.0.0');
  });

  test('file-too-large: every file over the configured limit', async () => {
    const p = await plan('base', { maxFileSize: 2000 });
    expectFindings(p, ['file-too-large', 'file-too-large']);
    assert.match(p.findings[0]?.message ?? '', /is 3\.\d KiB, over the 2\.0 KiB limit/);
  });

  test('artifact-unreadable: a .whl that is not a zip', async () => {
    const v = await afterBuild('base', (_d, dist) => writeFile(path.join(dist, 'fapilog_stdout_json-1.0.0-py2-none-any.whl'), 'not a zip'));
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['artifact-unreadable']);
    assert.match(p.findings[0]?.message ?? '', /py2-none-any\.whl: not a readable zip/);
  });

  test('pyproject-invalid: broken TOML, and a field of the wrong type', async () => {
    const broken = await afterBuild('base', (d) => edit(pyproject(d), (t) => t.replace('[project]', '[project')));
    const p = await preparePublishOnDisk({ projectDir: broken.dir, distDir: broken.dist, client: online });
    expectFindings(p, ['pyproject-invalid']);
    const wrong = await afterBuild('base', (d) =>
      edit(pyproject(d), (t) => t.replace('requires-python = ">=3.10"', 'requires-python = 3.10')),
    );
    const q = await preparePublishOnDisk({ projectDir: wrong.dir, distDir: wrong.dist, client: online });
    expectFindings(q, ['pyproject-invalid']);
    assert.match(q.findings[0]?.message ?? '', /project\.requires-python/);
  });
});

describe('warnings', () => {
  test('entry-point-legacy-group: a fapilog.plugins entry point next to the real one', async () => {
    const p = await constructed({ entryPoints: '[fapilog.sinks]\nx = pkg:X\n\n[fapilog.plugins]\nx = pkg:X\n' });
    expectFindings(p, ['entry-point-legacy-group', 'sdist-missing']);
    assert.equal(p.pluginType, 'sink');
  });

  test('fapilog-specifier-unbounded: >=0.14 with no upper bound', async () => {
    const p = await constructed({ headers: requiring('fapilog>=0.14') });
    expectFindings(p, ['fapilog-specifier-unbounded', 'sdist-missing']);
    assert.equal(p.metadata?.fapilog_compatibility, '>=0.14');
  });

  test('sdist-missing: only a wheel is there', async () => {
    const v = await afterBuild('base', async (_d, dist) => {
      for (const f of await readdir(dist)) if (f.endsWith('.tar.gz')) await rm(path.join(dist, f));
    });
    expectFindings(await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, tag: 'v1.0.0', client: online }), ['sdist-missing']);
  });

  test('readme-template: the README still has the template TODO', async () => {
    const description = '# x\n\nTODO: describe your plugin\n';
    expectFindings(await constructed({ description }), ['readme-template', 'sdist-missing']);
  });

  test('repository-url-missing: no [project.urls]', async () => {
    const p = await constructed({
      headers: [`Requires-Dist: fapilog<0.20,>=0.14`, LICENSE, MD],
      description: '# x\n\nSee [configuration](docs/configuration.md).\n',
    });
    expectFindings(p, ['repository-url-missing', 'sdist-missing']);
    // Without a repository, relative links stay as written.
    assert.match(p.metadata?.readme ?? '', /\]\(docs\/configuration\.md\)/);
  });

  test('readme-insecure-image: an image over plain http', async () => {
    const p = await constructed({ description: '# x\n\n![build](http://ci.example.com/badge.png)\n' });
    expectFindings(p, ['readme-insecure-image', 'sdist-missing']);
    assert.match(p.findings.find((f) => f.code === 'readme-insecure-image')?.message ?? '', /http:\/\/ci\.example\.com\/badge\.png/);
  });

  test('marketplace-unreachable: nothing listens at the marketplace URL', async () => {
    const closed = await startTestServer();
    const url = closed.apiUrl;
    await closed.stop();
    const p = await plan('base', { client: clientFor(url, await tempDir()) });
    expectFindings(p, ['marketplace-unreachable']);
  });
});

describe('against what the marketplace already has', () => {
  let market: TestServer;
  let owner: string;
  // A client answers each lookup once per lifetime (one command run), so each step gets its own.
  const fresh = async () =>
    new MarketplaceClient(resolveMarketplaceSettings({ url: market.apiUrl, token: owner, cacheDir: await tempDir() }, {}), { retries: 0 });
  before(async () => {
    market = await startTestServer({ seed: true });
    owner = await market.createToken('example-author');
  });
  after(async () => market?.stop());

  test('version-backport: 1.0.0 after 2.0.0 is published (a warning; it still publishes)', async () => {
    let client = await fresh();
    const v2 = await constructed({ version: '2.0.0' }, { client, tag: 'v2.0.0' });
    expectFindings(v2, ['sdist-missing']);
    const first = await executePublish(v2, client, { apiUrl: market.apiUrl, credential: 'test token' });
    assert.equal(first.status, 'published');

    client = await fresh();
    const p = await plan('base', { client });
    expectFindings(p, ['version-backport']);
    assert.match(p.findings[0]?.message ?? '', /1\.0\.0 is lower than the newest published version 2\.0\.0/);
    const second = await executePublish(p, client, { apiUrl: market.apiUrl, credential: 'test token' });
    assert.equal(second.status, 'published');
  });

  test('identical files are already published: no finding, and publishing again is unchanged', async () => {
    const client = await fresh();
    const p = await plan('base', { client });
    expectFindings(p, []);
    assert.equal(p.alreadyPublished, true);
    const again = await executePublish(p, client, { apiUrl: market.apiUrl, credential: 'test token' });
    assert.equal(again.status, 'unchanged');
  });

  test('version-taken: 1.0.0 again with other files; the server says 409 too', async () => {
    const client = await fresh();
    // Another wheel of 1.0.0 (not the build the marketplace has).
    const p = await constructed({}, { client });
    expectFindings(p, ['version-taken', 'sdist-missing']);
    assert.match(p.findings[0]?.message ?? '', /already published with different files/);
    assert.match(p.findings[0]?.fix ?? '', /fapilog-plugins version patch/);
    // Sent anyway (as a race with another upload would), the marketplace refuses it.
    const outcome = await executePublish(p, client, { apiUrl: market.apiUrl, credential: 'test token' });
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed' && outcome.reason === 'version-taken' && outcome.httpStatus === 409);
    assert.match(outcome.status === 'failed' ? outcome.message : '', /already taken.*new version/);
  });
});

describe('what the marketplace reads from the files (the server refuses the same, with the same words)', () => {
  const sendAnyway = async (p: PublishPlan) => {
    const client = new MarketplaceClient(
      resolveMarketplaceSettings({ url: server.apiUrl, token: await server.createToken('example-author'), cacheDir: await tempDir() }, {}),
      { retries: 0 },
    );
    return executePublish(p, client, { apiUrl: server.apiUrl, credential: 'test token' });
  };

  test('metadata-mismatch: the wheel of another build (fapilog<0.19) next to the sdist (<0.20)', async () => {
    // The wheel of another build (fapilog>=0.14,<0.19) next to this build's sdist (>=0.14,<0.20).
    const v = await afterBuild('base', async (_d, dist) => {
      const wheel = (await readdir(dist)).find((f) => f.endsWith('.whl'))!;
      const other = makeWheel({ headers: ['Requires-Python: >=3.10', ...requiring('fapilog<0.19,>=0.14')] });
      await writeFile(path.join(dist, wheel), other.data);
    });
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['metadata-mismatch']);
    const said =
      `fapilog_compatibility: fapilog_stdout_json-1.0.0.tar.gz's PKG-INFO says ">=0.14,<0.20", ` +
      `but fapilog_stdout_json-1.0.0-py3-none-any.whl's METADATA says ">=0.14,<0.19"`;
    assert.equal(p.findings[0]?.message, said);
    const outcome = await sendAnyway(p);
    assert.ok(outcome.status === 'failed' && outcome.httpStatus === 400, JSON.stringify(outcome));
    assert.ok(outcome.message.includes(said), outcome.message);
  });

  test('record-mismatch: a file of the wheel edited after the build', async () => {
    const v = await afterBuild('base', async (_d, dist) => {
      const name = (await readdir(dist)).find((f) => f.endsWith('.whl'))!;
      const files = unzipSync(new Uint8Array(await readFile(path.join(dist, name))));
      const module = Object.keys(files).find((n) => n.endsWith('/__init__.py'))!;
      files[module] = strToU8('import os\n');
      await writeFile(path.join(dist, name), zipSync(files));
    });
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['record-mismatch']);
    assert.match(
      p.findings[0]?.message ?? '',
      /^fapilog_stdout_json-1\.0\.0-py3-none-any\.whl: RECORD says "fapilog_stdout_json\/__init__\.py" has sha256=/,
    );
    const outcome = await sendAnyway(p);
    assert.ok(outcome.status === 'failed' && outcome.httpStatus === 400, JSON.stringify(outcome));
    assert.ok(outcome.message.includes(p.findings[0]!.message), outcome.message);
  });
});

test('every finding code is covered by a test above', () => {
  assert.deepEqual([...covered].sort(), [...FINDING_CODES].sort());
});
