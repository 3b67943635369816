/**
 * A release's publisher changes, against the real marketplace on 127.0.0.1 and a local OIDC
 * issuer: three plugins get 1.0.0 through the trusted publisher acme/fapilog-prov (repository id
 * 700123), then 1.1.0 from another repository (mallory's, registered as a second publisher), with
 * the owner's API token (a token publish after trusted ones), and from the same repository again.
 * `outdated`, `update`, `install` (the real CLI) and the Action (a child process, as a runner
 * starts it) must warn about the first two with both publishers, and about nothing else; only
 * `fail-on publisher-changed` (or higher) fails for it.
 */
import { shownText } from '../helpers/markdown.ts';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Report } from '../../src/core/analysis/report.ts';
import { annotationLines, makeWorkspace, runAction, type Workspace } from '../action/harness.ts';
import { runCli } from '../helpers/cli.ts';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson, metadataFor, publish, wheelFor } from '../server/util.ts';

const ACME = { repository: 'acme/fapilog-prov', repository_id: '700123', repository_owner_id: '4501', workflow: 'release.yml' };
const MALLORY = { repository: 'mallory/fapilog-prov', repository_id: '900900', repository_owner_id: '9999', workflow: 'release.yml' };
const PROJECT = 'fapilog==0.16.0\nfapilog-prov-fork==1.0.0\nfapilog-prov-token==1.0.0\nfapilog-prov-same==1.0.0\n';

let issuer: TestIssuer;
let server: TestServer;
let owner: string;
const temps: string[] = [];

function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-prov-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A publish token for every plugin `job`'s repository may publish (the OIDC exchange). */
async function trustedToken(job: typeof ACME): Promise<string> {
  issuer.job = { ...issuer.job, ...job };
  const jwt = await issuer.mint(server.url);
  const r = await getJson(`${server.apiUrl}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: jwt }),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}

async function publishWith(token: string, name: string, version: string): Promise<void> {
  const wheel = wheelFor(name, version);
  const r = await publish(server.apiUrl, name, metadataFor(name, version, [wheel]), [wheel], token);
  assert.equal(r.status, 201, `${name} ${version}: ${JSON.stringify(r.body)}`);
}

async function register(name: string, publisher: typeof ACME): Promise<void> {
  const r = await getJson(`${server.apiUrl}/plugins/${name}/publishers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...publisher, issuer: issuer.url }),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

