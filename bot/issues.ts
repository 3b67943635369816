/**
 * Issues the bot keeps: at most one open per kind and repository (found by its marker among the
 * bot's open issues), updated in place when its text changes, closed when it no longer applies,
 * and left untouched when nothing changed (no write).
 */
import { clip, code, quietText as text } from '../src/core/render/markdown.ts';
import { issueMarker, type IssueKind } from './marker.ts';
import type { Octokit } from './octokit.ts';
import type { Repo } from './writer.ts';
import { CONFIG_PATH, type ConfigError } from './config.ts';
import type { ReportUpgrade } from '../src/core/analysis/report.ts';
import { upgradeSentence } from './engine.ts';

export interface OpenIssue {
  number: number;
  title: string;
  body: string | null;
}

export type IssueAction = 'opened' | 'updated' | 'closed' | 'unchanged';

export async function keepIssue(
  octokit: Octokit,
  repo: Repo,
  kind: IssueKind,
  existing: OpenIssue | undefined,
  want: { title: string; body: string } | null,
  /** Awaited before a write (the sync checks that its tree is still the branch's). */
  beforeWrite: () => Promise<unknown> = async () => undefined,
): Promise<IssueAction> {
  const base = { owner: repo.owner, repo: repo.repo };
  if (want === null) {
    if (!existing) return 'unchanged';
    await beforeWrite();
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...base,
      issue_number: existing.number,
      state: 'closed',
      state_reason: 'completed',
    });
    return 'closed';
  }
  const body = `${want.body}\n\n${issueMarker(kind)}`;
  if (!existing) {
    await beforeWrite();
    await octokit.request('POST /repos/{owner}/{repo}/issues', { ...base, title: want.title, body });
    return 'opened';
  }
  if (existing.title === want.title && existing.body === body) return 'unchanged';
  await beforeWrite();
  await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    ...base,
    issue_number: existing.number,
    title: want.title,
    body,
  });
  return 'updated';
}

/** The text depends on the error only, so an unchanged error never rewrites the issue. */
export function configIssue(error: ConfigError): { title: string; body: string } {
  return {
    title: `fapilog-plugins: ${CONFIG_PATH} is invalid`,
    body: [
      `fapilog-plugins cannot read ${code(CONFIG_PATH)} on the default branch, so it skips this repository until the file is fixed.`,
      '',
      `- **Key:** ${error.key === null ? 'the whole file' : code(error.key)}`,
      `- **Reason:** ${text(clip(error.message.slice(error.key === null ? 0 : error.key.length + 2), 500))}`,
      '',
      "Every key is described in the bot's documentation (docs/bot.md). This issue is closed by the bot once the file reads correctly.",
    ].join('\n'),
  };
}

export function fapilogUpgradeIssue(
  held: Array<{ package: string; current: string | null; latest: string | null; requiresFapilog: string | null }>,
  fapilog: string | null,
  environments: ReadonlyArray<{ dir: string; fapilog: { version: string | null }; upgrade: ReportUpgrade | null }> = [],
): { title: string; body: string } {
  const need = held.map((h) => h.requiresFapilog).filter((v): v is string => v !== null);
  if (environments.length > 1) {
    // Each environment runs its own fapilog: one line each, saying what its upgrade unlocks.
    return {
      title: 'fapilog-plugins: a fapilog upgrade would unlock newer plugin releases',
      body: [
        'Some plugins are on their newest release that works with the fapilog of their environment; their newer releases need a newer fapilog:',
        '',
        ...environments
          .filter((e) => e.upgrade !== null)
          .map(
            (e) =>
              `- ${code(e.dir)} (fapilog ${code(e.fapilog.version ?? 'unknown')}): ${text(upgradeSentence(e.upgrade as ReportUpgrade))}`,
          ),
        '',
        'This issue closes itself when no plugin is held back.',
      ].join('\n'),
    };
  }
  return {
    title: 'fapilog-plugins: a fapilog upgrade would unlock newer plugin releases',
    body: [
      `These plugins are on their newest release that works with this repository's fapilog ${fapilog ? code(fapilog) : '(unknown)'}; their newer releases need a newer fapilog:`,
      '',
      '| Plugin | Current | Newest | Needs fapilog |',
      '| --- | --- | --- | --- |',
      ...held.map(
        (h) => `| ${text(h.package)} | ${text(h.current ?? '—')} | ${text(h.latest ?? '—')} | ${text(h.requiresFapilog ?? '—')} |`,
      ),
      '',
      need.length > 0
        ? `Upgrading fapilog (to satisfy ${need.map((v) => code(v)).join(', ')}) lets the bot propose them. This issue closes itself when no plugin is held back.`
        : '',
    ].join('\n'),
  };
}
