/**
 * Every finding code, each from a broken variant of examples/plugin: copy the project, break one
 * thing, build it for real with python3 -m build (or, for metadata hatchling refuses to build,
 * make the wheel with fflate), and check that exactly the expected findings appear with the
 * table's severity. Marketplace checks ask the real reference server.
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
import { build, cleanupTemp, copyExample, edit, makeWheel, pool, tempDir } from './helpers.ts';

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
const readme = (dir: string) => path.join(dir, 'README.md');

interface Variant {
  /** Changes before the build. */
  change?: (dir: string) => Promise<void>;
  only?: 'wheel' | 'sdist';
}

/** Each variant is one real build of a copy of examples/plugin with one thing broken. */
const VARIANTS = {
  base: {},
  'not-a-plugin-name': { change: (d) => edit(pyproject(d), (t) => t.replace('name = "fapilog-stdout-json"', 'name = "stdout-json"')) },
  'no-fapilog': {
    change: (d) => edit(pyproject(d), (t) => t.replace(/dependencies = \[\n  "fapilog>=0.14,<0.20",\n\]/, 'dependencies = ["orjson>=3"]')),
  },
  'fapilog-no-specifier': { change: (d) => edit(pyproject(d), (t) => t.replace('"fapilog>=0.14,<0.20"', '"fapilog"')) },
  'fapilog-future': { change: (d) => edit(pyproject(d), (t) => t.replace('"fapilog>=0.14,<0.20"', '"fapilog>=5,<6"')) },
  'fapilog-unbounded': { change: (d) => edit(pyproject(d), (t) => t.replace('"fapilog>=0.14,<0.20"', '"fapilog>=0.14"')) },
  'no-entry-point': {
    change: (d) => edit(pyproject(d), (t) => t.replace(/\[project\.entry-points\."fapilog\.sinks"\]\nstdout_json = .*\n/, '')),
  },
  'legacy-group': {
    change: (d) =>
      edit(pyproject(d), (t) =>
        t.replace(
          '[tool.hatch.build.targets.wheel]',
          '[project.entry-points."fapilog.plugins"]\nstdout_json = "fapilog_stdout_json:StdoutJsonSink"\n\n[tool.hatch.build.targets.wheel]',
        ),
      ),
  },
  'no-readme': {
    change: async (d) => {
      await edit(pyproject(d), (t) => t.replace('readme = "README.md"\n', ''));
      await rm(readme(d));
    },
  },
  'no-license': {
    change: async (d) => {
      await edit(pyproject(d), (t) => t.replace('license = "MIT"\n', '').replace('  "License :: OSI Approved :: MIT License",\n', ''));
      await rm(path.join(d, 'LICENSE'));
    },
  },
  'template-readme': { change: (d) => edit(readme(d), (t) => t.replace('## Install', 'TODO: describe your plugin\n\n## Install')) },
  'http-image': {
    change: (d) => edit(readme(d), (t) => t.replace('## Install', '![build](http://ci.example.com/badge.png)\n\n## Install')),
  },
  'no-urls': { change: (d) => edit(pyproject(d), (t) => t.replace(/\[project\.urls\]\n(.*\n){2}/, '')) },
  'wheel-only': { only: 'wheel' },
  'sdist-only': { only: 'sdist' },
  'readme-edited': {
    change: (d) =>
      edit(readme(d), (t) => t.replace('ready for container log collectors.', 'ready for container log collectors and for humans.')),
  },
  'version-2': { change: (d) => edit(pyproject(d), (t) => t.replace('version = "1.0.0"', 'version = "2.0.0"')) },
} satisfies Record<string, Variant>;
type VariantName = keyof typeof VARIANTS;

const built = {} as Record<VariantName, { dir: string; dist: string }>;
let server: TestServer;
let cacheDir: string;
let online: MarketplaceClient;

before(async () => {
  server = await startTestServer({ seed: true });
  cacheDir = await tempDir('fapilog-cache-');
  online = clientFor(server.apiUrl, cacheDir);
  await pool(
    (Object.entries(VARIANTS) as Array<[VariantName, Variant]>).map(([name, v]) => async () => {
      const dir = await copyExample();
      if (v.change) await v.change(dir);
      built[name] = { dir, dist: await build(dir, v.only ? { only: v.only } : {}) };
    }),
  );
});

