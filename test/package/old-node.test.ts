/**
 * bin/fapilog-plugins.js on a Node older than 24 (the system Node of this machine and of CI):
 * one line and exit 2 for every command, before anything that would fail to load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { cleanEnv, findOlderNode } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/fapilog-plugins.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

test('on Node < 24 every command prints one line and exits 2', () => {
  const old = findOlderNode();
  // serve would need node:sqlite, outdated the type stripping of the sources: neither is reached.
  for (const argv of [['--version'], ['outdated', 'examples/app'], ['serve', '--port', '0'], []]) {
    const r = spawnSync(old.path, [BIN, ...argv], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' });
    assert.equal(r.stderr, `fapilog-plugins needs Node.js 24 or newer (this is ${old.version})\n`, `argv ${argv.join(' ')}`);
    assert.equal(r.stdout, '');
    assert.equal(r.status, 2);
  }
});

test('on this Node 24 the same bin runs the sources', () => {
  const r = spawnSync(process.execPath, [BIN, '--version'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, `${VERSION}\n`);
  assert.equal(r.status, 0);
});
