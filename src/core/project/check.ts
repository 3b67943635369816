/**
 * `outdated`, the Action's check and the bot's sweep all start here: scan the project's files,
 * ask the marketplace once for every plugin it mentions, and analyse.
 */
import { analyse, pluginPackages, type AnalysedEntry } from '../analysis/build-report.ts';
import type { Report } from '../analysis/report.ts';
import type { BatchEntry } from '../marketplace/schemas.ts';
import { scanFiles, type ScannedProject } from '../python/scan.ts';
import type { ProjectFiles } from './files.ts';
import { lookupStatus, type PluginLookup } from './lookup.ts';

export interface CheckOptions {
  files: ProjectFiles;
  lookup: PluginLookup;
  /** Judge against this fapilog instead of the project's own (the CLI's `--fapilog-version`). */
  fapilogVersion?: string | null | undefined;
  /** Plugins to leave out (short or package names). */
  ignore?: readonly string[] | undefined;
  /** Scan only this file of the project (a manifest given by path). */
  only?: string | undefined;
}

export interface CheckResult {
  report: Report;
  /** Each report entry with the dependency it came from, in `report.plugins` order. */
  entries: AnalysedEntry[];
  scan: ScannedProject;
  /** The batch answer by requested package name, for the planners. */
  plugins: Record<string, BatchEntry | null>;
  fapilogVersions: string[];
  /** What was asked, so a planner given this result judges the same way. */
  fapilogVersion: string | null;
  ignore: readonly string[];
}

/** Scan + one batch lookup + the fapilog release list + pure analysis. */
export async function checkProject(opts: CheckOptions): Promise<CheckResult> {
  const scan = await scanFiles(opts.files, { only: opts.only });
  const ignore = opts.ignore ?? [];
  const names = pluginPackages(scan, ignore);
  // Both lookups are independent: one round trip each, in parallel.
  const [plugins, fapilogVersions] = await Promise.all([
    names.length > 0 ? opts.lookup.batch(names) : Promise.resolve({} as Record<string, BatchEntry | null>),
    opts.lookup.fapilogVersions(),
  ]);
  const fapilogVersion = opts.fapilogVersion ?? null;
  const { report, entries } = analyse({
    scan,
    plugins,
    fapilogVersions,
    marketplace: lookupStatus(opts.lookup),
    fapilogVersion,
    ignore,
  });
  return { report, entries, scan, plugins, fapilogVersions, fapilogVersion, ignore };
}
