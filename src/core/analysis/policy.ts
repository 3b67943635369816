/**
 * The fail policy: which statuses make a check fail, shared by the CLI's `outdated --fail-on`
 * and the Action's `fail-on` input so the two can never disagree. Each level adds to the one
 * before it: `incompatible` (and yanked) < `outdated` < `held-back`; `never` fails on nothing.
 */
import { z } from 'zod';
import type { Report, Status } from './report.ts';

export const FAIL_ON = ['incompatible', 'outdated', 'held-back', 'never'] as const;
export const FailOn = z.enum(FAIL_ON);
export type FailOn = z.infer<typeof FailOn>;

/** The statuses that fail the check, for each level. */
export function failingStatuses(failOn: FailOn): readonly Status[] {
  switch (failOn) {
    case 'incompatible':
      return ['incompatible', 'yanked'];
    case 'outdated':
      return ['incompatible', 'yanked', 'outdated'];
    case 'held-back':
      return ['incompatible', 'yanked', 'outdated', 'held-back'];
    case 'never':
      return [];
  }
}

/** Whether the report fails the check, and the one-line reason. */
export function decide(report: Report, failOn: FailOn): { failed: boolean; failureMessage: string | null } {
  const failing = failingStatuses(failOn);
  const offenders = report.plugins.filter((p) => failing.includes(p.status));
  if (offenders.length === 0) return { failed: false, failureMessage: null };
  const list = offenders.map((p) => `${p.package}${p.current ? ` ${p.current}` : ''} (${p.status})`).join(', ');
  return {
    failed: true,
    failureMessage: `${offenders.length} plugin${offenders.length === 1 ? '' : 's'} failed the check (fail-on: ${failOn}): ${list}`,
  };
}
