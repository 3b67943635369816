/**
 * Writes a manifest so that a crash or a bad edit never leaves it half-written or wrong: the new
 * text goes to a temp file beside the target, is re-read and checked, and only then renamed over
 * the original. A failed check deletes the temp file and leaves the original untouched.
 */
import path from 'node:path';
import { AtomicWriteError, replaceFileAtomically } from '../atomic-file.ts';
import { manifestKindOf } from './discover.ts';
import { readManifest } from './scan.ts';
import type { Manifest, ManifestKind } from './types.ts';

export { AtomicWriteError };

/** Returns null when the written text is right, else the reason it is not. */
export type ManifestVerifier = (writtenText: string, reread: Manifest) => string | null;

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
  // Parse under the target's name so the format is chosen by the file name, not the temp name.
  const base = path.basename(filePath);
  const k = kind ?? manifestKindOf(base);
  await replaceFileAtomically(filePath, newText, (written) => {
    let reread: Manifest;
    try {
      reread = readManifest(base, written, k === 'lockfile' || k === null ? 'requirements' : k);
    } catch (err) {
      return `the edited text does not parse (${(err as Error).message})`;
    }
    return verify ? verify(written, reread) : null;
  });
}
