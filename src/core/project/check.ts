/**
 * `outdated`, the Action's check and the bot's sweep all start here: scan the project's files,
 * ask the marketplace once for every plugin it mentions, and analyse.
 */
import { analyse, pluginPackages, type AnalysedEntry } from '../analysis/build-report.ts';
import type { Report } from '../analysis/report.ts';
import { judgeEnvironments } from '../analysis/environments.ts';
import { resolveFapilogVersion } from '../analysis/fapilog-version.ts';
import type { BatchEntry } from '../marketplace/schemas.ts';
import { scanFiles, type ScannedProject } from '../python/scan.ts';
import type { ProjectFiles } from '../files.ts';
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
  /** Days a release must have been public before it is proposed (a security fix does not wait). */
  minimumReleaseAge?: number | undefined;
  /** The clock for the waiting period (ms since the epoch; tests). */
  now?: number | undefined;
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
  const fapilogVersion = opts.fapilogVersion ?? null;
  if (names.length === 0) {
    // No plugin to judge: nothing to ask the marketplace (a CI step must not wait for it, or fail
    // when it is down). The fapilog version is what the project states (override, lockfile, pin);
    // a range stays unresolved, without the resolver's notes about releases it was never given.
    const fapilogVersions: string[] = [];
    const analysed = analyse({ scan, plugins: {}, fapilogVersions, marketplace: lookupStatus(opts.lookup), fapilogVersion, ignore });
    const judged = judgeEnvironments(scan, fapilogVersions, fapilogVersion);
    const whole = resolveFapilogVersion(scan, fapilogVersions, fapilogVersion);
    const unasked = new Set(
      judged.environments.length === 0
        ? NEEDS_RELEASES.has(whole.fapilog.source)
          ? whole.warnings
          : []
        : judged.environments.flatMap((e, i) => (NEEDS_RELEASES.has(e.fapilog.source) ? warningsOf(judged, i) : [])),
    );
    const report =
      unasked.size > 0 ? { ...analysed.report, warnings: analysed.report.warnings.filter((w) => !unasked.has(w)) } : analysed.report;
    return { report, entries: analysed.entries, scan, plugins: {}, fapilogVersions, fapilogVersion, ignore };
  }
  // Both lookups are independent: one round trip each, in parallel.
  const [plugins, fapilogVersions] = await Promise.all([opts.lookup.batch(names), opts.lookup.fapilogVersions()]);
  const { report, entries } = analyse({
    scan,
    plugins,
    fapilogVersions,
    marketplace: lookupStatus(opts.lookup),
    fapilogVersion,
    ignore,
    minimumReleaseAge: opts.minimumReleaseAge,
    now: opts.now,
  });
  return { report, entries, scan, plugins, fapilogVersions, fapilogVersion, ignore };
}

/** The warnings the resolution of environment `i` gave (judgeEnvironments keeps them in order). */
function warningsOf(judged: ReturnType<typeof judgeEnvironments>, i: number): string[] {
  const env = judged.environments[i];
  if (!env) return [];
  const prefix = judged.environments.length > 1 ? `${env.dir}: ` : '';
  return judged.warnings.filter((w) => prefix === '' || w.startsWith(prefix));
}

/** The fapilog sources chosen from the marketplace's release list (the others are stated by the project). */
const NEEDS_RELEASES: ReadonlySet<string> = new Set(['range', 'unconstrained', 'unknown']);
