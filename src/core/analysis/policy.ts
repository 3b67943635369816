/**
 * The fail policy: which plugins make a check fail, shared by the CLI's `outdated --fail-on`
 * and the Action's `fail-on` input so the two can never disagree. Each level adds to the one
 * before it: `incompatible` (and yanked and vulnerable: every level but `never` fails on an
 * advisory) < `publisher-changed` (a release the project would move to has another publisher)
 * < `outdated` < `held-back`; `never` fails on nothing. A changed
 * publisher sits just above incompatible because it may mean someone else now ships the code;
 * the Action's default (`incompatible`) does not fail on it. Every entry with a changed publisher
 * is outdated, held back, incompatible or yanked (only those have a release to move to), so
 * `outdated` adds the held-back ones and the CLI's default `held-back` fails on each of them already.
 */
import { z } from 'zod';
import type { PluginEntry, Report, Status } from './report.ts';

export const FAIL_ON = ['incompatible', 'publisher-changed', 'outdated', 'held-back', 'never'] as const;
export const FailOn = z.enum(FAIL_ON);
export type FailOn = z.infer<typeof FailOn>;

/** The statuses that fail the check, for each level. */
export function failingStatuses(failOn: FailOn): readonly Status[] {
  switch (failOn) {
    case 'incompatible':
    case 'publisher-changed':
      return ['vulnerable', 'incompatible', 'yanked'];
    case 'outdated':
      return ['vulnerable', 'incompatible', 'yanked', 'outdated'];
    case 'held-back':
      return ['vulnerable', 'incompatible', 'yanked', 'outdated', 'held-back'];
    case 'never':
      return [];
  }
}

/** Whether a changed publisher fails the check at this level. */
export function failsOnPublisherChange(failOn: FailOn): boolean {
  return failOn === 'publisher-changed' || failOn === 'outdated' || failOn === 'held-back';
}

/** Why one entry fails at this level (empty: it passes). */
export function failureReasons(entry: Pick<PluginEntry, 'status' | 'publisherChange'>, failOn: FailOn): string[] {
  const reasons: string[] = [];
  if (failingStatuses(failOn).includes(entry.status)) reasons.push(entry.status);
  if (entry.publisherChange && failsOnPublisherChange(failOn)) reasons.push(`publisher changed in ${entry.publisherChange.version}`);
  return reasons;
}

/** Whether the report fails the check, and the one-line reason. */
export function decide(report: Report, failOn: FailOn): { failed: boolean; failureMessage: string | null } {
  const offenders = report.plugins.flatMap((p) => {
    const reasons = failureReasons(p, failOn);
    return reasons.length > 0 ? [`${p.package}${p.current ? ` ${p.current}` : ''} (${reasons.join(', ')})`] : [];
  });
  if (offenders.length === 0) return { failed: false, failureMessage: null };
  return {
    failed: true,
    failureMessage:
      `${offenders.length} plugin${offenders.length === 1 ? '' : 's'} failed the check (fail-on: ` + `${failOn}): ${offenders.join(', ')}`,
  };
}
