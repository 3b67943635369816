/**
 * A report's entries grouped by environment, for front ends that show one section per
 * environment (the CLI table, the job summary): each environment's own entries, then the
 * entries of files several environments share, one group per set of sharers.
 */
import {
  entryEnvironments,
  reportEnvironments,
  type PluginEntry,
  type Report,
  type ReportEnvironment,
  type ReportUpgrade,
} from '../analysis/report.ts';

export interface EnvironmentGroup {
  /** The environment, or null for entries of files several environments share. */
  environment: ReportEnvironment | null;
  /** For shared entries: the environments sharing them. */
  shared: string[];
  plugins: PluginEntry[];
  upgrade: ReportUpgrade | null;
}

export function environmentGroups(report: Report): EnvironmentGroup[] {
  const envs = reportEnvironments(report);
  const own = new Map<string, PluginEntry[]>(envs.map((e) => [e.dir, []]));
  const shared = new Map<string, PluginEntry[]>();
  for (const p of report.plugins) {
    const dirs = entryEnvironments(p);
    if (dirs.length === 1 && own.has(dirs[0] as string)) own.get(dirs[0] as string)?.push(p);
    else shared.set(dirs.join('\u0000'), [...(shared.get(dirs.join('\u0000')) ?? []), p]);
  }
  const groups: EnvironmentGroup[] = envs
    .map((e) => ({ environment: e, shared: [], plugins: own.get(e.dir) ?? [], upgrade: e.upgrade }))
    .filter((g) => g.plugins.length > 0 || g.upgrade !== null);
  for (const [key, plugins] of shared) groups.push({ environment: null, shared: key.split('\u0000'), plugins, upgrade: null });
  return groups;
}

/** `services/a and services/b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
