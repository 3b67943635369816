/**
 * One read of a whole project through its ProjectFiles (a directory, a git tree, memory): every
 * manifest (following requirements includes inside the project), every lockfile, and the
 * resolved versions they hold. No disk access here: the same scan serves every front end.
 */
import path from 'node:path';
import { decodeBytes } from '../bytes.ts';
import { formatSize } from '../size.ts';
import type { ProjectFiles } from '../files.ts';
import { selectProjectFiles } from './discover.ts';
import { dirOf, groupEnvironments, lockedTogether, ROOT_ENVIRONMENT, type LockedTogether } from './environments.ts';
import { LockfileError, type LockEntry } from './lockfiles.ts';
import { lockfileFormat, manifestKindOf, readLockfile, readManifest } from './formats.ts';
import { readRequirements } from './requirements.ts';
import type { RequirementsRead } from './requirements.ts';
import type { LockedVersion, Manifest, ManifestKind, ProjectScan } from './types.ts';

export { readManifest };

/** Files above this are not read (a manifest is kilobytes; a lockfile rarely more than a few hundred). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why a file of `size` bytes is not read, or null when it is within `cap`. */
export function sizeProblem(size: number, cap: number): string | null {
  return size > cap ? `${formatSize(size)} is above the ${formatSize(cap)} limit; not read` : null;
}

/** A file as the scan read it: its bytes, and the lossless text the readers saw. */
export interface SourceFile {
  path: string;
  bytes: Uint8Array;
  text: string;
}

export interface ScannedProject extends ProjectScan {
  /** Every manifest read, by project-relative path: the planners edit these, never a re-read. */
  sources: Map<string, SourceFile>;
  /** Manifests that were found but do not parse (TOML syntax errors): a planner refuses to go on. */
  invalid: Array<{ file: string; reason: string }>;
}

export interface ScanOptions {
  /** Scan just this one file (a manifest given by path); includes it makes are still followed. */
  only?: string | undefined;
  /** Shown as the report's root (default: the files' label). */
  root?: string | undefined;
  maxFileBytes?: number | undefined;
}

/**
 * Where an include points, relative to the project root; null when it is absolute or leads out
 * of the root (it is then not read: a project's manifests do not reach into the rest of the disk).
 */
export function resolveInclude(from: string, target: string): string | null {
  const t = target.replace(/\\/g, '/');
  if (t.startsWith('/') || t.startsWith('~') || /^[A-Za-z]:/.test(t)) return null;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), t));
  if (joined === '..' || joined.startsWith('../') || joined === '.' || joined === '') return null;
  return joined;
}

