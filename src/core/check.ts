/**
 * `outdated`, the Action's check and the bot's sweep all start here: read the project, ask the
 * marketplace once for every plugin it mentions, and analyse.
 */
import { buildReport, pluginPackages } from './analysis/build-report.ts';
import type { Report } from './analysis/report.ts';
import type { MarketplaceClient } from './marketplace/client.ts';
import type { BatchEntry } from './marketplace/schemas.ts';
import { scanProject } from './python/scan.ts';
import type { ProjectScan } from './python/types.ts';
import { stripCredentials } from './marketplace/errors.ts';

export interface CheckOptions {
  root: string;
  client: MarketplaceClient;
  /** `--fapilog-version`: judge against this fapilog instead of the project's own. */
  fapilogVersion?: string | undefined;
  /** Plugins to leave out (short or package names). */
  ignore?: string[] | undefined;
}

export interface CheckResult {
  report: Report;
  scan: ProjectScan;
  /** The batch answer by requested package name, for callers that go on to update or install. */
  plugins: Record<string, BatchEntry | null>;
  fapilogVersions: string[];
}

/** Scan + one batch lookup + the fapilog release list + analysis. */
export async function checkProjectDetailed(opts: CheckOptions): Promise<CheckResult> {
  const scan = await scanProject(opts.root);
  const names = pluginPackages(scan, opts.ignore ?? []);
  // Both lookups are independent: one round trip each, in parallel.
  const [plugins, fapilogVersions] = await Promise.all([
    names.length > 0 ? opts.client.batch(names) : Promise.resolve({} as Record<string, BatchEntry | null>),
    opts.client.fapilogVersions(),
  ]);
  const report = buildReport({
    scan,
    plugins,
    fapilogVersions,
    marketplace: { url: stripCredentials(opts.client.settings.url), stale: opts.client.stale },
    fapilogVersion: opts.fapilogVersion,
    ignore: opts.ignore,
  });
  return { report, scan, plugins, fapilogVersions };
}

export async function checkProject(opts: CheckOptions): Promise<Report> {
  return (await checkProjectDetailed(opts)).report;
}
