/**
 * The check run "fapilog plugin compatibility" on pull requests that change a manifest: the
 * project at the pull request's head, checked by the core, with the Action's annotations.
 */
import { configSource, parseConfig } from './config.ts';
import { CONFIG_PATH } from './config.ts';
import type { Bot } from './bot.ts';
import { CHECK_NAME } from './bot.ts';
import * as engine from './engine.ts';
import { GitHubProjectFiles } from './github-files.ts';
import type { Octokit } from './octokit.ts';
import type { Repo } from './writer.ts';

/** GitHub takes at most 50 annotations per request. */
const MAX_ANNOTATIONS = 50;

export interface PullRequestRef {
  number: number;
  head: { sha: string };
}

export async function checkPullRequest(octokit: Octokit, bot: Bot, repo: Repo, pr: PullRequestRef): Promise<'created' | 'skipped'> {
  const base = { owner: repo.owner, repo: repo.repo };
  const changed = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
    ...base,
    pull_number: pr.number,
    per_page: 100,
  });
  if (
    !changed.some(
      (f) => engine.isManifestPath(f.filename) || (f.previous_filename !== undefined && engine.isManifestPath(f.previous_filename)),
    )
  )
    return 'skipped';

  const files = new GitHubProjectFiles(octokit, repo.owner, repo.repo, pr.head.sha, bot.cache);
  // The head's config may be mid-edit in this very pull request: an invalid one checks with the defaults.
  let ignore: string[] = [];
  let named: { kind: 'marketplace' | 'index'; url: string } | undefined;
  try {
    const config = parseConfig(await files.read(CONFIG_PATH));
    ignore = config.ignore;
    const chosen = configSource(config);
    if (chosen && bot.allowedMarketplace(chosen.url, chosen.kind)) named = chosen;
  } catch {
    // Reported by the sync as an issue; here the defaults apply.
  }
  const checked = await engine.check(files, bot.lookup(named?.url, named?.kind), { ignore });
  const out = engine.checkRunOutput(checked.report);
  const shown = out.annotations.slice(0, MAX_ANNOTATIONS);
  const more = out.annotations.length - shown.length;
  await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    ...base,
    name: CHECK_NAME,
    head_sha: pr.head.sha,
    status: 'completed',
    conclusion: out.conclusion,
    output: {
      title: out.title,
      summary: (more > 0 ? `${out.summary}\n\n(${more} more annotations not shown)` : out.summary).slice(0, 65_000),
      annotations: shown,
    },
  });
  return 'created';
}
