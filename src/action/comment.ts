/**
 * The report where people read it on GitHub, without @actions/*: the body of the sticky pull
 * request comment and of the dashboard issue, each carrying a hidden marker (one per project
 * `path`, so two steps on two projects keep two comments), capped to GitHub's 65,536 characters
 * (github-limits.ts, as the job summary is).
 * github.ts finds, writes and deletes them; everything it decides is here, as plain functions.
 */
import { z } from 'zod';
import { fitMarkdown, GITHUB_LIMITS } from '../core/render/github-limits.ts';

const cutNote = () =>
  `> [!NOTE]\n> Cut at ${GITHUB_LIMITS.commentChars.toLocaleString('en-US')} characters, GitHub's limit: ` +
  'the full report is in the job summary and the `report` output.';

export type Surface = 'comment' | 'dashboard';

/** The hidden line that finds our comment or issue again; the path is escaped to stay one comment. */
export function marker(surface: Surface, projectPath: string): string {
  const safe = projectPath.replace(/--/g, '-\u200b-').replace(/[<>\r\n]/g, '_');
  return `<!-- fapilog-plugins:${surface} path=${safe} -->`;
}

export function hasMarker(body: string | null | undefined, surface: Surface, projectPath: string): boolean {
  return (body ?? '').startsWith(marker(surface, projectPath));
}

/** The dashboard issue's title: one per project path. */
export function dashboardTitle(projectPath: string): string {
  const p = projectPath.replace(/^\.\/?$/, '');
  return p ? `fapilog plugins (${p.replace(/[\r\n]/g, ' ')})` : 'fapilog plugins';
}

/** A comment or issue body: the marker line, the report, capped. */
export function githubBody(surface: Surface, projectPath: string, summaryMarkdown: string, footer = ''): string {
  const head = `${marker(surface, projectPath)}\n`;
  return head + fitMarkdown(`${summaryMarkdown.trimEnd()}\n${footer}`, { maxChars: GITHUB_LIMITS.commentChars - head.length }, cutNote);
}

/** The part of the workflow's event payload the Action reads (parsed, as every external payload is). */
export const EventPayload = z.object({
  pull_request: z.object({ number: z.number().int().positive() }).optional(),
});

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const;

export interface GitHubPlan {
  /** The pull request to keep the sticky comment on, or null when this run has none. */
  comment: { pull: number; keep: boolean } | null;
  dashboard: boolean;
  /** Why an enabled surface does nothing on this run (a log line), or null. */
  skipped: string[];
}

/**
 * What to do on GitHub for this run: the comment on pull request events (kept while the report
 * has problems, deleted when clean), the dashboard on every other event (a schedule, a manual run).
 */
export function planGitHub(opts: {
  comment: boolean;
  dashboard: boolean;
  eventName: string;
  payload: unknown;
  hasProblems: boolean;
}): GitHubPlan {
  const skipped: string[] = [];
  const isPull = (PULL_REQUEST_EVENTS as readonly string[]).includes(opts.eventName);
  let comment: GitHubPlan['comment'] = null;
  if (opts.comment) {
    const parsed = EventPayload.safeParse(opts.payload);
    if (!isPull) skipped.push(`comment: the ${opts.eventName || 'unknown'} event has no pull request to comment on`);
    else if (!parsed.success || !parsed.data.pull_request)
      skipped.push(`comment: the ${opts.eventName} event payload names no pull request (pull_request.number)`);
    else comment = { pull: parsed.data.pull_request.number, keep: opts.hasProblems };
  }
  const dashboard = opts.dashboard && !isPull;
  if (opts.dashboard && isPull) skipped.push('dashboard: kept by scheduled or manual runs, not by pull requests');
  return { comment, dashboard, skipped };
}
