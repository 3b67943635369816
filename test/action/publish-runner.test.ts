/**
 * The runner's `publish` command: inputs reach publishMain, its result reaches the outputs, the
 * summary and the exit code. A real examples/plugin build, uploaded to the reference marketplace.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { startTestServer } from '../helpers/server.ts';
import { makeWorkspace, REPO, runAction, type Workspace } from './harness.ts';

const PLUGIN = path.join(REPO, 'examples', 'plugin');

describe('action publish', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let ws: Workspace;
  before(async () => {
    server = await startTestServer({ seed: true });
    ws = makeWorkspace(PLUGIN, 'plugin');
    // Debian's python3-build and hatchling, offline: no PyPI, so no isolated build environment.
    const project = path.join(ws.dir, 'plugin');
    execFileSync(
      '/usr/bin/python3',
      ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', path.join(project, 'out'), project],
      {
        stdio: 'pipe',
        timeout: 120_000,
      },
    );
  });
  after(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  const inputs = (extra: Record<string, string>) => ({
    command: 'publish',
    path: 'plugin',
    'packages-dir': 'out',
    'marketplace-url': server.apiUrl,
    'cache-dir': ws.cacheDir,
    ...extra,
  });
  const env = { GITHUB_REF: 'refs/tags/v1.0.0' };

  test('dry-run validates without uploading', async () => {
    assert.ok(readdirSync(path.join(ws.dir, 'plugin', 'out')).some((f) => f.endsWith('.whl')));
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'dry-run': 'true' }), env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.outputs['status'], 'dry-run');
    assert.equal(run.outputs['version'], '1.0.0');
    assert.equal(run.outputs['url'], '');
    assert.match(run.summary, /fapilog-stdout-json 1\.0\.0/);
    const res = await fetch(`${server.apiUrl}/plugins/stdout-json`);
    assert.equal(res.status, 404, 'nothing was uploaded');
  });

  // A marketplace behind a proxy with basic auth: user:password@ in the URL. The runner masks
  // only the token, so nothing but the flow keeps the password out of the log and the outputs.
  const withPassword = () => server.apiUrl.replace('http://', 'http://proxy-user:proxy-s3cret@');
  const noPassword = (run: Awaited<ReturnType<typeof runAction>>) => {
    const everywhere = [run.stdout, run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
    assert.ok(!everywhere.includes('proxy-s3cret') && !everywhere.includes('proxy-user'), everywhere);
  };

  test('a dry run names the marketplace without the user:password of its URL', async () => {
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'dry-run': 'true', 'marketplace-url': withPassword() }), env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /would be published to http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api\/v1/);
    noPassword(run);
  });

  test('publishes with a token, then reports unchanged; the token is only masked', async () => {
    const token = await server.createToken('fapilog-examples');
    const first = await runAction({ workspace: ws.dir, inputs: inputs({ token }), env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(first.outputs['status'], 'published');
    assert.equal(first.outputs['version'], '1.0.0');
    assert.match(first.outputs['url'] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/.*stdout-json/);
    const res = await fetch(`${server.apiUrl}/plugins/stdout-json`);
    assert.equal(res.status, 200);

    const again = await runAction({ workspace: ws.dir, inputs: inputs({ token }), env });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.outputs['status'], 'unchanged');

    for (const run of [first, again]) {
      const everywhere = [run.stdout, run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
      assert.equal(everywhere.split(token).length - 1, 1);
      assert.ok(run.stdout.startsWith(`::add-mask::${token}\n`));
    }
  });

  test('the url output and the messages of a publish carry no credentials from the marketplace URL', async () => {
    const token = await server.createToken('fapilog-examples');
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ token, 'marketplace-url': withPassword() }), env });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(
      run.outputs['status'],
      'unchanged',
      'the user:password went to the marketplace as Basic auth the token overrides; the same release',
    );
    assert.match(run.outputs['url'] ?? '', /^http:\/\/\*\*\*@127\.0\.0\.1:\d+\/api\/v1\/plugins\/stdout-json\/versions\/1\.0\.0$/);
    noPassword(run);
  });

  test('without a token the step fails and says what to set', async () => {
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'packages-dir': 'out' }), env });
    assert.equal(run.code, 1);
    assert.equal(run.outputs['status'], 'failed');
    assert.match(run.stdout, /^::error::.*token/m);
  });
});
