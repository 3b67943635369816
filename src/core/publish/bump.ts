/**
 * `fapilog-plugins version major|minor|patch|pre|<version>`: computes the next PEP 440 version and
 * rewrites exactly the characters of the old version where the build backend reads it
 * (`[project] version` in pyproject.toml, or the file hatchling's `[tool.hatch.version] path`
 * names). Everything else in the files, comments and quoting included, stays byte for byte.
 *
 * `pre`: from a pre-release, the next one of the same kind (1.2.0rc1 -> 1.2.0rc2, 2.0.0b1 -> 2.0.0b2);
 * from a dev release, the first release candidate of it (1.3.0.dev2 -> 1.3.0rc1); from a final or
 * post release, the first release candidate of the next patch (1.2.3 -> 1.2.4rc1).
 * `major|minor|patch` from a pre-release finish it when it already is that kind of bump
 * (2.0.0rc1 -> major -> 2.0.0; 1.2.4rc1 -> patch -> 1.2.4), as the PEP 440 room's `increment` does.
 */
import { decodeBytes } from '../bytes.ts';
import type { ProjectFiles } from '../files.ts';
import { parse as parseToml } from 'smol-toml';
import { parseTOML } from 'toml-eslint-parser';
import { compare, explain, increment, isValid, normalize } from '../pep440/index.ts';
import { ProjectError, readProject, type PluginProject } from './project.ts';

export const BUMP_KINDS = ['major', 'minor', 'patch', 'pre'] as const;
export type BumpKind = (typeof BUMP_KINDS)[number];

export class BumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BumpError';
  }
}

/** The version after `kind`, or the given version (normalised; a leading `v` is allowed). */
export function nextVersion(current: string, kind: string): string {
  if ((BUMP_KINDS as readonly string[]).includes(kind)) {
    if (!isValid(current))
      throw new BumpError(`the current version "${current}" is not PEP 440, so it cannot be bumped; give the new version instead`);
    if (kind === 'pre') return nextPre(current);
    const out = increment(current, kind as 'major' | 'minor' | 'patch');
    if (out === null) throw new BumpError(`cannot compute the ${kind} version after ${current}`);
    return out;
  }
  const wanted = kind.replace(/^[vV](?=\d)/, '');
  const n = isValid(wanted) ? normalize(wanted) : null;
  if (n === null) throw new BumpError(`"${kind}" is neither major, minor, patch, pre nor a PEP 440 version`);
  return n;
}

function nextPre(current: string): string {
  const v = explain(current);
  if (!v) throw new BumpError(`"${current}" is not a PEP 440 version`);
  const epoch = v.epoch ? `${v.epoch}!` : '';
  if (v.pre && v.pre.length === 2) {
    return `${epoch}${v.release.join('.')}${String(v.pre[0])}${Number(v.pre[1]) + 1}`;
  }
  if (v.dev !== null && v.post === null) return `${epoch}${v.release.join('.')}rc1`;
  const [major = 0, minor = 0, patch = 0] = v.release;
  return `${epoch}${major}.${minor}.${patch + 1}rc1`;
}

export interface FileEdit {
  /** The project path (`pyproject.toml`, `src/fapilog_x/__about__.py`). */
  file: string;
  /** Offsets into the file's text (UTF-16 code units) of the version characters. */
  start: number;
  end: number;
  before: string;
  after: string;
  oldText: string;
  newText: string;
}

export interface BumpPlan {
  /** The project's label: its directory on disk. */
  projectDir: string;
  from: string;
  to: string;
  /** The tag to push once the change is committed. */
  tag: string;
  edits: FileEdit[];
}

