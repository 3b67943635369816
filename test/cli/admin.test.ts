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
    assert.equal(r.stderr, `error: data directory ${dir} does not exist; check --data-dir (or FAPILOG_MARKETPLACE_DATA_DIR), or pass --create to start a new marketplace there\n`);
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
  assert.match(list.stdout, /^1\talice\t/);
});
