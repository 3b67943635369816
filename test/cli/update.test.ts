/**
 * `update` against the real reference marketplace (demo catalog) on 127.0.0.1, on temp copies of
 * examples/app: dry runs change nothing, real runs change exactly the specifiers and hashes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { scanProject } from '../../src/core/project/index.ts';
import { useWorkspace } from '../helpers/workspace.ts';

const ws = useWorkspace('update');
const { copyApp, cli } = ws;

function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, name);
    if (fs.statSync(abs).isFile()) files.set(name, fs.readFileSync(abs));
  }
  return files;
}

/** A uv project (in `sub` of a new directory, when given) that locks fapilog 0.16.0 and fapilog-otel 1.1.0. */
function lockedProject(sub = ''): string {
  const root = ws.tempDir('locked-');
  const dir = path.join(root, sub);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'pyproject.toml'),
    '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["fapilog==0.16.0", "fapilog-otel>=1.0,<2"]\n',
  );
  fs.writeFileSync(
    path.join(dir, 'uv.lock'),
    'version = 1\n\n[[package]]\nname = "fapilog"\nversion = "0.16.0"\n\n[[package]]\nname = "fapilog-otel"\nversion = "1.1.0"\n',
  );
  return root;
}

async function sha256Of(name: string, version: string): Promise<string> {
  const res = await fetch(`${ws.apiUrl}/plugins/${name}/versions/${version}`);
  const release = (await res.json()) as { files: Array<{ sha256: string }> };
  assert.equal(release.files.length, 1);
  return release.files[0]!.sha256;
}

