/**
 * What the bot says on its own pull requests as their life goes on: it leaves one to the person
 * who pushed to it, a person refused one, one is no longer needed. Values from the repository are
 * escaped by the core's Markdown (src/core/render/markdown.ts), as in every text the bot writes.
 */
import { code } from '../src/core/render/markdown.ts';
import type { PrState } from './marker.ts';

export function handsOffComment(branch: string, head: string, ours: string): string {
  return [
    `Someone pushed ${code(head.slice(0, 7))} to ${code(branch)}, so fapilog-plugins leaves this pull request alone from now on: ` +
      'no more updates, and no more comments about it.',
    '',
    `To hand it back to the bot, reset the branch to its commit ${code(ours.slice(0, 7))} ` +
      '(or delete the branch; the bot then proposes the update afresh).',
  ].join('\n');
}

export function refusedComment(state: PrState): string {
  const list = Object.entries(state.plugins)
    .map(([p, v]) => `${code(p)} ${code(v)}`)
    .join(', ');
  return [
    `Closed without merging, so fapilog-plugins will not propose ${list} again in this repository. ` +
      'A newer release is still proposed when one appears.',
    '',
    'To undo, reopen this pull request: the bot then keeps it current again.',
  ].join('\n');
}

/** `reasons` are Markdown already (obsoleteReasons escapes what it quotes). */
export function obsoleteComment(reasons: string[]): string {
  return [`fapilog-plugins closes this pull request: it is no longer needed.`, '', ...reasons.map((r) => `- ${r}`)].join('\n');
}

/** The pull request body's last words: how the bot treats it. */
export function pullRequestFooter(branch: string, defaultBranch: string): string {
  return (
    `Made by fapilog-plugins. The bot keeps this pull request current while nobody else pushes to ${code(branch)}; ` +
    `it closes it when ${code(defaultBranch)} no longer needs it. ` +
    'Closing it unmerged means these versions will not be proposed again (a newer release still will).'
  );
}
