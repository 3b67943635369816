/**
 * The Action's writes to GitHub (@actions/github, loaded only when `comment` or `dashboard` is on):
 * the sticky pull request comment, created once, edited in place, deleted once the report is
 * clean; and the dashboard issue, created once and kept current. What to write is comment.ts's.
 */
import { context, getOctokit } from '@actions/github';
import { githubBody, hasMarker, dashboardTitle, planGitHub, type GitHubPlan } from './comment.ts';

type Octokit = ReturnType<typeof getOctokit>;

/** Most pages of 100 read to find our comment or issue: the cost of a run stays bounded. */
const MAX_PAGES = 10;

export interface GitHubLog {
  info(line: string): void;
  warning(line: string): void;
}

async function findOwn<T extends { body?: string | null | undefined }>(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  let page = 0;
  for await (const response of octokit.paginate.iterator(route, { ...params, per_page: 100 })) {
    const found = (response.data as T[]).find(match);
    if (found) return found;
    if (++page >= MAX_PAGES) break;
  }
  return undefined;
}

export async function keepComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  plan: NonNullable<GitHubPlan['comment']>,
  projectPath: string,
  summary: string,
  log: GitHubLog,
): Promise<void> {
  const existing = await findOwn<{ id: number; body?: string | null }>(
    octokit,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { ...repo, issue_number: plan.pull },
    (c) => hasMarker(c.body, 'comment', projectPath),
  );
  if (!plan.keep) {
    if (existing) {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: existing.id });
      log.info(`comment: the report is clean, deleted comment ${existing.id} on #${plan.pull}`);
    }
    return;
  }
  const body = githubBody('comment', projectPath, summary);
  if (existing) {
    if (existing.body === body) return log.info(`comment: #${plan.pull} already shows this report`);
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: existing.id, body });
    log.info(`comment: updated comment ${existing.id} on #${plan.pull}`);
  } else {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...repo,
      issue_number: plan.pull,
      body,
    });
    log.info(`comment: created comment ${data.id} on #${plan.pull}`);
  }
}

export async function keepDashboard(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  projectPath: string,
  summary: string,
  log: GitHubLog,
): Promise<void> {
  // Closed ones too: a person who closed the dashboard does not get a new one every run.
  const existing = await findOwn<{ number: number; body?: string | null; pull_request?: unknown }>(
    octokit,
    'GET /repos/{owner}/{repo}/issues',
    { ...repo, state: 'all' },
    (i) => !i.pull_request && hasMarker(i.body, 'dashboard', projectPath),
  );
  const footer =
    '\n<sub>Kept current by the fapilog-plugins Action (`dashboard: true`); it edits this issue on every run. ' +
    'Close it to hide it, or remove the input to stop.</sub>\n';
  const body = githubBody('dashboard', projectPath, summary, footer);
  const title = dashboardTitle(projectPath);
  if (existing) {
    if (existing.body === body) return log.info(`dashboard: #${existing.number} already shows this report`);
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: existing.number, title, body });
    log.info(`dashboard: updated #${existing.number}`);
  } else {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { ...repo, title, body });
    log.info(`dashboard: created #${data.number}`);
  }
}

/**
 * Plans from the workflow's event and carries it out with the workflow's token; a refusal (a
 * missing permission, a fork's read-only token) is a warning, not a failed check.
 */
export async function publishToGitHub(
  wanted: { comment: boolean; dashboard: boolean; hasProblems: boolean },
  opts: { token: string; projectPath: string; summary: string },
  log: GitHubLog,
): Promise<void> {
  const plan = planGitHub({ ...wanted, eventName: context.eventName ?? '', payload: context.payload });
  for (const line of plan.skipped) log.info(line);
  if (!plan.comment && !plan.dashboard) return;
  if (!opts.token) return log.warning('comment/dashboard: no `github-token` (default `${{ github.token }}`): nothing written to GitHub');
  const octokit = getOctokit(opts.token);
  const repo = context.repo;
  if (plan.comment) {
    try {
      await keepComment(octokit, repo, plan.comment, opts.projectPath, opts.summary, log);
    } catch (err) {
      log.warning(
        `comment: could not write the pull request comment (${(err as Error).message}); the job needs ` +
          `\`permissions: pull-requests: write\``,
      );
    }
  }
  if (plan.dashboard) {
    try {
      await keepDashboard(octokit, repo, opts.projectPath, opts.summary, log);
    } catch (err) {
      log.warning(
        `dashboard: could not write the dashboard issue (${(err as Error).message}); the job needs \`permissions: issues: write\``,
      );
    }
  }
}
