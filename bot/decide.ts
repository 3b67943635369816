/**
 * The sync's decision, a pure function: what the repository has (the bot's open pull requests,
 * its branches' heads, what a person pushed or refused) and what it should have (one plan per
 * pull request, the open-PR limit) become named actions, in the order they are to be carried out.
 * repository.ts reads the first and performs the second; tests call this without any GitHub.
 *
 * Some facts cost a request and matter only for a pull request about to be opened (the branch's
 * past pull requests: refusals, one opened by someone else), and a plan a refusal shrinks has to be
 * made again: `decideSync` then asks for that one fact (`need`) and is called again with it, so
 * exactly the requests the decision depends on are made, one at a time, in branch order.
 *
 * Security pull requests (a plan that moves off a release a security advisory affects) come first
 * and stand outside the open-PR limit: they are opened even when it is reached, and do not count.
 * An open pull request becomes one when an advisory comes out against what it moves off.
 */
import type { PullRequestUnit } from '../src/core/render/pull-request.ts';
import type { Plan } from './engine.ts';
import type { PrState } from './marker.ts';

/** A pull request unit on its branch. */
export interface Unit extends PullRequestUnit {
  branch: string;
}

/** An open pull request of the bot's, found by the marker in its body. */
export interface OurPr {
  number: number;
  title: string;
  body: string;
  state: PrState;
}

/** A pull request the repository should have: its unit, the packages it moves, the plan. */
export interface Wanted {
  unit: Unit;
  packages: string[];
  plan: Plan;
  /** It moves off a release a security advisory affects. */
  security: boolean;
}

/** A branch's pull requests: `package@version` a person closed unmerged, and whether one is open. */
export interface BranchPulls {
  refused: ReadonlySet<string>;
  open: boolean;
}

export interface Has {
  /** The bot's open pull requests by branch. */
  prs: ReadonlyMap<string, OurPr>;
  /** The heads of the bot's branches (`fapilog-plugins/...`). */
  heads: ReadonlyMap<string, string>;
  /** Per branch, once read (see `need`). */
  pulls: ReadonlyMap<string, BranchPulls>;
  /** Per branch, the plan made again without the refused packages (see `need`). */
  replanned: ReadonlyMap<string, Plan>;
  /** The bot's open pull requests were not listed (GitHub's open-issue count said there were none). */
  unlisted: boolean;
}

export interface Should {
  wanted: ReadonlyMap<string, Wanted>;
  /** Most of the bot's pull requests open at once (`open-pull-requests-limit`). */
  limit: number;
}

export type Action =
  /** No longer needed: comment why, close, delete the branch (if it is still there). */
  | { kind: 'close'; branch: string; pr: OurPr; branchExists: boolean }
  /**
   * A person's: someone pushed to the branch (`pr`: ours; `tell`: the head to say so about, once),
   * or a pull request the bot did not open is open on it (`pr` null).
   */
  | { kind: 'leave'; branch: string; pr: OurPr | null; tell: string | null }
  /**
   * A new plan for an open pull request: a new commit on its branch, a new title and body; also when
   * only its security changed (an advisory came out against the release it moves off, or went away).
   */
  | { kind: 'update'; branch: string; pr: OurPr; want: Wanted; branchExists: boolean }
  /** Open and already moving to these targets: nothing to write. */
  | { kind: 'unchanged'; branch: string }
  | { kind: 'open'; branch: string; want: Wanted; plan: Plan }
  /** Not opened: the open-PR limit is reached. */
  | { kind: 'defer'; branch: string }
  /** Not opened: a person closed a pull request for these versions unmerged (`package@version`). */
  | { kind: 'refused'; branch: string; versions: string[] }
  /** Not opened: without the refused packages the plan changes no file. */
  | { kind: 'emptied'; branch: string };

export type Need = { kind: 'pulls'; branch: string } | { kind: 'replan'; branch: string; packages: string[] };

export type Decision =
  | { actions: Action[] }
  /** One more fact to read before deciding. */
  | { need: Need }
  /** What was read does not hold: the sync starts over, reading everything. */
  | { restart: string };

const byBranch = <T>(m: ReadonlyMap<string, T>): Array<[string, T]> => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function decideSync(has: Has, should: Should): Decision {
  const actions: Action[] = [];
  // Closing first: a closed pull request frees a place under the limit.
  let open = 0;
  for (const [branch, pr] of byBranch(has.prs)) {
    const current = has.heads.get(branch);
    const counts = pr.state.security ? 0 : 1;
    if (should.wanted.has(branch)) open += counts;
    // A person's commits are theirs: a pull request someone pushed to is never closed by the bot.
    else if (current !== undefined && current !== pr.state.head) {
      actions.push({ kind: 'leave', branch, pr, tell: null });
      open += counts;
    } else actions.push({ kind: 'close', branch, pr, branchExists: current !== undefined });
  }

  const wanted = byBranch(should.wanted).sort(([, a], [, b]) => Number(b.security) - Number(a.security));
  for (const [branch, want] of wanted) {
    const existing = has.prs.get(branch);
    if (existing) {
      const current = has.heads.get(branch);
      if (current !== undefined && current !== existing.state.head) {
        actions.push({ kind: 'leave', branch, pr: existing, tell: existing.state.handsOff === current ? null : current });
      } else if (sameTargets(existing.state.plugins, want.plan) && (existing.state.security ?? false) === want.security) {
        actions.push({ kind: 'unchanged', branch });
      } else actions.push({ kind: 'update', branch, pr: existing, want, branchExists: current !== undefined });
      continue;
    }
    if (!want.security && open >= should.limit) {
      actions.push({ kind: 'defer', branch });
      continue;
    }
    const pulls = has.pulls.get(branch);
    if (!pulls) return { need: { kind: 'pulls', branch } };
    if (pulls.open) {
      // Not among the bot's open pull requests as listed: the count was a moment old, or someone else's.
      if (has.unlisted) return { restart: `an open pull request on ${branch} that the open-issue count did not show` };
      actions.push({ kind: 'leave', branch, pr: null, tell: null });
      continue;
    }
    const refused = want.plan.planned
      .filter((x) => want.packages.includes(x.package) && pulls.refused.has(`${x.package}@${x.target}`))
      .map((x) => `${x.package}@${x.target}`);
    const allowed = want.packages.filter((p) => !refused.some((r) => r.startsWith(`${p}@`)));
    // A co-upgrade is whole or not at all: its plugins need the fapilog it moves to.
    if (allowed.length === 0 || (want.unit.coUpgrade && allowed.length < want.packages.length)) {
      actions.push({ kind: 'refused', branch, versions: [...new Set(refused)] });
      continue;
    }
    let plan = want.plan;
    if (allowed.length < want.packages.length) {
      const again = has.replanned.get(branch);
      if (!again) return { need: { kind: 'replan', branch, packages: allowed } };
      plan = again;
    }
    if (plan.changes.length === 0) {
      actions.push({ kind: 'emptied', branch });
      continue;
    }
    actions.push({ kind: 'open', branch, want, plan });
    if (!want.security) open += 1;
  }
  return { actions };
}

/** package -> target, as the pull request marker records it. */
export function targetsOf(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...plan.planned].sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0))) out[p.package] = p.target;
  return out;
}

function sameTargets(a: Record<string, string>, plan: Plan): boolean {
  const b = targetsOf(plan);
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
