/**
 * What a finished Report means for the step: the fail-on policy, the outputs, and the rendered
 * summary and annotations. Pure functions of the Report, shared by checkMain and the tests; the
 * policy itself (`decide`) is core's, so the CLI's `outdated --fail-on` judges the same way.
 */
import { decide, type FailOn } from '../core/analysis/policy.ts';
import { PROBLEM_STATUSES, reportEnvironments, type PluginEntry, type Report, type Status } from '../core/analysis/report.ts';
import type { MarketplaceSettings } from '../core/config.ts';
import { renderAnnotations, workspacePath, type Annotation } from '../core/render/annotations.ts';
import type { OutputName } from './inputs.ts';
import { byManifest, renderSummary, STATUS_LABEL, type SummaryWording } from '../core/render/summary.ts';
import {
  boundedReportJson,
  fitMarkdown,
  limitAnnotations,
  REPORT_OUTPUT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
} from '../core/render/github-limits.ts';
import { andList, environmentGroups } from '../core/render/environments.ts';

export type CheckOutputs = Record<
  Extract<OutputName, 'report' | 'outdated-count' | 'incompatible-count' | 'vulnerable-count' | 'has-problems'>,
  string
>;

export interface RenderedCheck {
  outputs: CheckOutputs;
  summaryMarkdown: string;
  annotations: Annotation[];
  failed: boolean;
  failureMessage: string | null;
}

/** The Action's own words in the shared summary. */
export const ACTION_WORDING: SummaryWording = { override: 'set by the `fapilog-version` input' };

/**
 * The step's outputs. `report` is the whole report while it fits its share of GitHub's 1 MB per
 * job; beyond, the most important plugins that fit and a warning naming `reportFile` (where the
 * runner writes the whole report).
 */
export function reportOutputs(report: Report, reportFile: string | null = null): CheckOutputs {
  const count = (s: Status) => report.counts[s] ?? 0;
  return {
    report: boundedReportJson(report, REPORT_OUTPUT_BUDGET_BYTES, reportFile).json,
    'outdated-count': String(count('outdated')),
    'incompatible-count': String(count('incompatible') + count('yanked')),
    'vulnerable-count': String(count('vulnerable')),
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
  // An environment is named by its directory: `.` is the project root itself.
  const workspaceDir = (d: string) => file(d) || '.';
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
    ...(report.environments
      ? {
          environments: report.environments.map((e) => ({
            ...e,
            dir: workspaceDir(e.dir),
            fapilog: { ...e.fapilog, from: fileLine(e.fapilog.from) },
            manifests: e.manifests.map(file),
            lockfiles: e.lockfiles.map(file),
            upgrade: e.upgrade ? { ...e.upgrade, plugins: e.upgrade.plugins.map((p) => ({ ...p, file: file(p.file) })) } : null,
          })),
        }
      : {}),
    warnings: report.marketplace.stale ? report.warnings.filter((w) => w !== STALE_WARNING && w !== STALE_INDEX_WARNING) : report.warnings,
  };
}

/** A link to `file` at `line` in the repository at the commit the workflow runs on. */
export type FileUrl = (file: string, line: number) => string;

/**
 * Links into the repository at the run's commit (GITHUB_SERVER_URL, GITHUB_REPOSITORY,
 * GITHUB_SHA), for paths relative to the workspace; none outside GitHub.
 */
export function fileLinker(env: NodeJS.ProcessEnv): FileUrl | undefined {
  const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repo = env['GITHUB_REPOSITORY'];
  const sha = env['GITHUB_SHA'];
  if (!repo || !/^[^/\s]+\/[^/\s]+$/.test(repo) || !sha || !/^[0-9a-f]{40,64}$/.test(sha)) return undefined;
  return (file, line) => `${server}/${repo}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}

export interface LogGroup {
  title: string;
  /** One line per plugin that needs attention; an up-to-date one is counted in the title only. */
  lines: string[];
}

function countsOf(plugins: readonly PluginEntry[]): string {
  const counts = new Map<Status, number>();
  for (const p of plugins) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${n} ${STATUS_LABEL[status].replace(/^\S+ /, '')}`);
  return `${plugins.length} plugin${plugins.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** Only what needs attention gets a line: `x -> x (latest x): up-to-date` says nothing. */
function attentionLines(plugins: readonly PluginEntry[]): string[] {
  return plugins
    .filter((p) => p.status !== 'up-to-date')
    .map(
      (p) =>
        `${p.location.file}:${p.location.line}  ${p.package} ${p.current ?? '-'} -> ` +
        `${p.latestCompatible ?? '-'} (latest ${p.latest ?? '-'}): ${p.status}`,
    );
}

/**
 * The log of a report (paths as the report has them): a group per environment when the project
 * has several (its fapilog in the title), else a group per manifest.
 */
export function logGroups(report: Report): LogGroup[] {
  if (reportEnvironments(report).length > 1) {
    return environmentGroups(report)
      .filter((g) => g.plugins.length > 0)
      .map((g) => {
        const f = g.environment?.fapilog;
        const name = g.environment
          ? `environment ${g.environment.dir} (fapilog ${f?.version ?? 'unknown'}, ${f?.source}${f?.from ? ` in ${f.from}` : ''})`
          : `shared by ${andList(g.shared)}`;
        return { title: `${name}: ${countsOf(g.plugins)}`, lines: attentionLines(g.plugins) };
      });
  }
  return byManifest(report).map(([manifest, plugins]) => ({ title: `${manifest}: ${countsOf(plugins)}`, lines: attentionLines(plugins) }));
}

/** Everything the runner shows for a finished report; pure, so tests feed it hand-built reports. */
export function renderCheck(
  report: Report,
  config: {
    failOn: FailOn;
    workspace: string;
    settings: Pick<MarketplaceSettings, 'cacheDir'>;
    reportFile?: string | null;
    fileUrl?: FileUrl | undefined;
  },
): RenderedCheck {
  const { failed, failureMessage } = decide(report, config.failOn);
  const reportFile = config.reportFile ?? null;
  const whole = reportFile
    ? `the \`report\` output and the whole report in \`${reportFile}\` (output \`report-file\`)`
    : 'the `report` output';
  const summary = renderSummary(forWorkspace(report, config.workspace), {
    failed,
    failureMessage,
    cacheDir: config.settings.cacheDir,
    wording: { ...ACTION_WORDING, ...(config.fileUrl ? { fileUrl: config.fileUrl } : {}) },
  });
  return {
    outputs: reportOutputs(report, reportFile),
    // GitHub rejects a whole summary over 1 MiB; cut, it still opens with the verdict and counts.
    summaryMarkdown: fitMarkdown(
      summary,
      { maxBytes: SUMMARY_BUDGET_BYTES },
      ({ lines, bytes }) =>
        `**Summary cut short:** the last ${lines} lines (${Math.ceil(bytes / 1024)} KiB) were left out to stay ` +
        `under GitHub's 1 MiB limit for a job summary; ${whole} list every plugin.`,
    ),
    // GitHub shows 10 per level per step: the most severe first, then one "and N more".
    annotations: limitAnnotations(renderAnnotations(report, config.workspace), { hint: `The job summary and ${whole} list every plugin.` }),
    failed,
    failureMessage,
  };
}
