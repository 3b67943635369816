/**
 * The Report: what every front end renders (CLI table, Action summary and annotations,
 * PR bodies). Built by pure analysis code; a zod schema because it leaves the process
 * as `--json` output and as the Action's `report` output.
 */
import { z } from 'zod';
import { lazySchema } from '../lazy-schema.ts';
import { Deprecation, Provenance, ReleaseAdvisory } from '../marketplace/schemas.ts';
import { PUBLISHER_CHANGE_REASONS } from '../publish/provenance.ts';

export const STATUSES = ['up-to-date', 'outdated', 'incompatible', 'held-back', 'yanked', 'vulnerable', 'unknown'] as const;
export const Status = lazySchema(() => z.enum(STATUSES));
export type Status = z.infer<typeof Status>;

/** Statuses that make `outdated` exit 1 and count as problems for `fail-on`. */
export const PROBLEM_STATUSES: readonly Status[] = ['outdated', 'incompatible', 'held-back', 'yanked', 'vulnerable'];

export const FAPILOG_SOURCES = ['override', 'locked', 'pinned', 'range', 'unconstrained', 'unknown'] as const;
export const FapilogSource = lazySchema(() => z.enum(FAPILOG_SOURCES));

export const CURRENT_SOURCES = ['locked', 'pinned', 'range', 'none'] as const;
export const CurrentSource = lazySchema(() => z.enum(CURRENT_SOURCES));

export const ReportLocation = lazySchema(() =>
  z.object({
    file: z.string(),
    line: z.number().int().min(1),
    column: z.number().int().min(1),
    endLine: z.number().int().min(1),
    endColumn: z.number().int().min(1),
    text: z.string(),
    section: z.string(),
  }),
);
export type ReportLocation = z.infer<typeof ReportLocation>;

/**
 * The release a plugin would move to (or, when held back, the newest one) was published by
 * someone other than the release the project is on: another repository or owner, or a token
 * after trusted publishes (core/publish/provenance.ts decides). Shown, never blocking by itself.
 */
export const ReportPublisherChange = lazySchema(() =>
  z.object({
    /** Publisher of `since`, the release compared with (the project's current one). */
    from: Provenance,
    /** Publisher of `version`. */
    to: Provenance,
    reason: z.enum(PUBLISHER_CHANGE_REASONS),
    /** The release whose publisher changed. */
    version: z.string(),
    /** The release it is compared with. */
    since: z.string(),
  }),
);
export type ReportPublisherChange = z.infer<typeof ReportPublisherChange>;

export const PluginEntry = lazySchema(() =>
  z.object({
    /** PEP 503 normalised package name, e.g. `fapilog-loki`. */
    package: z.string().min(1),
    /** Marketplace short name, e.g. `loki`. */
    name: z.string().min(1),
    location: ReportLocation,
    specifier: z.string(),
    current: z.string().nullable(),
    currentSource: CurrentSource,
    latest: z.string().nullable(),
    latestCompatible: z.string().nullable(),
    /** fapilog_compatibility of the current release. */
    currentCompatibility: z.string().nullable(),
    status: Status,
    /** For held-back: the lowest fapilog version that the newer releases need. */
    requiresFapilog: z.string().nullable(),
    /** One human sentence saying why. */
    note: z.string(),
    /** null: the same publisher, nothing newer, or a publisher not known on either side. */
    publisherChange: ReportPublisherChange.nullable().default(null),
    /** Advisories affecting the current release (status `vulnerable`); absent when none. */
    advisories: z.array(ReleaseAdvisory).optional(),
    /** The plugin was deprecated or archived by its owner; absent when not. */
    deprecation: Deprecation.optional(),
    /**
     * A newer compatible release not proposed yet: younger than the minimum release age (or of
     * unknown publish time). `until`: when it will be proposed (null: publish time unknown).
     */
    waiting: z.object({ version: z.string(), published_at: z.string().nullable(), until: z.string().nullable() }).optional(),
    /**
     * The environments (their directories, `report.environments[].dir`) that install this
     * requirement: one, or several for a shared file, whose answer every one of them can run.
     */
    environments: z.array(z.string()).optional(),
  }),
);
export type PluginEntry = z.infer<typeof PluginEntry>;

