/**
 * The check summary as Markdown (the Action's job summary, the bot's check run and PR): rendered
 * from a Report, deciding nothing. Statuses, notes and the fapilog version come from the
 * analysis, which entries `update` can fix from analysis/updatable.ts, and what fails comes from
 * the policy. Front-end wording (where an override came from, the fix command) is passed in.
 */
import { reportEnvironments, type PluginEntry, type Report, type Status } from '../analysis/report.ts';
import { upgradeLine } from '../analysis/upgrade.ts';
import { andList, environmentGroups } from './environments.ts';
import { isStuck, isUpdatable } from '../analysis/updatable.ts';
import { publisherWarning } from '../analysis/publisher.ts';
import { cell, code, text } from './markdown.ts';
import { npxCommand } from './npx.ts';

export { cell };

export const STATUS_LABEL: Record<Status, string> = {
  'up-to-date': '✅ up to date',
  outdated: '⚠️ outdated',
  'held-back': '⏸️ held back',
  incompatible: '❌ incompatible',
  yanked: '❌ yanked',
  vulnerable: '🚨 vulnerable',
  unknown: '❔ unknown',
};

const SOURCE_LABEL: Record<Report['fapilog']['source'], string> = {
  override: 'set by an override',
  locked: 'locked',
  pinned: 'pinned',
  range: 'highest release allowed by the range',
  unconstrained: 'not constrained: the latest release',
  unknown: 'not found in the project',
};

/** What a front end says in its own words; defaults suit any of them. */
export interface SummaryWording {
  /** How an override of the fapilog version is described (the Action: "set by the `fapilog-version` input"). */
  override?: string | undefined;
  /** The command that applies updates, shown in "How to fix" (default `npx fapilog-plugins@VERSION update`). */
  updateCommand?: string | undefined;
  /** A link for a `file:line` (the Action: the file at the run's commit); plain text without. */
  fileUrl?: ((file: string, line: number) => string) | undefined;
}

/**
 * The fix command every hint prints unless a front end words its own (the one place to change
 * it): a versioned `npx` command, which works for someone who has never cloned this repository.
 */
export const DEFAULT_UPDATE_COMMAND = npxCommand('update');

export function fapilogLine(report: Report, wording: SummaryWording = {}, f: Report['fapilog'] = report.fapilog): string {
  const version = f.version ? `**${cell(f.version)}**` : '**unknown**';
  const parts = [f.source === 'override' && wording.override ? wording.override : SOURCE_LABEL[f.source]];
  if (f.specifier) parts.push(code(f.specifier));
  if (f.from) parts.push(`in ${code(f.from)}`);
  return `fapilog ${version} (${parts.join(', ')})`;
}

