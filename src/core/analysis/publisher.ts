/**
 * Publisher changes as the analysis sees them: which release is compared with which, and the one
 * warning line every front end prints (CLI, Action log and annotations, PR bodies). Whether two
 * publishers differ is core/publish/provenance.ts's question; this module only picks the pair.
 *
 * For a dependency the pair is (the release the project is on, the release it would move to):
 * the newest compatible one when `update` would move it, else the newest one when it is newer
 * (held back: the warning comes before anyone upgrades fapilog to reach it). For `install`, which
 * has no current release, it is (the release just below the chosen one, the chosen one): a name
 * taken over shows up at the first release its new publisher made.
 */
import type { Release } from '../marketplace/schemas.ts';
import { describeChangeReason, describePublisherChange, publisherChange } from '../publish/provenance.ts';
import type { PluginEntry, ReportPublisherChange } from './report.ts';
import { isUpdatable } from './updatable.ts';
import { compareVersions, sameVersion } from './versions.ts';

function between(since: Release, target: Release): ReportPublisherChange | null {
  const change = publisherChange(since.provenance, target.provenance);
  return change ? { ...change, version: target.version, since: since.version } : null;
}

/** The release a report entry points the project to, if any (see the module comment). */
export function targetVersion(entry: Pick<PluginEntry, 'status' | 'current' | 'latest' | 'latestCompatible'>): string | null {
  if (entry.current === null) return null;
  if (isUpdatable(entry)) return entry.latestCompatible;
  if (entry.latest !== null && compareVersions(entry.latest, entry.current) > 0) return entry.latest;
  return null;
}

/** The publisher change between the entry's current release and its target, or null. */
export function entryPublisherChange(
  entry: Pick<PluginEntry, 'status' | 'current' | 'latest' | 'latestCompatible'>,
  releases: readonly Release[],
): ReportPublisherChange | null {
  const target = targetVersion(entry);
  if (target === null || entry.current === null) return null;
  const current = entry.current;
  const from = releases.find((r) => sameVersion(r.version, current));
  const to = releases.find((r) => sameVersion(r.version, target));
  return from && to ? between(from, to) : null;
}

/** For `install`: the chosen release against the release just below it (none below: null). */
export function installPublisherChange(chosen: Release, releases: readonly Release[]): ReportPublisherChange | null {
  let previous: Release | null = null;
  for (const r of releases) {
    if (compareVersions(r.version, chosen.version) >= 0) continue;
    if (previous === null || compareVersions(r.version, previous.version) > 0) previous = r;
  }
  return previous ? between(previous, chosen) : null;
}

/**
 * The warning line, plain text (front ends escape it for where they show it):
 * `fapilog-loki 1.4.0 -> 1.5.0: publisher changed (published from another repository): was ..., now ...`
 * for a move; `fapilog-loki 1.5.0 (after 1.4.0): ...` when `install` adds it.
 */
export function publisherWarning(pkg: string, change: ReportPublisherChange, mode: 'move' | 'install' = 'move'): string {
  const which = mode === 'move' ? `${change.since} -> ${change.version}` : `${change.version} (after ${change.since})`;
  return `${pkg} ${which}: ${describePublisherChange(change)}`;
}

/** A short sentence for a report note; the warning has both publishers in full. */
export function publisherNote(change: ReportPublisherChange): string {
  return `The publisher changed in ${change.version} (${describeChangeReason(change.reason)}).`;
}
