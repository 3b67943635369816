/**
 * What a finished Report means for the step: the fail-on policy, the outputs, and the rendered
 * summary and annotations. Pure functions of the Report, shared by checkMain and the tests.
 */
import { PROBLEM_STATUSES, type Report, type Status } from '../core/analysis/report.ts';
import type { MarketplaceSettings } from '../core/config.ts';
import { renderAnnotations, type Annotation } from './annotations.ts';
import type { FailOn, OutputName } from './inputs.ts';
import { renderSummary } from './summary.ts';

export type CheckOutputs = Record<Extract<OutputName, 'report' | 'outdated-count' | 'incompatible-count' | 'has-problems'>, string>;

export interface RenderedCheck {
  outputs: CheckOutputs;
  summaryMarkdown: string;
  annotations: Annotation[];
  failed: boolean;
  failureMessage: string | null;
}

/** The statuses that fail the step, for each `fail-on` value. */
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

/** Whether the report fails the step, and the one-line reason. */
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

export function reportOutputs(report: Report): CheckOutputs {
  const count = (s: Status) => report.counts[s] ?? 0;
  return {
    report: JSON.stringify(report),
    'outdated-count': String(count('outdated')),
    'incompatible-count': String(count('incompatible') + count('yanked')),
    'has-problems': String(PROBLEM_STATUSES.some((s) => count(s) > 0)),
  };
}

/** Everything the runner shows for a finished report; pure, so tests feed it hand-built reports. */
export function renderCheck(
  report: Report,
  config: { failOn: FailOn; workspace: string; settings: Pick<MarketplaceSettings, 'cacheDir'> },
): RenderedCheck {
  const { failed, failureMessage } = decide(report, config.failOn);
  return {
    outputs: reportOutputs(report),
    summaryMarkdown: renderSummary(report, { failed, failureMessage, cacheDir: config.settings.cacheDir }),
    annotations: renderAnnotations(report, config.workspace),
    failed,
    failureMessage,
  };
}