describe('update', () => {
  test('--dry-run prints a unified diff and leaves every file byte for byte', async () => {
    const app = copyApp();
    const before = snapshot(app);
    const r = await cli(['update', '--path', app, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- a\/pyproject\.toml\n\+\+\+ b\/pyproject\.toml\n@@ /m);
    assert.match(r.stdout, /^-    "fapilog-otel~=1\.1",            # trace and span ids on every event$/m);
    assert.match(r.stdout, /^\+    "fapilog-otel~=2\.0",            # trace and span ids on every event$/m);
    assert.match(r.stdout, /^\+fapilog-sampling==1\.2\.1 \\$/m);
    assert.match(r.stdout, /Dry run: nothing was written\./);
    assert.deepEqual(snapshot(app), before);
  });

  test('update rewrites specifiers and hashes, nothing else, and a re-read shows them', async () => {
    const app = copyApp();
    const pyBefore = fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8');
    const reqBefore = fs.readFileSync(path.join(app, 'requirements.txt'), 'utf8');
    const devBefore = fs.readFileSync(path.join(app, 'requirements-dev.txt'));
    const r = await cli(['update', '--path', app]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fapilog-redact-pii 1\.0\.0 -> 1\.1\.0: updated requirements\.txt:3 ==1\.0\.0 -> ==1\.1\.0, hashes replaced/);

    const expectedPy = pyBefore
      .replace('"fapilog-otel~=1.1"', '"fapilog-otel~=2.0"')
      .replace('"fapilog-request-context==0.4.0"', '"fapilog-request-context==1.2.0"')
      .replace('"fapilog-cloudwatch==0.4.0"', '"fapilog-cloudwatch==0.5.0"');
    assert.equal(fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8'), expectedPy);

    const [oldPii, newPii, oldSampling, newSampling] = await Promise.all([
      sha256Of('redact-pii', '1.0.0'),
      sha256Of('redact-pii', '1.1.0'),
      sha256Of('sampling', '1.2.0'),
      sha256Of('sampling', '1.2.1'),
    ]);
    const expectedReq = reqBefore
      .replace('fapilog-redact-pii==1.0.0', 'fapilog-redact-pii==1.1.0')
      .replace(oldPii, newPii)
      .replace('fapilog-sampling==1.2.0', 'fapilog-sampling==1.2.1')
      .replace(oldSampling, newSampling);
    assert.notEqual(expectedReq, reqBefore);
    assert.equal(fs.readFileSync(path.join(app, 'requirements.txt'), 'utf8'), expectedReq);
    assert.deepEqual(fs.readFileSync(path.join(app, 'requirements-dev.txt')), devBefore, 'untouched file stays byte-identical');

    const scan = await scanProject(app);
    const spec = (file: string, name: string) => scan.manifests.find((m) => m.file === file)?.dependencies.find((d) => d.name === name);
    assert.equal(spec('pyproject.toml', 'fapilog-otel')?.rawSpecifier, '~=2.0');
    assert.equal(spec('requirements.txt', 'fapilog-sampling')?.pinned, '1.2.1');
    assert.deepEqual(
      spec('requirements.txt', 'fapilog-redact-pii')?.hashes.map((h) => h.replace(/^sha256:/, '')),
      [newPii],
    );

    // Only the held-back and unknown plugins remain to report.
    const again = await cli(['--json', 'outdated', app]);
    const report = Report.parse(JSON.parse(again.stdout));
    assert.deepEqual(report.counts, {
      'up-to-date': 8,
      outdated: 0,
      incompatible: 0,
      'held-back': 2,
      yanked: 0,
      vulnerable: 0,
      unknown: 1,
    });
    assert.equal(again.code, 1);
  });

  test('the project as a positional path, before the names, or the current directory; --ignore takes comma lists', async () => {
    const app = copyApp();
    const before = fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8');
    const r = await cli(['update', app, 'otel', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^fapilog-otel 1\.1\.0 -> 2\.0\.0: would update pyproject\.toml:\d+ ~=1\.1 -> ~=2\.0$/m);
    assert.doesNotMatch(r.stdout, /^fapilog-cloudwatch .*: would update/m, 'only the named plugin');
    // A plugin name in the project's directory: the names alone, the project is the cwd.
    const here = await cli(['update', 'otel', '--dry-run'], { cwd: app });
    assert.equal(here.code, 0, here.stderr);
    assert.match(here.stdout, /^fapilog-otel 1\.1\.0 -> 2\.0\.0: would update/m);
    // --ignore a,b never takes the path after it.
    const ignored = await cli(['update', '--ignore', 'otel,cloudwatch', '--ignore', 'sampling', app, '--dry-run']);
    assert.equal(ignored.code, 0, ignored.stderr);
    assert.match(ignored.stdout, /fapilog-redact-pii 1\.0\.0 -> 1\.1\.0: would update/);
    assert.doesNotMatch(ignored.stdout, /^fapilog-(otel|cloudwatch|sampling) .*: would update/m);
    assert.equal(fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8'), before);
    const two = await cli(['update', app, '--path', ws.tempDir('other-')]);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /^error: two project paths given/);
  });

  test('--fapilog-version other than the project pins: a warning that says both', async () => {
    const app = copyApp();
    const r = await cli(['update', app, '--fapilog-version', '0.18.0', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^warning: the updates target fapilog 0\.18\.0 \(--fapilog-version\), but the project uses fapilog 0\.16\.0 \(pinned in pyproject\.toml:7\): move fapilog to 0\.18\.0 too/m,
    );
    const same = await cli(['update', app, '--fapilog-version', '0.16.0', '--dry-run']);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stderr, '');
  });

  test('names restrict the update; a strategy is honoured; unknown names are an error', async () => {
    const app = copyApp();
    const before = fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8');
    const r = await cli(['update', 'otel', 'kafka', '--path', app, '--strategy', 'widen']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fapilog-kafka \(pyproject\.toml:10\) not updated: held-back/);
    assert.equal(
      fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8'),
      before.replace('"fapilog-otel~=1.1"', '"fapilog-otel>=1.1,<3"'),
    );

    const bad = await cli(['update', 'no-such-plugin', '--path', app]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: fapilog-no-such-plugin is not a plugin dependency of this project/);
  });

  test('--json lists changes, diffs and lock commands; --lock without the tool says what to run', async () => {
    const dir = lockedProject();
    const lockBefore = fs.readFileSync(path.join(dir, 'uv.lock'));
    const r = await ws.cli(['--json', 'update', dir, '--lock'], { env: { PATH: ws.tempDir('emptybin-') } });
    // Asked to lock and could not: the lockfile is stale, exit 1 (the JSON still says everything).
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^warning: a lock tool is not on PATH; the manifests were updated, the lockfile is stale/m);
    const result = JSON.parse(r.stdout) as {
      changes: Array<{ package: string; from: string; to: string; target: string }>;
      files: Array<{ file: string; diff: string }>;
      lock: Array<{ lockfile: string; command: string; ran: boolean; message: string | null }>;
      fapilog: { source: string; from: string };
    };
    assert.equal(result.fapilog.source, 'locked');
    assert.deepEqual(
      result.changes.map((c) => [c.package, c.from, c.target]),
      [['fapilog-otel', '>=1.0,<2', '2.0.0']],
    );
    // The range moves to admit 2.0.0 (replace strategy); spelling of the bound is the rewriter's.
    assert.match(result.changes[0]?.to ?? '', /^>=2(\.0)?,<3$/);
    assert.equal(result.files[0]?.file, 'pyproject.toml');
    assert.match(result.files[0]?.diff ?? '', /^\+dependencies = \["fapilog==0\.16\.0", "fapilog-otel>=2(\.0)?,<3"\]$/m);
    assert.deepEqual(
      result.lock.map((l) => [l.lockfile, l.command, l.ran]),
      [['uv.lock', 'uv lock --upgrade-package fapilog-otel', false]],
    );
    assert.match(result.lock[0]?.message ?? '', /uv is not on PATH; run `uv lock --upgrade-package fapilog-otel`/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'uv.lock')), lockBefore, 'lockfiles are never hand-edited');
  });
});

describe('update --lock with the lock tool on PATH', () => {
  /** A `uv` stand-in: records its working directory and arguments, one per line, then exits with `code`. */
  function uvShim(code = 0): { bin: string; log: string } {
    const bin = ws.tempDir('bin-');
    const log = path.join(bin, 'calls.log');
    fs.writeFileSync(
      path.join(bin, 'uv'),
      `#!/bin/sh\n{ pwd -P; for a in "$@"; do printf '%s\\n' "$a"; done; } >> '${log}'\n${code === 0 ? '' : 'echo "error: resolution failed for fapilog-otel" >&2\n'}exit ${code}\n`,
      { mode: 0o755 },
    );
    return { bin, log };
  }
  const withBin = (bin: string) => ({ env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });

  test('runs `uv lock --upgrade-package fapilog-otel` once, in the directory of uv.lock, after writing', async () => {
    const dir = lockedProject('service');
    const { bin, log } = uvShim();
    const r = await ws.cli(['update', '--path', dir, '--lock'], withBin(bin));
    assert.equal(r.code, 0, r.stderr);
    const calls = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
    assert.deepEqual(calls, [fs.realpathSync(path.join(dir, 'service')), 'lock', '--upgrade-package', 'fapilog-otel']);
    assert.match(r.stdout, /^Ran uv lock --upgrade-package fapilog-otel for service\/uv\.lock\.$/m);
    assert.match(
      fs.readFileSync(path.join(dir, 'service', 'pyproject.toml'), 'utf8'),
      /"fapilog-otel>=2(\.0)?,<3"/,
      'the manifest was written',
    );
  });

  test('a failing lock tool: its message, exit 2, and the manifest stays updated', async () => {
    const dir = lockedProject();
    const { bin, log } = uvShim(3);
    const r = await ws.cli(['update', '--path', dir, '--lock'], withBin(bin));
    assert.equal(r.code, 2);
    assert.equal(fs.readFileSync(log, 'utf8').trimEnd().split('\n').length, 4, 'it ran once');
    assert.match(r.stdout, /^uv lock --upgrade-package fapilog-otel failed for uv\.lock: error: resolution failed for fapilog-otel$/m);
    assert.match(r.stderr, /^error: the lock tool failed; the manifests were updated, the lockfile was not$/m);
    assert.match(fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'), /"fapilog-otel>=2(\.0)?,<3"/);
  });

  test('not on PATH: nothing runs, the output names the command and where to run it, and exit 1 (the lockfile is stale)', async () => {
    const dir = lockedProject('service');
    const r = await ws.cli(['update', '--path', dir, '--lock'], { env: { PATH: ws.tempDir('emptybin-') } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Refresh service\/uv\.lock: uv is not on PATH; run `uv lock --upgrade-package fapilog-otel` in service$/m);
    assert.equal(
      r.stderr,
      'error: a lock tool is not on PATH; the manifests were updated, the lockfile is stale until you run the command shown\n',
    );
    assert.match(
      fs.readFileSync(path.join(dir, 'service', 'pyproject.toml'), 'utf8'),
      /"fapilog-otel>=2(\.0)?,<3"/,
      'the manifest was written',
    );
  });

  test('without --lock the tool is not run even when it is on PATH; the command is shown', async () => {
    const dir = lockedProject();
    const { bin, log } = uvShim();
    const r = await ws.cli(['update', '--path', dir], withBin(bin));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.existsSync(log), false, 'uv was not run');
    assert.match(r.stdout, /^Refresh uv\.lock: uv lock --upgrade-package fapilog-otel$/m);
  });

  test('bytes are kept: a Latin-1 comment with CRLF and a backslash continuation come out identical but for the version', async () => {
    const dir = ws.tempDir('latin1-');
    const before = Buffer.from('# d\xe9pendances \xa9\r\nfapilog==0.16.0\r\nfapilog-otel==\\\r\n    1.1.0\r\n', 'latin1');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), before);
    const r = await cli(['update', '--path', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fapilog-otel 1\.1\.0 -> 2\.0\.0: updated requirements\.txt:3/);
    assert.deepEqual(
      fs.readFileSync(path.join(dir, 'requirements.txt')),
      Buffer.from('# d\xe9pendances \xa9\r\nfapilog==0.16.0\r\nfapilog-otel==\\\r\n    2.0.0\r\n', 'latin1'),
    );
  });

  test('an invalid pyproject.toml is an error (exit 2) that shows the TOML problem, and nothing is written', async () => {
    const dir = ws.tempDir('badtoml-');
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project\ndependencies = ["fapilog==0.16.0", "fapilog-otel==1.1.0"]\n');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'fapilog-otel==1.1.0\n');
    const before = snapshot(dir);
    const r = await cli(['update', '--path', dir]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^error: pyproject\.toml: invalid TOML at line \d+, column \d+: .*nothing was changed\)\n$/);
    assert.doesNotMatch(r.stdout, /Nothing to update/);
    assert.deepEqual(snapshot(dir), before);
  });
});
