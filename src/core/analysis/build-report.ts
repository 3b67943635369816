/**
 * The pure heart of `outdated`, the Action's check and the bot: a scanned project plus the
 * marketplace's answers in, a Report out. No I/O here, so every front end and test shares
 * the same decisions.
 */
import type { BatchEntry } from '../marketplace/schemas.ts';
import type { Dependency, ProjectScan } from '../python/types.ts';
import { isPluginPackage, normalizeName, packageName } from '../names.ts';
import { resolveFapilogVersion } from './fapilog-version.ts';
import { STATUSES, type Report, type Status } from './report.ts';
import { publisherWarning } from './publisher.ts';
import { analyseDependency } from './statuses.ts';

export interface AnalysisInput {
  scan: ProjectScan;
  /** The batch answer; keys are plugin names as requested (normalised here), null for unknown plugins. */
  plugins: ReadonlyMap<string, BatchEntry | null> | Readonly<Record<string, BatchEntry | null>>;
  /** `GET /fapilog/versions`. */
  fapilogVersions: readonly string[];
  marketplace: { url: string; stale: boolean; kind?: 'marketplace' | 'index' | undefined };
  /** `--fapilog-version`. */
  fapilogVersion?: string | null | undefined;
  /** Plugins to leave out (short or package names). */
  ignore?: readonly string[] | undefined;
}

export interface PluginDependencies {
  /** Plugin dependencies to analyse, in manifest order. */
  included: Dependency[];
  /** Left out by `# fapilog-plugins: ignore` or an ignore list. */
  ignored: Dependency[];
}

/** Plugin dependencies of a project, split by whether they are to be analysed. */
export function pluginDependencies(scan: ProjectScan, ignore: readonly string[] = []): PluginDependencies {
  const ignoredNames = new Set(ignore.map((n) => packageName(n)));
  const included: Dependency[] = [];
  const ignored: Dependency[] = [];
  for (const manifest of scan.manifests) {
    for (const dep of manifest.dependencies) {
      if (!isPluginPackage(dep.name)) continue;
      (dep.ignored || ignoredNames.has(normalizeName(dep.name)) ? ignored : included).push(dep);
    }
  }
  return { included, ignored };
}

/** The distinct package names one batch request must ask for. */
export function pluginPackages(scan: ProjectScan, ignore: readonly string[] = []): string[] {
  return [...new Set(pluginDependencies(scan, ignore).included.map((d) => normalizeName(d.name)))].sort();
}

function lookupTable(plugins: AnalysisInput['plugins']): Map<string, BatchEntry | null> {
  const entries = plugins instanceof Map ? [...plugins.entries()] : Object.entries(plugins);
  const table = new Map<string, BatchEntry | null>();
  for (const [key, value] of entries) {
    // The same plugin may come back under its short and its package name; a hit beats a miss.
    const name = packageName(key);
    if (value || !table.has(name)) table.set(name, value);
  }
  return table;
}

export function buildReport(input: AnalysisInput): Report {
  return analyse(input).report;
}

/** A report entry with the dependency it was made from (no finding it again by file and line). */
export interface AnalysedEntry {
  entry: Report['plugins'][number];
  dependency: Dependency;
}

/** The report, and each of its entries paired with its dependency (same order as `report.plugins`). */
export function analyse(input: AnalysisInput): { report: Report; entries: AnalysedEntry[] } {
  const { scan } = input;
  const { fapilog, warnings } = resolveFapilogVersion(scan, input.fapilogVersions, input.fapilogVersion);
  const table = lookupTable(input.plugins);
  const { included, ignored } = pluginDependencies(scan, input.ignore ?? []);

  const plugins = included.map((dep) =>
    analyseDependency(dep, {
      fapilog: fapilog.version,
      fapilogAssumed: fapilog.source === 'unknown',
      fapilogVersions: input.fapilogVersions,
      locked: scan.locked.get(normalizeName(dep.name)),
      entry: table.get(normalizeName(dep.name)),
    }),
  );

  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const p of plugins) counts[p.status] += 1;

  // First: a changed publisher is the one warning that may mean someone else now ships the code.
  const publisherWarnings = plugins.flatMap((p) => (p.publisherChange ? [publisherWarning(p.package, p.publisherChange)] : []));
  const manifestWarnings = [...(scan.warnings ?? []), ...scan.manifests.flatMap((m) => m.warnings.map((w) => `${m.file}: ${w}`))];
  if (ignored.length > 0) {
    const list = ignored.map((d) => `${d.name} (${d.location.file}:${d.location.line})`).join(', ');
    warnings.push(`${ignored.length} plugin ${ignored.length === 1 ? 'dependency was' : 'dependencies were'} ignored: ${list}`);
  }
  if (input.marketplace.stale) {
    warnings.push(`the ${input.marketplace.kind === 'index' ? 'package index' : 'marketplace'} could not be reached; some results come from a stale cached copy`);
  }

  // Built here from parsed inputs and typed as the schema says, so not parsed again (that cost
  // more than the analysis on a large monorepo); tests hold it to the schema (build-report.test.ts).
  const report: Report = {
    root: scan.root,
    fapilog,
    marketplace: { url: input.marketplace.url, stale: input.marketplace.stale, ...(input.marketplace.kind ? { kind: input.marketplace.kind } : {}) },
    manifests: scan.manifests.map((m) => m.file),
    lockfiles: scan.lockfiles,
    plugins,
    counts,
    warnings: [...new Set(publisherWarnings), ...warnings, ...manifestWarnings],
  };
  return { report, entries: report.plugins.map((entry, i) => ({ entry, dependency: included[i] as Dependency })) };
}
