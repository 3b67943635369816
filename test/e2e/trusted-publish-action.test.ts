/**
 * Trusted publishing end to end, through the bundled Action (node dist/index.js, as a runner
 * starts it) with no stored secret: a local OIDC issuer stands in for GitHub's (its token
 * endpoint is what ACTIONS_ID_TOKEN_REQUEST_URL points at), the publisher is registered with
 * `admin publisher add`, and the release then carries the workflow's repository and ref, which
 * `info` shows. A refused exchange shows the token's claims and the registration that fixes it;
 * running that command makes the next run pass. A fork pull request is told OIDC is unavailable.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { annotationLines, BUNDLE_ENTRY, makeWorkspace, REPO, runAction, type Workspace } from '../action/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { shownText } from '../helpers/markdown.ts';

const PLUGIN = path.join(REPO, 'examples', 'plugin');

describe('trusted publishing through the bundled Action', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  let ws: Workspace;
  before(async () => {
    issuer = await startIssuer();
    server = await startTestServer({ seed: true, oidc: { issuer: issuer.url } });
    ws = makeWorkspace(PLUGIN, 'plugin');
    const project = path.join(ws.dir, 'plugin');
    execFileSync(
      '/usr/bin/python3',
      ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', path.join(project, 'out'), project],
      { stdio: 'pipe', timeout: 120_000 },
    );
  });
  after(async () => {
    await server?.stop();
    await issuer?.close();
    ws?.cleanup();
  });

  const inputs = () => ({
    command: 'publish',
    path: 'plugin',
    'packages-dir': 'out',
    'marketplace-url': server.apiUrl,
    'cache-dir': ws.cacheDir,
  });
  const oidcEnv = () => ({
    GITHUB_REF: 'refs/tags/v1.0.0',
    GITHUB_EVENT_NAME: 'push',
    ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
  });
  const admin = (...args: string[]) => runCli(['admin', 'publisher', ...args, '--data-dir', server.dataDir]);
  const bundle = () => assert.ok(existsSync(BUNDLE_ENTRY), 'dist/index.js is missing: run `npm run bundle` first');

  test('admin publisher add registers a pending publisher; list shows it', async () => {
    const missingOwner = await admin(
      'add',
      'stdout-json',
      '--repository',
      'acme/fapilog-stdout-json',
      '--repository-id',
      '700123',
      '--owner-id',
      '4501',
      '--workflow',
      'release.yml',
    );
    assert.equal(missingOwner.code, 2);
    assert.match(missingOwner.stderr, /fapilog-stdout-json is not published yet: give --owner/);
    const badId = await admin(
      'add',
      'stdout-json',
      '--repository',
      'acme/fapilog-stdout-json',
      '--repository-id',
      'abc',
      '--owner-id',
      '4501',
      '--workflow',
      'release.yml',
      '--owner',
      'fapilog-examples',
    );
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /--repository-id: /);
    const add = await admin(
      'add',
      'stdout-json',
      '--repository',
      'acme/fapilog-stdout-json',
      '--repository-id',
      '700123',
      '--owner-id',
      '4501',
      '--workflow',
      'release.yml',
      '--owner',
      'fapilog-examples',
      '--issuer',
      issuer.url,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(
      add.stdout,
      /^added trusted publisher 1\tfapilog-stdout-json\tacme\/fapilog-stdout-json \(repository id 700123, owner id 4501\)\t\.github\/workflows\/release\.yml\towner fapilog-examples \(pending\)/,
    );
    const list = await admin('list');
    assert.equal(list.stdout.trim().split('\n').length, 1);
  });

  test('publish with no token: OIDC token for the audience, exchanged, masked; the release records the workflow', async () => {
    bundle();
    const run = await runAction({ entry: BUNDLE_ENTRY, workspace: ws.dir, inputs: inputs(), env: oidcEnv() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.outputs['status'], 'published');
    assert.deepEqual(issuer.audiences, [server.url], 'core.getIDToken asked for the audience the marketplace named');
    // Both the OIDC token and the publish token are masked before anything else could print them.
    const masks = [...run.stdout.matchAll(/^::add-mask::(.+)$/gm)].map((m) => m[1]!);
    const publishToken = masks.find((m) => m.startsWith('fpo_'));
    assert.ok(publishToken, 'the publish token is masked');
    assert.ok(
      masks.some((m) => m.split('.').length === 3),
      'the OIDC token is masked',
    );
    const unmasked = [run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
    for (const secret of masks) assert.ok(!unmasked.includes(secret), 'a masked value appears nowhere else');
    // Not GitHub's issuer, so the descriptions name it.
    const who = `acme/fapilog-stdout-json at ${issuer.url} (repository id 700123), workflow release.yml`;
    assert.ok(run.stdout.includes(`\ntrusted publishing: exchanged the OIDC token of ${who} for a publish token valid until `), run.stdout);
    assert.ok(shownText(run.summary).includes(`**Publisher:** trusted publisher ${who}\n`), run.summary);

    const rel = (await (await fetch(`${server.apiUrl}/plugins/stdout-json/versions/1.0.0`)).json()) as {
      provenance: Record<string, unknown>;
    };
    assert.deepEqual(rel.provenance, {
      kind: 'trusted',
      issuer: issuer.url,
      repository: 'acme/fapilog-stdout-json',
      repository_id: '700123',
      repository_owner_id: '4501',
      workflow_ref: 'acme/fapilog-stdout-json/.github/workflows/release.yml@refs/tags/v1.0.0',
      ref: 'refs/tags/v1.0.0',
      sha: issuer.job.sha,
      environment: null,
    });
    const info = await runCli(['info', 'stdout-json', '--marketplace-url', server.apiUrl, '--cache-dir', ws.cacheDir]);
    assert.equal(info.code, 0, info.stderr);
    assert.ok(
      info.stdout.split('\n').some((l) => /^ {2}Publisher +/.test(l) && l.endsWith(`trusted publisher ${who}`)),
      info.stdout,
    );
    assert.match(
      info.stdout,
      /^ {2}Built by +acme\/fapilog-stdout-json\/\.github\/workflows\/release\.yml@refs\/tags\/v1\.0\.0 at 8f4e2b9c1d3a \(refs\/tags\/v1\.0\.0\)$/m,
    );
  });

  test('a refused exchange shows the claims, the reason and the registration; running it makes the next run pass', async () => {
    bundle();
    issuer.job = { ...issuer.job, workflow: 'publish.yml', environment: 'pypi' };
    const run = await runAction({ entry: BUNDLE_ENTRY, workspace: ws.dir, inputs: inputs(), env: oidcEnv() });
    assert.equal(run.code, 1, run.stdout);
    assert.equal(run.outputs['status'], 'failed');
    const reason =
      "job_workflow_ref: the token's workflow is acme/fapilog-stdout-json/.github/workflows/publish.yml@refs/tags/v1.0.0; trusted publisher #1 of fapilog-stdout-json allows only .github/workflows/release.yml of acme/fapilog-stdout-json";
    const error = annotationLines(run.stdout).find((a) => a.level === 'error');
    assert.equal(error?.message, `trusted publishing: the marketplace refused the OIDC token (HTTP 403 publisher_mismatch): ${reason}`);
    assert.ok(shownText(run.summary).includes(`**The marketplace refused the OIDC token:** ${reason}`), run.summary);
    if (process.env['ACTION_SAMPLE']) console.log(run.summary);
    for (const row of [
      '| `repository` | `acme/fapilog-stdout-json` |',
      '| `repository_id` | `700123` |',
      '| `job_workflow_ref` | `acme/fapilog-stdout-json/.github/workflows/publish.yml@refs/tags/v1.0.0` |',
      '| `ref` | `refs/tags/v1.0.0` |',
      '| `environment` | `pypi` |',
    ]) {
      assert.ok(run.summary.includes(row), `summary row ${row}`);
    }
    const command = /```sh\n(fapilog-plugins admin publisher add .+)\n```/.exec(run.summary)?.[1];
    assert.equal(
      command,
      `fapilog-plugins admin publisher add fapilog-stdout-json --repository acme/fapilog-stdout-json --repository-id 700123 --owner-id 4501 --workflow publish.yml --environment pypi --issuer ${issuer.url}`,
    );

    const args = command!.split(' ').slice(3);
    const added = await admin(...args);
    assert.equal(added.code, 0, added.stderr);
    const again = await runAction({ entry: BUNDLE_ENTRY, workspace: ws.dir, inputs: inputs(), env: oidcEnv() });
    assert.equal(again.code, 0, again.stdout);
    assert.equal(again.outputs['status'], 'unchanged', 'the same files are already published: the exchange passed');
  });

  test('a pull request from a fork is told that OIDC is unavailable there', async () => {
    bundle();
    const event = path.join(ws.dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'contributor/fapilog-stdout-json', fork: true } },
          base: { repo: { full_name: 'acme/fapilog-stdout-json' } },
        },
      }),
    );
    const run = await runAction({
      entry: BUNDLE_ENTRY,
      workspace: ws.dir,
      inputs: inputs(),
      env: { GITHUB_REF: 'refs/pull/7/merge', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event },
    });
    assert.equal(run.code, 1);
    const error = annotationLines(run.stdout).find((a) => a.level === 'error');
    assert.equal(
      error?.message,
      'publishing needs a token, and trusted publishing is unavailable here: GitHub gives no OIDC token to a workflow run for a pull request from a fork (contributor/fapilog-stdout-json); publish from a tag push in the upstream repository',
    );
  });
});
