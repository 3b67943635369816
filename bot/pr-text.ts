/**
 * Pull-request and comment text. Every value that comes from the marketplace or the repository
 * (names, versions, specifiers, descriptions, paths, URLs) goes through markdown.ts, so it shows
 * as text and never as markup, a mention or a link it did not ask to be.
 */
import type { Report } from '../src/core/analysis/report.ts';
import type { BatchEntry } from '../src/core/marketplace/schemas.ts';
import { sameVersion, type PlannedUpdate, type Plan } from './engine.ts';
import { cell, code, lineText, link, text } from './markdown.ts';
import { prMarker, type PrState } from './marker.ts';

/** GitHub refuses bodies over 65,536 characters; the marker must survive any cut. */
const MAX_BODY = 60_000;

export interface Unit {
  /** Package name (`fapilog-loki`) or group name. */
  key: string;
  group: boolean;
  branch: string;
  /**
   * In a repository of several environments: the one whose requirements this pull request moves
   * (its directory; comma-joined for a file several share). Absent in a one-environment repository.
   */
  environment?: string | undefined;
  /** fapilog and the plugins it unlocks, moved together (`fapilog-upgrade-pull-request`). */
  coUpgrade?: { fapilog: string; from: string | null } | undefined;
}

/** `fapilog-loki 1.4.0` / `fapilog-loki, fapilog-otel` with the targets. */
function targets(plan: Plan): Array<{ package: string; target: string; items: PlannedUpdate[] }> {
  const out = new Map<string, { package: string; target: string; items: PlannedUpdate[] }>();
  for (const p of plan.planned) {
    const t = out.get(p.package) ?? { package: p.package, target: p.target, items: [] };
    t.items.push(p);
    out.set(p.package, t);
  }
  return [...out.values()].sort((a, b) => a.package.localeCompare(b.package));
}

