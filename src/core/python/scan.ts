/**
 * One read of a whole project: every manifest (following requirements includes), every
 * lockfile, and the resolved versions they hold.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { discoverFiles, manifestKindOf } from './discover.ts';
import { isLockfileName, LockfileError, readLockfile } from './lockfiles.ts';
import { readPipfile } from './pipfile.ts';
import { readPyproject } from './pyproject.ts';
import { readRequirements } from './requirements.ts';
import type { RequirementsRead } from './requirements.ts';
import { readSetupCfg } from './setupcfg.ts';
import type { LockedVersion, Manifest, ManifestKind, ProjectScan } from './types.ts';

/**
 * Reads one manifest from its text. `file` is the path to report (relative, `/` separators);
 * its base name picks the format unless `kind` is given. Throws for a TOML syntax error.
 */
export function readManifest(file: string, text: string, kind?: ManifestKind): Manifest {
  const k = kind ?? manifestKindOf(file);
  switch (k) {
    case 'pyproject':
      return readPyproject(file, text);
    case 'pipfile':
      return readPipfile(file, text);
    case 'setup.cfg':
      return readSetupCfg(file, text);
    case 'requirements':
      return readRequirements(file, text).manifest;
    default:
      throw new Error(`${file} is not a manifest this tool reads (requirements*.txt, *.in, pyproject.toml, setup.cfg, Pipfile)`);
  }
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

export async function scanProject(root: string): Promise<ProjectScan> {
  const rootAbs = path.resolve(root);
  const rootStat = await stat(rootAbs).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `${root}: no such file or directory` : `${root}: ${err.message}`);
  });
  const rootIsFile = rootStat.isFile();
  const baseDir = rootIsFile ? path.dirname(rootAbs) : rootAbs;
  const files = await discoverFiles(rootAbs);
  const manifests: Manifest[] = [];
  const warnings: string[] = [];
  const lockfiles: string[] = [];
  const locked = new Map<string, LockedVersion>();

  const rel = (abs: string): string => toPosix(path.relative(baseDir, abs));

  // Every discovered requirements file is a top-level manifest; includes are then followed
  // breadth-first. A file reached twice (diamond include, cycle, or also discovered on its own)
  // is read once. A file included with -c holds constraints, not requirements.
  const byPath = new Map<string, { manifest: Manifest; includes: RequirementsRead['includes'] }>();
  const queue: string[] = [];
  const load = async (abs: string, section: string, includedFrom: string | null): Promise<string | null> => {
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    }
    const read = readRequirements(rel(abs), text, section);
    read.manifest.includedFrom = includedFrom;
    byPath.set(abs, read);
    manifests.push(read.manifest);
    queue.push(abs);
    return null;
  };

  for (const f of files) {
    if (f.kind === 'lockfile') continue;
    if (f.kind === 'requirements') {
      const err = await load(f.path, 'requirements', null);
      if (err) warnings.push(`${f.relative}: cannot read (${err})`);
      continue;
    }
    const text = await readFile(f.path, 'utf8');
    try {
      manifests.push(readManifest(f.relative, text, f.kind));
    } catch (err) {
      warnings.push(`${f.relative}: ${(err as Error).message}`);
    }
  }

  const missing = new Set<string>();
  for (let qi = 0; qi < queue.length; qi += 1) {
    const abs = queue[qi] as string;
    const { manifest, includes } = byPath.get(abs) as { manifest: Manifest; includes: RequirementsRead['includes'] };
    for (const inc of includes) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(inc.target)) {
        manifest.warnings.push(`${manifest.file}:${inc.line}: remote include ${inc.target} is not followed`);
        continue;
      }
      const target = path.resolve(path.dirname(abs), inc.target);
      manifest.includes.push(rel(target));
      const already = byPath.get(target);
      // Already read (diamond, cycle, or a top-level file in its own right, which keeps its section).
      if (already) continue;
      if (missing.has(target)) {
        manifest.warnings.push(`${manifest.file}:${inc.line}: included file ${inc.target} not found`);
        continue;
      }
      const err = await load(target, inc.constraint ? 'constraints' : 'requirements', manifest.file);
      if (err) {
        missing.add(target);
        manifest.warnings.push(`${manifest.file}:${inc.line}: included file ${inc.target} ${err === 'file not found' ? 'not found' : `cannot be read (${err})`}`);
      }
    }
  }

  for (const f of files) {
    if (f.kind !== 'lockfile') continue;
    const base = path.basename(f.path);
    if (!isLockfileName(base)) continue;
    lockfiles.push(f.relative);
    let entries;
    try {
      entries = readLockfile(base, await readFile(f.path, 'utf8'));
    } catch (err) {
      warnings.push(`${f.relative}: ${err instanceof LockfileError ? err.message : (err as Error).message}`);
      continue;
    }
    for (const e of entries) {
      const prev = locked.get(e.name);
      if (!prev) {
        locked.set(e.name, { name: e.name, version: e.version, lockfile: f.relative });
      } else if (prev.version !== e.version) {
        warnings.push(`${e.name} is locked at ${prev.version} in ${prev.lockfile} and at ${e.version} in ${f.relative}; using ${prev.version}`);
      }
    }
  }

  return { root: baseDir, manifests, locked, lockfiles, warnings };
}
