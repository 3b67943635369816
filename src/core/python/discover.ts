/**
 * Which files under a project root are manifests or lockfiles. Virtualenvs, VCS metadata,
 * build output and caches are skipped: they hold other projects' metadata, not this one's.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isLockfileName } from './lockfiles.ts';
import type { ManifestKind } from './types.ts';

export const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', 'env', 'site-packages', '__pycache__',
  '.tox', '.nox', 'dist', 'build', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.eggs',
]);

const NOT_REQUIREMENTS_IN = new Set(['manifest.in', 'makefile.in', 'configure.in', 'setup.in']);

export interface DiscoveredFile {
  /** Absolute path. */
  path: string;
  /** Relative to the root, `/` separators. */
  relative: string;
  kind: ManifestKind | 'lockfile';
}

export function manifestKindOf(relative: string): ManifestKind | 'lockfile' | null {
  const base = path.posix.basename(relative);
  const dir = path.posix.basename(path.posix.dirname(relative));
  if (isLockfileName(base)) return 'lockfile';
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'setup.cfg') return 'setup.cfg';
  if (base === 'Pipfile') return 'pipfile';
  if (/^requirements.*\.txt$/i.test(base)) return 'requirements';
  // pip-tools inputs (`requirements.in`, `dev.in`), not templates like MANIFEST.in or config.h.in.
  if (/^[^.]+\.in$/.test(base) && !NOT_REQUIREMENTS_IN.has(base.toLowerCase())) return 'requirements';
  // The common `requirements/base.txt` layout.
  if (/^requirements$/i.test(dir) && /\.txt$/i.test(base)) return 'requirements';
  return null;
}

export async function discoverFiles(root: string): Promise<DiscoveredFile[]> {
  const out: DiscoveredFile[] = [];
  const rootAbs = path.resolve(root);
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== rootAbs && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || e.name.endsWith('.egg-info')) continue;
        await walk(abs);
      } else if (e.isFile() || e.isSymbolicLink()) {
        const rel = path.relative(rootAbs, abs).split(path.sep).join('/');
        const kind = manifestKindOf(rel);
        if (kind === null) continue;
        if (e.isSymbolicLink()) {
          const st = await stat(abs).catch(() => null);
          if (!st?.isFile()) continue;
        }
        out.push({ path: abs, relative: rel, kind });
      }
    }
  };
  const st = await stat(rootAbs);
  if (st.isFile()) {
    const rel = path.basename(rootAbs);
    const kind = manifestKindOf(rel) ?? 'requirements';
    return [{ path: rootAbs, relative: rel, kind }];
  }
  await walk(rootAbs);
  return out;
}
