/**
 * What a sweep costs in GitHub API calls (issue 14's targets: at most 2 calls that are not 304s
 * for a repository with nothing to do, at most 8 per new pull request). Counted at the GitHub
 * peer, per repository, for a cold process (nothing remembered) and a warm one (the same process
 * sweeping again: conditional requests and SHA-keyed git objects).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
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

test('API calls: a repository with nothing to do, and one new pull request', async (t) => {
  const h = await startHarness(server.apiUrl);
  try {
    const inst = h.peer.addInstallation('acme');
    h.peer.addRepo(inst, 'acme/current', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-loki==1.4.0\n', 'README.md': 'x\n' });
    h.peer.addRepo(inst, 'acme/one', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-otel==1.1.0\n' });

    await h.sweep();
    const cold = h.peer.requests.slice();
    const coldIdle = count(cold, 'acme/current');
    const coldOne = count(cold, 'acme/one');
    const sweepOverhead = cold.filter((r) => !r.path.startsWith('/repos/')).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);

    const from = h.peer.requests.length;
    await h.sweep();
    const warm = h.peer.requests.slice(from);
    const warmIdle = count(warm, 'acme/current');
    const warmOne = count(warm, 'acme/one');

    const third = h.peer.requests.length;
    await h.sweep();
    const steadyOne = count(h.peer.requests.slice(third), 'acme/one');

    t.diagnostic(`per sweep: ${sweepOverhead.join(', ')} (the token is then reused for an hour)`);
    t.diagnostic(`nothing to do, cold: ${coldIdle.counted} calls (ref, bot's issues, tree, 1 manifest blob); warm: ${warmIdle.counted} counted + ${warmIdle.notModified} answered 304`);
    t.diagnostic(`one new pull request, cold: ${coldOne.counted} calls, ${coldOne.writes} of them writes; the PR's own share: ${coldOne.counted - coldIdle.counted}`);
    t.diagnostic(`the sweep after it: ${warmOne.counted} counted + ${warmOne.notModified} answered 304 (the lists changed when the PR was opened), ${warmOne.writes} writes`);
    t.diagnostic(`steady state with the PR open: ${steadyOne.counted} counted + ${steadyOne.notModified} answered 304`);

    // Nothing to do: 3 reads + 1 per manifest cold; warm, every request is a 304 (not counted by GitHub).
    assert.deepEqual(coldIdle, { total: 4, notModified: 0, counted: 4, writes: 0 });
    assert.deepEqual(warmIdle, { total: 2, notModified: 2, counted: 0, writes: 0 });
    assert.ok(warmIdle.counted <= 2);
    // One new pull request: the same 4 reads, then the refusal check, tree, commit, ref, pull request.
    assert.deepEqual(coldOne, { total: 9, notModified: 0, counted: 9, writes: 4 });
    assert.ok(coldOne.counted - coldIdle.counted <= 8);
    // The next sweep sees the lists it changed (issues, branch heads) once; then all three are 304s.
    assert.deepEqual(warmOne, { total: 3, notModified: 1, counted: 2, writes: 0 });
    assert.deepEqual(steadyOne, { total: 3, notModified: 3, counted: 0, writes: 0 });
  } finally {
    await h.close();
  }
});