export async function scanFiles(files: ProjectFiles, opts: ScanOptions = {}): Promise<ScannedProject> {
  const cap = opts.maxFileBytes ?? MAX_FILE_BYTES;
  const listed = await files.list();
  const sizes = new Map(listed.map((e) => [e.path, e.size]));
  const discovered =
    opts.only !== undefined
      ? [{ relative: opts.only, kind: manifestKindOf(opts.only) ?? 'requirements' }]
      : selectProjectFiles(listed.map((e) => e.path));
  const manifests: Manifest[] = [];
  const warnings: string[] = [];
  const lockfiles: string[] = [];
  const locked = new Map<string, LockedVersion>();
  const sources = new Map<string, SourceFile>();
  const invalid: ScannedProject['invalid'] = [];

  /** The text of a file, or why it cannot be had ('not found', too large, unreadable). */
  const readText = async (rel: string): Promise<{ text: string } | { error: string }> => {
    const size = sizes.get(rel);
    const listedTooBig = size === undefined ? null : sizeProblem(size, cap);
    if (listedTooBig) return { error: listedTooBig };
    let bytes: Uint8Array | null;
    try {
      bytes = await files.read(rel);
    } catch (err) {
      return { error: (err as Error).message };
    }
    if (bytes === null) return { error: 'file not found' };
    const tooBig = sizeProblem(bytes.length, cap);
    if (tooBig) return { error: tooBig };
    const text = decodeBytes(bytes);
    sources.set(rel, { path: rel, bytes, text });
    return { text };
  };

  // Every discovered requirements file is a top-level manifest; includes are then followed
  // breadth-first. A file reached twice (diamond include, cycle, or also discovered on its own)
  // is read once. A file included with -c holds constraints, not requirements.
  const byPath = new Map<string, { manifest: Manifest; includes: RequirementsRead['includes'] }>();
  const queue: string[] = [];
  const load = async (rel: string, section: string, includedFrom: string | null): Promise<string | null> => {
    const got = await readText(rel);
    if ('error' in got) return got.error;
    const read = readRequirements(rel, got.text, section);
    read.manifest.includedFrom = includedFrom;
    byPath.set(rel, read);
    manifests.push(read.manifest);
    queue.push(rel);
    return null;
  };

  for (const f of discovered) {
    if (f.kind === 'lockfile') continue;
    if (f.kind === 'requirements') {
      const err = await load(f.relative, 'requirements', null);
      if (err) warnings.push(`${f.relative}: cannot read (${err})`);
      continue;
    }
    const got = await readText(f.relative);
    if ('error' in got) {
      warnings.push(`${f.relative}: cannot read (${got.error})`);
      continue;
    }
    try {
      manifests.push(readManifest(f.relative, got.text, f.kind as ManifestKind));
    } catch (err) {
      warnings.push(`${f.relative}: ${(err as Error).message}`);
      invalid.push({ file: f.relative, reason: (err as Error).message });
    }
  }

  const missing = new Set<string>();
  for (let qi = 0; qi < queue.length; qi += 1) {
    const rel = queue[qi] as string;
    const { manifest, includes } = byPath.get(rel) as { manifest: Manifest; includes: RequirementsRead['includes'] };
    for (const inc of includes) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.target)) {
        manifest.warnings.push(`${manifest.file}:${inc.line}: remote include ${inc.target} is not followed`);
        continue;
      }
      const target = resolveInclude(rel, inc.target);
      if (target === null) {
        manifest.warnings.push(`${manifest.file}:${inc.line}: included file ${inc.target} is outside the project; not read`);
        continue;
      }
      manifest.includes.push(target);
      // Already read (diamond, cycle, or a top-level file in its own right, which keeps its section).
      if (byPath.has(target)) continue;
      if (missing.has(target)) {
        manifest.warnings.push(`${manifest.file}:${inc.line}: included file ${inc.target} not found`);
        continue;
      }
      const err = await load(target, inc.constraint ? 'constraints' : 'requirements', manifest.file);
      if (err) {
        missing.add(target);
        manifest.warnings.push(
          `${manifest.file}:${inc.line}: included file ${inc.target} ${err === 'file not found' ? 'not found' : `cannot be read (${err})`}`,
        );
      }
    }
  }

  for (const f of discovered) if (f.kind === 'lockfile' && lockfileFormat(f.relative)) lockfiles.push(f.relative);

  // What each locked project locks with it (uv workspace members, uv path sources): only a
  // pyproject.toml that mentions [tool.uv] is parsed again.
  const together = new Map<string, LockedTogether>();
  for (const l of lockfiles) {
    const dir = dirOf(l);
    const pyproject = sources.get(dir === ROOT_ENVIRONMENT ? 'pyproject.toml' : `${dir}/pyproject.toml`);
    if (pyproject && !together.has(dir) && pyproject.text.includes('tool.uv')) together.set(dir, lockedTogether(pyproject.text));
  }
  const environments = groupEnvironments({ discovered, manifests, lockfiles, lockedTogether: together });
  const envOfLock = new Map(environments.flatMap((e) => e.lockfiles.map((l) => [l, e] as const)));

  const conflict = (name: string, prev: LockedVersion, version: string, lockfile: string) =>
    `${name} is locked at ${prev.version} in ${prev.lockfile} and at ${version} in ${lockfile}; using ${prev.version}`;
  for (const lockfile of lockfiles) {
    const got = await readText(lockfile);
    if ('error' in got) {
      warnings.push(`${lockfile}: cannot read (${got.error})`);
      continue;
    }
    // Lockfiles are never edited: their text need not be kept.
    sources.delete(lockfile);
    let entries: LockEntry[];
    try {
      entries = readLockfile(lockfile, got.text);
    } catch (err) {
      warnings.push(`${lockfile}: ${err instanceof LockfileError ? err.message : (err as Error).message}`);
      continue;
    }
    const mine = envOfLock.get(lockfile);
    for (const e of entries) {
      // Its environment's own lock: these versions never cross into another environment.
      if (mine) {
        const prev = mine.locked.get(e.name);
        if (!prev) mine.locked.set(e.name, { name: e.name, version: e.version, lockfile });
        else if (prev.version !== e.version) warnings.push(conflict(e.name, prev, e.version, lockfile));
      }
      // The whole tree's view, for callers that predate environments (the analysis asks each
      // environment). Two services locking different versions is no conflict; lockfiles no
      // manifest installs from disagreeing is.
      const prev = locked.get(e.name);
      if (!prev) locked.set(e.name, { name: e.name, version: e.version, lockfile });
      else if (prev.version !== e.version && (!mine || !envOfLock.has(prev.lockfile)))
        warnings.push(conflict(e.name, prev, e.version, lockfile));
    }
  }

  return { root: opts.root ?? files.label, manifests, locked, lockfiles, environments, warnings, sources, invalid };
}