function countsLine(report: Report): string {
  const n = report.plugins.length;
  if (n === 0) return 'No fapilog plugins found in the project.';
  const order: Status[] = ['up-to-date', 'outdated', 'held-back', 'incompatible', 'yanked', 'vulnerable', 'unknown'];
  const parts = order.filter((s) => (report.counts[s] ?? 0) > 0).map((s) => `${report.counts[s]} ${STATUS_LABEL[s].replace(/^\S+ /, '')}`);
  return `${n} plugin${n === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

export function pluginRow(p: PluginEntry, fileUrl?: SummaryWording['fileUrl']): string {
  const where = cell(`${p.location.file}:${p.location.line}`);
  const shown = fileUrl ? `[${where}](${linkTarget(fileUrl(p.location.file, p.location.line))})` : where;
  return (
    `| ${cell(p.package)} | ${cell(p.current)} | ${cell(p.latestCompatible)} | ${cell(p.latest)} | ` +
    `${STATUS_LABEL[p.status]} | ${cell(p.note)} <sub>${shown}</sub> |`
  );
}

/** A URL as a Markdown link target: characters that would end it, or a table cell, percent-encoded. */
function linkTarget(url: string): string {
  return url.replace(/[()<>|\s\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Plugins grouped by manifest, in the order the report lists manifests. */
export function byManifest(report: Report): Array<[string, PluginEntry[]]> {
  const groups = new Map<string, PluginEntry[]>();
  for (const m of report.manifests) groups.set(m, []);
  for (const p of report.plugins) {
    const list = groups.get(p.location.file) ?? [];
    list.push(p);
    groups.set(p.location.file, list);
  }
  return [...groups].filter(([, list]) => list.length > 0);
}

/** The table of one manifest's plugins (header included). */
export function manifestTable(plugins: readonly PluginEntry[], fileUrl?: SummaryWording['fileUrl']): string[] {
  return [
    '| Plugin | Current | Latest compatible | Latest | Status | Note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...plugins.map((p) => pluginRow(p, fileUrl)),
  ];
}

/** "How to fix" lines: what `update` fixes, what needs another fapilog, what is held back. */
export function howToFix(report: Report, wording: SummaryWording = {}): string[] {
  const pick = (pred: (p: PluginEntry) => boolean) => [...new Set(report.plugins.filter(pred).map((p) => p.package))];
  const updatable = pick(isUpdatable);
  const exposed = pick((p) => isStuck(p) && p.status === 'vulnerable' && !updatable.includes(p.package));
  const stuck = pick((p) => isStuck(p) && p.status !== 'vulnerable' && !updatable.includes(p.package));
  const held = pick((p) => p.status === 'held-back');
  const republished = pick((p) => p.publisherChange !== null);
  if (updatable.length === 0 && stuck.length === 0 && held.length === 0 && exposed.length === 0) return [];

  const lines = ['### How to fix', ''];
  if (updatable.length > 0) {
    const command = wording.updateCommand ?? DEFAULT_UPDATE_COMMAND;
    lines.push(
      `- Run ${code(`${command} ${updatable.join(' ')}`)} in the project and commit the changed manifests, then ` +
        `refresh any lockfile with the command it prints (${code('--dry-run')} shows the diff first).`,
    );
  }
  if (exposed.length > 0) {
    lines.push(
      `- ${exposed.map(code).join(', ')}: every release that works with your fapilog is affected by an advisory; ` +
        'change the fapilog version, or remove the plugin.',
    );
  }
  if (stuck.length > 0) {
    lines.push(`- No compatible release of ${stuck.map(code).join(', ')}: change the fapilog version, or remove the plugin.`);
  }
  if (held.length > 0) {
    lines.push(`- ${held.map(code).join(', ')}: newer releases need a newer fapilog; upgrade fapilog first.`);
    const envs = reportEnvironments(report);
    for (const e of envs) {
      if (e.upgrade) lines.push(`  - ${envs.length > 1 ? `${code(e.dir)}: ` : ''}${text(upgradeLine(e.upgrade))}`);
    }
  }
  if (republished.length > 0) {
    lines.push(
      `- ${republished.map(code).join(', ')}: the release to move to has another publisher; check it (see the ` +
        `warning above) before you update.`,
    );
  }
  return lines;
}

function publisherWarnings(report: Report): Set<string> {
  return new Set(report.plugins.flatMap((p) => (p.publisherChange ? [publisherWarning(p.package, p.publisherChange)] : [])));
}

/** A warning block with both publishers of every release whose publisher changed (none: no lines). */
export function publisherCallout(report: Report): string[] {
  const changed = report.plugins.filter((p) => p.publisherChange !== null);
  if (changed.length === 0) return [];
  return calloutLines(
    'Publisher changed',
    'check that each new publisher is one you trust before moving to its release.',
    [...publisherWarnings(report)].map((w) => text(w)),
  );
}

/** A GitHub warning callout: a bold headline, a sentence, one list item per (escaped) line, a blank line. */
export function calloutLines(headline: string, sentence: string, items: readonly string[]): string[] {
  return ['> [!WARNING]', `> **${headline}:** ${sentence}`, '>', ...items.map((i) => `> - ${i}`), ''];
}

/** A caution block naming each vulnerable plugin's advisories (none: no lines). */
export function advisoryCallout(report: Report): string[] {
  const hit = report.plugins.filter((p) => p.status === 'vulnerable');
  if (hit.length === 0) return [];
  const lines = ['> [!CAUTION]', '> **Security advisories** affect these releases:', '>'];
  for (const p of hit) {
    const ids = (p.advisories ?? []).map((a) => `${code(a.id)}${a.summary ? ` ${text(a.summary)}` : ''}`).join('; ');
    lines.push(`> - ${code(`${p.package} ${p.current ?? ''}`.trim())}: ${ids}`);
  }
  lines.push('');
  return lines;
}

/** The source named in a report: a package index publishes no advisories or deprecations, which is said. */
export function sourceLine(report: Report): string {
  if (report.marketplace.kind === 'index') {
    return `package index ${code(report.marketplace.url)} (an index publishes no advisories or deprecations)`;
  }
  return `marketplace ${code(report.marketplace.url)}`;
}

export function renderSummary(
  report: Report,
  opts: { failed: boolean; failureMessage: string | null; cacheDir?: string | undefined; wording?: SummaryWording | undefined },
): string {
  const lines: string[] = ['## fapilog plugins', ''];
  const envs = reportEnvironments(report);
  const several = envs.length > 1;
  const source = report.marketplace.kind === 'index' ? 'package index' : 'marketplace';
  if (several) {
    lines.push(`${envs.length} environments, each judged against its own fapilog · ${sourceLine(report)}`, '');
    for (const e of envs) lines.push(`- ${code(e.dir)}: ${fapilogLine(report, opts.wording, e.fapilog)}`);
    lines.push('');
  } else {
    lines.push(`${fapilogLine(report, opts.wording)} · ${sourceLine(report)}`, '');
  }
  if (report.marketplace.stale) {
    lines.push(
      '> [!WARNING]',
      `> The ${source} could not be reached: these results come from the ` +
        `cache${opts.cacheDir ? ` (${code(opts.cacheDir)})` : ''} and may be out of date.`,
      '',
    );
  }
  lines.push(countsLine(report), '');
  if (opts.failed && opts.failureMessage) lines.push(`**Failed:** ${text(opts.failureMessage)}`, '');

  lines.push(...advisoryCallout(report));
  lines.push(...publisherCallout(report));

  if (several) {
    // A section per environment (its fapilog in the heading), then the files several share.
    for (const group of environmentGroups(report)) {
      if (group.plugins.length === 0) continue;
      const heading = group.environment
        ? `### Environment ${code(group.environment.dir)}: ${fapilogLine(report, opts.wording, group.environment.fapilog)}`
        : `### Shared by ${andList(group.shared.map(code))}`;
      lines.push(heading, '');
      for (const [manifest, plugins] of byManifest({ ...report, plugins: group.plugins })) {
        lines.push(`#### ${code(manifest)}`, '');
        lines.push(...manifestTable(plugins, opts.wording?.fileUrl));
        lines.push('');
      }
    }
  } else {
    for (const [manifest, plugins] of byManifest(report)) {
      lines.push(`### ${code(manifest)}`, '');
      lines.push(...manifestTable(plugins, opts.wording?.fileUrl));
      lines.push('');
    }
  }

  // The callout above already shows the publisher warnings.
  const shown = publisherWarnings(report);
  const warnings = report.warnings.filter((w) => !shown.has(w));
  if (warnings.length > 0) {
    lines.push('<details><summary>Warnings</summary>', '');
    for (const w of warnings) lines.push(`- ${text(w)}`);
    lines.push('', '</details>', '');
  }

  const fix = howToFix(report, opts.wording);
  if (fix.length > 0) lines.push(...fix, '');
  return lines.join('\n');
}
