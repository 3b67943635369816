/**
 * The disk side: DiskProjectFiles (regular files only, inside the root, under the size cap) and
 * writeChangesToDisk (all files or none, refusing files changed since they were read).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CoreError, DiskProjectFiles, fileChange, writeChangesToDisk } from '../../../src/core/project/index.ts';
import { decodeBytes } from '../../../src/core/bytes.ts';
import { scanFiles } from '../../../src/core/python/scan.ts';

async function withDir(files: Record<string, string | Uint8Array>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fapilog-disk-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A change as a planner makes it: from the bytes on disk to the same text with `from` replaced by `to`. */
async function change(dir: string, rel: string, from: string, to: string) {
  const bytes = new Uint8Array(await readFile(path.join(dir, rel)));
  const text = decodeBytes(bytes);
  return fileChange({ path: rel, bytes, text }, text.replace(from, to));
}

describe('writeChangesToDisk', () => {
  test('the second of two replacements fails: both files byte-identical, the error names them', () =>
    withDir(
      {
        'requirements.txt': 'fapilog-loki==1.2.0\n',
        'svc/pyproject.toml': Buffer.from('[project]\ndependencies = ["fapilog-kafka==2.0.0"] # caf\xe9\n', 'latin1'),
      },
      async (dir) => {
        const before = await Promise.all(['requirements.txt', 'svc/pyproject.toml'].map((f) => readFile(path.join(dir, f))));
        const changes = [
          await change(dir, 'requirements.txt', '1.2.0', '1.4.0'),
          await change(dir, 'svc/pyproject.toml', '2.0.0', '2.1.0'),
        ];
        const seen: number[] = [];
        await assert.rejects(
          writeChangesToDisk(dir, changes, {
            // A real failure of the second rename: what it would move into place is gone.
            beforeReplace: async (i, c) => {
              seen.push(i);
              if (i === 1) await rm(c.staged);
            },
          }),
          (e: unknown) => {
            assert.ok(e instanceof CoreError, String(e));
            assert.equal(e.code, 'write-failed');
            assert.deepEqual(e.files, ['requirements.txt', 'svc/pyproject.toml']);
            assert.match(e.message, /replacing svc\/pyproject\.toml failed/);
            assert.match(e.message, /requirements\.txt was restored, so nothing changed/);
            return true;
          },
        );
        assert.deepEqual(seen, [0, 1], 'the first replacement did happen before the second failed');
        const after = await Promise.all(['requirements.txt', 'svc/pyproject.toml'].map((f) => readFile(path.join(dir, f))));
        assert.deepEqual(after, before);
        const names = [...(await readdir(dir)), ...(await readdir(path.join(dir, 'svc')))];
        assert.deepEqual(
          names.filter((n) => n.endsWith('.tmp')),
          [],
          'no staged or backup files left',
        );
      },
    ));

  test('all changes land together, modes kept, and a file changed since it was read is refused before anything is written', () =>
    withDir({ 'a.txt': 'fapilog-loki==1.2.0\n', 'b/requirements.txt': 'fapilog-kafka==2.0.0\n' }, async (dir) => {
      execFileSync('chmod', ['640', path.join(dir, 'a.txt')]);
      const changes = [await change(dir, 'a.txt', '1.2.0', '1.4.0'), await change(dir, 'b/requirements.txt', '2.0.0', '2.1.0')];
      await writeFile(path.join(dir, 'b/requirements.txt'), 'fapilog-kafka==2.0.0  # edited meanwhile\n');
      await assert.rejects(
        writeChangesToDisk(dir, changes),
        (e: unknown) => e instanceof CoreError && e.code === 'write-conflict' && e.files.join() === 'b/requirements.txt',
      );
      assert.equal(await readFile(path.join(dir, 'a.txt'), 'utf8'), 'fapilog-loki==1.2.0\n');

      const fresh = [await change(dir, 'a.txt', '1.2.0', '1.4.0'), await change(dir, 'b/requirements.txt', '2.0.0', '2.1.0')];
      await writeChangesToDisk(dir, fresh);
      assert.equal(await readFile(path.join(dir, 'a.txt'), 'utf8'), 'fapilog-loki==1.4.0\n');
      assert.equal(await readFile(path.join(dir, 'b/requirements.txt'), 'utf8'), 'fapilog-kafka==2.1.0  # edited meanwhile\n');
      assert.equal(execFileSync('stat', ['-c', '%a', path.join(dir, 'a.txt')], { encoding: 'utf8' }).trim(), '640');
    }));

  test('a change path that leaves the root is refused', () =>
    withDir({ 'a.txt': 'x\n' }, async (dir) => {
      const c = { path: '../a.txt', before: new Uint8Array(), after: new Uint8Array([1]), diff: '' };
      await assert.rejects(writeChangesToDisk(dir, [c]), (e: unknown) => e instanceof CoreError && e.code === 'write-failed');
    }));
});

describe('DiskProjectFiles', () => {
  test('lists regular manifests only, skips folders the engine skips, never reads a FIFO or outside the root', () =>
    withDir(
      {
        'requirements.txt': 'fapilog\n',
        'node_modules/x/requirements.txt': 'x\n',
        'env2/pyvenv.cfg': 'home = /usr\n',
        'env2/requirements.txt': 'x\n',
        'notes.md': 'hi\n',
      },
      async (dir) => {
        execFileSync('mkfifo', [path.join(dir, 'requirements-dev.txt')]);
        const outside = await mkdtemp(path.join(os.tmpdir(), 'fapilog-outside-'));
        try {
          await writeFile(path.join(outside, 'secret.txt'), 'TOKEN\n');
          await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'requirements-link.txt'));
          const files = new DiskProjectFiles(dir);
          const listed = (await files.list()).map((e) => e.path).sort();
          // Neither the FIFO nor the link to a file outside the root is listed.
          assert.deepEqual(
            listed.filter((p) => p.startsWith('requirements')),
            ['requirements.txt'],
          );
          assert.equal(await files.read('requirements-link.txt'), null, 'a symlink out of the root is not followed');
          assert.equal(await files.read('requirements-dev.txt'), null, 'a FIFO is not read (and does not hang)');
          assert.equal(await files.read('../x'), null);
          const scan = await scanFiles(files);
          assert.deepEqual(
            scan.manifests.map((m) => m.file),
            ['requirements.txt'],
          );
        } finally {
          await rm(outside, { recursive: true, force: true });
        }
      },
    ));

  test('a file above the size cap is skipped with a warning', () =>
    withDir({ 'requirements.txt': 'fapilog\n' + '# padding\n'.repeat(200) }, async (dir) => {
      const scan = await scanFiles(new DiskProjectFiles(dir), { maxFileBytes: 1024 });
      assert.deepEqual(scan.manifests, []);
      assert.match(scan.warnings.join('\n'), /requirements\.txt: cannot read \(2\.0 KiB is above the 1\.0 KiB limit; not read\)/);
    }));
});
