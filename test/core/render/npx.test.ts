import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';
import { NPX_PACKAGE, npxCommand, shellWord } from '../../../src/core/render/npx.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** The words a real POSIX shell makes of a command line (printed NUL-separated, so any byte survives). */
function shellSplit(commandLine: string): string[] {
  const out = execFileSync('sh', ['-c', `set -- ${commandLine}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

test('the command names this package at the exact version in package.json', () => {
  assert.equal(NPX_PACKAGE, `${pkg.name}@${pkg.version}`);
  assert.ok(semver.valid(pkg.version), `package.json version ${pkg.version} is semver`);
  assert.equal(npxCommand('update', 'fapilog-otel'), `npx ${pkg.name}@${pkg.version} update fapilog-otel`);
  assert.equal(npxCommand(), `npx ${pkg.name}@${pkg.version}`);
});

test('plain words stay unquoted, so the usual hint reads as typed', () => {
  for (const word of ['update', 'fapilog-request-context', '--dry-run', '--strategy=pin', 'services/api', 'fapilog-otel==2.0.0']) {
    assert.equal(shellWord(word), word);
  }
});

test('a shell turns the command back into exactly the arguments given', () => {
  const args = ['update', 'fapilog-otel', 'path with spaces', "it's", '$HOME', '`id`', 'a;b|c&d', '*', '', 'new\nline', 'fapilog-kafka>=3'];
  const words = shellSplit(npxCommand(...args));
  assert.deepEqual(words, ['npx', NPX_PACKAGE, ...args]);
});

test("the README's npx examples name the current release", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const named = [...readme.matchAll(/npx fapilog-plugins@(\S+)/g)].map((m) => m[1]);
  assert.ok(named.length > 0, 'README shows the versioned npx command');
  for (const version of named) assert.equal(version, pkg.version);
});
