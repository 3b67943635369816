/**
 * The only place the bot calls the core's operations (check, plan an update, render). Everything
 * else in bot/ speaks in these few types, so the core can change shape behind one file.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../src/core/analysis/report.ts';
import { checkProjectDetailed } from '../src/core/check.ts';
import type { MarketplaceClient } from '../src/core/marketplace/client.ts';
import type { BatchEntry } from '../src/core/marketplace/schemas.ts';
import type { FileChange, ProjectFiles } from '../src/core/project/files.ts';
import { SKIPPED_DIRS, manifestKindOf } from '../src/core/python/discover.ts';
import type { RangeStrategy } from '../src/core/python/strategies.ts';
import { unifiedDiff } from '../src/core/analysis/diff.ts';
import { updatePlugins } from '../src/core/update.ts';
import { decide } from '../src/core/analysis/policy.ts';
// TEMPORARY until the core's renderers land in src/core/render (issue 9): the Action's, unchanged.
import { renderAnnotations } from '../src/action/annotations.ts';
import { renderSummary } from '../src/action/summary.ts';

/** The two marketplace questions a check asks (a MarketplaceClient answers both). */
export interface Lookup {
  batch(names: string[]): Promise<Record<string, BatchEntry | null>>;
  fapilogVersions(): Promise<string[]>;
  readonly url: string;
}

export interface Checked {
  report: Report;
  /** Marketplace answers by package name, for release summaries and links. */
  plugins: Record<string, BatchEntry | null>;
  lockfiles: string[];
  /** Opaque to callers: what planning needs. */
  readonly state: unknown;
}

export interface PlannedUpdate {
  package: string;
  file: string;
  line: number;
  current: string | null;
  target: string;
  from: string;
  to: string;
}

export interface Plan {
  changes: FileChange[];
  planned: PlannedUpdate[];
  skipped: Array<{ package: string; reason: string }>;
  /** Lock commands to run after the change (one per lockfile and tool). */
  lock: Array<{ lockfile: string; command: string }>;
}

interface DiskState {
  dir: string;
  lookup: Lookup;
  ignore: string[];
}

function clientOf(lookup: Lookup): MarketplaceClient {
  // The current core takes a client; it only calls these members.
  return {
    batch: (names: string[]) => lookup.batch(names),
    fapilogVersions: () => lookup.fapilogVersions(),
    settings: { url: lookup.url },
    stale: false,
  } as unknown as MarketplaceClient;
}

/** Is this repository path one the scan reads (a manifest or a lockfile, outside skipped folders)? */
export function isManifestPath(p: string): boolean {
  return wanted(p);
}

function wanted(p: string): boolean {
  const parts = p.split('/');
  if (parts.slice(0, -1).some((d) => SKIPPED_DIRS.has(d) || d.endsWith('.egg-info'))) return false;
  return manifestKindOf(p) !== null;
}

export async function check(files: ProjectFiles, lookup: Lookup, opts: { ignore: string[] }): Promise<Checked> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fapilog-bot-'));
  for (const entry of await files.list()) {
    if (!wanted(entry.path)) continue;
    const bytes = await files.read(entry.path);
    if (bytes === null) continue;
    await mkdir(path.dirname(path.join(dir, entry.path)), { recursive: true });
    await writeFile(path.join(dir, entry.path), bytes);
  }
  const result = await checkProjectDetailed({ root: dir, client: clientOf(lookup), ignore: opts.ignore });
  const state: DiskState = { dir, lookup, ignore: opts.ignore };
  return { report: result.report, plugins: byPackage(result.plugins), lockfiles: result.scan.lockfiles, state };
}

function byPackage(plugins: Record<string, BatchEntry | null>): Record<string, BatchEntry | null> {
  const out: Record<string, BatchEntry | null> = {};
  for (const entry of Object.values(plugins)) if (entry) out[entry.plugin.package] = entry;
  return out;
}

export async function plan(checked: Checked, names: string[], strategy: RangeStrategy): Promise<Plan> {
  const state = checked.state as DiskState;
  const work = await mkdtemp(path.join(os.tmpdir(), 'fapilog-bot-plan-'));
  try {
    await cp(state.dir, work, { recursive: true });
    const result = await updatePlugins({ root: work, client: clientOf(state.lookup), names, strategy, ignore: state.ignore, env: { PATH: '' } });
    const changes: FileChange[] = [];
    for (const f of result.files) {
      const before = await readFile(path.join(state.dir, f.file));
      const after = await readFile(path.join(work, f.file));
      changes.push({ path: f.file, before, after, diff: unifiedDiff(f.file, before.toString('utf8'), after.toString('utf8')) });
    }
    return {
      changes,
      planned: result.changes.map((c) => ({ package: c.package, file: c.file, line: c.line, current: c.current, target: c.target, from: c.from, to: c.to })),
      skipped: result.skipped.map((s) => ({ package: s.package, reason: s.reason })),
      lock: result.lock.map((l) => ({ lockfile: l.lockfile, command: l.command })),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Frees what a check holds (the temporary copy, until the core plans in memory). */
export async function release(checked: Checked): Promise<void> {
  await rm((checked.state as DiskState).dir, { recursive: true, force: true });
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

export interface CheckRunOutput {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

/** The check run for a project: the Action's annotations and summary, failing as the Action's default (`fail-on: incompatible`). */
export function checkRunOutput(report: Report): CheckRunOutput {
  const { failed, failureMessage } = decide(report, 'incompatible');
  const annotations = renderAnnotations(report, report.root).map((a) => ({
    path: a.file,
    start_line: a.startLine,
    end_line: a.endLine ?? a.startLine,
    ...(a.startColumn !== undefined && a.endColumn !== undefined ? { start_column: a.startColumn, end_column: a.endColumn } : {}),
    annotation_level: a.level === 'error' ? ('failure' as const) : a.level,
    title: a.title,
    message: a.message,
  }));
  const n = report.plugins.length;
  return {
    conclusion: failed ? 'failure' : 'success',
    title: failed ? (failureMessage ?? 'incompatible plugins') : `${n} plugin${n === 1 ? '' : 's'} checked`,
    summary: renderSummary(report, { failed, failureMessage }),
    annotations,
  };
}
