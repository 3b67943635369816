/**
 * The Report: what every front end renders (CLI table, Action summary and annotations,
 * PR bodies). Built by pure analysis code; a zod schema because it leaves the process
 * as `--json` output and as the Action's `report` output.
 */
import { z } from 'zod';
import { Provenance } from '../marketplace/schemas.ts';
import { PUBLISHER_CHANGE_REASONS } from '../publish/provenance.ts';

export const STATUSES = ['up-to-date', 'outdated', 'incompatible', 'held-back', 'yanked', 'unknown'] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

/** Statuses that make `outdated` exit 1 and count as problems for `fail-on`. */
export const PROBLEM_STATUSES: readonly Status[] = ['outdated', 'incompatible', 'held-back', 'yanked'];

export const FAPILOG_SOURCES = ['override', 'locked', 'pinned', 'range', 'unconstrained', 'unknown'] as const;
export const FapilogSource = z.enum(FAPILOG_SOURCES);

export const CURRENT_SOURCES = ['locked', 'pinned', 'range', 'none'] as const;
export const CurrentSource = z.enum(CURRENT_SOURCES);

export const ReportLocation = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
  text: z.string(),
  section: z.string(),
});
export type ReportLocation = z.infer<typeof ReportLocation>;

/**
 * The release a plugin would move to (or, when held back, the newest one) was published by
 * someone other than the release the project is on: another repository or owner, or a token
 * after trusted publishes (core/publish/provenance.ts decides). Shown, never blocking by itself.
 */
export const ReportPublisherChange = z.object({
  /** Publisher of `since`, the release compared with (the project's current one). */
  from: Provenance,
  /** Publisher of `version`. */
  to: Provenance,
  reason: z.enum(PUBLISHER_CHANGE_REASONS),
  /** The release whose publisher changed. */
  version: z.string(),
  /** The release it is compared with. */
  since: z.string(),
});
export type ReportPublisherChange = z.infer<typeof ReportPublisherChange>;

export const PluginEntry = z.object({
  /** PEP 503 normalised package name, e.g. `fapilog-loki`. */
  package: z.string(),
  /** Marketplace short name, e.g. `loki`. */
  name: z.string(),
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
});
export type PluginEntry = z.infer<typeof PluginEntry>;

export const Report = z.object({
  root: z.string(),
  fapilog: z.object({
    /**
     * The fapilog version every status was judged against. For source `unknown` (fapilog is not
     * a dependency) this is the newest final release the marketplace knows; null only when the
     * marketplace knows none, in which case every release counts as compatible.
     */
    version: z.string().nullable(),
    source: FapilogSource,
    specifier: z.string().nullable(),
    /** Where it was read: `uv.lock`, `requirements.txt:3`, `--fapilog-version`... */
    from: z.string().nullable(),
  }),
  /** The source the answers came from: a marketplace's API URL or a package index's (`kind: index`). Absent kind: a marketplace. */
  marketplace: z.object({ url: z.string(), stale: z.boolean(), kind: z.enum(['marketplace', 'index']).optional() }),
  manifests: z.array(z.string()),
  lockfiles: z.array(z.string()),
  plugins: z.array(PluginEntry),
  counts: z.record(Status, z.number().int().nonnegative()),
  warnings: z.array(z.string()),
});
export type Report = z.infer<typeof Report>;

/** Does the report hold anything `outdated` exits 1 for? */
export function hasProblems(report: Report): boolean {
  return report.plugins.some((p) => PROBLEM_STATUSES.includes(p.status));
}
