/**
 * publishMain, the Action's publish mode, called in-process the way src/action/runner.ts calls it:
 * `build: true` runs `python -m build` through deps.exec (here a real process runner; on this
 * offline machine it adds --no-isolation, which GitHub runners do not need), dry runs, strict
 * mode, missing tokens and another owner's token, against the real reference server.
 */
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findOnPath, publishMain, type PublishConfig } from '../../src/action/publish.ts';
import { symlink } from 'node:fs/promises';
import { resolveMarketplaceSettings } from '../../src/core/config.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { build, cleanupTemp, copyExample, PYTHON, run, tempDir } from '../core/publish/helpers.ts';

let server: TestServer;
let owner: string;
let project: string;

before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('fapilog-examples');
  project = await copyExample();
});
after(async () => {
  await server?.stop();
  await cleanupTemp();
});

const calls: Array<{ cmd: string; args: string[]; cwd: string | undefined }> = [];
/** Runs the command for real; `python -m build` gets the offline flags Debian's build needs here. */
const exec = async (cmd: string, args: string[], opts?: { cwd?: string }): Promise<number> => {
  calls.push({ cmd, args, cwd: opts?.cwd });
  const real = cmd === 'python' || cmd === 'python3' ? PYTHON : cmd;
  const realArgs =
    args[0] === '-m' && args[1] === 'build' ? ['-m', 'build', '--no-isolation', '--skip-dependency-check', ...args.slice(2)] : args;
  return (await run(real, realArgs, opts?.cwd ? { cwd: opts.cwd } : {})).code;
};

async function config(extra: Partial<PublishConfig> & { token?: string | undefined }): Promise<PublishConfig> {
  const { token, ...rest } = extra;
  return {
    packagesDir: path.join(await tempDir(), 'dist'),
    projectDir: project,
    ref: 'refs/tags/v1.0.0',
    dryRun: false,
    strict: false,
    build: false,
    settings: resolveMarketplaceSettings({ url: server.apiUrl, token, cacheDir: await tempDir() }, {}),
    ...rest,
  };
}

