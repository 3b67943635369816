/**
 * scripts/test-deps.ts, the first step of `npm test`, decides from the real machine: dpkg-query
 * reads a dpkg database (DPKG_ADMINDIR points it at a copy of this machine's without some
 * packages, or at an empty one: a fresh machine), "not root" is a real unprivileged user when the
 * test runs as root, and "no sudo" is a PATH without sudo. Nothing here installs anything.
 *
 * The unprivileged runs use a copy of the script (and the modules it imports) and of this Node in
 * a temp directory everyone may enter: the checkout may sit where other users cannot (a home
 * directory with mode 0700), and `nobody` could then neither start Node nor read the script there.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ALL = [
  'python3-build',
  'python3-hatchling',
  'python3-httpx',
  'python3-packaging',
  'python3-venv',
  'python3-pip',
  'redis-server',
  'chromium',
  'postgresql',
  'wrk',
];
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'fapilog-test-deps-'));
// Readable by the unprivileged user the script runs as.
chmodSync(tmp, 0o755);
after(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The script and the modules it imports at run time (relative imports, followed; `import type`
 * is erased by Node and needs nothing), copied under `tmp/checkout` with their relative paths.
 */
function copyModules(entry: string): string {
  const dest = path.join(tmp, 'checkout');
  const todo = [entry];
  const seen = new Set<string>();
  while (todo.length > 0) {
    const rel = todo.pop()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    writeFileSync(path.join(dest, rel), text);
    for (const m of text.matchAll(/^import (?!type )[^'"]*['"](\.{1,2}\/[^'"]+)['"]/gm)) todo.push(path.join(path.dirname(rel), m[1]!));
  }
  return dest;
}

/** This Node, where everyone may run it: a hard link when the file system allows, else a copy. */
function shareableNode(): string {
  const dir = path.join(tmp, 'node-bin');
  mkdirSync(dir);
  const target = path.join(dir, 'node');
  try {
    linkSync(process.execPath, target);
  } catch {
    copyFileSync(process.execPath, target);
  }
  chmodSync(target, 0o755);
  return target;
}

const CHECKOUT = copyModules('scripts/test-deps.ts');
const SCRIPT = path.join(CHECKOUT, 'scripts', 'test-deps.ts');
const NODE = shareableNode();
for (const dir of [path.join(CHECKOUT, 'scripts'), path.join(CHECKOUT, 'src'), CHECKOUT]) chmodSync(dir, 0o755);
chmodSync(path.join(CHECKOUT, 'src', 'core'), 0o755);
chmodSync(path.join(CHECKOUT, 'src', 'core', 'project'), 0o755);

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
    cwd: CHECKOUT,
    env: { HOME: tmp, ...env },
    encoding: 'utf8',
    // A guard against a hang, not a timing assertion.
    timeout: 60_000,
  };
  if (opts.unprivileged && isRoot) Object.assign(spawnOpts, { uid: NOBODY, gid: NOBODY });
  const r = spawnSync(NODE, [SCRIPT, ...(opts.args ?? [])], spawnOpts);
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Every directory from / down to `p` can be entered by others (mode o+x). */
function enterableByOthers(p: string): boolean {
  for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

describe('scripts/test-deps.ts', () => {
  test("what the unprivileged runs execute lies outside the checkout, where others may enter, and is the checkout's script", () => {
    for (const p of [SCRIPT, NODE]) {
      assert.ok(path.relative(ROOT, p).startsWith('..'), `${p} is outside ${ROOT}`);
      assert.ok(enterableByOthers(p), `${p}: every directory above it can be entered by others`);
    }
    assert.equal(readFileSync(SCRIPT, 'utf8'), readFileSync(path.join(ROOT, 'scripts', 'test-deps.ts'), 'utf8'));
  });

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
    const r = runScript(
      { PATH: pathWith('fresh', ['dpkg-query', 'apt-get']), DPKG_ADMINDIR: dpkgDb('fresh', 'all') },
      { unprivileged: true },
    );
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
    // An empty PATH: /usr/bin/python3 (called by its full path, as the tests do) has its modules; redis-server, chromium, psql
    // and wrk are not found.
    const r = runScript({ PATH: pathWith('bare', []) }, { unprivileged: true });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not installed: redis-server chromium postgresql wrk\.\n/);
    assert.match(r.stderr, /no apt-get: install what they provide \(redis-server on PATH, chromium on PATH, psql on PATH, wrk on PATH\)/);
    assert.doesNotMatch(r.stderr, /python3-/);
  });
});
