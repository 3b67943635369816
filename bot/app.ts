/**
 * The Probot app: each handler is a few lines that find the repository and hand it to the sync
 * (repository.ts), the closed-PR note, or the check run. With FAPILOG_BOT_SWEEP_INTERVAL_MINUTES
 * the webhook server also sweeps every installation on that schedule.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import { CONFIG_PATH } from './config.ts';
import { CHECK_NAME, type Bot } from './bot.ts';
import { checkPullRequest } from './check-run.ts';
import { isManifestPath } from './engine.ts';
import { readPrState } from './marker.ts';
import type { Octokit } from './octokit.ts';
import { refusedComment } from './comments.ts';
import { sweep } from './sweep.ts';
import { BRANCH_PREFIX } from './writer.ts';

/** A user account has a login; an enterprise account its slug. */
function accountOf(account: { login: string } | { slug: string } | null | undefined): string {
  if (!account) return '';
  return 'login' in account ? account.login : account.slug;
}

type Ctx = Context<'installation' | 'installation_repositories' | 'push' | 'pull_request' | 'check_run'>;

function octokitOf(ctx: Ctx): Octokit {
  return ctx.octokit as unknown as Octokit;
}

/** Repositories named in an installation payload have no default branch: one GET each. */
async function syncNamed(app: Probot, bot: Bot, ctx: Ctx, owner: string, names: string[]): Promise<void> {
  const octokit = octokitOf(ctx);
  for (const name of names) {
    const at = Date.now();
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo: name });
    if (data.archived || data.disabled) continue;
    const hints = { openIssues: { count: data.open_issues_count, at } };
    await bot.sync(
      octokit,
      () => app.auth() as unknown as Promise<Octokit>,
      { owner, repo: name, defaultBranch: data.default_branch },
      ctx.log,
      hints,
    );
  }
}

/** A push that touched no manifest and not the config changes nothing the bot decides on. */
function touchesManifest(commits: Array<{ added?: string[]; modified?: string[]; removed?: string[] }>): boolean {
  // GitHub lists at most 20 commits in a push payload: a longer push is rescanned to be safe.
  if (commits.length >= 20) return true;
  return commits.some((c) =>
    [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some((p) => p === CONFIG_PATH || isManifestPath(p)),
  );
}

export function botApp(bot: Bot): ApplicationFunction {
  return (app) => {
    // A new installation, or repositories added to one: sync just the repositories it names.
    app.on(['installation.created', 'installation_repositories.added'], async (ctx) => {
      const repos = 'repositories_added' in ctx.payload ? ctx.payload.repositories_added : (ctx.payload.repositories ?? []);
      await syncNamed(
        app,
        bot,
        ctx,
        accountOf(ctx.payload.installation.account),
        repos.map((r) => r.name),
      );
    });

    app.on('push', async (ctx) => {
      const { repository: r, ref, commits } = ctx.payload;
      if (ref !== `refs/heads/${r.default_branch}` || ctx.payload.deleted || !touchesManifest(commits)) return;
      await bot.sync(
        octokitOf(ctx),
        () => app.auth() as unknown as Promise<Octokit>,
        { owner: r.owner?.login ?? '', repo: r.name, defaultBranch: r.default_branch },
        ctx.log,
      );
    });

    app.on('pull_request.closed', async (ctx) => {
      const pr = ctx.payload.pull_request;
      const state = readPrState(pr.body);
      if (pr.merged || !state || state.closedByBot || !pr.head.ref.startsWith(BRANCH_PREFIX)) return;
      if (ctx.payload.sender.login === (await bot.login((await app.auth()) as unknown as Octokit))) return;
      await ctx.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', ctx.issue({ body: refusedComment(state) }));
    });

    app.on(['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize'], async (ctx) => {
      const r = ctx.payload.repository;
      await checkPullRequest(
        octokitOf(ctx),
        bot,
        { owner: r.owner.login, repo: r.name, defaultBranch: r.default_branch },
        ctx.payload.pull_request,
      );
    });

    // The check run's Re-run button: GitHub sends the rerequest to the app that made the run.
    app.on('check_run.rerequested', async (ctx) => {
      const run = ctx.payload.check_run;
      if (run.name !== CHECK_NAME) return;
      const r = ctx.payload.repository;
      // A run may belong to no pull request any more (closed, or its head moved on): nothing to redo.
      for (const pr of run.pull_requests) {
        await checkPullRequest(
          octokitOf(ctx),
          bot,
          { owner: r.owner.login, repo: r.name, defaultBranch: r.default_branch },
          { number: pr.number, head: { sha: run.head_sha } },
        );
      }
    });

    if (bot.settings.sweepIntervalMinutes !== undefined) {
      const every = bot.settings.sweepIntervalMinutes * 60_000;
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        sweep(app, bot, app.log)
          .catch((err: unknown) => app.log.error(`sweep failed: ${(err as Error).message}`))
          .finally(() => (running = false));
      }, every);
      timer.unref();
    }
  };
}
