/** `admin ...` refuses a data directory that does not exist (a typo would make a new, empty marketplace) unless --create. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';

test('a missing data dir is an error that changes nothing; --create makes it', async (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-admin-create-'));
  t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'marketplace-dta');
  for (const args of [
    ['admin', 'token', 'create', '--owner', 'alice'],
    ['admin', 'token', 'list'],
    ['admin', 'publisher', 'list'],
    ['admin', 'fapilog-versions', '0.18.0'],
  ]) {
    const r = await runCli([...args, '--data-dir', dir]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error: data directory ${dir} does not exist; check --data-dir (or FAPILOG_MARKETPLACE_DATA_DIR), or pass --create to start a new marketplace there\n`,
    );
    assert.equal(fs.existsSync(dir), false, 'nothing was created');
  }
  // From the environment too, and under --json as an error object.
  const viaEnv = await runCli(['--json', 'admin', 'token', 'list'], { env: { FAPILOG_MARKETPLACE_DATA_DIR: dir } });
  assert.equal(viaEnv.code, 2);
  assert.match((JSON.parse(viaEnv.stdout) as { error: { message: string } }).error.message, /does not exist/);

  const created = await runCli(['admin', 'token', 'create', '--owner', 'alice', '--data-dir', dir, '--create']);
  assert.equal(created.code, 0, created.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'marketplace.sqlite')));
  // Once it exists, no --create needed.
  const list = await runCli(['admin', 'token', 'list', '--data-dir', dir]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID +OWNER +CREATED +EXPIRES +PLUGINS\n1 +alice +\d{4}-\d\d-\d\dT\S+ +never +all\n$/);
});

test('admin token create --expires --plugin: a token that expires and acts on one plugin only; list shows both under a header', async (t) => {
  const { createMarketplace } = await import('../../server/index.ts');
  const { openStore } = await import('../../server/store/index.ts');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-admin-scope-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const owner = await runCli(['admin', 'token', 'create', '--owner', 'acme', '--data-dir', dir, '--create']);
  const scoped = await runCli(['admin', 'token', 'create', '--owner', 'acme', '--expires', '90d', '--plugin', 'loki', '--data-dir', dir]);
  assert.equal(scoped.code, 0, scoped.stderr);
  assert.match(
    scoped.stderr,
    /^token created for owner acme \(expires \d{4}-\d\d-\d\dT[\d:.]+Z; only for fapilog-loki\); it is shown only now/,
  );
  const bad = await runCli(['admin', 'token', 'create', '--owner', 'acme', '--expires', 'soon', '--data-dir', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /expected a duration such as 30m, 12h, 90d or 8w/);

  // An expired one, as the store would hold it 90 days later.
  const store = await openStore({ dataDir: dir });
  const expired = await store.createToken('acme', { expiresAt: '2020-01-01T00:00:00.000Z' });
  await store.close();

  const list = await runCli(['admin', 'token', 'list', '--data-dir', dir]);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID +OWNER +CREATED +EXPIRES +PLUGINS$/);
  assert.match(lines[1]!, /^1 +acme +\S+ +never +all$/);
  assert.match(lines[2]!, /^2 +acme +\S+ +\d{4}-\S+Z +fapilog-loki$/);
  assert.match(lines[3]!, /^3 +acme +\S+ +2020-01-01T00:00:00\.000Z \(expired\) +all$/);
  const json = JSON.parse((await runCli(['--json', 'admin', 'token', 'list', '--data-dir', dir])).stdout) as {
    tokens: Array<{ plugins: string[] | null; expires_at: string | null }>;
  };
  assert.deepEqual(
    json.tokens.map((x) => x.plugins),
    [null, ['fapilog-loki'], null],
  );

  // The server honours both: the scoped token yanks its plugin and nothing else; the expired one is refused.
  const marketplace = await createMarketplace({ dataDir: dir, seedFile: (await import('../helpers/server.ts')).CATALOG_FILE });
  t.after(() => marketplace.close());
  const api = `${await marketplace.listen(0, '127.0.0.1')}/api/v1`;
  // Both checks come before ownership: the scope names the plugin, the expiry the time.
  const yank = (token: string, name: string, version: string) =>
    fetch(`${api}/plugins/${name}/versions/${version}/yank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'broken' }),
    });
  const other = await yank(scoped.stdout.trim(), 'otel', '1.1.0');
  assert.equal(other.status, 403);
  assert.match(
    ((await other.json()) as { error: { message: string } }).error.message,
    /this token may act only on fapilog-loki, not fapilog-otel/,
  );
  const late = await yank(expired, 'loki', '1.4.0');
  assert.equal(late.status, 401);
  assert.match(
    ((await late.json()) as { error: { message: string } }).error.message,
    /the Bearer token expired at 2020-01-01T00:00:00\.000Z/,
  );
  assert.ok(owner.stdout.trim().length > 0);
});
