/**
 * `npm run cli -- ...` works on the directory it was called from: npm runs scripts in the package
 * root, and the CLI takes INIT_CWD then (and only then: npx and other packages' scripts keep
 * their own working directory). Runs the real npm script against the reference server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { callerCwd } from '../../src/cli/context.ts';
import { Report } from '../../src/core/analysis/report.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
let server: TestServer;
let work: string;

before(async () => {
  server = await startTestServer({ seed: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-npm-run-'));
});
after(async () => {
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('npm run cli -- outdated, called in a project directory, checks that directory', async () => {
  const project = path.join(work, 'svc');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'requirements.txt'), 'fapilog==0.16.0\nfapilog-otel==1.1.0\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    FAPILOG_MARKETPLACE_CACHE: path.join(work, 'cache'),
  };
  const args = [
    '--prefix',
    REPO,
    'run',
    '--silent',
    'cli',
    '--',
    '--marketplace-url',
    server.apiUrl,
    '--json',
    'outdated',
    '--fail-on',
    'never',
  ];
  const { stdout } = await run('npm', args, { cwd: project, env });
  const report = Report.parse(JSON.parse(stdout));
  assert.equal(fs.realpathSync(report.root), fs.realpathSync(project));
  assert.deepEqual(
    report.plugins.map((p) => [p.package, p.status]),
    [['fapilog-otel', 'outdated']],
  );
});

test('INIT_CWD counts only under our own npm script', () => {
  const npmRun = { npm_lifecycle_event: 'cli', npm_package_name: 'fapilog-plugins', INIT_CWD: '/home/me/svc' };
  assert.equal(callerCwd(npmRun, '/repo'), '/home/me/svc');
  // Another package's script (`"check": "cd sub && fapilog-plugins outdated"`) or npx: the process's own.
  assert.equal(callerCwd({ ...npmRun, npm_package_name: 'my-service', npm_lifecycle_event: 'check' }, '/repo/sub'), '/repo/sub');
  assert.equal(callerCwd({ INIT_CWD: '/home/me' }, '/work'), '/work');
});
