/**
 * Which files of a project are manifests or lockfiles, as a pure function of its path list (so a
 * directory on disk, a git tree and an in-memory project are judged alike). Virtualenvs (also
 * any folder holding a `pyvenv.cfg`), VCS metadata, build output and caches are skipped: they
 * hold other projects' metadata, not this one's.
 */
import { manifestKindOf } from './formats.ts';
import type { ManifestKind } from './types.ts';

export { manifestKindOf };

export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  'env',
  'site-packages',
  '__pycache__',
  '.tox',
  '.nox',
  'dist',
  'build',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.eggs',
]);

/** The file whose presence makes a folder a virtualenv. */
export const VENV_MARKER = 'pyvenv.cfg';

/** A folder, by its own name, that never holds this project's manifests. */
export function isSkippedDirName(name: string): boolean {
  return SKIPPED_DIRS.has(name) || name.endsWith('.egg-info');
}

/**
 * Whether a front end needs to list this file at all: a manifest, a lockfile, or a virtualenv
 * marker. Front ends may leave every other file out of `ProjectFiles.list()`.
 */
export function isFileOfInterest(relative: string): boolean {
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  return base === VENV_MARKER || manifestKindOf(relative) !== null;
}

export interface DiscoveredFile {
  /** Relative to the project root, `/` separators. */
  relative: string;
  kind: ManifestKind | 'lockfile';
}

/** Path order of a depth-first walk with each folder's entries sorted by name. */
function walkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** The manifests and lockfiles among a project's file paths, in walk order. */
export function selectProjectFiles(paths: Iterable<string>): DiscoveredFile[] {
  const all = [...paths];
  const venvs = all.filter((p) => p.endsWith(`/${VENV_MARKER}`)).map((p) => p.slice(0, -VENV_MARKER.length));
  const out: DiscoveredFile[] = [];
  for (const relative of all) {
    const dirs = relative.split('/').slice(0, -1);
    if (dirs.some(isSkippedDirName)) continue;
    if (venvs.some((v) => relative.startsWith(v))) continue;
    const kind = manifestKindOf(relative);
    if (kind !== null) out.push({ relative, kind });
  }
  return out.sort((a, b) => walkOrder(a.relative, b.relative));
}
