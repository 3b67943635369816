/**
 * What a finished Report means for the step: the fail-on policy, the outputs, and the rendered
 * summary and annotations. Pure functions of the Report, shared by checkMain and the tests; the
 * policy itself (`decide`) is core's, so the CLI's `outdated --fail-on` judges the same way.
 */
import { decide, type FailOn } from '../core/analysis/policy.ts';
import { PROBLEM_STATUSES, type Report, type Status } from '../core/analysis/report.ts';
import type { MarketplaceSettings } from '../core/config.ts';
import { renderAnnotations, workspacePath, type Annotation } from '../core/render/annotations.ts';
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

/** The warning the analysis adds for a stale cache: the Action says it once, its own way. */
export const STALE_WARNING = 'the marketplace could not be reached; some results come from a stale cached copy';
export const STALE_INDEX_WARNING = 'the package index could not be reached; some results come from a stale cached copy';

/**
 * The report as the Action shows it in the log and the summary: file paths relative to the
 * workspace (`app/requirements.txt`), as the annotations must have them, so the three agree;
 * and without the stale-cache warning, which the runner's one warning and the summary's
 * banner already give. The `report` output keeps the project-relative paths of the contract.
 */
export function forWorkspace(report: Report, workspace: string): Report {
  const file = (f: string) => workspacePath(report, f, workspace);
  const fileLine = (s: string | null) => {
    if (s === null) return s;
    const m = /^(.*?)(:\d+)?$/.exec(s);
    // `from` may name no file (`--fapilog-version`): only what exists under the root is rewritten.
    return m?.[1] && (report.manifests.includes(m[1]) || report.lockfiles.includes(m[1])) ? `${file(m[1])}${m[2] ?? ''}` : s;
  };
  return {
    ...report,
    fapilog: { ...report.fapilog, from: fileLine(report.fapilog.from) },
    manifests: report.manifests.map(file),
    lockfiles: report.lockfiles.map(file),
    plugins: report.plugins.map((p) => ({ ...p, location: { ...p.location, file: file(p.location.file) } })),
    warnings: report.marketplace.stale ? report.warnings.filter((w) => w !== STALE_WARNING && w !== STALE_INDEX_WARNING) : report.warnings,
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
    summaryMarkdown: renderSummary(forWorkspace(report, config.workspace), { failed, failureMessage, cacheDir: config.settings.cacheDir, wording: ACTION_WORDING }),
    annotations: renderAnnotations(report, config.workspace),
    failed,
    failureMessage,
  };
}
