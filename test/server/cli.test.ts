/** `serve` and `admin` commands: tokens printed once and stored hashed, a server that stops cleanly. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.ts';
import type { CliIo } from '../../src/cli/context.ts';
import { createMarketplace } from '../../server/index.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { SearchResult } from '../../src/core/marketplace/schemas.ts';
import { CATALOG_FILE } from '../helpers/server.ts';
import { getJson, metadataFor, publish, wheelFor } from './util.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd: os.tmpdir(),
    isTTY: false,
    columns: 100,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-admin-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('admin', () => {
  test('token create prints a token once, stores only its hash, and the token publishes', async (t) => {
    const dir = tempDir(t);
    const created = await cli(['admin', 'token', 'create', '--owner', 'alice', '--data-dir', dir]);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^fpm_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /shown only now/);
    const db =
      fs.readFileSync(path.join(dir, 'marketplace.sqlite')).toString('latin1') +
      (fs.existsSync(path.join(dir, 'marketplace.sqlite-wal'))
        ? fs.readFileSync(path.join(dir, 'marketplace.sqlite-wal')).toString('latin1')
        : '');
    assert.ok(!db.includes(token), 'the token itself is not stored');
    assert.ok(db.includes(hashToken(token)), 'its sha256 is');

    const list = await cli(['admin', 'token', 'list', '--data-dir', dir]);
    assert.match(list.stdout, /^ID +OWNER +CREATED +EXPIRES +PLUGINS\n1 +alice +\d{4}-/);
    assert.ok(!list.stdout.includes(token));

    const m = await createMarketplace({ dataDir: dir });
    const url = await m.listen(0, '127.0.0.1');
    try {
      const w = wheelFor('admin-made', '1.0.0');
      assert.equal((await publish(`${url}/api/v1`, 'admin-made', metadataFor('admin-made', '1.0.0', [w]), [w], token)).status, 201);
      const revoked = await cli(['admin', 'token', 'revoke', '1', '--data-dir', dir]);
      assert.equal(revoked.code, 0);
      const w2 = wheelFor('admin-made', '1.0.1');
      assert.equal((await publish(`${url}/api/v1`, 'admin-made', metadataFor('admin-made', '1.0.1', [w2]), [w2], token)).status, 401);
    } finally {
      await m.close();
    }
    assert.equal((await cli(['admin', 'token', 'revoke', '99', '--data-dir', dir])).code, 2);
  });

  test('the data dir comes from FAPILOG_MARKETPLACE_DATA_DIR when no flag is given; bad owners are refused', async (t) => {
    const dir = tempDir(t);
    const created = await cli(['--json', 'admin', 'token', 'create', '--owner', 'bob'], { FAPILOG_MARKETPLACE_DATA_DIR: dir });
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).owner, 'bob');
    assert.ok(fs.existsSync(path.join(dir, 'marketplace.sqlite')));
    const bad = await cli(['admin', 'token', 'create', '--owner', '../x', '--data-dir', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--owner/);
  });

  test('fapilog-versions adds PEP 440 versions and lists them ascending', async (t) => {
    const dir = tempDir(t);
    const added = await cli(['admin', 'fapilog-versions', '0.18.0', '0.9.0', '0.10.0', '--data-dir', dir]);
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(added.stdout.trim().split('\n'), ['0.9.0', '0.10.0', '0.18.0']);
    const bad = await cli(['admin', 'fapilog-versions', 'banana', '--data-dir', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /banana/);
  });
});

describe('serve', () => {
  test('prints its URL, serves the seeded catalog with the configured rate limit, and stops cleanly on SIGTERM', async (t) => {
    const dir = tempDir(t);
    const child = spawn(
      process.execPath,
      [MAIN, 'serve', '--port', '0', '--data-dir', dir, '--seed', CATALOG_FILE, '--rate-limit', '50', '--quiet'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    assert.match(stdout, /simple index: http:\/\/127\.0\.0\.1:\d+\/simple\//);
    const r = await getJson(`${url}/api/v1/plugins`);
    assert.equal(r.status, 200);
    assert.equal(SearchResult.parse(r.body).total, 13);
    assert.equal(r.headers.get('x-ratelimit-limit'), '50');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(stderr, /SIGTERM, shutting down/);
  });

  test('a broken seed file is a one-line error with exit code 2', async (t) => {
    const dir = tempDir(t);
    const seed = path.join(dir, 'seed.json');
    fs.writeFileSync(seed, JSON.stringify({ fapilog_versions: ['0.1.0'], plugins: [{ name: 'x', releases: [] }] }));
    const r = await cli(['serve', '--port', '0', '--data-dir', path.join(dir, 'data'), '--seed', seed]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid seed catalog .*plugins\.0\./);
  });
});
