/**
 * What a sweep costs in GitHub API calls (issue 14's targets: at most 2 calls that are not 304s
 * for a repository with nothing to do, at most 8 per new pull request). Counted at the GitHub
 * peer, per repository, for a cold process (nothing remembered) and a warm one (the same process
 * sweeping again: conditional requests and SHA-keyed git objects). bench/bot-sweep.ts measures
 * the same on 200 repositories, with wall time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { metadataFor, publish, wheelFor } from '../server/util.ts';
import { startHarness } from './harness.ts';
import type { Recorded } from './github-peer.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(async () => {
  await server.stop();
});

function count(requests: Recorded[], repo: string) {
  const mine = requests.filter((r) => r.path.startsWith(`/repos/${repo}/`));
  return {
    total: mine.length,
    notModified: mine.filter((r) => r.status === 304).length,
    counted: mine.filter((r) => r.status !== 304).length,
    writes: mine.filter((r) => r.method !== 'GET').length,
  };
}

const FULL_CONFIG = 'labels: [dependencies]\nassignees: [alice]\nreviewers: [bob]\n';

/** Blobs are remembered by SHA across repositories: each repository gets bytes of its own, as real ones have. */
function own(name: string, text: string): string {
  return `# ${name}\n${text}`;
}

test('API calls: a repository with nothing to do, and one new pull request', async (t) => {
  const h = await startHarness(server.apiUrl);
  try {
    const inst = h.peer.addInstallation('acme');
    h.peer.addRepo(inst, 'acme/current', {
      'requirements.txt': own('acme/current', 'fapilog==0.16.0\nfapilog-loki==1.4.0\n'),
      'README.md': 'x\n',
    });
    h.peer.addRepo(inst, 'acme/busy', { 'requirements.txt': own('acme/busy', 'fapilog==0.16.0\nfapilog-loki==1.4.0\n') });
    h.peer.openIssueAsPerson('acme/busy', 'the logs are late');
    h.peer.addRepo(inst, 'acme/one', { 'requirements.txt': own('acme/one', 'fapilog==0.16.0\nfapilog-otel==1.1.0\n') });
    h.peer.addRepo(inst, 'acme/full-idle', {
      'requirements.txt': own('acme/full-idle', 'fapilog==0.16.0\nfapilog-loki==1.4.0\n'),
      '.github/fapilog-plugins.yml': own('idle', FULL_CONFIG),
    });
    h.peer.addRepo(inst, 'acme/full', {
      'requirements.txt': own('acme/full', 'fapilog==0.16.0\nfapilog-otel==1.1.0\n'),
      '.github/fapilog-plugins.yml': FULL_CONFIG,
    });

    await h.sweep();
    const cold = h.peer.requests.slice();
    const coldIdle = count(cold, 'acme/current');
    const coldBusy = count(cold, 'acme/busy');
    const coldOne = count(cold, 'acme/one');
    const coldFull = count(cold, 'acme/full');
    const coldFullIdle = count(cold, 'acme/full-idle');
    const sweepOverhead = cold.filter((r) => !r.path.startsWith('/repos/')).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);

    const from = h.peer.requests.length;
    await h.sweep();
    const warm = h.peer.requests.slice(from);
    const warmIdle = count(warm, 'acme/current');
    const warmBusy = count(warm, 'acme/busy');
    const warmOne = count(warm, 'acme/one');

    const third = h.peer.requests.length;
    await h.sweep();
    const steadyOne = count(h.peer.requests.slice(third), 'acme/one');

    // A newer release of the plugin the open pull request moves: the same pull request is updated.
    const wheel = wheelFor('otel', '2.1.0', { compat: '>=0.16' });
    const res = await publish(
      server.apiUrl,
      'otel',
      metadataFor('otel', '2.1.0', [wheel], { fapilog_compatibility: '>=0.16' }),
      [wheel],
      await server.createToken('observability-guild'),
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const fourth = h.peer.requests.length;
    await h.sweep();
    const newer = h.peer.requests.slice(fourth);
    const updateOne = count(newer, 'acme/one');

    t.diagnostic(`per sweep: ${sweepOverhead.join(', ')} (the token is then reused for an hour)`);
    t.diagnostic(
      `nothing to do, cold: ${coldIdle.counted} calls (tree, 1 manifest blob); warm: ${warmIdle.counted} counted + ${warmIdle.notModified} answered 304`,
    );
    t.diagnostic(
      `nothing to do, someone's issue open, cold: ${coldBusy.counted} calls (+ the bot's issues); warm: ${warmBusy.counted} counted + ${warmBusy.notModified} answered 304`,
    );
    t.diagnostic(
      `one new pull request, cold: ${coldOne.counted} calls, ${coldOne.writes} of them writes; the PR's own share: ${coldOne.counted - coldIdle.counted}`,
    );
    t.diagnostic(
      `with labels, assignees and reviewers: ${coldFull.counted} calls; the PR's own share: ${coldFull.counted - coldFullIdle.counted}`,
    );
    t.diagnostic(
      `the sweep after it: ${warmOne.counted} counted + ${warmOne.notModified} answered 304 (the lists changed when the PR was opened), ${warmOne.writes} writes`,
    );
    t.diagnostic(`steady state with the PR open: ${steadyOne.counted} counted + ${steadyOne.notModified} answered 304`);
    t.diagnostic(
      `a newer release for the open PR: ${updateOne.counted} counted (${updateOne.writes} writes) + ${updateOne.notModified} answered 304`,
    );

    // Nothing to do: the tree (by branch name) + 1 per manifest cold; warm, the tree is a 304.
    assert.deepEqual(coldIdle, { total: 2, notModified: 0, counted: 2, writes: 0 });
    assert.deepEqual(warmIdle, { total: 1, notModified: 1, counted: 0, writes: 0 });
    // Someone else's open issue: the bot's own issues are listed too (a 304 later).
    assert.deepEqual(coldBusy, { total: 3, notModified: 0, counted: 3, writes: 0 });
    assert.deepEqual(warmBusy, { total: 2, notModified: 2, counted: 0, writes: 0 });
    // One new pull request: the 2 reads, the branch's pull requests, the head, tree, commit, ref, pull request.
    assert.deepEqual(coldOne, { total: 8, notModified: 0, counted: 8, writes: 4 });
    assert.ok(coldOne.counted <= 8);
    // Labels and assignees (one request) and reviewers (one more): the PR's share is still 8.
    assert.deepEqual(coldFullIdle, { total: 3, notModified: 0, counted: 3, writes: 0 });
    assert.deepEqual(coldFull, { total: 11, notModified: 0, counted: 11, writes: 6 });
    assert.ok(coldFull.counted - coldFullIdle.counted <= 8);
    // The next sweep sees the lists it changed (issues, branch heads) once; then all three are 304s.
    assert.deepEqual(warmOne, { total: 3, notModified: 1, counted: 2, writes: 0 });
    assert.deepEqual(steadyOne, { total: 3, notModified: 3, counted: 0, writes: 0 });
    // A newer release: the 3 reads and the head are 304s; tree, commit, ref and pull request are written.
    assert.deepEqual(
      newer
        .filter((r) => r.path.startsWith('/repos/acme/one/') && r.status === 304)
        .map((r) => r.path.replace(/\?.*/, '').replace('/repos/acme/one', '')),
      ['/git/trees/main', '/issues', '/git/matching-refs/heads%2Ffapilog-plugins%2F', '/branches/main'],
    );
    assert.deepEqual(updateOne, { total: 8, notModified: 4, counted: 4, writes: 4 });
  } finally {
    await h.close();
  }
});