/** Titles and commit subjects are one plain line: no control characters, a bounded length. */
function plain(s: string, max = 250): string {
  // eslint-disable-next-line no-control-regex
  const one = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

export function prTitle(unit: Unit, plan: Plan, prefix: string): string {
  const t = targets(plan);
  const lead = prefix ? `${prefix} ` : '';
  const where = unit.environment !== undefined ? ` in ${unit.environment}` : '';
  if (unit.coUpgrade) {
    const list = t
      .filter((x) => x.package !== 'fapilog')
      .map((x) => `${x.package} ${x.target}`)
      .join(', ');
    return plain(`${lead}Update fapilog to ${unit.coUpgrade.fapilog}${list ? ` with ${list}` : ''}${where}`);
  }
  if (!unit.group && t.length === 1) return plain(`${lead}Update ${t[0]!.package} to ${t[0]!.target}${where}`);
  if (!unit.group && t.length === 1) return plain(`${lead}Update ${t[0]!.package} to ${t[0]!.target}`);
  const list = t.map((x) => `${x.package} ${x.target}`).join(', ');
  return plain(`${lead}Update fapilog plugins (${unit.key}): ${list}${where}`);
}

export function commitMessage(unit: Unit, plan: Plan, prefix: string): string {
  const title = prTitle(unit, plan, prefix);
  const lines = targets(plan).flatMap((t) => t.items.map((i) => `- ${t.package}: ${i.from || '(any)'} -> ${i.to} in ${i.file}:${i.line}`));
  return `${title}\n\n${[...new Set(lines)].join('\n')}\n`;
}

/** The fapilog a unit's targets were chosen for: its environment's (the first, for a shared file). */
function fapilogOf(report: Report, unit: Unit): Report['fapilog'] {
  const dir = unit.environment?.split(',')[0];
  return (dir !== undefined ? report.environments?.find((e) => e.dir === dir)?.fapilog : undefined) ?? report.fapilog;
}

function fapilogWhere(report: Report, unit: Unit): string {
  const dirs = unit.environment?.split(',') ?? [];
  if (dirs.length > 1) {
    return dirs.map((d) => `${report.environments?.find((e) => e.dir === d)?.fapilog.version ?? 'unknown'} (${d})`).join(' and ');
  }
  const f = fapilogOf(report, unit);
  if (f.version === null) return 'unknown';
  const from = f.from ? ` (${f.source}, ${f.from})` : ` (${f.source})`;
  return `${f.version}${from}`;
}

function releaseOf(entry: BatchEntry | null | undefined, version: string) {
  return entry?.releases.find((r) => sameVersion(r.version, version)) ?? null;
}

export function prBody(opts: {
  unit: Unit;
  plan: Plan;
  report: Report;
  plugins: Record<string, BatchEntry | null>;
  state: PrState;
  defaultBranch: string;
}): string {
  const { plan, report } = opts;
  const lines: string[] = [];
  const t = targets(plan);
  const unit = opts.unit;
  const env = unit.environment !== undefined ? ` in ${code(unit.environment)}` : '';
  const plugins = t.filter((x) => !(unit.coUpgrade && x.package === 'fapilog'));
  if (unit.coUpgrade) {
    lines.push(
      `This pull request moves **fapilog** from ${text(unit.coUpgrade.from ?? 'unknown')} to **${text(unit.coUpgrade.fapilog)}**${env}, the lowest fapilog release that unlocks the plugins held back by it, and moves ${plugins.map((x) => `**${text(x.package)}** to **${text(x.target)}**`).join(', ')} with it. Merge it whole: the plugins' new releases need that fapilog.`,
      '',
    );
  } else {
    lines.push(
      `This pull request moves ${t.map((x) => `**${text(x.package)}** to **${text(x.target)}**`).join(', ')}${env}: the newest ${t.length === 1 ? 'release' : 'releases'} that ${t.length === 1 ? 'works' : 'work'} with ${unit.environment !== undefined ? 'its' : "this repository's"} fapilog ${text(fapilogWhere(report, unit))}.`,
      '',
    );
  }
  const projectFapilog = unit.coUpgrade ? unit.coUpgrade.fapilog : fapilogOf(report, unit).version;
  lines.push(
    "| Plugin | File | From | To | Release's fapilog compatibility | Project's fapilog |",
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const x of plugins) {
    const release = releaseOf(opts.plugins[x.package], x.target);
    for (const i of x.items) {
      const from = `${i.current ?? '?'}${i.from ? ` (${i.from})` : ''}`;
      const to = `${i.target}${i.to ? ` (${i.to})` : ''}`;
      lines.push(
        `| ${cell(x.package)} | ${cell(`${i.file}:${i.line}`)} | ${cell(from)} | ${cell(to)} | ${cell(release?.fapilog_compatibility ?? null)} | ${cell(projectFapilog)} |`,
      );
    }
  }
  lines.push('');

  if (unit.coUpgrade) {
    const moved = t.find((x) => x.package === 'fapilog');
    for (const i of moved?.items ?? [])
      lines.push(`- ${code('fapilog')} in ${cell(`${i.file}:${i.line}`)}: ${code(i.from || '(any)')} → ${code(i.to)}`);
    if (!moved)
      lines.push(`- The specifiers of ${code('fapilog')} already admit ${text(unit.coUpgrade.fapilog)}: only the lockfile moves.`);
    lines.push('');
  }
  for (const x of plugins) {
    const entry = opts.plugins[x.package];
    const release = releaseOf(entry, x.target);
    lines.push(`### ${text(x.package)} ${text(x.target)}`, '');
    const summary = entry?.plugin.description ?? '';
    if (summary) lines.push(`> ${lineText(summary, 500)}`, '');
    // Why it moves, in the analysis's words (a yanked or incompatible pin says what is wrong with it).
    const why = report.plugins.find(
      (p) => p.package === x.package && (unit.environment === undefined || (p.environments ?? ['.']).join(',') === unit.environment),
    );
    if (why) lines.push(`**Why:** ${text(why.note, 500)}`, '');
    const facts: string[] = [];
    if (release?.published_at) facts.push(`published ${text(release.published_at.slice(0, 10))}`);
    if (release?.requires_python) facts.push(`Python ${text(release.requires_python)}`);
    const home = entry?.plugin.homepage ?? entry?.plugin.repository ?? null;
    if (home) facts.push(link('project page', home));
    facts.push(
      link(
        'release in the marketplace',
        `${marketplaceApi(report)}/plugins/${encodeURIComponent(x.package)}/versions/${encodeURIComponent(x.target)}`,
      ),
    );
    lines.push(facts.join(' · '), '');
  }

  if (plan.lock.length > 0) {
    lines.push(
      '### Lockfile',
      '',
      'This repository has a lockfile, which the bot does not edit. Refresh it on this branch before merging:',
      '',
    );
    for (const l of plan.lock) lines.push(`- ${code(l.lockfile)}: ${code(l.command)}`);
    lines.push('');
  }

  lines.push(
    '---',
    `Made by fapilog-plugins. The bot keeps this pull request current while nobody else pushes to ${code(opts.unit.branch)}; it closes it when ${code(opts.defaultBranch)} no longer needs it. Closing it unmerged means these versions will not be proposed again (a newer release still will).`,
  );
  let body = lines.join('\n');
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY)}\n\n…(cut)`;
  return `${body}\n\n${prMarker(opts.state)}`;
}

export function handsOffComment(branch: string, head: string, ours: string): string {
  return [
    `Someone pushed ${code(head.slice(0, 7))} to ${code(branch)}, so fapilog-plugins leaves this pull request alone from now on: no more updates, and no more comments about it.`,
    '',
    `To hand it back to the bot, reset the branch to its commit ${code(ours.slice(0, 7))} (or delete the branch; the bot then proposes the update afresh).`,
  ].join('\n');
}

export function refusedComment(state: PrState): string {
  const list = Object.entries(state.plugins)
    .map(([p, v]) => `${code(p)} ${code(v)}`)
    .join(', ');
  return [
    `Closed without merging, so fapilog-plugins will not propose ${list} again in this repository. A newer release is still proposed when one appears.`,
    '',
    'To undo, reopen this pull request: the bot then keeps it current again.',
  ].join('\n');
}

export function obsoleteComment(reasons: string[]): string {
  return [`fapilog-plugins closes this pull request: it is no longer needed.`, '', ...reasons.map((r) => `- ${r}`)].join('\n');
}

function marketplaceApi(report: Report): string {
  return report.marketplace.url.replace(/\/+$/, '');
}