export const ReportFapilog = lazySchema(() =>
  z.object({
    /**
     * The fapilog version statuses were judged against. For source `unknown` (fapilog is not
     * a dependency) this is the newest final release the marketplace knows; null only when the
     * marketplace knows none, in which case every release counts as compatible.
     */
    version: z.string().nullable(),
    source: FapilogSource,
    specifier: z.string().nullable(),
    /** Where it was read: `uv.lock`, `requirements.txt:3`, `--fapilog-version`... */
    from: z.string().nullable(),
  }),
);

/** What moving one environment's fapilog would unlock: its held-back plugins' newer releases. */
export const ReportUpgrade = lazySchema(() =>
  z.object({
    /** The lowest known fapilog release that unlocks the newest unlockable release of every held-back plugin. */
    fapilog: z.string(),
    /**
     * Plugins that move with it: held-back ones to the newest release that works with it
     * (`unlocked`), and others whose current release it would rule out.
     */
    plugins: z.array(
      z.object({
        package: z.string(),
        file: z.string(),
        line: z.number().int(),
        from: z.string().nullable(),
        to: z.string(),
        unlocked: z.boolean(),
      }),
    ),
    /** Plugins of the environment with no release that works with that fapilog. */
    stuck: z.array(z.string()),
  }),
);
export type ReportUpgrade = z.infer<typeof ReportUpgrade>;

/** Files that install together into one Python environment, and the fapilog it runs. */
export const ReportEnvironment = lazySchema(() =>
  z.object({
    /** Its directory relative to the project root, `.` for the root. */
    dir: z.string(),
    fapilog: ReportFapilog,
    manifests: z.array(z.string()),
    lockfiles: z.array(z.string()),
    /** null: nothing is held back by this environment's fapilog. */
    upgrade: ReportUpgrade.nullable(),
  }),
);
export type ReportEnvironment = z.infer<typeof ReportEnvironment>;

export const Report = lazySchema(() =>
  z.object({
    root: z.string(),
    /** The fapilog of the project's one environment; with several, of the first (see `environments`). */
    fapilog: ReportFapilog,
    /** The source the answers came from: a marketplace's API URL or a package index's (`kind: index`). Absent kind: a marketplace. */
    marketplace: z.object({ url: z.string(), stale: z.boolean(), kind: z.enum(['marketplace', 'index']).optional() }),
    manifests: z.array(z.string()),
    lockfiles: z.array(z.string()),
    plugins: z.array(PluginEntry),
    counts: z.record(Status, z.number().int().nonnegative()),
    warnings: z.array(z.string()),
    /** Every environment of the project, each judged against its own fapilog. */
    environments: z.array(ReportEnvironment).optional(),
  }),
);
export type Report = z.infer<typeof Report>;

/** Does the report hold anything `outdated` exits 1 for? */
export function hasProblems(report: Report): boolean {
  return report.plugins.some((p) => PROBLEM_STATUSES.includes(p.status));
}

/** The report's environments (a report built before environments: one, from its top-level fields). */
export function reportEnvironments(report: Report): ReportEnvironment[] {
  return (
    report.environments ?? [{ dir: '.', fapilog: report.fapilog, manifests: report.manifests, lockfiles: report.lockfiles, upgrade: null }]
  );
}

/** The environments an entry was judged for (a report built before environments: the one). */
export function entryEnvironments(entry: PluginEntry): string[] {
  return entry.environments ?? ['.'];
}

/** The fapilog an entry was judged against: its environment's (a shared file's first one). */
export function entryFapilog(report: Report, entry: PluginEntry): Report['fapilog'] {
  const dir = entryEnvironments(entry)[0];
  return report.environments?.find((e) => e.dir === dir)?.fapilog ?? report.fapilog;
}
