/**
 * Replacing a user's file so that a crash or a bad edit never leaves it half-written: the new text
 * goes to a temp file beside the target (same filesystem, so the rename is atomic), is read back
 * and checked, and only then renamed over the original. A failed check leaves the original as it was.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeBytes, encodeText, sameBytes } from './bytes.ts';

export class AtomicWriteError extends Error {
  override name = 'AtomicWriteError';
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`${file} was not changed: ${reason}`);
    this.file = file;
  }
}

/** Returns null when the written text is right, else the reason it is not. */
export type WrittenTextCheck = (writtenText: string) => string | null;

export async function replaceFileAtomically(filePath: string, newText: string, check?: WrittenTextCheck): Promise<void> {
  // Through a symlink, the link stays and its target is replaced.
  const real = await realpath(filePath).catch(() => filePath);
  const tmp = path.join(path.dirname(real), `.${path.basename(real)}.fapilog-plugins-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(real).then(
    (s) => s.mode & 0o7777,
    () => null,
  );
  // Lossless: bytes that were not UTF-8 when read (decodeBytes) are written back as they were.
  const bytes = encodeText(newText);
  await writeFile(tmp, bytes, { flag: 'wx', flush: true });
  try {
    if (mode !== null) await chmod(tmp, mode);
    const back = new Uint8Array(await readFile(tmp));
    if (!sameBytes(back, bytes)) throw new AtomicWriteError(filePath, 'the temp file did not read back as written');
    const written = decodeBytes(back);
    const problem = check ? check(written) : null;
    if (problem !== null) throw new AtomicWriteError(filePath, problem);
    await rename(tmp, real);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
