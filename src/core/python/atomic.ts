/**
 * Writes a manifest so that a crash or a bad edit never leaves it half-written or wrong: the new
 * text goes to a temp file beside the target, is re-read and checked, and only then renamed over
 * the original. A failed check deletes the temp file and leaves the original untouched.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { manifestKindOf } from './discover.ts';
import { readManifest } from './scan.ts';
import type { Manifest, ManifestKind } from './types.ts';

/** Returns null when the written text is right, else the reason it is not. */
export type ManifestVerifier = (writtenText: string, reread: Manifest) => string | null;

export class AtomicWriteError extends Error {
  override name = 'AtomicWriteError';
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`${file} was not changed: ${reason}`);
    this.file = file;
  }
}

/**
 * A verifier that re-reads the manifest and checks that `name` (normalised) in `section` now has
 * the raw specifier `expected`.
 */
export function expectSpecifier(name: string, expected: string, section?: string): ManifestVerifier {
  return (_text, reread) => {
    const deps = reread.dependencies.filter((d) => d.name === name && (section === undefined || d.section === section));
    if (deps.length === 0) return `${name}${section ? ` (${section})` : ''} is no longer found after the edit`;
    if (!deps.some((d) => d.rawSpecifier === expected)) {
      return `${name} reads back as ${deps.map((d) => JSON.stringify(d.rawSpecifier)).join(', ')}, expected ${JSON.stringify(expected)}`;
    }
    const bad = deps.find((d) => d.rawSpecifier === expected && d.problem !== null);
    return bad ? `${name}: ${bad.problem}` : null;
  };
}

/**
 * Atomically replaces `filePath` with `newText`. The temp file is re-read as a manifest of the same
 * kind (so a syntax error introduced by an edit is caught) and passed to `verify` when given.
 * `kind` defaults to the one the file name implies (an included `base.txt` reads as requirements).
 */
export async function writeManifestAtomically(
  filePath: string,
  newText: string,
  verify?: ManifestVerifier,
  kind?: ManifestKind,
): Promise<void> {
  // Through a symlink, the link stays and its target is replaced.
  const real = await realpath(filePath).catch(() => filePath);
  const dir = path.dirname(real);
  const base = path.basename(filePath);
  const tmp = path.join(dir, `.${path.basename(real)}.fapilog-plugins-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = await stat(real).then((s) => s.mode & 0o7777, () => null);
  await writeFile(tmp, newText, { encoding: 'utf8', flag: 'wx' });
  try {
    if (mode !== null) await chmod(tmp, mode);
    const written = await readFile(tmp, 'utf8');
    if (written !== newText) throw new AtomicWriteError(filePath, 'the temp file did not read back as written');
    let reread: Manifest;
    try {
      // Parse under the target's name so the format is chosen by the real file name.
      const k = kind ?? manifestKindOf(base);
      reread = readManifest(base, written, k === 'lockfile' || k === null ? 'requirements' : k);
    } catch (err) {
      throw new AtomicWriteError(filePath, `the edited text does not parse (${(err as Error).message})`);
    }
    const problem = verify ? verify(written, reread) : null;
    if (problem !== null) throw new AtomicWriteError(filePath, problem);
    await rename(tmp, real);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