after(async () => {
  await server?.stop();
  await cleanupTemp();
});

async function plan(name: VariantName, opts: Partial<DiskPrepareOptions> = {}): Promise<PublishPlan> {
  const b = built[name];
  return preparePublishOnDisk({ projectDir: b.dir, distDir: b.dist, tag: 'v1.0.0', client: online, ...opts });
}

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
    const p = await plan('not-a-plugin-name');
    expectFindings(p, ['name-not-plugin']);
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
    expectFindings(await plan('no-fapilog'), ['fapilog-requirement-missing']);
  });

  test('fapilog-specifier-invalid: bare "fapilog"; a wheel with a garbage specifier', async () => {
    expectFindings(await plan('fapilog-no-specifier'), ['fapilog-specifier-invalid']);
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
    const p = await plan('fapilog-future');
    expectFindings(p, ['fapilog-specifier-unsatisfiable']);
    assert.match(p.findings[0]?.message ?? '', /newest 0\.19\.0rc1/);
  });

  test('entry-point-missing: no entry point in a fapilog group', async () => {
    const p = await plan('no-entry-point');
    expectFindings(p, ['entry-point-missing']);
    assert.equal(p.pluginType, null);
    assert.equal(p.metadata, null);
  });

  test('readme-missing: no readme field and no README file', async () => {
    expectFindings(await plan('no-readme'), ['readme-missing']);
  });

  test('license-missing: no license field, classifier or file', async () => {
    expectFindings(await plan('no-license'), ['license-missing']);
  });

  test('wheel-missing: only an sdist was built (sdist-only projects still get checked from PKG-INFO)', async () => {
    const p = await plan('sdist-only');
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
    const p = await plan('legacy-group');
    expectFindings(p, ['entry-point-legacy-group']);
    assert.equal(p.pluginType, 'sink');
  });

  test('fapilog-specifier-unbounded: >=0.14 with no upper bound', async () => {
    const p = await plan('fapilog-unbounded');
    expectFindings(p, ['fapilog-specifier-unbounded']);
    assert.equal(p.metadata?.fapilog_compatibility, '>=0.14');
  });

  test('sdist-missing: only a wheel was built', async () => {
    expectFindings(await plan('wheel-only'), ['sdist-missing']);
  });

  test('readme-template: the README still has the template TODO', async () => {
    expectFindings(await plan('template-readme'), ['readme-template']);
  });

  test('repository-url-missing: no [project.urls]', async () => {
    const p = await plan('no-urls');
    expectFindings(p, ['repository-url-missing']);
    // Without a repository, relative links stay as written.
    assert.match(p.metadata?.readme ?? '', /\]\(docs\/configuration\.md\)/);
  });

  test('readme-insecure-image: an image over plain http', async () => {
    const p = await plan('http-image');
    expectFindings(p, ['readme-insecure-image']);
    assert.match(p.findings[0]?.message ?? '', /http:\/\/ci\.example\.com\/badge\.png/);
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
    const v2 = await plan('version-2', { client, tag: 'v2.0.0' });
    expectFindings(v2, []);
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

  test('version-taken: 1.0.0 rebuilt with a different README; the server says 409 too', async () => {
    const client = await fresh();
    const p = await plan('readme-edited', { client });
    expectFindings(p, ['version-taken']);
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

  test('metadata-mismatch: the sdist of another build (fapilog>=0.14) next to the wheel (>=0.14,<0.20)', async () => {
    const v = await afterBuild('base', async (_d, dist) => {
      const other = built['fapilog-unbounded'].dist;
      const sdist = (await readdir(other)).find((f) => f.endsWith('.tar.gz'))!;
      await cp(path.join(other, sdist), path.join(dist, sdist));
    });
    const p = await preparePublishOnDisk({ projectDir: v.dir, distDir: v.dist, client: online });
    expectFindings(p, ['metadata-mismatch']);
    const said = `fapilog_compatibility: fapilog_stdout_json-1.0.0.tar.gz's PKG-INFO says ">=0.14", but fapilog_stdout_json-1.0.0-py3-none-any.whl's METADATA says ">=0.14,<0.20"`;
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
