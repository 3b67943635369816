/**
 * `serve --oidc-issuer --oidc-jwks-url --oidc-audience` as a user starts it (a child process),
 * with publishers managed by `admin publisher add|list|remove` on the same data dir: the audience
 * endpoint answers the flag, an exchange verifies against the given JWKS URL, and a removed
 * publisher no longer matches.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startIssuer } from '../helpers/oidc-issuer.ts';
import { getJson } from './util.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

test('serve takes the OIDC issuer, JWKS URL and audience; admin publisher add/list/remove manage what matches', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-serve-oidc-'));
  const issuer = await startIssuer();
  t.after(async () => {
    await issuer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const admin = (...args: string[]) => runCli(['admin', 'publisher', ...args, '--data-dir', dir]);
  const added = await admin(
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
    'acme',
    '--issuer',
    issuer.url,
  );
  assert.equal(added.code, 0, added.stderr);
  const dup = await admin(
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
    'acme',
    '--issuer',
    issuer.url,
  );
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /fapilog-stdout-json already has this trusted publisher \(id 1\)/);

  const audience = 'https://plugins.example.com';
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--quiet',
      '--oidc-issuer',
      issuer.url,
      '--oidc-jwks-url',
      `${issuer.url}/.well-known/jwks`,
      '--oidc-audience',
      audience,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
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
      if (m && stdout.includes('OIDC:')) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  assert.match(stdout, new RegExp(`OIDC: +issuer ${issuer.url.replace(/\./g, '\\.')}, audience https://plugins\\.example\\.com`));
  assert.deepEqual((await getJson(`${url}/api/v1/oidc/audience`)).body, { audience });

  const exchange = async (aud: string) =>
    getJson(`${url}/api/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await issuer.mint(aud) }),
    });
  const ok = await exchange(audience);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(ok.body.plugins, ['fapilog-stdout-json']);
  const own = await exchange(url);
  assert.equal(own.status, 401, 'the listen URL is not the audience when --oidc-audience is given');
  assert.match(own.body.error.message, /^aud: /);

  const list = await admin('list', 'stdout-json');
  assert.match(list.stdout, /^1\tfapilog-stdout-json\tacme\/fapilog-stdout-json .*owner acme \(pending\)/);
  const removed = await admin('remove', '1');
  assert.equal(removed.code, 0);
  assert.equal((await admin('remove', '1')).code, 2);
  const after = await exchange(audience);
  assert.equal(after.status, 403);
  assert.match(after.body.error.message, /^repository: no trusted publisher is registered for acme\/fapilog-stdout-json/);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
