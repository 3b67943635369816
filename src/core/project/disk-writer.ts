/**
 * Applying planned FileChanges to a directory on disk: all of them or none. Every new file is
 * staged first (a temp file beside its target, same filesystem, read back), together with a copy
 * of the current bytes; a file whose bytes are no longer the ones the plan was made from is
 * refused before anything is replaced; and if one replacement fails, the files already replaced
 * are put back from their copies, so the project is as it was, and the error names the files.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sameBytes } from '../bytes.ts';
import { CoreError } from '../errors.ts';
import { replaceFileAtomically } from '../atomic-file.ts';
import { manifestKindOf, readManifest } from '../python/formats.ts';
import type { ManifestKind } from '../python/types.ts';
import type { ManifestVerifier } from '../python/verify.ts';
import type { FileChange } from '../files.ts';

export { AtomicWriteError } from '../atomic-file.ts';

export interface DiskWriteOptions {
  /**
   * Called just before each replacement (0-based), with the staged file about to be renamed
   * over the target: lets a test make one replacement really fail (by removing what is staged).
   */
  beforeReplace?: (index: number, change: { path: string; target: string; staged: string }) => Promise<void> | void;
}

interface Staged {
  change: FileChange;
  /** The file renamed over (a symlink's target: the link stays). */
  target: string;
  staged: string;
  backup: string;
}

function tempBeside(target: string, role: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.fapilog-plugins-${role}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
}

async function currentBytes(file: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function conflicts(changes: readonly FileChange[], now: ReadonlyArray<Uint8Array | null>): string[] {
  return changes
    .filter((c, i) => {
      const bytes = now[i] ?? null;
      return bytes === null ? c.before.length > 0 : !sameBytes(bytes, c.before);
    })
    .map((c) => c.path);
}

async function removeQuietly(files: Iterable<string>): Promise<void> {
  await Promise.all([...files].map((f) => unlink(f).catch(() => undefined)));
}

/** Writes every change under `root`, or none of them (see the module comment). */
export async function writeChangesToDisk(root: string, changes: readonly FileChange[], opts: DiskWriteOptions = {}): Promise<void> {
  const todo = changes.filter((c) => !sameBytes(c.before, c.after));
  if (todo.length === 0) return;
  const rootAbs = path.resolve(root);
  const targets: string[] = [];
  for (const c of todo) {
    if (c.path === '' || c.path.startsWith('/') || c.path.split('/').includes('..')) {
      throw new CoreError('write-failed', `${c.path}: not a path inside the project; nothing was written`, { files: [c.path] });
    }
    const abs = path.join(rootAbs, ...c.path.split('/'));
    targets.push(await realpath(abs).catch(() => abs));
  }

  const first = await Promise.all(targets.map(currentBytes));
  const changedOnDisk = conflicts(todo, first);
  if (changedOnDisk.length > 0) {
    throw new CoreError(
      'write-conflict',
      `${changedOnDisk.join(', ')} changed on disk since ${changedOnDisk.length === 1 ? 'it was' : 'they were'} ` +
        `read; nothing was written (run the command again)`,
      { files: changedOnDisk },
    );
  }

  // Stage: the new bytes and a copy of the old ones beside each target, each read back.
  const staged: Staged[] = [];
  const leftovers = new Set<string>();
  try {
    for (let i = 0; i < todo.length; i += 1) {
      const change = todo[i] as FileChange;
      const target = targets[i] as string;
      const mode = await stat(target).then(
        (s) => s.mode & 0o7777,
        () => null,
      );
      const s: Staged = { change, target, staged: tempBeside(target, 'new'), backup: tempBeside(target, 'old') };
      leftovers.add(s.staged);
      await writeFile(s.staged, change.after, { flag: 'wx', flush: true });
      if (mode !== null) await chmod(s.staged, mode);
      if (!sameBytes(new Uint8Array(await readFile(s.staged)), change.after))
        throw new Error(`the staged copy of ${change.path} did not read back as written`);
      if (first[i] !== null) {
        leftovers.add(s.backup);
        await writeFile(s.backup, change.before, { flag: 'wx', flush: true });
        if (mode !== null) await chmod(s.backup, mode);
      }
      staged.push(s);
    }
  } catch (err) {
    await removeQuietly(leftovers);
    const files = todo.map((c) => c.path);
    throw new CoreError('write-failed', `could not stage ${files.join(', ')} (${(err as Error).message}); nothing was written`, {
      files,
      cause: err,
    });
  }

  // Last look before replacing: someone may have saved a file while we staged.
  const again = conflicts(todo, await Promise.all(targets.map(currentBytes)));
  if (again.length > 0) {
    await removeQuietly(leftovers);
    throw new CoreError('write-conflict', `${again.join(', ')} changed on disk while the changes were staged; nothing was written`, {
      files: again,
    });
  }

  const replaced: Staged[] = [];
  for (let i = 0; i < staged.length; i += 1) {
    const s = staged[i] as Staged;
    try {
      await opts.beforeReplace?.(i, { path: s.change.path, target: s.target, staged: s.staged });
      await rename(s.staged, s.target);
      leftovers.delete(s.staged);
      replaced.push(s);
    } catch (err) {
      const restoreFailed: string[] = [];
      for (const r of replaced.reverse()) {
        try {
          if (first[staged.indexOf(r)] === null) await unlink(r.target);
          else await rename(r.backup, r.target);
          leftovers.delete(r.backup);
        } catch {
          restoreFailed.push(r.change.path);
        }
      }
      await removeQuietly(leftovers);
      const restored = replaced.map((r) => r.change.path).filter((p) => !restoreFailed.includes(p));
      const files = todo.map((c) => c.path);
      const note =
        restoreFailed.length > 0
          ? `; ${restoreFailed.join(', ')} could NOT be restored (its old bytes were: see the diff)`
          : restored.length > 0
            ? `; ${restored.join(', ')} ${restored.length === 1 ? 'was' : 'were'} restored, so nothing changed`
            : '; nothing changed';
      throw new CoreError(
        'write-failed',
        `replacing ${s.change.path} failed (${(err as Error).message})${note}. Files: ${files.join(', ')}`,
        { files, cause: err },
      );
    }
  }
  await removeQuietly(leftovers);
}

/**
 * One manifest on disk replaced atomically after its new text re-reads as the same format and
 * passes `verify` (scripts and benchmarks that edit a single file; operations use
 * writeChangesToDisk). Bytes are kept as `decodeBytes` produced them.
 */
export async function writeManifestAtomically(
  filePath: string,
  newText: string,
  verify?: ManifestVerifier,
  kind?: ManifestKind,
): Promise<void> {
  // Parse under the target's name so the format is chosen by the file name, not the temp name.
  const base = path.basename(filePath);
  const k = kind ?? manifestKindOf(base);
  await replaceFileAtomically(filePath, newText, (written) => {
    let reread;
    try {
      reread = readManifest(base, written, k === 'lockfile' || k === null ? 'requirements' : k);
    } catch (err) {
      return `the edited text does not parse (${(err as Error).message})`;
    }
    return verify ? verify(written, reread) : null;
  });
}
