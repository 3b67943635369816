/**
 * The plugin project's pyproject.toml: the `[project]` fields publishing checks, and where the
 * version lives (a static `[project] version`, or a file hatchling reads it from through
 * `[tool.hatch.version] path`).
 */
import path from 'node:path';
import { decodeBytes, nonUtf8Position } from '../bytes.ts';
import type { ProjectFiles } from '../files.ts';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { formatPath } from '../marketplace/errors.ts';

const StringTable = z.record(z.string(), z.string());

export const ProjectTable = z
  .object({
    name: z.string().min(1),
    version: z.string().optional(),
    dynamic: z.array(z.string()).default([]),
    description: z.string().optional(),
    readme: z
      .union([z.string(), z.object({ file: z.string().optional(), text: z.string().optional(), 'content-type': z.string().optional() })])
      .optional(),
    license: z.union([z.string(), z.object({ file: z.string().optional(), text: z.string().optional() })]).optional(),
    'license-files': z
      .union([z.array(z.string()), z.object({ paths: z.array(z.string()).optional(), globs: z.array(z.string()).optional() })])
      .optional(),
    'requires-python': z.string().optional(),
    dependencies: z.array(z.string()).default([]),
    urls: StringTable.default({}),
    'entry-points': z.record(z.string(), StringTable).default({}),
    authors: z.array(z.object({ name: z.string().optional(), email: z.string().optional() })).default([]),
  })
  .loose();
export type ProjectTable = z.infer<typeof ProjectTable>;

export const PyProject = z
  .object({
    'build-system': z.object({ 'build-backend': z.string().optional() }).loose().optional(),
    project: ProjectTable.optional(),
    tool: z
      .object({
        hatch: z
          .object({
            version: z
              .object({ path: z.string().optional(), pattern: z.string().optional(), source: z.string().optional() })
              .loose()
              .optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type PyProject = z.infer<typeof PyProject>;

export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectError';
  }
}

const PYPROJECT = 'pyproject.toml';

/** Where the version is written (`file`: a project path), for reading it here and rewriting it in bump.ts. */
export type VersionSource =
  | { kind: 'project'; file: string }
  | { kind: 'hatch-file'; file: string; pattern: RegExp }
  | { kind: 'unknown'; reason: string };

export interface PluginProject {
  /** The project's label (its directory on disk). */
  dir: string;
  text: string;
  data: PyProject;
  project: ProjectTable;
  versionSource: VersionSource;
  /** The version as the project states it; null when it cannot be read statically. */
  version: string | null;
}

/** hatchling's default: `__version__ = "1.2.3"` or `VERSION = '1.2.3'`, optional `v`. */
export const HATCH_DEFAULT_PATTERN = /^(?:__version__|VERSION) *= *(['"])v?(?<version>.+?)\1/im;

/** A Python `re` pattern from `[tool.hatch.version] pattern` as a JS RegExp (named groups, inline flags). */
export function hatchPattern(pattern: string | undefined): RegExp {
  if (!pattern) return HATCH_DEFAULT_PATTERN;
  let flags = 'm';
  let source = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if ((inline[1] as string).includes('i')) flags += 'i';
    if ((inline[1] as string).includes('s')) flags += 's';
  }
  source = source.replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>');
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new ProjectError(`[tool.hatch.version] pattern is not a usable regular expression: ${(err as Error).message}`);
  }
}

export function parsePyProject(text: string, file = 'pyproject.toml'): PyProject {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (err) {
    const first = ((err as Error).message.split('\n')[0] ?? '').trim();
    throw new ProjectError(`${file} is not valid TOML: ${first}`);
  }
  const parsed = PyProject.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? formatPath(issue.path) : 'document';
    throw new ProjectError(`${file} field "${where}": ${issue?.message ?? 'unexpected shape'}`);
  }
  return parsed.data;
}

/** Reads pyproject.toml at the project's root; null when there is none. Throws ProjectError when it is broken. */
export async function readProject(files: ProjectFiles): Promise<PluginProject | null> {
  const bytes = await files.read(PYPROJECT);
  if (bytes === null) return null;
  const text = decodeBytes(bytes);
  const notUtf8 = nonUtf8Position(text);
  if (notUtf8 !== null)
    throw new ProjectError(`pyproject.toml is not valid UTF-8 (${notUtf8}); TOML files must be UTF-8, so it was not changed`);
  const data = parsePyProject(text);
  if (!data.project) throw new ProjectError('pyproject.toml has no [project] table (PEP 621 metadata is required)');
  const project = data.project;
  const { source, version } = await locateVersion(files, data, project);
  return { dir: files.label, text, data, project, versionSource: source, version };
}

/** A path as pyproject.toml gives it (`./src/x/__about__.py`, `src\\x.py`) as a ProjectFiles path. */
function projectPath(given: string): string {
  return path.posix.normalize(given.replace(/\\/g, '/')).replace(/^\.\//, '');
}

async function locateVersion(
  files: ProjectFiles,
  data: PyProject,
  project: ProjectTable,
): Promise<{ source: VersionSource; version: string | null }> {
  if (project.version !== undefined) return { source: { kind: 'project', file: PYPROJECT }, version: project.version };
  if (!project.dynamic.includes('version')) {
    return { source: { kind: 'unknown', reason: '[project] has neither `version` nor `dynamic = ["version"]`' }, version: null };
  }
  const hatch = data.tool?.hatch?.version;
  const backend = data['build-system']?.['build-backend'] ?? '';
  if (!hatch?.path || (hatch.source && hatch.source !== 'regex') || (backend && !backend.startsWith('hatchling'))) {
    return {
      source: { kind: 'unknown', reason: 'the version is dynamic and not read from a file by hatchling (`[tool.hatch.version] path`)' },
      version: null,
    };
  }
  const file = projectPath(hatch.path);
  const pattern = hatchPattern(hatch.pattern);
  const bytes = await files.read(file).catch(() => null);
  if (bytes === null) throw new ProjectError(`[tool.hatch.version] path ${hatch.path} cannot be read`);
  const m = pattern.exec(decodeBytes(bytes));
  const found = m?.groups?.['version'];
  if (found === undefined) throw new ProjectError(`${hatch.path} has no version matching ${pattern.source}`);
  return { source: { kind: 'hatch-file', file, pattern }, version: found };
}

/** README file named by `[project] readme`, else the first README.* present. */
export async function readProjectReadme(
  proj: PluginProject | null,
  files: ProjectFiles,
): Promise<{ text: string; contentType: string; file: string | null } | null> {
  const readme = proj?.project.readme;
  if (readme !== undefined && typeof readme !== 'string' && readme.text !== undefined) {
    return { text: readme.text, contentType: readme['content-type'] ?? 'text/plain', file: null };
  }
  const named = typeof readme === 'string' ? readme : readme?.file;
  const candidates = named ? [named] : ['README.md', 'README.rst', 'README.txt', 'README'];
  for (const c of candidates) {
    // Too large or unreadable: the next name, as a missing one.
    const bytes = await files.read(projectPath(c)).catch(() => null);
    if (bytes === null) continue;
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const contentType = c.endsWith('.md') ? 'text/markdown' : c.endsWith('.rst') ? 'text/x-rst' : 'text/plain';
    return { text, contentType: typeof readme === 'object' && readme['content-type'] ? readme['content-type'] : contentType, file: c };
  }
  return null;
}
