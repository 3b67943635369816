/**
 * The sweep: every installation of the app, every repository it can see, one at a time. A
 * repository that fails (or has an invalid config) is reported and the sweep goes on.
 */
import type { Probot } from 'probot';
import type { Bot } from './bot.ts';
import type { Octokit } from './octokit.ts';
import type { Log, SyncResult } from './repository.ts';

export interface SweepResult {
  results: SyncResult[];
  failures: Array<{ repo: string; error: string }>;
}

interface RepoItem {
  name: string;
  owner: { login: string };
  default_branch?: string;
  archived?: boolean;
  disabled?: boolean;
  open_issues_count?: number;
}

export async function sweep(probot: Probot, bot: Bot, log: Log): Promise<SweepResult> {
  const app = (await probot.auth()) as unknown as Octokit;
  const out: SweepResult = { results: [], failures: [] };
  const installations = await app.paginate('GET /app/installations', { per_page: 100 });
  for (const installation of installations) {
    if (installation.suspended_at) continue;
    const octokit = (await probot.auth(installation.id)) as unknown as Octokit;
    const listedAt = Date.now();
    const repos = (await octokit.paginate('GET /installation/repositories', { per_page: 100 })) as unknown as RepoItem[];
    for (const r of repos) {
      if (r.archived || r.disabled) continue;
      const name = `${r.owner.login}/${r.name}`;
      try {
        // The list's open-issue count spares most quiet repositories a list of the bot's issues.
        const hints = typeof r.open_issues_count === 'number' ? { openIssues: { count: r.open_issues_count, at: listedAt } } : {};
        const result = await bot.sync(
          octokit,
          async () => app,
          { owner: r.owner.login, repo: r.name, defaultBranch: r.default_branch ?? 'main' },
          log,
          hints,
        );
        out.results.push(result);
        log.info(`${name}: ${summary(result)}`);
      } catch (err) {
        const error = (err as Error).message;
        out.failures.push({ repo: name, error });
        log.warn(`${name}: ${error}`);
      }
    }
  }
  return out;
}

export function summary(r: SyncResult): string {
  if (r.status !== 'synced') return r.status;
  const parts = [
    r.opened.length ? `opened ${r.opened.join(', ')}` : '',
    r.updated.length ? `updated ${r.updated.join(', ')}` : '',
    r.closed.length ? `closed ${r.closed.join(', ')}` : '',
    r.handsOff.length ? `left alone ${r.handsOff.join(', ')}` : '',
    r.deferred.length ? `waiting for the open-PR limit: ${r.deferred.join(', ')}` : '',
    r.refused.length ? `refused by a person: ${r.refused.join(', ')}` : '',
    r.emptied.length ? `nothing left to change once refusals are left out: ${r.emptied.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'nothing to do';
}
