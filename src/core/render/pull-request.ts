/**
 * A set of planned changes as a pull request: its title, its commit message and its body (the bot
 * opens it; any front end that proposes changes on GitHub renders them here). It decides nothing:
 * what moves and why comes from the plan and the report. Every value from the marketplace or the
 * repository (names, versions, specifiers, descriptions, notes, paths, URLs) is escaped by
 * markdown.ts as text GitHub does not turn into markup, a link, a mention or a reference; the
 * body stays within GitHub's 65,536 characters with its trailer (the bot's marker) kept whole.
 */
import type { PluginEntry, Report } from '../analysis/report.ts';
import { publisherWarning } from '../analysis/publisher.ts';
import { advisoryList } from '../analysis/statuses.ts';
import type { BatchEntry } from '../marketplace/schemas.ts';
import { sameVersion } from '../pep440/index.ts';
import type { LockPlan, PlannedChange } from '../project/plan-update.ts';
import { singleLine } from './escape.ts';
import { fitMarkdown, GITHUB_LIMITS } from './github-limits.ts';
import { clip, code, linkUrl, quietCell, quietText } from './markdown.ts';
import { calloutLines } from './summary.ts';

/** What one pull request is about: a plugin, or a named group, in one environment or all. */
export interface PullRequestUnit {
  /** Package name (`fapilog-loki`) or group name. */
  key: string;
  group: boolean;
  /**
   * In a repository of several environments: the one whose requirements this pull request moves
   * (its directory; comma-joined for a file several share). Absent in a one-environment repository.
   */
  environment?: string | undefined;
  /** fapilog and the plugins it unlocks, moved together. */
  coUpgrade?: { fapilog: string; from: string | null } | undefined;
}

export interface PullRequestInput {
  unit: PullRequestUnit;
  plan: { planned: readonly PlannedChange[]; lock: readonly LockPlan[] };
  report: Report;
  /** Marketplace answers by package name: release summaries, dates and links. */
  plugins?: Readonly<Record<string, BatchEntry | null>> | undefined;
  /** Put before the title and the commit subject (`chore(deps):`). */
  prefix?: string | undefined;
}

/** GitHub shows at most 256 characters of a title. */
const MAX_TITLE = 250;

/** Untrusted running text, cut to `max` characters. */
const say = (s: string, max = 300): string => quietText(clip(s, max));
/** An untrusted table cell, `—` for nothing. */
const cellOf = (s: string | null): string => quietCell(s === null ? null : clip(s, 300));
/** Untrusted inline code. */
const codeOf = (s: string, max = 200): string => code(clip(s, max));

interface Target {
  package: string;
  target: string;
  items: PlannedChange[];
}

/** The plan's plugins with their targets, by name. */
function targets(planned: readonly PlannedChange[]): Target[] {
  const out = new Map<string, Target>();
  for (const p of planned) {
    const t = out.get(p.package) ?? { package: p.package, target: p.target, items: [] };
    t.items.push(p);
    out.set(p.package, t);
  }
  return [...out.values()].sort((a, b) => (a.package < b.package ? -1 : a.package > b.package ? 1 : 0));
}

/** Titles and commit subjects are one plain line (controls made visible) of bounded length. */
function plain(s: string): string {
  return clip(singleLine(s).trim(), MAX_TITLE);
}

/**
 * `Update fapilog-loki to 1.4.0`, `Update fapilog plugins (observability): fapilog-loki 1.4.0, ...`,
 * `Update fapilog to 0.18.1 with fapilog-kafka 3.1.0`, each with ` in <environment>` when it has one.
 */
export function pullRequestTitle(input: PullRequestInput): string {
  const title = baseTitle(input);
  // Last, so that a prefix and the words stay as configured.
  return isSecurityFix(input.plan.planned) ? plain(`${clip(title, MAX_TITLE - 11)} [security]`) : title;
}

/**
 * Does this plan move a plugin off a release a security advisory affects (status `vulnerable`)?
 * Such a pull request is a security fix: titled and labelled so, and proposed before any other.
 */
export function isSecurityFix(planned: readonly PlannedChange[]): boolean {
  return planned.some((c) => c.status === 'vulnerable');
}

function baseTitle(input: PullRequestInput): string {
  const { unit } = input;
  const t = targets(input.plan.planned);
  const lead = input.prefix ? `${input.prefix} ` : '';
  const where = unit.environment !== undefined ? ` in ${unit.environment}` : '';
  if (unit.coUpgrade) {
    const list = t
      .filter((x) => x.package !== 'fapilog')
      .map((x) => `${x.package} ${x.target}`)
      .join(', ');
    return plain(`${lead}Update fapilog to ${unit.coUpgrade.fapilog}${list ? ` with ${list}` : ''}${where}`);
  }
  if (!unit.group && t.length === 1) return plain(`${lead}Update ${t[0]!.package} to ${t[0]!.target}${where}`);
  const list = t.map((x) => `${x.package} ${x.target}`).join(', ');
  return plain(`${lead}Update fapilog plugins (${unit.key}): ${list}${where}`);
}

