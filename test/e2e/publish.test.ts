/**
 * End to end, as a plugin author and then a user would meet it: examples/plugin built with
 * python3 -m build, published by the bundled Action (`node dist/index.js`, Node 24) on a tag to
 * the real reference marketplace, re-run (unchanged), bumped with `fapilog-plugins version` and
 * published again; then pip installs it from the marketplace's simple index with
 * --require-hashes, and `outdated` reports an app pinned to the previous version as outdated.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { run as runProgram } from '../../src/cli/program.ts';
import { BUNDLE_ENTRY, runAction } from '../action/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { build, cleanupTemp, copyExample, PYTHON, run, tempDir } from '../core/publish/helpers.ts';

/** The bundled Action as a GitHub runner starts it, with the combined log a step shows. */
async function runBundle(inputs: Record<string, string>, env: Record<string, string>) {
  const r = await runAction({ entry: BUNDLE_ENTRY, workspace, inputs, env });
  return { ...r, log: r.stdout + r.stderr };
}

let server: TestServer;
let token: string;
let workspace: string;
let project: string;
let cacheDir: string;
const published: Record<string, Array<{ filename: string; sha256: string }>> = {};

before(async () => {
  assert.ok(existsSync(BUNDLE_ENTRY), 'dist/index.js is missing: run `npm run bundle`');
  server = await startTestServer({ seed: true });
  token = await server.createToken('fapilog-examples');
  project = await copyExample();
  workspace = path.dirname(project);
  // The Action's metadata cache goes here, never to the user's ~/.cache.
  cacheDir = await tempDir('fapilog-e2e-cache-');
});
after(async () => {
  await server?.stop();
  await cleanupTemp();
});

async function sha256s(dist: string): Promise<Array<{ filename: string; sha256: string }>> {
  const { createHash } = await import('node:crypto');
  const names = (await readdir(dist)).sort();
  return Promise.all(
    names.map(async (filename) => ({
      filename,
      sha256: createHash('sha256')
        .update(await readFile(path.join(dist, filename)))
        .digest('hex'),
    })),
  );
}

const inputs = () => ({
  command: 'publish',
  path: 'plugin',
  'packages-dir': 'dist',
  token,
  'marketplace-url': server.apiUrl,
  'cache-dir': cacheDir,
});

test('the Action publishes 1.0.0 from its tag, and a re-run is unchanged', async () => {
  const dist = await build(project, { outDir: path.join(project, 'dist') });
  published['1.0.0'] = await sha256s(dist);

  const first = await runBundle(inputs(), { GITHUB_REF: 'refs/tags/v1.0.0' });
  assert.equal(first.code, 0, first.log);
  assert.equal(first.outputs['status'], 'published');
  assert.equal(first.outputs['version'], '1.0.0');
  assert.equal(first.outputs['url'], `${server.apiUrl}/plugins/stdout-json/versions/1.0.0`);
  for (const f of published['1.0.0']) {
    assert.ok(first.summary.includes(`| \`${f.filename}\` |`), `${f.filename} in the summary`);
    assert.ok(first.summary.includes(`\`${f.sha256}\``), `${f.filename} sha256 in the summary`);
  }
  assert.match(first.summary, /No findings\./);
  // `::add-mask::<token>` is how the runner tells GitHub to mask it; nothing else may show it.
  const printed = first.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
  assert.ok(first.log.includes(`::add-mask::${token}`), 'the token is masked');
  assert.ok(!printed.some((l) => l.includes(token)) && !first.summary.includes(token), 'the token is never printed');
  process.stdout.write(`\n--- publish summary (e2e) ---\n${first.summary}--- end ---\n`);

  assert.ok((await readdir(cacheDir, { recursive: true })).length > 0, 'the Action cached marketplace metadata in its cache-dir');

  const again = await runBundle(inputs(), { GITHUB_REF: 'refs/tags/v1.0.0' });
  assert.equal(again.code, 0, again.log);
  assert.equal(again.outputs['status'], 'unchanged');
  assert.equal(again.outputs['version'], '1.0.0');
});

test('a tag that disagrees with the project fails the step before uploading, naming the fix', async () => {
  const r = await runBundle(inputs(), { GITHUB_REF: 'refs/tags/v1.1.0' });
  assert.equal(r.code, 1);
  assert.equal(r.outputs['status'], 'failed');
  assert.match(r.summary, /tag-mismatch/);
  assert.match(r.summary, /fapilog-plugins version 1\.1\.0/);
  const versions = (await (await fetch(`${server.apiUrl}/plugins/stdout-json/versions`)).json()) as { versions: string[] };
  assert.deepEqual(versions.versions, ['1.0.0']);
});

