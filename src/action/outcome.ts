/**
 * What a finished Report means for the step: the fail-on policy, the outputs, and the rendered
 * summary and annotations. Pure functions of the Report, shared by checkMain and the tests; the
 * policy itself (`decide`) is core's, so the CLI's `outdated --fail-on` judges the same way.
 */
import { decide, type FailOn } from '../core/analysis/policy.ts';
import { PROBLEM_STATUSES, type Report, type Status } from '../core/analysis/report.ts';
import type { MarketplaceSettings } from '../core/config.ts';
import { renderAnnotations, type Annotation } from '../core/render/annotations.ts';
import type { OutputName } from './inputs.ts';
import { renderSummary, type SummaryWording } from '../core/render/summary.ts';

export type CheckOutputs = Record<Extract<OutputName, 'report' | 'outdated-count' | 'incompatible-count' | 'has-problems'>, string>;

export interface RenderedCheck {
  outputs: CheckOutputs;
  summaryMarkdown: string;
  annotations: Annotation[];
  failed: boolean;
  failureMessage: string | null;
}

/** The Action's own words in the shared summary. */
export const ACTION_WORDING: SummaryWording = { override: 'set by the `fapilog-version` input' };

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
    summaryMarkdown: renderSummary(report, { failed, failureMessage, cacheDir: config.settings.cacheDir, wording: ACTION_WORDING }),
    annotations: renderAnnotations(report, config.workspace),
    failed,
    failureMessage,
  };
}
