/**
 * Which files install together into one Python environment: the grouping every judgement needs,
 * because each environment runs its own fapilog and its lockfile says nothing about another's.
 * A pure function of the scan's findings (paths, manifests and their includes, path
 * dependencies, uv workspace members), so a directory, a git tree and memory are grouped alike.
 *
 * - A directory holding a project manifest (pyproject.toml, setup.cfg, Pipfile) or a lockfile
 *   roots an environment, named by that directory ('.' for the project root).
 * - A project without a lockfile of its own that a locked project pulls in (a uv workspace
 *   member, a path dependency) joins that project's environment: they are locked together.
 * - A requirements file included (-r/-c) by other files belongs to every environment of its
 *   includers; one nobody includes belongs to the nearest enclosing root, or forms an environment
 *   of its own in its directory (a `requirements/` folder counts as its parent's).
 */
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { LockedVersion, Manifest } from './types.ts';

/** An environment's name: its directory relative to the project root, '.' for the root. */
export const ROOT_ENVIRONMENT = '.';

export interface Environment {
  /** Directory relative to the project root ('.' for the root), `/` separators. */
  dir: string;
  /** Manifests that install into it, in scan order (a file shared by several is in each). */
  manifests: string[];
  /** Its own lockfiles; their versions hold for this environment only. */
  lockfiles: string[];
  /** Resolved versions from its own lockfiles, by normalised name. */
  locked: Map<string, LockedVersion>;
}

/** The directory of a project-relative file, '.' for one at the root. */
export function dirOf(file: string): string {
  const d = path.posix.dirname(file);
  return d === '' ? ROOT_ENVIRONMENT : d;
}

