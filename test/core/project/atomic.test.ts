import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AtomicWriteError, writeManifestAtomically } from '../../../src/core/project/disk-writer.ts';
import { expectSpecifier } from '../../../src/core/python/verify.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fapilog-atomic-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('writeManifestAtomically', () => {
  test('replaces the file when the re-read confirms the new specifier, keeping its mode', () =>
    withDir(async (dir) => {
      const file = path.join(dir, 'requirements.txt');
      await writeFile(file, 'fapilog-loki==1.2.0\n');
      await chmod(file, 0o640);
      await writeManifestAtomically(file, 'fapilog-loki==1.4.0\n', expectSpecifier('fapilog-loki', '==1.4.0'));
      assert.equal(await readFile(file, 'utf8'), 'fapilog-loki==1.4.0\n');
      assert.equal((await stat(file)).mode & 0o777, 0o640);
      assert.deepEqual(await readdir(dir), ['requirements.txt']);
    }));

  test('a failed confirmation leaves the original untouched and says why', () =>
    withDir(async (dir) => {
      const file = path.join(dir, 'requirements.txt');
      await writeFile(file, 'fapilog-loki==1.2.0\n');
      await assert.rejects(
        writeManifestAtomically(file, 'fapilog-loki==1.3.0\n', expectSpecifier('fapilog-loki', '==1.4.0')),
        (err: unknown) =>
          err instanceof AtomicWriteError && /was not changed: fapilog-loki reads back as "==1.3.0", expected "==1.4.0"/.test(err.message),
      );
      assert.equal(await readFile(file, 'utf8'), 'fapilog-loki==1.2.0\n');
      assert.deepEqual(await readdir(dir), ['requirements.txt']);
    }));

  test('an edit that breaks the TOML is refused', () =>
    withDir(async (dir) => {
      const file = path.join(dir, 'pyproject.toml');
      const original = '[project]\ndependencies = ["fapilog>=0.4"]\n';
      await writeFile(file, original);
      await assert.rejects(writeManifestAtomically(file, '[project]\ndependencies = ["fapilog>=0.5]\n'), /does not parse \(invalid TOML/);
      assert.equal(await readFile(file, 'utf8'), original);
      assert.deepEqual(await readdir(dir), ['pyproject.toml']);
    }));

  test('a dependency that disappeared is reported', () =>
    withDir(async (dir) => {
      const file = path.join(dir, 'base.txt');
      await writeFile(file, 'fapilog==0.4.2\n');
      await assert.rejects(
        writeManifestAtomically(file, 'requests\n', expectSpecifier('fapilog', '==0.5.0')),
        /fapilog is no longer found/,
      );
      assert.equal(await readFile(file, 'utf8'), 'fapilog==0.4.2\n');
    }));

  test('writing through a symlink replaces the target and keeps the link', () =>
    withDir(async (dir) => {
      await mkdir(path.join(dir, 'shared'));
      const target = path.join(dir, 'shared', 'requirements.txt');
      const link = path.join(dir, 'requirements.txt');
      await writeFile(target, 'fapilog==0.4.2\n');
      await symlink(target, link);
      await writeManifestAtomically(link, 'fapilog==0.5.0\n', expectSpecifier('fapilog', '==0.5.0'));
      assert.equal((await lstat(link)).isSymbolicLink(), true);
      assert.equal(await readFile(target, 'utf8'), 'fapilog==0.5.0\n');
    }));
});
