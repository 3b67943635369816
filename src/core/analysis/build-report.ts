/**
 * The pure heart of `outdated`, the Action's check and the bot: a scanned project plus the
 * marketplace's answers in, a Report out. No I/O here, so every front end and test shares
 * the same decisions.
 */
import type { BatchEntry } from '../marketplace/schemas.ts';
import type { Dependency, LockedVersion, ProjectScan } from '../python/types.ts';
import { isPluginPackage, normalizeName, packageName } from '../names.ts';
import { environmentsByFile, judgeEnvironments, type JudgedEnvironment } from './environments.ts';
import { resolveFapilogVersion } from './fapilog-version.ts';
import { environmentUpgrade } from './upgrade.ts';
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
  /** The waiting period in days: newer releases are proposed once public that long (0 or absent: at once). */
  minimumReleaseAge?: number | undefined;
  /** The clock the waiting period is judged by (ms since the epoch; default now). */
  now?: number | undefined;
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

/**
 * The locked version of a requirement: its environment's lockfile (never another's). A file
 * shared by environments whose locks disagree is judged by what it says itself.
 */
function lockedFor(
  name: string,
  envs: readonly JudgedEnvironment[],
  scan: ProjectScan,
  warnings: string[],
  dep: Dependency,
): LockedVersion | undefined {
  if (envs.length === 0) return scan.locked.get(name);
  if (envs.length === 1) return envs[0]?.locked.get(name);
  const all = envs.flatMap((e) => {
    const l = e.locked.get(name);
    return l ? [l] : [];
  });
  const versions = new Set(all.map((l) => l.version));
  if (versions.size > 1) {
    warnings.push(
      `${dep.location.file}:${dep.location.line}: ${name} is locked at ` +
        `${all.map((l) => `${l.version} (${l.lockfile})`).join(', ')}; the shared file is judged by its own ` +
        `specifier`,
    );
    return undefined;
  }
  return all[0];
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
  const judged = judgeEnvironments(scan, input.fapilogVersions, input.fapilogVersion);
  const { environments } = judged;
  // One environment (or none) reads as before: the project's fapilog and its warnings.
  const whole = environments.length === 0 ? resolveFapilogVersion(scan, input.fapilogVersions, input.fapilogVersion) : null;
  const fapilog = whole?.fapilog ?? (environments[0] as JudgedEnvironment).fapilog;
  const warnings = whole?.warnings ?? judged.warnings;
  const table = lookupTable(input.plugins);
  const { included, ignored } = pluginDependencies(scan, input.ignore ?? []);
  const envsOf = environmentsByFile(environments);
  const releaseAge = input.minimumReleaseAge ? { days: input.minimumReleaseAge, now: input.now ?? Date.now() } : undefined;

  const plugins = included.map((dep) => {
    const name = normalizeName(dep.name);
    const envs = envsOf.get(dep.location.file) ?? environments.slice(0, 1);
    const first = envs[0];
    const f = first?.fapilog ?? fapilog;
    const entry = analyseDependency(dep, {
      fapilog: f.version,
      fapilogAssumed: f.source === 'unknown',
      fapilogVersions: input.fapilogVersions,
      locked: lockedFor(name, envs, scan, warnings, dep),
      entry: table.get(name),
      source: input.marketplace,
      releaseAge,
      environments:
        envs.length > 1
          ? envs.map((e) => ({ dir: e.dir, fapilog: e.fapilog.version, assumed: e.fapilog.source === 'unknown' }))
          : undefined,
    });
    entry.environments = envs.map((e) => e.dir);
    if (envs.length > 1 && entry.latestCompatible === null && entry.status === 'incompatible') {
      warnings.push(`${dep.location.file}:${dep.location.line}: ${entry.package}: ${entry.note}`);
    }
    return entry;
  });

  // Each environment's own entries (a shared file's are no one's alone), grouped once.
  const ownEntries = new Map<string, Report['plugins']>();
  for (const p of plugins) {
    const dir = p.environments?.length === 1 ? p.environments[0] : undefined;
    if (dir === undefined) continue;
    const list = ownEntries.get(dir);
    if (list) list.push(p);
    else ownEntries.set(dir, [p]);
  }
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
    warnings.push(
      `the ${input.marketplace.kind === 'index' ? 'package index' : 'marketplace'} could not be reached; some ` +
        `results come from a stale cached copy`,
    );
  }

  // Built here from parsed inputs and typed as the schema says, so not parsed again (that cost
  // more than the analysis on a large monorepo); tests hold it to the schema (build-report.test.ts).
  const report: Report = {
    root: scan.root,
    fapilog,
    marketplace: {
      url: input.marketplace.url,
      stale: input.marketplace.stale,
      ...(input.marketplace.kind ? { kind: input.marketplace.kind } : {}),
    },
    manifests: scan.manifests.map((m) => m.file),
    lockfiles: scan.lockfiles,
    plugins,
    counts,
    warnings: [...new Set([...publisherWarnings, ...warnings]), ...manifestWarnings],
    environments: environments.map((e) => ({
      dir: e.dir,
      fapilog: e.fapilog,
      manifests: e.manifests,
      lockfiles: e.lockfiles,
      upgrade: environmentUpgrade(ownEntries.get(e.dir) ?? [], e.fapilog.version, table, input.fapilogVersions),
    })),
  };
  return { report, entries: report.plugins.map((entry, i) => ({ entry, dependency: included[i] as Dependency })) };
}
