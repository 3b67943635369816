/**
 * The job summary: Markdown rendered from a Report. It decides nothing; statuses, notes and the
 * fapilog version all come from the analysis, and what fails the step comes from check.ts.
 */
import type { PluginEntry, Report, Status } from '../core/analysis/report.ts';

const STATUS_LABEL: Record<Status, string> = {
  'up-to-date': '✅ up to date',
  outdated: '⚠️ outdated',
  'held-back': '⏸️ held back',
  incompatible: '❌ incompatible',
  yanked: '❌ yanked',
  unknown: '❔ unknown',
};

const SOURCE_LABEL: Record<Report['fapilog']['source'], string> = {
  override: 'set by the `fapilog-version` input',
  locked: 'locked',
  pinned: 'pinned',
  range: 'highest release allowed by the range',
  unconstrained: 'not constrained: the latest release',
  unknown: 'not found in the project',
};

/** Table cells cannot hold pipes or newlines. */
export function cell(text: string | null): string {
  if (text === null || text === '') return '—';
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function fapilogLine(report: Report): string {
  const f = report.fapilog;
  const version = f.version ? `**${f.version}**` : '**unknown**';
  const parts = [SOURCE_LABEL[f.source]];
  if (f.specifier) parts.push(code(f.specifier));
  if (f.from) parts.push(`in ${code(f.from)}`);
  return `fapilog ${version} (${parts.join(', ')})`;
}

function countsLine(report: Report): string {
  const n = report.plugins.length;
  if (n === 0) return 'No fapilog plugins found in the project.';
  const order: Status[] = ['up-to-date', 'outdated', 'held-back', 'incompatible', 'yanked', 'unknown'];
  const parts = order
    .filter((s) => (report.counts[s] ?? 0) > 0)
    .map((s) => `${report.counts[s]} ${STATUS_LABEL[s].replace(/^\S+ /, '')}`);
  return `${n} plugin${n === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}

function row(p: PluginEntry): string {
  const where = `${p.location.file}:${p.location.line}`;
  return `| ${cell(p.package)} | ${cell(p.current)} | ${cell(p.latestCompatible)} | ${cell(p.latest)} | ${STATUS_LABEL[p.status]} | ${cell(p.note)} <sub>${cell(where)}</sub> |`;
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

function howToFix(report: Report): string[] {
  const pick = (pred: (p: PluginEntry) => boolean) => [...new Set(report.plugins.filter(pred).map((p) => p.package))];
  const updatable = pick(
    (p) => ['outdated', 'incompatible', 'yanked'].includes(p.status) && p.latestCompatible !== null && p.latestCompatible !== p.current,
  );
  const stuck = pick((p) => (p.status === 'incompatible' || p.status === 'yanked') && !updatable.includes(p.package));
  const held = pick((p) => p.status === 'held-back');
  if (updatable.length === 0 && stuck.length === 0 && held.length === 0) return [];

  const lines = ['### How to fix', ''];
  if (updatable.length > 0) {
    lines.push(
      `- Run ${code(`npx fapilog-plugins update ${updatable.join(' ')}`)} in the project and commit the changed manifests, then refresh any lockfile with the command it prints (${code('--dry-run')} shows the diff first).`,
    );
  }
  if (stuck.length > 0) {
    lines.push(`- No compatible release of ${stuck.map(code).join(', ')}: change the fapilog version, or remove the plugin.`);
  }
  if (held.length > 0) {
    lines.push(`- ${held.map(code).join(', ')}: newer releases need a newer fapilog; upgrade fapilog first.`);
  }
  return lines;
}

export function renderSummary(report: Report, opts: { failed: boolean; failureMessage: string | null; cacheDir?: string }): string {
  const lines: string[] = ['## fapilog plugins', ''];
  lines.push(`${fapilogLine(report)} · marketplace ${code(report.marketplace.url)}`, '');
  if (report.marketplace.stale) {
    lines.push(
      '> [!WARNING]',
      `> The marketplace could not be reached: these results come from the cache${opts.cacheDir ? ` (${code(opts.cacheDir)})` : ''} and may be out of date.`,
      '',
    );
  }
  lines.push(countsLine(report), '');
  if (opts.failed && opts.failureMessage) lines.push(`**Failed:** ${opts.failureMessage}`, '');

  for (const [manifest, plugins] of byManifest(report)) {
    lines.push(`### ${code(manifest)}`, '');
    lines.push('| Plugin | Current | Latest compatible | Latest | Status | Note |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const p of plugins) lines.push(row(p));
    lines.push('');
  }

  if (report.warnings.length > 0) {
    lines.push('<details><summary>Warnings</summary>', '');
    for (const w of report.warnings) lines.push(`- ${w.replace(/\r?\n/g, ' ')}`);
    lines.push('', '</details>', '');
  }

  const fix = howToFix(report);
  if (fix.length > 0) lines.push(...fix, '');
  return lines.join('\n');
}