/** The title, then one line per edited requirement (plain text: a commit message is not Markdown). */
export function commitMessage(input: PullRequestInput): string {
  const lines = targets(input.plan.planned).flatMap((t) =>
    t.items.map((i) => singleLine(`- ${t.package}: ${i.from || '(any)'} -> ${i.to} in ${i.file}:${i.line}`)),
  );
  return `${pullRequestTitle(input)}\n\n${[...new Set(lines)].join('\n')}\n`;
}

/** The fapilog a unit's targets were chosen for: its environment's (the first, for a shared file). */
function fapilogOf(report: Report, unit: PullRequestUnit): Report['fapilog'] {
  const dir = unit.environment?.split(',')[0];
  return (dir !== undefined ? report.environments?.find((e) => e.dir === dir)?.fapilog : undefined) ?? report.fapilog;
}

function fapilogWhere(report: Report, unit: PullRequestUnit): string {
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

/** A link for an http(s) URL we were given; anything else shows as its label. */
function link(label: string, url: string | null): string {
  const dest = url === null ? null : linkUrl(url);
  return dest === null ? say(label) : `[${say(label)}](${dest})`;
}

/** What the To cell adds about one edit. */
function editNotes(c: PlannedChange): string {
  const notes = [
    c.from === c.to ? `already admits ${c.target}; lockfile only` : '',
    c.downgrade ? 'a downgrade, to leave it' : '',
    c.hashesReplaced ? 'hashes replaced' : '',
  ].filter(Boolean);
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/**
 * The body: what moves where and for which fapilog, a table of the edits, a warning for each
 * target whose publisher changed, the release notes the marketplace has (summary, why it moves,
 * date, links), the lock commands to run, then `footer` (the front end's words about itself) and
 * `trailer` (kept whole even when the rest is cut to fit GitHub's cap).
 */
export function pullRequestBody(input: PullRequestInput, opts: { footer?: string; trailer?: string } = {}): string {
  const { report, unit } = input;
  const plugins = input.plugins ?? {};
  const lines: string[] = [];
  const t = targets(input.plan.planned);
  const env = unit.environment !== undefined ? ` in ${codeOf(unit.environment)}` : '';
  const moved = t.filter((x) => !(unit.coUpgrade && x.package === 'fapilog'));
  const list = (xs: Target[]) => xs.map((x) => `**${say(x.package)}** to **${say(x.target)}**`).join(', ');
  if (unit.coUpgrade) {
    lines.push(
      `This pull request moves **fapilog** from ${say(unit.coUpgrade.from ?? 'unknown')} to **${say(unit.coUpgrade.fapilog)}**${env}, ` +
        `the lowest fapilog release that unlocks the plugins held back by it, and moves ${list(moved)} with it. ` +
        "Merge it whole: the plugins' new releases need that fapilog.",
      '',
    );
  } else {
    const one = t.length === 1;
    const whose = unit.environment !== undefined ? 'its' : "this repository's";
    lines.push(
      `This pull request moves ${list(t)}${env}: the newest ${one ? 'release that works' : 'releases that work'} ` +
        `with ${whose} fapilog ${say(fapilogWhere(report, unit))}.`,
      '',
    );
  }
  const projectFapilog = unit.coUpgrade ? unit.coUpgrade.fapilog : fapilogOf(report, unit).version;
  lines.push(
    "| Plugin | File | From | To | Release's fapilog compatibility | Project's fapilog |",
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const x of moved) {
    const release = releaseOf(plugins[x.package], x.target);
    for (const i of x.items) {
      const from = `${i.current ?? '?'}${i.from ? ` (${i.from})` : ''}`;
      const to = `${i.target}${i.to ? ` (${i.to})` : ''}`;
      const compat = release?.fapilog_compatibility ?? null;
      lines.push(
        `| ${cellOf(x.package)} | ${cellOf(`${i.file}:${i.line}`)} | ${cellOf(from)} | ${cellOf(to)}${editNotes(i)} ` +
          `| ${cellOf(compat)} | ${cellOf(projectFapilog)} |`,
      );
    }
  }
  lines.push('');

  const exposed = moved.flatMap((x) => {
    const e = entryOf(report, unit, x.package);
    return e?.status === 'vulnerable' && e.advisories?.length ? [`${e.package} ${e.current ?? '?'}: ${advisoryList(e.advisories)}`] : [];
  });
  const changed = [
    ...new Set(input.plan.planned.flatMap((c) => (c.publisherChange ? [publisherWarning(c.package, c.publisherChange)] : []))),
  ];
  /** A callout listing untrusted lines, when there are any. */
  const callout = (headline: string, sentence: string, items: readonly string[], kind?: 'CAUTION') => {
    if (items.length > 0)
      lines.push(
        ...calloutLines(
          headline,
          sentence,
          items.map((w) => say(w, 1000)),
          kind,
        ),
      );
  };
  const security = 'the release in use is affected by a security advisory; this pull request moves to one that is not.';
  callout('Security', security, exposed, 'CAUTION');
  callout('Publisher changed', 'check that each new publisher is one you trust before merging.', changed);

  if (unit.coUpgrade) {
    const fapilog = t.find((x) => x.package === 'fapilog');
    for (const i of fapilog?.items ?? [])
      lines.push(`- ${code('fapilog')} in ${cellOf(`${i.file}:${i.line}`)}: ${codeOf(i.from || '(any)')} → ${codeOf(i.to)}`);
    if (!fapilog)
      lines.push(`- The specifiers of ${code('fapilog')} already admit ${say(unit.coUpgrade.fapilog)}: only the lockfile moves.`);
    lines.push('');
  }
  for (const x of moved) {
    const entry = plugins[x.package];
    const release = releaseOf(entry, x.target);
    lines.push(`### ${say(x.package)} ${say(x.target)}`, '');
    const summary = entry?.plugin.description ?? '';
    if (summary) lines.push(`> ${say(summary, 500)}`, '');
    // Why it moves, in the analysis's words (a yanked or incompatible pin says what is wrong with it).
    const why = entryOf(report, unit, x.package);
    if (why) lines.push(`**Why:** ${say(why.note, 500)}`, '');
    if (why?.deprecation) lines.push(...deprecationLines(why.package, why.deprecation));
    const facts: string[] = [];
    if (release?.published_at) facts.push(`published ${say(release.published_at.slice(0, 10))}`);
    if (release?.requires_python) facts.push(`Python ${say(release.requires_python)}`);
    const home = entry?.plugin.homepage ?? entry?.plugin.repository ?? null;
    if (home) facts.push(link('project page', home));
    const api = report.marketplace.url.replace(/\/+$/, '');
    facts.push(
      link('release in the marketplace', `${api}/plugins/${encodeURIComponent(x.package)}/versions/${encodeURIComponent(x.target)}`),
    );
    lines.push(facts.join(' · '), '');
  }

  if (input.plan.lock.length > 0) {
    lines.push(
      '### Lockfile',
      '',
      'This repository has a lockfile, which this pull request does not edit. Refresh it on this branch before merging:',
      '',
    );
    for (const l of input.plan.lock)
      lines.push(`- ${codeOf(l.lockfile)}: ${codeOf(l.directory ? `cd ${l.directory} && ${l.display}` : l.display)}`);
    lines.push('');
  }

  const footer = opts.footer ? `\n\n---\n${opts.footer}` : '';
  const trailer = opts.trailer ? `\n\n${opts.trailer}` : '';
  const room = GITHUB_LIMITS.commentChars - footer.length - trailer.length;
  const body = fitMarkdown(
    lines.join('\n').trimEnd(),
    { maxChars: room },
    (o) => `…(${o.lines} more lines cut: GitHub takes at most 65,536 characters)`,
  );
  return `${body.trimEnd()}${footer}${trailer}`;
}

/** The report's entry for a plugin this pull request moves (in its environment, when it has one). */
function entryOf(report: Report, unit: PullRequestUnit, pkg: string): PluginEntry | undefined {
  return report.plugins.find(
    (p) => p.package === pkg && (unit.environment === undefined || (p.environments ?? ['.']).join(',') === unit.environment),
  );
}

/**
 * A note that the plugin is deprecated or archived, suggesting its replacement when its owner
 * named one: in a pull request that moves it, or an issue when there is nothing to move to.
 */
export function deprecationLines(pkg: string, d: NonNullable<PluginEntry['deprecation']>): string[] {
  const instead = d.replacement === null ? null : clip(d.replacement, 100);
  const sentence =
    instead === null
      ? 'Its owner names no replacement.'
      : `Its owner suggests ${code(instead)} instead: ${code(`npx fapilog-plugins install ${instead}`)}, then remove ${code(pkg)}.`;
  return calloutLines(`${say(pkg)} is ${d.state}`, `${say(d.reason.replace(/\.$/, ''), 500)}. ${sentence}`, [], 'NOTE');
}