describe('publishMain', () => {
  test('build: true with an empty packages dir runs python -m build through deps.exec (dry run)', async () => {
    const cfg = await config({ build: true, dryRun: true });
    const lines: string[] = [];
    const r = await publishMain(cfg, { exec, log: (l) => lines.push(l) });
    assert.equal(r.status, 'dry-run', r.summaryMarkdown);
    assert.equal(r.failed, false);
    assert.equal(r.version, '1.0.0');
    assert.equal(r.url, null);
    assert.deepEqual(calls.at(-1), { cmd: 'python', args: ['-m', 'build', '--outdir', cfg.packagesDir, project], cwd: project });
    assert.deepEqual((await readdir(cfg.packagesDir)).sort(), [
      'fapilog_stdout_json-1.0.0-py3-none-any.whl',
      'fapilog_stdout_json-1.0.0.tar.gz',
    ]);
    assert.match(r.summaryMarkdown, /🧪 dry run/);
    assert.match(r.summaryMarkdown, /\| `fapilog_stdout_json-1\.0\.0\.tar\.gz` \| 3\.\d KiB \(\d+ bytes\) \| `[0-9a-f]{64}` \|/);
    assert.ok(
      lines.some((l) => /sha256:[0-9a-f]{64}/.test(l)),
      'the log lists sha256 too',
    );
    const published = await fetch(`${server.apiUrl}/plugins/stdout-json`);
    assert.equal(published.status, 404, 'a dry run uploads nothing');
  });

  test('build: true falls back to python3 when python is not on PATH; neither: a clear failure', async () => {
    // A PATH like a Debian runner's without setup-python: python3 only.
    const bin = await tempDir('fapilog-bin-');
    await symlink(PYTHON, path.join(bin, 'python3'));
    const which = (cmd: string) => findOnPath(cmd, { PATH: bin });
    assert.equal(which('python'), null);
    const cfg = await config({ build: true, dryRun: true });
    const lines: string[] = [];
    const r = await publishMain(cfg, { exec, which, log: (l) => lines.push(l) });
    assert.equal(r.status, 'dry-run', r.summaryMarkdown);
    assert.deepEqual(calls.at(-1), { cmd: 'python3', args: ['-m', 'build', '--outdir', cfg.packagesDir, project], cwd: project });
    assert.ok(lines.includes(`building: python3 -m build --outdir ${cfg.packagesDir} ${project}`), lines.join('\n'));
    assert.deepEqual((await readdir(cfg.packagesDir)).sort(), [
      'fapilog_stdout_json-1.0.0-py3-none-any.whl',
      'fapilog_stdout_json-1.0.0.tar.gz',
    ]);

    const none = await publishMain(await config({ build: true, dryRun: true }), {
      exec,
      which: (cmd) => findOnPath(cmd, { PATH: `${bin}-missing` }),
      log: () => {},
    });
    assert.equal(none.status, 'failed');
    assert.equal(
      none.failureMessage,
      'build: true needs Python, and neither `python` nor `python3` is on PATH (add actions/setup-python before this step)',
    );
  });

  test('a failing build fails the step with its exit code', async () => {
    const broken = await copyExample();
    await writeFile(path.join(broken, 'pyproject.toml'), '[project\n');
    const r = await publishMain(await config({ build: true, projectDir: broken }), { exec, log: () => {} });
    assert.equal(r.status, 'failed');
    assert.match(r.failureMessage ?? '', /python -m build exited with [1-9]/);
    // @actions/exec rejects instead of returning a non-zero code: reported the same way.
    const rejecting = async () => {
      throw new Error("The process '/usr/bin/python' failed with exit code 1");
    };
    const r2 = await publishMain(await config({ build: true, projectDir: broken }), { exec: rejecting, log: () => {} });
    assert.match(r2.failureMessage ?? '', /python -m build failed: The process '\/usr\/bin\/python' failed with exit code 1/);
  });

  test('no files and build: false: wheel-missing in the summary, step failed', async () => {
    const r = await publishMain(await config({}), { exec, log: () => {} });
    assert.equal(r.failed, true);
    assert.match(r.failureMessage ?? '', /wheel-missing/);
    assert.match(r.summaryMarkdown, /\| ❌ error \| `wheel-missing` \|/);
  });

  test('--strict: a wheel without an sdist fails; without strict the warning is only listed', async () => {
    const wheelOnly = await build(project, { only: 'wheel' });
    const strict = await publishMain(await config({ packagesDir: wheelOnly, strict: true, dryRun: true }), { log: () => {} });
    assert.equal(strict.status, 'failed');
    assert.match(strict.summaryMarkdown, /\| ❌ warning \(strict\) \| `sdist-missing` \|/);
    const lenient = await publishMain(await config({ packagesDir: wheelOnly, dryRun: true }), { log: () => {} });
    assert.equal(lenient.status, 'dry-run');
    assert.match(lenient.summaryMarkdown, /\| ⚠️ warning \| `sdist-missing` \|/);
  });

  test('no token: failed, saying which input to set', async () => {
    const dist = await build(project);
    const r = await publishMain(await config({ packagesDir: dist }), { log: () => {} });
    assert.equal(r.status, 'failed');
    assert.match(r.failureMessage ?? '', /publishing needs a token: set the `token` input/);
  });

  test("published with the owner's token; another owner's token gets a 403 naming the credential, not its value", async () => {
    const dist = await build(project);
    const ok = await publishMain(await config({ packagesDir: dist, token: owner }), { log: () => {} });
    assert.equal(ok.status, 'published', ok.summaryMarkdown);
    assert.equal(ok.url, `${server.apiUrl}/plugins/stdout-json/versions/1.0.0`);

    const stranger = await server.createToken('someone-else');
    const r = await publishMain(await config({ packagesDir: dist, token: stranger }), { log: () => {} });
    assert.equal(r.status, 'failed');
    assert.match(
      r.failureMessage ?? '',
      /the token given to the action \(`token` input or FAPILOG_MARKETPLACE_TOKEN\) may not publish fapilog-stdout-json \(HTTP 403/,
    );
    assert.match(r.failureMessage ?? '', /needs a token of the plugin's owner/);
    assert.ok(!r.failureMessage?.includes(stranger) && !r.summaryMarkdown.includes(stranger));
  });

  test('a branch ref skips the tag comparison (and says so)', async () => {
    const dist = await build(project);
    const lines: string[] = [];
    const r = await publishMain(await config({ packagesDir: dist, ref: 'refs/heads/main', dryRun: true }), { log: (l) => lines.push(l) });
    assert.equal(r.status, 'dry-run');
    assert.ok(lines.some((l) => /refs\/heads\/main is not a tag/.test(l)));
  });
});
