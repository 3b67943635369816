/**
 * The bot's one door to the core's operations: checking a project, planning an update, the
 * policy and the check run's rendering (test/core/project/rooms.test.ts holds the other bot files
 * to that). Other bot files import from the core only what it defines for every front end and that
 * decides nothing: bot.ts the marketplace and index clients, their caches, the default index and
 * the LRU map; github-files.ts and octokit.ts the LRU map (and ProjectFiles, the type the git tree
 * implements); config.ts the range strategies' names; settings.ts the configuration vocabulary;
 * writer.ts the FileChange type; repository.ts the report's types, package names and the pull
 * request renderer (src/core/render/pull-request.ts); issues.ts and comments.ts the Markdown
 * escaping (src/core/render/markdown.ts), so that every text the bot writes is escaped one way.
 */
import { decide } from '../src/core/analysis/policy.ts';
import type { Report } from '../src/core/analysis/report.ts';
import { isUpdatable } from '../src/core/analysis/updatable.ts';
import { upgradeLine } from '../src/core/analysis/upgrade.ts';
import { sameVersion as samePep440 } from '../src/core/pep440/index.ts';
import type { BatchEntry } from '../src/core/marketplace/schemas.ts';
import {
  checkProject,
  environmentKey,
  planFapilogUpgrade,
  planUpdate,
  type CheckResult,
  type FileChange,
  type LockPlan,
  type PlannedChange,
  type PluginLookup,
  type ProjectFiles,
  type SkippedChange,
} from '../src/core/project/index.ts';
import { isFileOfInterest, isSkippedDirName } from '../src/core/python/discover.ts';
import type { RangeStrategy } from '../src/core/python/strategies.ts';
import { renderAnnotations, renderSummary } from '../src/core/render/index.ts';

export type Lookup = PluginLookup;
export type { FileChange };

export interface Checked {
  report: Report;
  /** Marketplace answers by package name, for release summaries and links. */
  plugins: Record<string, BatchEntry | null>;
  /** What planning needs (the core's check result). */
  readonly result: CheckResult;
}

/** An update as the core plans it: verified file changes, what each does, what was left, the lock commands. */
export interface Plan {
  changes: FileChange[];
  planned: PlannedChange[];
  skipped: SkippedChange[];
  lock: LockPlan[];
}

/** The command the bot's texts suggest for applying an update by hand. */
const UPDATE_COMMAND = 'npx fapilog-plugins update';

/** Is this repository path one the scan reads (a manifest or a lockfile, outside skipped folders)? */
export function isManifestPath(p: string): boolean {
  const dirs = p.split('/').slice(0, -1);
  return isFileOfInterest(p) && !p.endsWith('pyvenv.cfg') && !dirs.some(isSkippedDirName);
}

/** Does the planner act on this entry (the same rule as `fapilog-plugins update`)? */
export function updatable(entry: Report['plugins'][number]): boolean {
  return isUpdatable(entry);
}

/** PEP 440 equality (`2.0` is `2.0.0`), as the analysis compares versions. */
export function sameVersion(a: string, b: string): boolean {
  return samePep440(a, b);
}

export async function check(files: ProjectFiles, lookup: Lookup, opts: { ignore: string[] }): Promise<Checked> {
  const result = await checkProject({ files, lookup, ignore: opts.ignore });
  const plugins: Record<string, BatchEntry | null> = {};
  for (const entry of Object.values(result.plugins)) if (entry) plugins[entry.plugin.package] = entry;
  return { report: result.report, plugins, result };
}

export async function plan(checked: Checked, names: string[], strategy: RangeStrategy, environment?: string): Promise<Plan> {
  const p = await planUpdate({ check: checked.result, names, strategy, environment });
  return toPlan(p);
}

/** The environments of an entry as one key (its directory; several, comma-joined, for a shared file). */
export function environmentOf(entry: Report['plugins'][number]): string {
  return environmentKey(entry);
}

/** `fapilog 0.18.1 would unlock: ...` for one environment's upgrade. */
export function upgradeSentence(upgrade: NonNullable<NonNullable<Report['environments']>[number]['upgrade']>): string {
  return upgradeLine(upgrade);
}

/** The repository's environments (one for most repositories). */
export function environments(report: Report): NonNullable<Report['environments']> {
  return report.environments ?? [];
}

/** The co-upgrade of one environment: fapilog and its held-back plugins together, or null. */
export function planUpgrade(
  checked: Checked,
  environment: string,
  strategy: RangeStrategy,
): (Plan & { fapilog: string; fapilogFrom: string | null }) | null {
  const p = planFapilogUpgrade(checked.result, environment, strategy);
  if (!p) return null;
  const env = checked.report.environments?.find((e) => e.dir === environment);
  return { ...toPlan(p), fapilog: p.upgrade.fapilog, fapilogFrom: env?.fapilog.version ?? null };
}

function toPlan(p: Plan): Plan {
  return { changes: p.changes, planned: p.planned, skipped: p.skipped, lock: p.lock };
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
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

/** The check run for a project: the Action's annotations and summary, failing as the Action's default (`fail-on: incompatible`). */
export function checkRunOutput(report: Report): CheckRunOutput {
  const { failed, failureMessage } = decide(report, 'incompatible');
  // Paths are relative to the project root, which is the repository root.
  const annotations = renderAnnotations(report, report.root, UPDATE_COMMAND).map((a) => ({
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
    summary: renderSummary(report, { failed, failureMessage, wording: { updateCommand: UPDATE_COMMAND } }),
    annotations,
  };
}