test('bumped with `fapilog-plugins version minor`, rebuilt and published as 1.1.0', async () => {
  const bump = await runCli(['version', 'minor', project]);
  assert.equal(bump.code, 0, bump.stderr);
  assert.match(bump.stdout, /tag to push: v1\.1\.0/);
  await rm(path.join(project, 'dist'), { recursive: true });
  const dist = await build(project, { outDir: path.join(project, 'dist') });
  published['1.1.0'] = await sha256s(dist);
  assert.deepEqual(
    published['1.1.0'].map((f) => f.filename),
    ['fapilog_stdout_json-1.1.0-py3-none-any.whl', 'fapilog_stdout_json-1.1.0.tar.gz'],
  );

  const r = await runBundle(inputs(), { GITHUB_REF: 'refs/tags/v1.1.0' });
  assert.equal(r.code, 0, r.log);
  assert.equal(r.outputs['status'], 'published');
  assert.equal(r.outputs['version'], '1.1.0');
});

test('pip installs 1.1.0 from the marketplace simple index with --require-hashes, and it imports', async () => {
  const target = await tempDir('fapilog-pip-target-');
  const req = path.join(await tempDir(), 'req.txt');
  const hashes = (published['1.1.0'] ?? []).map((f) => ` --hash=sha256:${f.sha256}`).join('');
  await writeFile(req, `fapilog-stdout-json==1.1.0${hashes}\n`);
  const pip = await run(PYTHON, [
    '-m',
    'pip',
    'install',
    '--no-deps',
    '--target',
    target,
    '--no-cache-dir',
    '--disable-pip-version-check',
    '--index-url',
    `${server.url}/simple/`,
    '--require-hashes',
    '-r',
    req,
  ]);
  assert.equal(pip.code, 0, pip.stdout + pip.stderr);
  assert.ok(existsSync(path.join(target, 'fapilog_stdout_json-1.1.0.dist-info')), 'installed 1.1.0');
  const check = await run(
    PYTHON,
    ['-c', 'import fapilog_stdout_json as m; print(m.__version__, m.PLUGIN_METADATA["plugin_type"], m.StdoutJsonSink.name)'],
    {
      env: { ...process.env, PYTHONPATH: target, PYTHONDONTWRITEBYTECODE: '1' },
    },
  );
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.stdout.trim(), '1.1.0 sink stdout_json');

  // A wrong hash is refused: --require-hashes really checks what the marketplace serves.
  await writeFile(req, `fapilog-stdout-json==1.1.0 --hash=sha256:${'0'.repeat(64)}\n`);
  const bad = await run(PYTHON, [
    '-m',
    'pip',
    'install',
    '--no-deps',
    '--target',
    await tempDir(),
    '--no-cache-dir',
    '--disable-pip-version-check',
    '--index-url',
    `${server.url}/simple/`,
    '--require-hashes',
    '-r',
    req,
  ]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout + bad.stderr, /hash/i);
});

test('`outdated` on an app pinned to 1.0.0 reports the plugin outdated, latest 1.1.0', async () => {
  const app = path.join(await tempDir('fapilog-app-'), 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'requirements.txt'), 'fapilog==0.18.1\nfapilog-stdout-json==1.0.0\n');
  let stdout = '';
  let stderr = '';
  const code = await runProgram(['--marketplace-url', server.apiUrl, '--cache-dir', await tempDir(), 'outdated', app, '--json'], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { PATH: process.env['PATH'] ?? '' },
    cwd: app,
    isTTY: false,
    columns: 120,
  });
  assert.equal(code, 1, stderr);
  const report = JSON.parse(stdout) as {
    plugins: Array<{ package: string; current: string | null; latest: string | null; latestCompatible: string | null; status: string }>;
  };
  const entry = report.plugins.find((p) => p.package === 'fapilog-stdout-json');
  assert.ok(entry, stdout);
  assert.equal(entry.status, 'outdated');
  assert.equal(entry.current, '1.0.0');
  assert.equal(entry.latest, '1.1.0');
  assert.equal(entry.latestCompatible, '1.1.0');
});
