/**
 * One repository brought in line with the marketplace: read the default branch through the git
 * tree, check it with the core, plan one change per plugin (or group), and make GitHub match:
 * open, update in place, leave alone (a person pushed), or close what is no longer needed.
 * Everything it remembers lives in GitHub (branches, PR markers, the bot's issues), so any
 * instance can run it; a sync that finds nothing new sends no write at all.
 */
import type { PluginEntry } from '../src/core/analysis/report.ts';
import { packageName } from '../src/core/names.ts';
import { BotConfig, CONFIG_PATH, ConfigError, configSource, MAX_CONFIG_BYTES, parseConfig } from './config.ts';
import * as engine from './engine.ts';
import { z } from 'zod';
import { GitCache, GitHubProjectFiles, isSha } from './github-files.ts';
import { configIssue, deprecatedIssue, fapilogUpgradeIssue, keepIssue, type OpenIssue } from './issues.ts';
import { code, quietText as text } from '../src/core/render/markdown.ts';
import { commitMessage, isSecurityFix, pullRequestBody, pullRequestTitle } from '../src/core/render/pull-request.ts';
import { prMarker, readIssueKind, readPrState, withPrState, type IssueKind, type PrState } from './marker.ts';
import type { Octokit } from './octokit.ts';
import { handsOffComment, obsoleteComment, pullRequestFooter } from './comments.ts';
import { decideSync, targetsOf, type Action, type BranchPulls, type OurPr, type Unit, type Wanted } from './decide.ts';
import { BRANCH_PREFIX, createCommit, deleteBranch, setBranch, type Repo } from './writer.ts';

export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface SyncDeps {
  octokit: Octokit;
  /** `<app slug>[bot]`: the author of the bot's pull requests and issues. */
  botLogin: string;
  /** The marketplace for a repository: the operator's, or one the repository's config names (if allowed). */
  lookup(url: string | undefined, kind?: 'marketplace' | 'index'): engine.Lookup;
  allowedMarketplace(url: string, kind?: 'marketplace' | 'index'): boolean;
  cache: GitCache;
  log: Log;
  /**
   * GitHub's open_issues_count for the repository (open issues and pull requests, anyone's), when
   * the caller has a fresh one: 0 spares listing the bot's own.
   */
  openIssues?: number | undefined;
  /** The default branch's head commit, when the caller knows it (else the tree is read by branch name). */
  head?: string | undefined;
  /** Called when the bot opens a pull request or an issue (the open-issue count it was given is then stale). */
  onCreate?: () => void;
}

export interface SyncResult {
  repo: string;
  status: 'synced' | 'disabled' | 'invalid-config' | 'empty';
  opened: string[];
  updated: string[];
  closed: string[];
  /** Pull requests a person pushed to (left alone). */
  handsOff: string[];
  /** Updates not proposed because the open-PR limit is reached. */
  deferred: string[];
  /** Open pull requests already moving to the planned targets (nothing written). */
  unchanged: string[];
  /** Updates not proposed because a person closed a pull request for those versions unmerged. */
  refused: string[];
  /** Updates not proposed because, without the refused plugins, the plan changes no file. */
  emptied: string[];
  issues: Partial<Record<IssueKind, string>>;
}

function status(err: unknown): number | undefined {
  return (err as { status?: number }).status;
}

/**
 * Thrown when what the sync read turned out not to hold (the default branch moved between the tree
 * and the head lookup, or a pull request of ours exists that the open-issue count did not show):
 * the sync starts over, once, reading everything (and at `head`, when known).
 */
class Restart extends Error {
  override name = 'Restart';
  readonly head: string | undefined;
  constructor(reason: string, head?: string) {
    super(reason);
    this.head = head;
  }
}

const Branch = z.object({
  commit: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/), commit: z.object({ tree: z.object({ sha: z.string() }) }) }),
});

interface Ours {
  prs: Map<string, OurPr>;
  issues: Map<IssueKind, OpenIssue>;
}

