/**
 * Which report entries `update` acts on, decided here once for the planner, the summary's "how
 * to fix", the annotations and the bot: a status that calls for a move (vulnerable, outdated,
 * incompatible, yanked; held-back ones are already on their newest compatible release, unknown ones have
 * nothing to move to) and a compatible release other than the current one.
 */
import type { PluginEntry, Status } from './report.ts';
import { sameVersion } from './versions.ts';

export const UPDATABLE: readonly Status[] = ['vulnerable', 'outdated', 'incompatible', 'yanked'];

export function isUpdatable(entry: Pick<PluginEntry, 'status' | 'latestCompatible' | 'current'>): boolean {
  if (!UPDATABLE.includes(entry.status) || entry.latestCompatible === null) return false;
  return entry.current === null || !sameVersion(entry.latestCompatible, entry.current);
}

/** Entries with a problem that `update` cannot fix: no compatible release to move to. */
export function isStuck(entry: Pick<PluginEntry, 'status' | 'latestCompatible' | 'current'>): boolean {
  return (entry.status === 'incompatible' || entry.status === 'yanked' || entry.status === 'vulnerable') && !isUpdatable(entry);
}

/**
 * Why `update` leaves an entry alone (null when it would act on it). `needsAttention` says whether
 * the entry has a problem update was expected to fix (reported even when no names were asked for).
 */
export function notUpdatable(
  entry: Pick<PluginEntry, 'status' | 'latestCompatible' | 'current' | 'note'> & { environments?: string[] | undefined },
  fapilogVersion: string | null,
): { reason: string; needsAttention: boolean } | null {
  if (isUpdatable(entry)) return null;
  if (!UPDATABLE.includes(entry.status)) return { reason: `${entry.status}: ${entry.note}`, needsAttention: false };
  // A shared file whose environments disagree: the note names them and why.
  if ((entry.environments?.length ?? 0) > 1 && entry.latestCompatible === null) return { reason: entry.note, needsAttention: true };
  // An advisory with no unaffected release to move to: the note says which releases work and are affected.
  if (entry.status === 'vulnerable' && entry.latestCompatible === null) return { reason: entry.note, needsAttention: true };
  if (entry.latestCompatible === null)
    return { reason: `no release works with fapilog ${fapilogVersion ?? '(unknown)'}`, needsAttention: true };
  return {
    reason: `already on ${entry.latestCompatible}, the newest release that works with fapilog ${fapilogVersion ?? '(unknown)'}`,
    needsAttention: true,
  };
}