/** Span of the `[project] version` string's content (inside the quotes) in pyproject.toml. */
export function projectVersionSpan(text: string): { start: number; end: number; value: string } | null {
  const ast = parseTOML(text);
  const top = ast.body[0];
  if (!top) return null;
  const visit = (
    prefix: readonly (string | number)[],
    kv: {
      key: { keys: Array<{ name?: string; value?: string }> };
      value: { type: string; kind?: string; style?: string; range: [number, number]; value?: unknown };
    },
  ) => {
    const keyPath = [...prefix, ...kv.key.keys.map((k) => (k.name ?? k.value) as string)];
    if (
      keyPath.length === 2 &&
      keyPath[0] === 'project' &&
      keyPath[1] === 'version' &&
      kv.value.type === 'TOMLValue' &&
      kv.value.kind === 'string'
    ) {
      const [s, e] = kv.value.range;
      const raw = text.slice(s, e);
      const quote = raw.startsWith('"""') || raw.startsWith("'''") ? 3 : 1;
      return { start: s + quote, end: e - quote, value: String(kv.value.value) };
    }
    return null;
  };
  for (const node of top.body) {
    if (node.type === 'TOMLKeyValue') {
      const hit = visit([], node as never);
      if (hit) return hit;
    } else if (node.type === 'TOMLTable') {
      for (const kv of node.body) {
        const hit = visit(node.resolvedKey, kv as never);
        if (hit) return hit;
      }
    }
  }
  return null;
}

function editOf(file: string, text: string, start: number, end: number, after: string): FileEdit {
  return {
    file,
    start,
    end,
    before: text.slice(start, end),
    after,
    oldText: text,
    newText: text.slice(0, start) + after + text.slice(end),
  };
}

export async function planBump(files: ProjectFiles, kind: string): Promise<BumpPlan> {
  let project: PluginProject | null;
  try {
    project = await readProject(files);
  } catch (err) {
    if (err instanceof ProjectError) throw new BumpError(err.message);
    throw err;
  }
  if (!project) throw new BumpError(`no pyproject.toml in ${files.label}`);
  const source = project.versionSource;
  if (source.kind === 'unknown' || project.version === null) {
    throw new BumpError(`cannot find the version to change: ${source.kind === 'unknown' ? source.reason : 'no static version'}`);
  }
  const from = project.version;
  const to = nextVersion(from, kind);
  const edits: FileEdit[] = [];
  if (source.kind === 'project') {
    const span = projectVersionSpan(project.text);
    if (!span) throw new BumpError('pyproject.toml: [project] version is not a plain string');
    if (span.value !== project.text.slice(span.start, span.end)) {
      throw new BumpError('pyproject.toml: [project] version uses escapes; write it as a plain string first');
    }
    edits.push(editOf(source.file, project.text, span.start, span.end, to));
  } else {
    const bytes = await files.read(source.file);
    if (bytes === null) throw new BumpError(`${source.file} cannot be read`);
    const text = decodeBytes(bytes);
    const re = new RegExp(source.pattern.source, `${source.pattern.flags.replace('d', '')}d`);
    const m = re.exec(text);
    const indices = m?.indices?.groups?.['version'];
    if (!m || !indices) throw new BumpError(`${source.file}: no version matching the hatch pattern`);
    edits.push(editOf(source.file, text, indices[0], indices[1], to));
  }
  return { projectDir: files.label, from, to, tag: `v${to}`, edits };
}

/**
 * Re-reads the new text the way the build backend will, so a bad edit is never written (the
 * writer, disk-plugin.ts, calls this just before it replaces the file).
 */
export async function verifyBumpEdit(plan: BumpPlan, edit: FileEdit, files: ProjectFiles): Promise<void> {
  if (edit.file === 'pyproject.toml') {
    const data = parseToml(edit.newText) as { project?: { version?: unknown } };
    if (data.project?.version !== plan.to) throw new BumpError(`internal error: ${edit.file} would not read back version ${plan.to}`);
    return;
  }
  const project = await readProject(files);
  const source = project?.versionSource;
  if (source?.kind !== 'hatch-file') throw new BumpError('internal error: the version file moved while bumping');
  const m = source.pattern.exec(edit.newText);
  if (m?.groups?.['version'] !== plan.to) throw new BumpError(`internal error: ${edit.file} would not read back version ${plan.to}`);
}

export function isDowngrade(plan: BumpPlan): boolean {
  return isValid(plan.from) && compare(plan.to, plan.from) < 0;
}
