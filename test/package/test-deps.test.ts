/**
 * scripts/test-deps.ts, the first step of `npm test`, decides from the real machine: dpkg-query
 * reads a dpkg database (DPKG_ADMINDIR points it at a copy of this machine's without some
 * packages, or at an empty one: a fresh machine), "not root" is a real unprivileged user when the
 * test runs as root, and "no sudo" is a PATH without sudo. Nothing here installs anything.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const SCRIPT = fileURLToPath(new URL('../../scripts/test-deps.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ALL = ['python3-build', 'python3-hatchling', 'python3-httpx', 'python3-packaging', 'python3-venv', 'python3-pip', 'redis-server', 'postgresql'];
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fapilog-test-deps-'));
// Readable by the unprivileged user the script runs as.
chmodSync(tmp, 0o755);
after(() => rmSync(tmp, { recursive: true, force: true }));

function which(name: string): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return path.join(dir, name);
    } catch {
      // not in this one
    }
  }
  throw new Error(`${name} is not on PATH: this test needs a Debian machine (dpkg-query, apt-get)`);
}

/** A directory to use as PATH holding only the named commands (symlinks to the real ones). */
function pathWith(name: string, commands: string[]): string {
  const dir = path.join(tmp, `path-${name}`);
  mkdirSync(dir);
  for (const c of commands) symlinkSync(which(c), path.join(dir, c));
  chmodSync(dir, 0o755);
  return dir;
}

/** A dpkg database: this machine's status without the stanzas of `without`, or an empty one. */
function dpkgDb(name: string, without: string[] | 'all'): string {
  const dir = path.join(tmp, `dpkg-${name}`);
  mkdirSync(dir);
  let status = '';
  if (without !== 'all') {
    const real = readFileSync('/var/lib/dpkg/status', 'utf8');
    status = real
      .split(/\n\n+/)
      .filter((stanza) => !without.some((p) => stanza.startsWith(`Package: ${p}\n`)))
      .join('\n\n');
  }
  writeFileSync(path.join(dir, 'status'), status);
  chmodSync(dir, 0o755);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runScript(env: NodeJS.ProcessEnv, opts: { unprivileged?: boolean; args?: string[] } = {}): Run {
  const spawnOpts: SpawnSyncOptions = {
    cwd: ROOT,
    env: { HOME: tmp, ...env },
    encoding: 'utf8',
    // A guard against a hang, not a timing assertion.
    timeout: 60_000,
  };
  if (opts.unprivileged && isRoot) Object.assign(spawnOpts, { uid: NOBODY, gid: NOBODY });
  const r = spawnSync(process.execPath, [SCRIPT, ...(opts.args ?? [])], spawnOpts);
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('scripts/test-deps.ts', () => {
  test('on this machine everything is installed: silent, exit 0', () => {
    const r = runScript({ PATH: process.env['PATH'] });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, '');
    assert.equal(r.status, 0);
  });

  test('packages missing, not root, no sudo: stops with the one command to run, installs nothing', () => {
    const r = runScript(
      { PATH: pathWith('no-sudo', ['dpkg-query', 'apt-get']), DPKG_ADMINDIR: dpkgDb('two-missing', ['python3-httpx', 'redis-server']) },
      { unprivileged: true },
    );
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'test-deps: npm test needs Debian packages that are not installed: python3-httpx redis-server.');
    assert.equal(lines.at(-1), '  sudo apt-get update && sudo apt-get install -y python3-httpx redis-server');
    assert.doesNotMatch(r.stderr, /installing/);
  });

  test('a fresh machine (empty dpkg database) names every package, in one command', () => {
    const r = runScript({ PATH: pathWith('fresh', ['dpkg-query', 'apt-get']), DPKG_ADMINDIR: dpkgDb('fresh', 'all') }, { unprivileged: true });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trimEnd().split('\n').at(-1), `  sudo apt-get update && sudo apt-get install -y ${ALL.join(' ')}`);
  });

  test('with the right to install, --check names the apt-get it would run', (t) => {
    if (!isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
      t.skip('neither root nor password-less sudo: the installing branch cannot be reached here');
      return;
    }
    const prefix = isRoot ? '' : 'sudo ';
    const r = runScript({ PATH: process.env['PATH'], DPKG_ADMINDIR: dpkgDb('check', ['redis-server']) }, { args: ['--check'] });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr.trimEnd().split('\n').at(-1),
      `test-deps: would run (as ${isRoot ? 'root' : 'sudo'}): ${prefix}apt-get update && ${prefix}apt-get install -y redis-server`,
    );
  });

  test('without dpkg or apt-get the tools are checked by use, and the message says what to provide', () => {
    // An empty PATH: /usr/bin/python3 (called by its full path, as the tests do) has its modules; redis-server and psql are not found.
    const r = runScript({ PATH: pathWith('bare', []) }, { unprivileged: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not installed: redis-server postgresql\.\n/);
    assert.match(r.stderr, /no apt-get: install what they provide \(redis-server on PATH, psql on PATH\)/);
    assert.doesNotMatch(r.stderr, /python3-/);
  });
});
