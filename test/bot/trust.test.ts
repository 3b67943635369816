/**
 * Trust signals in the bot, against the GitHub peer and the reference marketplace on 127.0.0.1: a
 * catalog whose newest releases were published a day ago, advisories posted as OSV records by the
 * plugins' owner, a deprecation set by the owner. Security pull requests come first, outside the
 * open-PR limit, labelled and titled so; `minimum-release-age` holds a day-old release back,
 * except one that fixes an advisory; a deprecated plugin's replacement is suggested.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readPrState } from '../../bot/marker.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { getJson } from '../server/util.ts';
import { withHarness, type Harness } from './harness.ts';

const OWNER = 'trust-guild';
const OLD = '2025-06-01T10:00:00+00:00';
/** A day and two hours ago: one day old, younger than three. */
const DAY_OLD = new Date(Date.now() - 26 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');

const release = (version: string, published_at: string) => ({
  version,
  fapilog_compatibility: '>=0.12',
  requires_python: '>=3.10',
  dependencies: [],
  published_at,
  downloads: 10,
});
const plugin = (name: string, releases: ReturnType<typeof release>[]) => ({
  name,
  description: `The ${name} plugin.`,
  author: 'Trust Guild',
  owner: OWNER,
  plugin_type: 'sink',
  license: 'MIT',
  homepage: null,
  repository: null,
  ratings: [5],
  releases,
});

const CATALOG = {
  fapilog_versions: ['0.12.0', '0.16.0'],
  plugins: [
    // A fix for an advisory against 1.0.0, published a day ago (each test its own plugin: advisories are per marketplace).
    ...['vuln-limit', 'vuln-wait'].map((n) => plugin(n, [release('1.0.0', OLD), release('1.0.1', DAY_OLD)])),
    ...['alpha', 'beta', 'convert'].map((n) => plugin(n, [release('1.0.0', OLD), release('1.1.0', OLD)])),
    plugin('fresh', [release('1.0.0', OLD), release('1.1.0', DAY_OLD)]),
    plugin('oldie', [release('1.0.0', OLD), release('1.1.0', OLD)]),
    plugin('legacy', [release('2.0.0', OLD)]),
    plugin('modern', [release('1.0.0', OLD)]),
  ],
};

let server: TestServer;
let owner: string;
let dir: string;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-bot-trust-'));
  const seed = path.join(dir, 'catalog.json');
  fs.writeFileSync(seed, JSON.stringify(CATALOG));
  server = await startTestServer({ seed });
  owner = await server.createToken(OWNER);
});
after(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An OSV record: `pkg` from 0 up to (not including) `fixed`. */
async function advisory(id: string, pkg: string, fixed: string): Promise<void> {
  const now = new Date().toISOString();
  const osv = {
    schema_version: '1.6.0',
    id,
    modified: now,
    published: now,
    aliases: [],
    summary: `Log injection in ${pkg}`,
    details: 'Crafted fields reach the sink unescaped.',
    severity: [],
    affected: [{ package: { ecosystem: 'PyPI', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
    references: [],
  };
  const r = await getJson(`${server.apiUrl}/advisories`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
    body: JSON.stringify(osv),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** A repository of the installation with these requirements and this config. */
function service(h: Harness, inst: number, repo: string, requirements: string, config: string): void {
  h.peer.addRepo(inst, repo, { 'requirements.txt': `fapilog==0.16.0\n${requirements}`, '.github/fapilog-plugins.yml': config });
}

const repoWrites = (h: Harness, repo: string, from: number) =>
  h.peer
    .writes(from)
    .filter((w) => w.includes(`/repos/${repo}/`))
    .map((w) => w.replace(`/repos/${repo}`, ''));

describe('security pull requests', { concurrency: true }, () => {
  test('a security pull request is opened first, even with the open-PR limit reached, labelled and titled so', async () => {
    await withHarness(server.apiUrl, async (h, inst) => {
      const requirements = 'fapilog-alpha==1.0.0\nfapilog-beta==1.0.0\nfapilog-vuln-limit==1.0.0\n';
      service(h, inst, 'acme/svc', requirements, 'open-pull-requests-limit: 1\nlabels: [dependencies]\n');
      const r1 = await h.sweep();
      assert.deepEqual(r1.results[0]!.opened, ['fapilog-plugins/fapilog-alpha']);
      assert.deepEqual(r1.results[0]!.deferred, ['fapilog-plugins/fapilog-beta', 'fapilog-plugins/fapilog-vuln-limit']);

      // An advisory against the release in use: the limit (reached) does not hold it back.
      await advisory('GHSA-limt-0001-0001', 'fapilog-vuln-limit', '1.0.1');
      const from = h.peer.requests.length;
      const r2 = await h.sweep();
      assert.deepEqual(r2.results[0]!.opened, ['fapilog-plugins/fapilog-vuln-limit']);
      assert.deepEqual(r2.results[0]!.deferred, ['fapilog-plugins/fapilog-beta']);
      assert.equal(repoWrites(h, 'acme/svc', from).filter((w) => w === 'POST /pulls').length, 1);
      const pr = h.peer.pulls('acme/svc').find((p) => p.pull!.head === 'fapilog-plugins/fapilog-vuln-limit')!;
      assert.equal(pr.title, 'Update fapilog-vuln-limit to 1.0.1 [security]');
      assert.deepEqual(pr.labels, ['dependencies', 'security']);
      assert.match(pr.body!, /^> \[!CAUTION\]\n> \*\*Security:\*\* the release in use is affected by a security advisory/m);
      assert.match(pr.body!, /^> - fapilog-vuln-limit 1\.0\.0: GHSA-limt-0001-0001 \\\(Log injection in fapilog-vuln-limit\\\)$/m);
      assert.equal(readPrState(pr.body)!.security, true);
      assert.equal(h.peer.pulls('acme/svc', 'open').length, 2);

      // Kept as it is: nothing written, and the security fix still takes no place under the limit.
      const again = h.peer.requests.length;
      const r3 = await h.sweep();
      assert.deepEqual(h.peer.writes(again), []);
      assert.deepEqual(r3.results[0]!.deferred, ['fapilog-plugins/fapilog-beta']);
    });
  });

  test('an open pull request becomes a security one when an advisory comes out against the release it moves off', async () => {
    await withHarness(server.apiUrl, async (h, inst) => {
      service(h, inst, 'acme/convert', 'fapilog-convert==1.0.0\n', 'labels: [dependencies]\n');
      const r1 = await h.sweep();
      assert.deepEqual(r1.results[0]!.opened, ['fapilog-plugins/fapilog-convert']);
      const [before] = h.peer.pulls('acme/convert');
      assert.equal(before!.title, 'Update fapilog-convert to 1.1.0');
      assert.deepEqual(before!.labels, ['dependencies']);
      assert.equal(readPrState(before!.body)!.security, undefined);

      await advisory('GHSA-conv-0001-0001', 'fapilog-convert', '1.1.0');
      const from = h.peer.requests.length;
      const r2 = await h.sweep();
      assert.deepEqual(
        [r2.results[0]!.updated, r2.results[0]!.opened, r2.results[0]!.unchanged],
        [['fapilog-plugins/fapilog-convert'], [], []],
      );
      const prs = h.peer.pulls('acme/convert');
      assert.equal(prs.length, 1, 'the same pull request, not a second one');
      const pr = prs[0]!;
      assert.equal(pr.number, before!.number);
      assert.equal(pr.title, 'Update fapilog-convert to 1.1.0 [security]');
      assert.deepEqual(pr.labels, ['dependencies', 'security']);
      assert.match(pr.body!, /^> - fapilog-convert 1\.0\.0: GHSA-conv-0001-0001 /m);
      assert.equal(readPrState(pr.body)!.security, true);
      assert.ok(repoWrites(h, 'acme/convert', from).includes(`POST /issues/${pr.number}/labels`));

      const again = h.peer.requests.length;
      const r3 = await h.sweep();
      assert.deepEqual(h.peer.writes(again), [], 'converted once, then left as it is');
      assert.deepEqual(r3.results[0]!.unchanged, ['fapilog-plugins/fapilog-convert']);
    });
  });
});

describe('minimum-release-age', { concurrency: true }, () => {
  test('a one-day-old release waits under minimum-release-age: 3, and is proposed under 1', async () => {
    await withHarness(server.apiUrl, async (h, inst) => {
      const requirements = 'fapilog-fresh==1.0.0\n';
      service(h, inst, 'acme/waits', requirements, 'minimum-release-age: 3\n');
      service(h, inst, 'acme/proposed', requirements, 'minimum-release-age: 1\n');
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const [waits, proposed] = ['acme/waits', 'acme/proposed'].map((n) => r.results.find((x) => x.repo === n)!);
      assert.deepEqual(waits!.opened, []);
      assert.equal(h.peer.pulls('acme/waits').length, 0);
      assert.deepEqual(repoWrites(h, 'acme/waits', 0), []);
      assert.deepEqual(proposed!.opened, ['fapilog-plugins/fapilog-fresh']);
      assert.equal(h.peer.pulls('acme/proposed')[0]!.title, 'Update fapilog-fresh to 1.1.0');
    });
  });

  test('a security fix does not wait', async () => {
    await withHarness(server.apiUrl, async (h, inst) => {
      service(h, inst, 'acme/urgent', 'fapilog-vuln-wait==1.0.0\n', 'minimum-release-age: 3\n');
      // Before the advisory, 1.0.1 is a day old: it waits.
      const r1 = await h.sweep();
      assert.deepEqual(r1.results[0]!.opened, []);
      await advisory('GHSA-wait-0001-0001', 'fapilog-vuln-wait', '1.0.1');
      const r2 = await h.sweep();
      assert.deepEqual(r2.results[0]!.opened, ['fapilog-plugins/fapilog-vuln-wait']);
      const [pr] = h.peer.pulls('acme/urgent');
      assert.equal(pr!.title, 'Update fapilog-vuln-wait to 1.0.1 [security]');
      assert.deepEqual(pr!.labels, ['security']);
    });
  });
});

describe('deprecation', { concurrency: true }, () => {
  test('a deprecated plugin: its pull request suggests the replacement, or an issue does when there is no update', async () => {
    for (const [name, replacement] of [
      ['oldie', 'fapilog-modern'],
      ['legacy', 'fapilog-modern'],
    ] as const) {
      const r = await getJson(`${server.apiUrl}/plugins/${name}/deprecation`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'no longer maintained', replacement }),
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    await withHarness(server.apiUrl, async (h, inst) => {
      h.peer.addRepo(inst, 'acme/old', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-oldie==1.0.0\nfapilog-legacy==2.0.0\n' });
      const r = await h.sweep();
      assert.deepEqual(r.results[0]!.opened, ['fapilog-plugins/fapilog-oldie']);
      assert.equal(r.results[0]!.issues.deprecated, 'opened');
      const [pr] = h.peer.pulls('acme/old');
      assert.match(pr!.body!, /^> \[!NOTE\]\n> \*\*fapilog-oldie is deprecated:\*\* .*Its owner suggests `fapilog-modern` instead/m);
      // legacy has no update: the issue names it (not oldie, whose pull request says it).
      const [issue] = h.peer.openIssues('acme/old');
      assert.equal(issue!.title, 'fapilog-plugins: deprecated plugins in use');
      assert.match(issue!.body!, /\*\*fapilog-legacy is deprecated:\*\* .*Its owner suggests `fapilog-modern` instead/);
      assert.doesNotMatch(issue!.body!, /fapilog-oldie/);
      // Unchanged: no write; replaced by hand: the issue closes.
      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(from), []);
      h.peer.commitFiles(
        'acme/old',
        'main',
        { 'requirements.txt': 'fapilog==0.16.0\nfapilog-oldie==1.0.0\nfapilog-modern==1.0.0\n' },
        'x',
        'alice',
      );
      const r3 = await h.sweep();
      assert.equal(r3.results[0]!.issues.deprecated, 'closed');
    });
  });
});