before(async () => {
  issuer = await startIssuer();
  server = await startTestServer({ seed: true, oidc: { issuer: issuer.url } });
  owner = await server.createToken('acme-owner');
  for (const name of ['prov-fork', 'prov-token', 'prov-same']) await register(name, ACME);
  await register('prov-fork', MALLORY);
  const acme = await trustedToken(ACME);
  for (const name of ['prov-fork', 'prov-token', 'prov-same']) await publishWith(acme, name, '1.0.0');
  await publishWith(await trustedToken(ACME), 'prov-same', '1.1.0');
  await publishWith(owner, 'prov-token', '1.1.0');
  await publishWith(await trustedToken(MALLORY), 'prov-fork', '1.1.0');
});
after(async () => {
  await server?.stop();
  await issuer?.close();
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

const acmeText = () => `trusted publisher acme/fapilog-prov at ${issuer.url} (repository id 700123), workflow release.yml`;
const forkWarning = () =>
  `fapilog-prov-fork 1.0.0 -> 1.1.0: publisher changed (published from another repository): was ${acmeText()}, now trusted publisher mallory/fapilog-prov at ${issuer.url} (repository id 900900), workflow release.yml`;
const tokenWarning = () =>
  `fapilog-prov-token 1.0.0 -> 1.1.0: publisher changed (published with an API token after trusted publishes): was ${acmeText()}, now token of owner acme-owner`;

describe('a release whose publisher changed', () => {
  const cli = (cwd: string, ...argv: string[]) => runCli(['--marketplace-url', server.apiUrl, '--cache-dir', tempDir(), ...argv], { cwd });

  test("the batch lookup carries each release's provenance", async () => {
    const r = await getJson(`${server.apiUrl}/plugins/batch?names=prov-fork,prov-token`);
    assert.equal(r.status, 200);
    const kinds = (name: string) =>
      r.body.plugins[name].releases.map((x: any) => [x.version, x.provenance.kind, x.provenance.repository ?? x.provenance.owner]);
    assert.deepEqual(kinds('prov-fork'), [
      ['1.0.0', 'trusted', 'acme/fapilog-prov'],
      ['1.1.0', 'trusted', 'mallory/fapilog-prov'],
    ]);
    assert.deepEqual(kinds('prov-token'), [
      ['1.0.0', 'trusted', 'acme/fapilog-prov'],
      ['1.1.0', 'token', 'acme-owner'],
    ]);
  });

  test('outdated warns with both publishers; --fail-on publisher-changed exits 1, incompatible does not', async () => {
    const dir = tempDir({ 'requirements.txt': PROJECT });
    const r = await cli(dir, 'outdated');
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    assert.deepEqual(warnings, [`warning: ${forkWarning()}`, `warning: ${tokenWarning()}`], r.stdout);
    assert.match(r.stdout, /fapilog-prov-fork .*The publisher changed in 1\.1\.0 \(published from another repository\)\./);
    // Every entry is outdated, which the default (held-back) fails on anyway.
    assert.equal(r.code, 1);

    const json = Report.parse(JSON.parse((await cli(dir, '--json', 'outdated')).stdout));
    const change = (pkg: string) => json.plugins.find((p) => p.package === pkg)?.publisherChange ?? null;
    assert.deepEqual(
      [change('fapilog-prov-fork')?.reason, change('fapilog-prov-fork')?.to],
      [
        'another-repository',
        {
          kind: 'trusted',
          issuer: issuer.url,
          repository: 'mallory/fapilog-prov',
          repository_id: '900900',
          repository_owner_id: '9999',
          workflow_ref: 'mallory/fapilog-prov/.github/workflows/release.yml@refs/tags/v1.0.0',
          ref: 'refs/tags/v1.0.0',
          sha: issuer.job.sha,
          environment: null,
        },
      ],
    );
    assert.deepEqual(change('fapilog-prov-token')?.to, { kind: 'token', owner: 'acme-owner' });
    assert.equal(change('fapilog-prov-same'), null, 'the same repository publishes 1.1.0: no change');

    assert.equal((await cli(dir, 'outdated', '--fail-on', 'publisher-changed')).code, 1);
    assert.equal(
      (await cli(dir, 'outdated', '--fail-on', 'incompatible')).code,
      0,
      'nothing is incompatible: a changed publisher alone does not fail it',
    );
    // Without the two changed plugins, publisher-changed passes the same outdated project.
    assert.equal((await cli(dir, 'outdated', '--fail-on', 'publisher-changed', '--ignore', 'prov-fork,prov-token')).code, 0);
  });

  test('update prints the warning for the release it moves to; install for the release it adds', async () => {
    const dir = tempDir({ 'requirements.txt': PROJECT });
    const up = await cli(dir, 'update', '--dry-run');
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(
      up.stderr.split('\n').filter((l) => l.startsWith('warning: ')),
      [`warning: ${forkWarning()}`, `warning: ${tokenWarning()}`],
    );
    assert.match(up.stdout, /fapilog-prov-same 1\.0\.0 -> 1\.1\.0: would update/);

    const fresh = tempDir({ 'requirements.txt': 'fapilog==0.16.0\n' });
    const add = await cli(fresh, 'install', 'prov-fork', '--dry-run');
    assert.equal(add.code, 0, add.stderr);
    assert.equal(
      add.stderr,
      `warning: fapilog-prov-fork 1.1.0 (after 1.0.0): publisher changed (published from another repository): was ${acmeText()}, now trusted publisher mallory/fapilog-prov at ${issuer.url} (repository id 900900), workflow release.yml\n`,
    );
    const same = await cli(fresh, 'install', 'prov-same', '--dry-run');
    assert.equal(same.stderr, '', 'no warning for a release from the same publisher');
  });

  describe('the Action', () => {
    let ws: Workspace;
    before(() => {
      ws = makeWorkspace(tempDir({ 'requirements.txt': PROJECT }));
    });
    after(() => ws?.cleanup());
    const inputs = (extra: Record<string, string> = {}) => ({
      path: 'app',
      'marketplace-url': server.apiUrl,
      'cache-dir': ws.cacheDir,
      ...extra,
    });

    test('annotates each changed publisher with both publishers; the default fail-on passes', async () => {
      const run = await runAction({ workspace: ws.dir, inputs: inputs() });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const changed = annotationLines(run.stdout).filter((a) => /publisher changed/.test(a.props['title'] ?? ''));
      assert.deepEqual(
        changed.map((a) => [a.level, a.props['file'], a.props['line'], a.props['title'], a.message]),
        [
          [
            'warning',
            'app/requirements.txt',
            '2',
            'fapilog-prov-fork 1.1.0: the publisher changed',
            `${forkWarning()}. Check that the new publisher is one you trust before moving to 1.1.0.`,
          ],
          [
            'warning',
            'app/requirements.txt',
            '3',
            'fapilog-prov-token 1.1.0: the publisher changed',
            `${tokenWarning()}. Check that the new publisher is one you trust before moving to 1.1.0.`,
          ],
        ],
      );
      assert.match(run.summary, /> \[!WARNING\]\n> \*\*Publisher changed:\*\*/);
      assert.ok(
        shownText(run.summary).includes('> - fapilog-prov-fork 1.0.0 -> 1.1.0: publisher changed (published from another repository)'),
        run.summary,
      );
      const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
      assert.deepEqual(
        report.plugins.map((p) => p.publisherChange?.reason ?? null),
        ['another-repository', 'token-after-trusted', null],
      );
    });

    test('fail-on publisher-changed fails the step and names the releases', async () => {
      const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'fail-on': 'publisher-changed' }) });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const failure = annotationLines(run.stdout).filter((a) => a.level === 'error' && a.props['file'] === undefined);
      assert.deepEqual(
        failure.map((a) => a.message),
        [
          '2 plugins failed the check (fail-on: publisher-changed): fapilog-prov-fork 1.0.0 (publisher changed in 1.1.0), fapilog-prov-token 1.0.0 (publisher changed in 1.1.0)',
        ],
      );
    });
  });
});