/** The parent directories of `dir`, nearest first, ending with '.'. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  while (d !== ROOT_ENVIRONMENT) {
    d = dirOf(d);
    out.push(d);
  }
  return out;
}

/** `dir` joined with a relative path, or null when it leaves the project. */
function joinDir(dir: string, rel: string): string | null {
  const joined = path.posix.normalize(path.posix.join(dir === ROOT_ENVIRONMENT ? '' : dir, rel.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../') || path.posix.isAbsolute(joined)) return null;
  const clean = joined.replace(/\/+$/, '');
  return clean === '' || clean === '.' ? ROOT_ENVIRONMENT : clean;
}

/** A uv workspace glob (`packages/*`, `libs/**`) as a matcher of directories relative to the workspace root. */
function globMatcher(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  for (let i = 0; i < g.length; i += 1) {
    const c = g[i] as string;
    if (c === '*' && g[i + 1] === '*') {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** What a locked project's pyproject.toml says about the projects locked with it. */
export interface LockedTogether {
  /** uv workspace `members` and `exclude` globs. */
  members: string[];
  exclude: string[];
  /** Relative paths of path dependencies (`[tool.uv.sources] x = { path = "../x" }`). */
  paths: string[];
}

/** Reads `[tool.uv.workspace]` and `[tool.uv.sources]` path entries; a file that does not parse gives nothing. */
export function lockedTogether(pyprojectText: string): LockedTogether {
  const none: LockedTogether = { members: [], exclude: [], paths: [] };
  let doc: unknown;
  try {
    doc = parseToml(pyprojectText);
  } catch {
    return none;
  }
  const uv = (doc as { tool?: { uv?: unknown } })?.tool?.uv;
  if (uv === null || typeof uv !== 'object') return none;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const ws = (uv as { workspace?: { members?: unknown; exclude?: unknown } }).workspace;
  const sources = (uv as { sources?: unknown }).sources;
  const paths: string[] = [];
  if (sources !== null && typeof sources === 'object') {
    for (const s of Object.values(sources as Record<string, unknown>)) {
      const list = Array.isArray(s) ? s : [s];
      for (const one of list) {
        const p = (one as { path?: unknown } | null)?.path;
        if (typeof p === 'string') paths.push(p);
      }
    }
  }
  return { members: strings(ws?.members), exclude: strings(ws?.exclude), paths };
}

export interface GroupInput {
  /** Every discovered manifest and lockfile path, in walk order. */
  discovered: ReadonlyArray<{ relative: string; kind: string }>;
  /** The manifests read (requirements files reached through includes too), in scan order. */
  manifests: readonly Manifest[];
  /** Lockfiles that were read, in walk order. */
  lockfiles: readonly string[];
  /** For a directory holding a lockfile: what its pyproject.toml locks with it. */
  lockedTogether: ReadonlyMap<string, LockedTogether>;
}

const PROJECT_KINDS = new Set(['pyproject', 'setup.cfg', 'pipfile', 'lockfile']);

/** Is a dependency's direct reference a relative path (a Poetry/Pipfile `path` table)? */
function relativePath(url: string | null): string | null {
  if (url === null || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.startsWith('~')) return null;
  return url;
}

/**
 * The environments of a project, each with its manifests and lockfiles (the lock maps are left
 * empty for the scan to fill), in the order their first manifest was read.
 */
export function groupEnvironments(input: GroupInput): Environment[] {
  const rootDirs = new Set(input.discovered.filter((f) => PROJECT_KINDS.has(f.kind)).map((f) => dirOf(f.relative)));
  for (const l of input.lockfiles) rootDirs.add(dirOf(l));
  const lockedDirs = new Set(input.lockfiles.map(dirOf));
  const manifestsByDir = new Map<string, Manifest[]>();
  for (const m of input.manifests) {
    if (m.kind === 'requirements') continue;
    const d = dirOf(m.file);
    const list = manifestsByDir.get(d);
    if (list) list.push(m);
    else manifestsByDir.set(d, [m]);
  }

  // A lockless project is locked with the locked projects that pull it in.
  const absorbedBy = new Map<string, Set<string>>();
  const absorb = (member: string | null, into: string) => {
    if (member === null || member === into || !rootDirs.has(member) || lockedDirs.has(member)) return;
    absorbedBy.set(member, (absorbedBy.get(member) ?? new Set()).add(into));
  };
  for (const w of lockedDirs) {
    const together = input.lockedTogether.get(w);
    if (together) {
      const include = together.members.map(globMatcher);
      const exclude = together.exclude.map(globMatcher);
      for (const d of rootDirs) {
        const rel = w === ROOT_ENVIRONMENT ? d : d.startsWith(`${w}/`) ? d.slice(w.length + 1) : null;
        if (rel === null || d === w) continue;
        if (include.some((r) => r.test(rel)) && !exclude.some((r) => r.test(rel))) absorb(d, w);
      }
      for (const p of together.paths) absorb(joinDir(w, p), w);
    }
    for (const m of manifestsByDir.get(w) ?? []) {
      for (const dep of m.dependencies) {
        const p = relativePath(dep.url);
        if (p !== null) absorb(joinDir(w, p), w);
      }
    }
  }
  const rootEnvs = (dir: string): string[] => [...(absorbedBy.get(dir) ?? [dir])];

  // Requirements files: by their includers first, else by where they sit.
  const includers = new Map<string, string[]>();
  for (const m of input.manifests) {
    for (const inc of m.includes) {
      if (inc === m.file) continue;
      const list = includers.get(inc);
      if (list) list.push(m.file);
      else includers.set(inc, [m.file]);
    }
  }
  const kindOf = new Map(input.manifests.map((m) => [m.file, m.kind]));
  const memo = new Map<string, string[]>();
  /** The environments of a file, and whether a cycle was cut on the way (then it is not remembered). */
  const walk = (file: string, visiting: Set<string>): { envs: string[]; cut: boolean } => {
    const known = memo.get(file);
    if (known) return { envs: known, cut: false };
    let envs: string[];
    let cut = false;
    if (kindOf.get(file) !== 'requirements') {
      envs = rootEnvs(dirOf(file));
    } else {
      const all = includers.get(file) ?? [];
      const by = all.filter((f) => !visiting.has(f));
      cut = by.length < all.length;
      const next = new Set(visiting).add(file);
      const found = new Set<string>();
      for (const f of by) {
        const r = walk(f, next);
        cut ||= r.cut;
        for (const e of r.envs) found.add(e);
      }
      envs = found.size > 0 ? [...found] : ownEnvironment(file, rootDirs, rootEnvs);
    }
    // A cycle is resolved from its outside: an answer that cut one is not remembered.
    if (!cut || visiting.size === 0) memo.set(file, envs);
    return { envs, cut };
  };
  const envsOf = (file: string, visiting: Set<string>): string[] => walk(file, visiting).envs;

  const envs = new Map<string, Environment>();
  const envFor = (dir: string): Environment => {
    let e = envs.get(dir);
    if (!e) {
      e = { dir, manifests: [], lockfiles: [], locked: new Map() };
      envs.set(dir, e);
    }
    return e;
  };
  for (const m of input.manifests) for (const d of envsOf(m.file, new Set())) envFor(d).manifests.push(m.file);
  for (const l of input.lockfiles) envFor(dirOf(l)).lockfiles.push(l);
  // An environment holding only a lockfile has no requirement to judge: it is left out.
  return [...envs.values()].filter((e) => e.manifests.length > 0);
}

/** The environment of a requirements file nobody includes: the nearest enclosing root, or its own folder. */
function ownEnvironment(file: string, rootDirs: ReadonlySet<string>, rootEnvs: (dir: string) => string[]): string[] {
  const dir = dirOf(file);
  for (const d of [dir, ...ancestors(dir)]) if (rootDirs.has(d)) return rootEnvs(d);
  // `svc/requirements/base.txt` belongs with `svc/requirements.txt`.
  return /^requirements$/i.test(path.posix.basename(dir)) ? [dirOf(dir)] : [dir];
}
