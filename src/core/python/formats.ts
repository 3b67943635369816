/**
 * Every manifest and lockfile format the engine knows, in one table each: which file names it
 * claims, how it is read, how `install` adds to it, and (for lockfiles) which tool refreshes it.
 * Adding a format is a reader (and an inserter, if install may write it) plus one line here;
 * discovery, scanning, install, verification and the lock step all ask this. What differs by
 * specifier syntax rather than by file (a pyproject.toml holds PEP 508 arrays and Poetry tables)
 * is the syntax table beside it, SPECIFIER_SYNTAXES in strategies.ts.
 */
import { addToPep508Array, addToPoetryTable, addToRequirements, type InstallTarget } from './insert.ts';
import { LockfileError, command, readPipfileLock, readTomlLock, type LockCommand, type LockEntry } from './lockfiles.ts';
import { readPipfile } from './pipfile.ts';
import { readPyproject } from './pyproject.ts';
import { readRequirements } from './requirements.ts';
import { readSetupCfg } from './setupcfg.ts';
import type { Manifest, ManifestKind } from './types.ts';

export interface ManifestFormat {
  kind: ManifestKind;
  /** Whether a file (its base name and the name of the folder holding it) is one of these. */
  claims(base: string, dir: string): boolean;
  read(file: string, text: string): Manifest;
  /**
   * Adds dependency `pkg` at `target` (a place `chooseTarget` picked in a file of this format):
   * `text` is what the target's syntax writes (SPECIFIER_SYNTAXES). Byte-exact outside it.
   * Absent: install never writes this format.
   */
  add?(before: string, target: InstallTarget, pkg: string, text: string): string;
}

export interface LockfileFormat {
  name: string;
  read(text: string): LockEntry[];
  /** The command that refreshes this lockfile after `pkgs` changed in its manifests (one run for all of them). */
  refresh(pkgs: readonly string[]): LockCommand;
}

/** pip-tools inputs (`requirements.in`, `dev.in`), not templates like MANIFEST.in or config.h.in. */
const NOT_REQUIREMENTS_IN = new Set(['manifest.in', 'makefile.in', 'configure.in', 'setup.in']);

export const MANIFEST_FORMATS: readonly ManifestFormat[] = [
  {
    kind: 'pyproject',
    claims: (base) => base === 'pyproject.toml',
    read: readPyproject,
    add: (before, target, pkg, text) =>
      target.kind === 'poetry'
        ? addToPoetryTable(before, target.table, pkg, text)
        : addToPep508Array(before, target.table!, target.key!, text),
  },
  { kind: 'setup.cfg', claims: (base) => base === 'setup.cfg', read: readSetupCfg },
  { kind: 'pipfile', claims: (base) => base === 'Pipfile', read: readPipfile },
  {
    kind: 'requirements',
    claims: (base, dir) =>
      /^requirements.*\.txt$/i.test(base) ||
      (/^[^.]+\.in$/.test(base) && !NOT_REQUIREMENTS_IN.has(base.toLowerCase())) ||
      // The common `requirements/base.txt` layout.
      (/^requirements$/i.test(dir) && /\.txt$/i.test(base)),
    read: (file, text) => readRequirements(file, text).manifest,
    add: (before, _target, _pkg, line) => addToRequirements(before, line),
  },
];

export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [
  { name: 'uv.lock', read: readTomlLock, refresh: (pkgs) => command('uv', ['lock', ...pkgs.flatMap((p) => ['--upgrade-package', p])]) },
  // `poetry lock --no-update` is gone in Poetry 2; `update --lock` works in 1.x and 2.x and
  // re-resolves only this package, writing the lockfile without installing.
  { name: 'poetry.lock', read: readTomlLock, refresh: (pkgs) => command('poetry', ['update', '--lock', ...pkgs]) },
  // --no-sync: lockfile only, the environment is left alone; --update-reuse keeps the rest pinned.
  { name: 'pdm.lock', read: readTomlLock, refresh: (pkgs) => command('pdm', ['update', '--no-sync', '--update-reuse', ...pkgs]) },
  // `pipenv upgrade <pkg>` would also rewrite the Pipfile entry we just edited; `lock` re-resolves from it.
  { name: 'Pipfile.lock', read: readPipfileLock, refresh: () => command('pipenv', ['lock']) },
];

export const LOCKFILE_NAMES: readonly string[] = LOCKFILE_FORMATS.map((f) => f.name);

function split(relative: string): { base: string; dir: string } {
  const parts = relative.split(/[\\/]/);
  return { base: parts[parts.length - 1] ?? relative, dir: parts[parts.length - 2] ?? '' };
}

export function lockfileFormat(relative: string): LockfileFormat | undefined {
  const { base } = split(relative);
  return LOCKFILE_FORMATS.find((f) => f.name === base);
}

export function isLockfileName(basename: string): boolean {
  return LOCKFILE_FORMATS.some((f) => f.name === basename);
}

/** What a path is: a manifest kind, a lockfile, or nothing this engine reads. */
export function manifestKindOf(relative: string): ManifestKind | 'lockfile' | null {
  const { base, dir } = split(relative);
  if (lockfileFormat(relative)) return 'lockfile';
  return MANIFEST_FORMATS.find((f) => f.claims(base, dir))?.kind ?? null;
}

export function manifestFormat(kind: ManifestKind): ManifestFormat {
  return MANIFEST_FORMATS.find((f) => f.kind === kind)!;
}

/**
 * Reads one manifest from its text. `file` is the path to report (relative, `/` separators);
 * its name picks the format unless `kind` is given. Throws for a TOML syntax error.
 */
export function readManifest(file: string, text: string, kind?: ManifestKind): Manifest {
  const k = kind ?? manifestKindOf(file);
  const format = MANIFEST_FORMATS.find((f) => f.kind === k);
  if (!format) {
    throw new Error(`${file} is not a manifest this tool reads (requirements*.txt, *.in, pyproject.toml, setup.cfg, Pipfile)`);
  }
  return format.read(file, text);
}

/** Reads one lockfile by its name; throws LockfileError naming the bad field. */
export function readLockfile(relative: string, text: string): LockEntry[] {
  const format = lockfileFormat(relative);
  if (!format) throw new LockfileError(`${relative} is not a lockfile this tool knows (${LOCKFILE_NAMES.join(', ')})`);
  return format.read(text);
}

/** The command that refreshes a lockfile after its manifests changed (lockfiles are never hand-edited). */
export function lockCommand(lockfile: string, packages: string | readonly string[]): LockCommand {
  const format = lockfileFormat(lockfile);
  if (!format) throw new LockfileError(`${lockfile} is not a lockfile this tool knows (${LOCKFILE_NAMES.join(', ')})`);
  return format.refresh(typeof packages === 'string' ? [packages] : packages);
}