export async function syncRepository(repo: Repo, deps: SyncDeps): Promise<SyncResult> {
  try {
    return await syncOnce(repo, deps);
  } catch (err) {
    if (!(err instanceof Restart)) throw err;
    deps.log.info(`${repo.owner}/${repo.repo}: ${err.message}; reading it again`);
    return syncOnce(repo, { ...deps, openIssues: undefined, head: err.head ?? deps.head });
  }
}

async function syncOnce(repo: Repo, deps: SyncDeps): Promise<SyncResult> {
  const { octokit } = deps;
  const base = { owner: repo.owner, repo: repo.repo };
  const result: SyncResult = {
    repo: `${repo.owner}/${repo.repo}`,
    status: 'synced',
    opened: [],
    updated: [],
    closed: [],
    handsOff: [],
    deferred: [],
    unchanged: [],
    refused: [],
    emptied: [],
    issues: {},
  };

  // The tree is asked for by branch name: a repository with nothing to do needs no head lookup.
  // The head commit is looked up only to write. A name with a slash (the tree endpoint takes the
  // name as one path segment) or one that looks like a SHA is resolved first.
  let at = deps.head;
  let files: GitHubProjectFiles;
  try {
    if (at === undefined && (repo.defaultBranch.includes('/') || isSha(repo.defaultBranch))) {
      const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...base, ref: `heads/${repo.defaultBranch}` });
      at = (ref.data as { object: { sha: string } }).object.sha;
    }
    files = new GitHubProjectFiles(octokit, repo.owner, repo.repo, at ?? repo.defaultBranch, deps.cache);
    await files.list();
  } catch (err) {
    // 409: an empty repository; 404: no such branch yet.
    if (status(err) === 409 || status(err) === 404) return { ...result, status: 'empty' };
    throw err;
  }

  let headCommit: Promise<string> | null = null;
  /**
   * The commit the tree was read at: where the bot's commits start. Asked for before the first
   * write of any kind, so that nothing is written on a tree the branch no longer has.
   */
  const head = (): Promise<string> =>
    (headCommit ??= (async () => {
      if (at !== undefined) return at;
      const res = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { ...base, branch: repo.defaultBranch });
      const branch = Branch.parse(res.data).commit;
      // The branch moved after its tree was read: a commit on the new head with the old tree would undo that push.
      if (branch.commit.tree.sha !== (await files.treeSha()))
        throw new Restart(`${repo.defaultBranch} moved while it was read`, branch.sha);
      return branch.sha;
    })());

  // The bot's open issues and pull requests. GitHub's open-issue count (issues and pull requests,
  // anyone's) of 0 says there are none, so they are not listed then, except before the bot opens an
  // issue (a count a moment old must not make a duplicate); a new pull request is checked per branch.
  const none: Ours = { prs: new Map(), issues: new Map() };
  let listing: Promise<Ours> | null = null;
  const listOurs = async (): Promise<Ours> => {
    const mine = await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
      ...base,
      state: 'open',
      creator: deps.botLogin,
      per_page: 100,
    });
    const out: Ours = { prs: new Map(), issues: new Map() };
    for (const item of mine) {
      if (item.pull_request) {
        const state = readPrState(item.body);
        if (state) out.prs.set(state.branch, { number: item.number, title: item.title, body: item.body ?? '', state });
      } else {
        const kind = readIssueKind(item.body);
        if (kind && !out.issues.has(kind)) out.issues.set(kind, { number: item.number, title: item.title, body: item.body ?? null });
      }
    }
    return out;
  };
  const skipList = deps.openIssues === 0;
  const ours = (opts: { beforeOpening?: boolean } = {}): Promise<Ours> =>
    skipList && !opts.beforeOpening ? Promise.resolve(none) : (listing ??= listOurs());

  let config: BotConfig;
  try {
    const listed = (await files.list()).find((e) => e.path === CONFIG_PATH);
    // Refused before it is fetched: the bot reads no more than it must.
    if (listed && listed.size > MAX_CONFIG_BYTES) throw new ConfigError(null, `the file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
    config = parseConfig(listed ? await files.read(CONFIG_PATH) : null);
    const named = configSource(config);
    if (named !== undefined && !deps.allowedMarketplace(named.url, named.kind)) {
      const key = named.kind === 'index' ? 'index-url' : 'marketplace-url';
      throw new ConfigError(
        key,
        `${named.url} is not ${named.kind === 'index' ? 'a package index' : 'a marketplace'} this bot is allowed to use (its operator sets FAPILOG_BOT_ALLOWED_MARKETPLACES)`,
      );
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    deps.log.warn(`${result.repo}: ${CONFIG_PATH}: ${err.message}`);
    const action = await keepIssue(
      octokit,
      repo,
      'invalid-config',
      (await ours({ beforeOpening: true })).issues.get('invalid-config'),
      configIssue(err),
      head,
    );
    if (action === 'opened') deps.onCreate?.();
    return { ...result, status: 'invalid-config', issues: { 'invalid-config': action } };
  }
  const { prs, issues } = await ours();
  const fixed = await keepIssue(octokit, repo, 'invalid-config', issues.get('invalid-config'), null, head);
  if (fixed !== 'unchanged') result.issues['invalid-config'] = fixed;
  if (!config.enabled) return { ...result, status: 'disabled' };

  if (await files.truncated())
    deps.log.warn(`${result.repo}: GitHub cut the tree short (too many files); manifests past the cut are not seen`);
  const named = configSource(config);
  const checked = await engine.check(files, deps.lookup(named?.url, named?.kind), {
    ignore: config.ignore,
    minimumReleaseAge: config['minimum-release-age'],
  });
  const report = checked.report;
  const wanted = await wantedPullRequests(checked, config);
  const has = {
    prs,
    heads: prs.size > 0 ? await branchHeads(octokit, repo) : new Map<string, string>(),
    pulls: new Map<string, BranchPulls>(),
    replanned: new Map<string, engine.Plan>(),
    unlisted: skipList,
  };
  const should = { wanted, limit: config['open-pull-requests-limit'] };
  // Decide, reading each fact the decision asks for, then carry the actions out in order.
  let decision = decideSync(has, should);
  while (!('actions' in decision)) {
    if ('restart' in decision) throw new Restart(decision.restart);
    const need = decision.need;
    if (need.kind === 'pulls') has.pulls.set(need.branch, await branchPulls(octokit, repo, need.branch));
    else
      has.replanned.set(need.branch, await engine.plan(checked, need.packages, config.strategy, wanted.get(need.branch)?.unit.environment));
    decision = decideSync(has, should);
  }
  await perform(decision.actions, { repo, deps, config, checked, files, head, result });

  /** One issue of a kind kept as `want` says (null: none; an open one is closed). */
  const keep = async (kind: IssueKind, want: { title: string; body: string } | null) => {
    const known = want === null ? issues : (await ours({ beforeOpening: true })).issues;
    const action = await keepIssue(octokit, repo, kind, known.get(kind), want, head);
    if (action === 'opened') deps.onCreate?.();
    if (action !== 'unchanged') result.issues[kind] = action;
  };
  const held = report.plugins.filter((p) => p.status === 'held-back');
  await keep(
    'fapilog-upgrade',
    config['propose-fapilog-upgrade'] && held.length > 0
      ? fapilogUpgradeIssue(dedupe(held), report.fapilog.version, engine.environments(report))
      : null,
  );
  // A deprecated plugin with an update gets the suggestion in its pull request; the others here.
  const proposed = new Set([...wanted.values()].flatMap((w) => w.packages));
  const deprecated = dedupe(report.plugins.filter((p) => p.deprecation !== undefined && !proposed.has(p.package)));
  await keep('deprecated', deprecated.length > 0 ? deprecatedIssue(deprecated) : null);
  return result;
}

/**
 * The pull requests the repository should have: one per unit whose plan changes a file (one that
 * only a lockfile would follow has nothing to commit), and with `fapilog-upgrade-pull-request`,
 * per environment, fapilog and the plugins it unlocks on one branch.
 */
async function wantedPullRequests(checked: engine.Checked, config: BotConfig): Promise<Map<string, Wanted>> {
  const report = checked.report;
  const several = engine.environments(report).length > 1;
  const wanted = new Map<string, Wanted>();
  for (const u of unitsOf(report.plugins, config, several).values()) {
    const plan = await engine.plan(checked, u.packages, config.strategy, u.unit.environment);
    const packages = [...new Set(plan.planned.map((p) => p.package))];
    if (plan.changes.length > 0 && packages.length > 0) {
      wanted.set(u.unit.branch, { unit: u.unit, packages, plan, security: isSecurityFix(plan.planned) });
    }
  }
  if (config['fapilog-upgrade-pull-request']) {
    for (const env of engine.environments(report)) {
      const plan = env.upgrade ? engine.planUpgrade(checked, env.dir, config.strategy) : null;
      if (!plan || plan.changes.length === 0) continue;
      const branch = `${BRANCH_PREFIX}fapilog-upgrade${several ? `--${branchSlug(env.dir)}` : ''}`;
      const unit: Unit = {
        key: 'fapilog-upgrade',
        group: true,
        branch,
        ...(several ? { environment: env.dir } : {}),
        coUpgrade: { fapilog: plan.fapilog, from: plan.fapilogFrom },
      };
      const packages = [...new Set(plan.planned.map((p) => p.package))];
      wanted.set(branch, { unit, packages, plan, security: isSecurityFix(plan.planned) });
    }
  }
  return wanted;
}

interface Performing {
  repo: Repo;
  deps: SyncDeps;
  config: BotConfig;
  checked: engine.Checked;
  files: GitHubProjectFiles;
  /** The default branch's head, checked against the tree read (awaited before the first write). */
  head: () => Promise<string>;
  result: SyncResult;
}

/** Carries out the decided actions, in order, and records each in the result. */
async function perform(actions: Action[], ctx: Performing): Promise<void> {
  const { repo, deps, config, checked, result } = ctx;
  const { octokit } = deps;
  const base = { owner: repo.owner, repo: repo.repo };
  const prefix = config['commit-message-prefix'];
  const treeSha = await ctx.files.treeSha();
  const modes = await ctx.files.modes();
  /** A commit of the plan on the default branch's head, the branch set to it, and the marker for it. */
  const commit = async (want: Wanted, plan: engine.Plan, exists: boolean) => {
    const parent = await ctx.head();
    const input = { unit: want.unit, plan, report: checked.report, plugins: checked.plugins, prefix };
    const sha = await createCommit(octokit, repo, {
      base: parent,
      baseTree: treeSha,
      changes: plan.changes,
      message: commitMessage(input),
      modes,
    });
    await setBranch(octokit, repo, want.unit.branch, sha, exists);
    const state: PrState = {
      v: 1,
      branch: want.unit.branch,
      plugins: targetsOf(plan),
      base: parent,
      head: sha,
      handsOff: null,
      closedByBot: false,
      ...(want.security ? { security: true } : {}),
    };
    const footer = pullRequestFooter(want.unit.branch, repo.defaultBranch);
    return { title: pullRequestTitle(input), body: pullRequestBody(input, { footer, trailer: prMarker(state) }) };
  };

  for (const a of actions) {
    switch (a.kind) {
      case 'close': {
        const reasons = obsoleteReasons(a.pr.state, checked.report.plugins, config, repo.defaultBranch);
        await ctx.head();
        await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...base,
          issue_number: a.pr.number,
          body: obsoleteComment(reasons),
        });
        await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
          ...base,
          pull_number: a.pr.number,
          state: 'closed',
          body: withPrState(a.pr.body, { ...a.pr.state, closedByBot: true }),
        });
        if (a.branchExists) await deleteBranch(octokit, repo, a.branch);
        break;
      }
      case 'leave':
        if (a.pr === null) deps.log.warn(`${result.repo}: ${a.branch} has an open pull request the bot did not open; left alone`);
        else if (a.tell !== null) {
          await ctx.head();
          await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...base,
            issue_number: a.pr.number,
            body: handsOffComment(a.branch, a.tell, a.pr.state.head),
          });
          await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
            ...base,
            pull_number: a.pr.number,
            body: withPrState(a.pr.body, { ...a.pr.state, handsOff: a.tell }),
          });
        }
        break;
      case 'update': {
        const text = await commit(a.want, a.want.plan, a.branchExists);
        await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...base, pull_number: a.pr.number, ...text });
        if ((a.pr.state.security ?? false) !== a.want.security) await relabel(octokit, repo, a.pr.number, a.want.security);
        break;
      }
      case 'open': {
        const text = await commit(a.want, a.plan, false);
        const pr = await octokit.request('POST /repos/{owner}/{repo}/pulls', {
          ...base,
          ...text,
          head: a.branch,
          base: repo.defaultBranch,
        });
        deps.onCreate?.();
        await dressPullRequest(octokit, repo, pr.data.number, config, a.want.security);
        break;
      }
    }
    result[RESULT_FIELD[a.kind]].push(a.branch);
  }
}

/** Where each action is recorded in the sync's result. */
const RESULT_FIELD = {
  close: 'closed',
  leave: 'handsOff',
  update: 'updated',
  open: 'opened',
  unchanged: 'unchanged',
  defer: 'deferred',
  refused: 'refused',
  emptied: 'emptied',
} as const satisfies Record<Action['kind'], keyof SyncResult>;

/** The label of a security pull request, beside the config's. */
const SECURITY_LABEL = 'security';

/** The security label on (an advisory came out) or off (it went away) an open pull request; the others stay. */
async function relabel(octokit: Octokit, repo: Repo, number: number, security: boolean): Promise<void> {
  const base = { owner: repo.owner, repo: repo.repo, issue_number: number };
  if (security) await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...base, labels: [SECURITY_LABEL] });
  else {
    await octokit
      .request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...base, name: SECURITY_LABEL })
      .catch((err: unknown) => {
        // Someone removed it already.
        if ((err as { status?: number }).status !== 404) throw err;
      });
  }
}

/** The config's labels, assignees and reviewers on a new pull request. */
async function dressPullRequest(octokit: Octokit, repo: Repo, number: number, config: BotConfig, security: boolean): Promise<void> {
  const base = { owner: repo.owner, repo: repo.repo };
  const labels = [...new Set([...config.labels, ...(security ? [SECURITY_LABEL] : [])])];
  if (labels.length > 0 || config.assignees.length > 0) {
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...base,
      issue_number: number,
      ...(labels.length > 0 ? { labels } : {}),
      ...(config.assignees.length > 0 ? { assignees: config.assignees } : {}),
    });
  }
  if (config.reviewers.length > 0) {
    const teams = config.reviewers.filter((r) => r.includes('/')).map((r) => r.split('/')[1]!);
    const users = config.reviewers.filter((r) => !r.includes('/'));
    await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
      ...base,
      pull_number: number,
      ...(users.length > 0 ? { reviewers: users } : {}),
      ...(teams.length > 0 ? { team_reviewers: teams } : {}),
    });
  }
}

interface UnitPlan {
  unit: Unit;
  packages: string[];
}

/**
 * Updatable plugins by pull request: a named group, or the package alone; in a repository of
 * several environments, one per environment too (each service's pull request moves its own
 * requirements to what its own fapilog runs), on `fapilog-plugins/<key>--<environment>`.
 */
function unitsOf(plugins: PluginEntry[], config: BotConfig, several: boolean): Map<string, UnitPlan> {
  const groupOf = new Map<string, string>();
  for (const [group, members] of Object.entries(config.groups)) for (const m of members) groupOf.set(packageName(m), group);
  const units = new Map<string, UnitPlan>();
  for (const p of plugins) {
    if (!engine.updatable(p)) continue;
    const group = groupOf.get(p.package);
    const key = group ?? p.package;
    const environment = several ? engine.environmentOf(p) : undefined;
    const branch = `${BRANCH_PREFIX}${key}${environment !== undefined ? `--${environment.split(',').map(branchSlug).join('+')}` : ''}`;
    const unit = units.get(branch) ?? {
      unit: { key, group: group !== undefined, branch, ...(environment !== undefined ? { environment } : {}) },
      packages: [],
    };
    if (!unit.packages.includes(p.package)) unit.packages.push(p.package);
    units.set(branch, unit);
  }
  return units;
}

/** An environment's directory as part of a branch name: `services/api` -> `services-api`, the root -> `root`. */
function branchSlug(dir: string): string {
  return dir === '.'
    ? 'root'
    : dir
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[-.]+|[-.]+$/g, '')
        .replace(/\.{2,}/g, '.') || 'root';
}

function dedupe(entries: PluginEntry[]): PluginEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => (seen.has(e.package) ? false : (seen.add(e.package), true)));
}

/** Why a pull request of ours is no longer wanted, one line per plugin in it. */
function obsoleteReasons(state: PrState, plugins: PluginEntry[], config: BotConfig, defaultBranch: string): string[] {
  const ignored = new Set(config.ignore.map(packageName));
  return Object.entries(state.plugins).map(([pkg, target]) => {
    const entries = plugins.filter((p) => p.package === pkg);
    const name = code(pkg);
    if (ignored.has(pkg)) return `${name} is ignored in ${code(CONFIG_PATH)}.`;
    if (entries.length === 0) return `${name} is no longer a dependency on ${code(defaultBranch)}.`;
    const e = entries[0]!;
    if ((e.current !== null && engine.sameVersion(e.current, target)) || e.status === 'up-to-date')
      return `${name} is already at ${code(e.current ?? target)} on ${code(defaultBranch)}.`;
    if (e.latestCompatible === null)
      return `${name}: no release works with fapilog ${code(e.currentCompatibility ?? '?')} any more (${text(e.note)}).`;
    return `${name}: ${text(e.note)}`;
  });
}

/** Our branches and their heads: one request for all of them. */
async function branchHeads(octokit: Octokit, repo: Repo): Promise<Map<string, string>> {
  const refs = await octokit.paginate('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
    owner: repo.owner,
    repo: repo.repo,
    ref: `heads/${BRANCH_PREFIX}`,
    per_page: 100,
  });
  const out = new Map<string, string>();
  for (const r of refs as Array<{ ref: string; object: { sha: string } }>) out.set(r.ref.replace(/^refs\/heads\//, ''), r.object.sha);
  return out;
}

/**
 * The pull requests on one of our branches, in one request: `package@version` that a person
 * refused (our closed, unmerged pull requests there that the bot did not close itself), and
 * whether one is open.
 */
async function branchPulls(octokit: Octokit, repo: Repo, branch: string): Promise<{ refused: Set<string>; open: boolean }> {
  const all = await octokit.paginate('GET /repos/{owner}/{repo}/pulls', {
    owner: repo.owner,
    repo: repo.repo,
    state: 'all',
    head: `${repo.owner}:${branch}`,
    per_page: 100,
  });
  const refused = new Set<string>();
  let open = false;
  for (const pr of all) {
    if (pr.state === 'open') {
      open = true;
      continue;
    }
    if (pr.merged_at) continue;
    const state = readPrState(pr.body);
    if (!state || state.closedByBot || state.branch !== branch) continue;
    for (const [pkg, version] of Object.entries(state.plugins)) refused.add(`${pkg}@${version}`);
  }
  return { refused, open };
}
