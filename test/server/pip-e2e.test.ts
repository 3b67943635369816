/**
 * End to end with real Python tooling: a hatchling plugin project is built into a wheel,
 * published over HTTP, and pip installs it from the simple index with --require-hashes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DownloadInfo, PublishResponse } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, publish, sha256 } from './util.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
// No user or site pip configuration, no cache, no index but ours.
const PIP_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };

let server: TestServer;
let tmp: string;
let pipPython = PYTHON;
before(async () => {
  server = await startTestServer({ seed: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-pip-e2e-'));
  pipPython = await findPip();
});

/** Debian's python3-pip when present; else a venv, whose pip comes offline from python3-venv's bundled wheel. */
async function findPip(): Promise<string> {
  try {
    await run(PYTHON, ['-m', 'pip', '--version'], { env: PIP_ENV });
    return PYTHON;
  } catch {
    const venv = path.join(tmp, 'venv');
    await run(PYTHON, ['-m', 'venv', venv], { timeout: 60_000 });
    return path.join(venv, 'bin', 'python');
  }
}
after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function pipInstall(requirements: string, target: string) {
  const req = path.join(tmp, `req-${path.basename(target)}.txt`);
  fs.writeFileSync(req, requirements);
  return run(
    pipPython,
    [
      '-m',
      'pip',
      'install',
      '--no-deps',
      '--no-cache-dir',
      '--disable-pip-version-check',
      '--target',
      target,
      '--index-url',
      `${server.url}/simple/`,
      '--require-hashes',
      '-r',
      req,
    ],
    { env: PIP_ENV, timeout: 90_000 },
  );
}

test('a wheel built with hatchling, published over HTTP, installs with pip --require-hashes', async () => {
  const project = path.join(tmp, 'fapilog-x');
  fs.mkdirSync(path.join(project, 'src', 'fapilog_x'), { recursive: true });
  fs.writeFileSync(
    path.join(project, 'pyproject.toml'),
    [
      '[build-system]',
      'requires = ["hatchling"]',
      'build-backend = "hatchling.build"',
      '',
      '[project]',
      'name = "fapilog-x"',
      'version = "1.2.0"',
      'description = "An example sink"',
      'requires-python = ">=3.9"',
      'dependencies = ["fapilog>=0.14"]',
      '',
      '[project.entry-points."fapilog.sinks"]',
      'x = "fapilog_x:XSink"',
      '',
      '[tool.hatch.build.targets.wheel]',
      'packages = ["src/fapilog_x"]',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(project, 'src', 'fapilog_x', '__init__.py'), 'class XSink:\n    name = "x"\n');
  const dist = path.join(tmp, 'dist');
  await run(PYTHON, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--wheel', '--outdir', dist, project], {
    timeout: 90_000,
  });
  const filename = fs.readdirSync(dist).find((f) => f.endsWith('.whl'));
  assert.equal(filename, 'fapilog_x-1.2.0-py3-none-any.whl');
  const data = new Uint8Array(fs.readFileSync(path.join(dist, filename)));
  const hash = sha256(data);

  const token = await server.createToken('x-team');
  const metadata = {
    name: 'fapilog-x',
    version: '1.2.0',
    description: 'An example sink',
    plugin_type: 'sink',
    fapilog_compatibility: '>=0.14',
    requires_python: '>=3.9',
    files: [{ filename, sha256: hash }],
  };
  const res = await publish(server.apiUrl, 'fapilog-x', metadata, [{ filename, data }], token);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(PublishResponse.parse(res.body).files[0]!.sha256, hash);

  const target = path.join(tmp, 'site-x');
  const { stdout } = await pipInstall(`fapilog-x==1.2.0 --hash=sha256:${hash}\n`, target);
  assert.match(stdout, /Successfully installed fapilog-x-1\.2\.0/);
  assert.equal(fs.readFileSync(path.join(target, 'fapilog_x', '__init__.py'), 'utf8'), 'class XSink:\n    name = "x"\n');
  const entryPoints = fs.readFileSync(path.join(target, 'fapilog_x-1.2.0.dist-info', 'entry_points.txt'), 'utf8');
  assert.match(entryPoints, /\[fapilog\.sinks\]\s*\nx = fapilog_x:XSink/);

  // A wrong hash must make pip refuse: the index's hashes are what pip verifies against.
  await assert.rejects(pipInstall(`fapilog-x==1.2.0 --hash=sha256:${'0'.repeat(64)}\n`, path.join(tmp, 'site-bad')), /HASH|hash/);
});

test('a seeded (generated) wheel installs with pip and carries its entry point', async () => {
  const d = DownloadInfo.parse((await getJson(`${server.apiUrl}/plugins/sampling/versions/1.2.1/download`)).body);
  const target = path.join(tmp, 'site-sampling');
  await pipInstall(`fapilog-sampling==1.2.1 --hash=sha256:${d.sha256}\n`, target);
  const entryPoints = fs.readFileSync(path.join(target, 'fapilog_sampling-1.2.1.dist-info', 'entry_points.txt'), 'utf8');
  assert.match(entryPoints, /\[fapilog\.filters\]\nsampling = fapilog_sampling:SamplingFilter/);
  const { stdout } = await run(
    PYTHON,
    ['-c', 'import fapilog_sampling as m; print(m.PLUGIN_METADATA["plugin_type"], m.PLUGIN_METADATA["version"])'],
    {
      env: { ...process.env, PYTHONPATH: target },
    },
  );
  assert.equal(stdout.trim(), 'filter 1.2.1');
});
