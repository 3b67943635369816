/**
 * `yank` and `unyank` against the reference marketplace: the owner's token yanks with a reason and
 * takes it back; others are refused, nothing changes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Release } from '../../src/core/marketplace/schemas.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(async () => {
  await server?.stop();
});

test("yank: the owner's token yanks a release with its reason, and info shows it yanked; another owner's is refused", async () => {
  const M = ['--marketplace-url', server.apiUrl, '--cache-dir', (await import('node:os')).tmpdir() + `/fapilog-yank-${process.pid}`];
  const stranger = await runCli(['yank', 'loki', '1.4.0', '--reason', 'nope', '--token', await server.createToken('mallory'), ...M]);
  assert.equal(stranger.code, 2);
  assert.match(stranger.stderr, /403|owner/);

  const noReason = await runCli(['yank', 'loki', '1.4.0', ...M]);
  assert.equal(noReason.code, 2);
  assert.match(noReason.stderr, /--reason/);

  const token = await server.createToken('observability-guild');
  const r = await runCli(['--json', 'yank', 'loki', '1.4.0', '--reason', 'leaks file handles', '--token', token, ...M]);
  assert.equal(r.code, 0, r.stderr);
  const release = Release.parse((JSON.parse(r.stdout) as { release: unknown }).release);
  assert.equal(release.yanked, true);
  assert.equal(release.yanked_reason, 'leaks file handles');
  const human = await runCli(['yank', 'fapilog-loki', '1.4.0', '--reason', 'leaks file handles', '--token', token, ...M]);
  assert.equal(human.stdout, 'yanked fapilog-loki 1.4.0: leaks file handles\n');
});

test("unyank: the owner's token takes the yank back; without a token it says what it needs; a stranger is refused", async () => {
  const M = ['--marketplace-url', server.apiUrl, '--cache-dir', (await import('node:os')).tmpdir() + `/fapilog-unyank-${process.pid}`];
  const token = await server.createToken('observability-guild');
  const y = await runCli(['yank', 'loki', '1.2.0', '--reason', 'broken', '--token', token, ...M]);
  assert.equal(y.code, 0, y.stderr);

  const noToken = await runCli(['unyank', 'loki', '1.2.0', ...M]);
  assert.equal(noToken.code, 2);
  assert.match(noToken.stderr, /un-yanking needs the plugin owner's token/);
  const stranger = await runCli(['unyank', 'loki', '1.2.0', '--token', await server.createToken('mallory'), ...M]);
  assert.equal(stranger.code, 2);
  assert.match(stranger.stderr, /403|owner/);

  const human = await runCli(['unyank', 'fapilog-loki', '1.2.0', '--token', token, ...M]);
  assert.equal(human.code, 0, human.stderr);
  assert.equal(human.stdout, 'fapilog-loki 1.2.0 is no longer yanked\n');
  const json = await runCli(['--json', 'unyank', 'loki', '1.2.0', '--token', token, ...M]);
  const release = Release.parse((JSON.parse(json.stdout) as { release: unknown }).release);
  assert.deepEqual([release.version, release.yanked, release.yanked_reason], ['1.2.0', false, null]);
});
