/** `info <name> [version]`: one plugin, its releases (yanked marked), compatibility and files. */
import { advisoryList, isAffected, releaseAdvisories } from '../../core/analysis/statuses.ts';
import type { MarketplaceClient } from '../../core/marketplace/client.ts';
import { MarketplaceError } from '../../core/marketplace/errors.ts';
import type { Plugin, PluginStats, Release, VersionsResponse } from '../../core/marketplace/schemas.ts';
import { packageName } from '../../core/names.ts';
import { describePublisher, describeTrustedBuild } from '../../core/publish/provenance.ts';
import { equal, isPrerelease, isValid } from '../../core/pep440/index.ts';
import { formatSize } from '../../core/size.ts';
import type { CommandContext, RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { formatCount, formatDate, paint, renderFields, renderTable, wrapLine, writeJson, type Cell } from '../output/index.ts';

export interface InfoJson {
  plugin: Plugin;
  versions: string[];
  releases: Release[];
  /** The release shown: the one asked for, else the latest one (null when the marketplace lists none). */
  release: Release | null;
  /** Downloads per day over the last 30 days; null from a marketplace without the stats endpoint (404). */
  stats: PluginStats | null;
}

/** `1.3` finds `1.3.0`: release lookups follow PEP 440 equality, as pip's `==1.3` does. */
export function findRelease(releases: readonly Release[], version: string): Release | undefined {
  if (!isValid(version)) return undefined;
  return releases.find((r) => isValid(r.version) && equal(r.version, version));
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('info')
    .argument('<name>', 'short name (loki) or package name (fapilog-loki)')
    .argument('[version]', 'show this release (its compatibility, Python, dependencies and files) instead of the latest one')
    .description('show a plugin: details, compatibility, releases (yanked ones marked) and files')
    .action(
      act(async (ctx, name: string, version: string | undefined) => {
        const client = await ctx.source();
        // Download counts are the marketplace's; a package index has none to show.
        // An extra: a marketplace that cannot answer them (offline, an older server, a bad payload)
        // leaves the line out rather than failing the command.
        const pending =
          client.kind === 'marketplace'
            ? (client as MarketplaceClient).stats(name).catch((err: unknown) => {
                if (err instanceof MarketplaceError) return null;
                throw err;
              })
            : Promise.resolve(null);
        const [plugin, versions, stats] = await Promise.all([client.getPlugin(name), client.versions(name), pending]);
        if (!plugin)
          throw new CliError(
            `no plugin named "${name}" in the ${client.kind === 'index' ? 'package index' : 'marketplace'} at ${client.status().url}`,
            EXIT.error,
            'not-found',
          );
        const history: VersionsResponse = versions ?? { versions: [], releases: [] };
        const release = findRelease(history.releases, version ?? plugin.version);
        if (version !== undefined && !release) {
          const known = history.versions.length > 0 ? ` (known: ${history.versions.slice(-5).join(', ')})` : '';
          throw new CliError(`${plugin.name} has no release ${version}${known}`, EXIT.error, 'not-found');
        }
        if (ctx.globals.json) {
          const out: InfoJson = { plugin, versions: history.versions, releases: history.releases, release: release ?? null, stats };
          writeJson(ctx.io, out);
          return EXIT.ok;
        }
        printInfo(ctx, plugin, history, release, version !== undefined, stats);
        return EXIT.ok;
      }),
    );
};

const BARS = '▁▂▃▄▅▆▇█';

/** One character per day, its height the day's share of the busiest day (a blank day is the lowest bar). */
export function sparkline(days: readonly { downloads: number }[]): string {
  const max = Math.max(0, ...days.map((d) => d.downloads));
  return days
    .map((d) => (max === 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((d.downloads / max) * (BARS.length - 1)))]))
    .join('');
}

/** The pip command for the release shown; for a yanked one, the newest release that is not yanked instead. */
function installHint(plugin: Plugin, history: VersionsResponse, shown: Release | undefined): string {
  const pkg = packageName(plugin.package);
  const version = shown?.version ?? plugin.version;
  const affected = shown !== undefined && isAffected(shown);
  if (!shown?.yanked && !affected) return `pip install "${pkg}==${version}"`;
  const order = new Map(history.versions.map((v, i) => [v, i]));
  const alternative = history.releases
    .filter((r) => !r.yanked && !isAffected(r) && !isPrerelease(r.version))
    .sort((a, b) => (order.get(b.version) ?? -1) - (order.get(a.version) ?? -1))[0];
  const why = affected
    ? `is affected by ${releaseAdvisories(shown)
        .map((a) => a.id)
        .join(', ')}`
    : 'is yanked';
  const none = affected ? ' (no release that is not yanked or affected)' : ' (no release that is not yanked)';
  return `not recommended: ${version} ${why}${alternative ? `; pip install "${pkg}==${alternative.version}"` : none}`;
}

function printInfo(
  ctx: CommandContext,
  plugin: Plugin,
  history: VersionsResponse,
  release: Release | undefined,
  asked: boolean,
  stats: PluginStats | null,
): void {
  const p = paint(ctx.color);
  const table = { width: ctx.width, color: ctx.color };
  // A requested release speaks for itself; without one, the plugin record (its latest release) does.
  const chosen = asked && release ? release : undefined;
  const shownVersion = chosen?.version ?? plugin.version;
  const isLatest = release !== undefined && equal(release.version, plugin.version);
  const out: string[] = [];
  const notes: string[] = [];
  if (plugin.deprecation) notes.push(p('red', plugin.deprecation.state));
  if (chosen?.yanked) notes.push(p('red', 'yanked'));
  if (chosen && isAffected(chosen)) notes.push(p('red', 'vulnerable'));
  if (chosen && !isLatest) notes.push(p('dim', `latest: ${plugin.version}`));
  out.push(
    `${p('bold', p('cyan', plugin.name))} ${p('bold', shownVersion)}  ${p('dim', `(${plugin.package})`)}` +
      `${notes.length > 0 ? `  ${notes.join(', ')}` : ''}\n`,
  );
  if (plugin.description) out.push(`${wrapLine(plugin.description, ctx.width)}\n`);
  out.push('\n');
  const dependencies = chosen ? chosen.dependencies : plugin.dependencies;
  // An index knows no types, ratings or downloads: those lines are left out rather than invented.
  const index = ctx.openedSource()?.kind === 'index';
  const fields: Array<[string, string | null]> = [
    ...(index ? [] : [['Type', plugin.plugin_type] as [string, string]]),
    ['Author', plugin.author],
    ['License', plugin.license],
    ...(index
      ? []
      : ([
          [
            'Rating',
            plugin.rating_count > 0
              ? `${plugin.rating.toFixed(1)} of 5 (${plugin.rating_count} rating${plugin.rating_count === 1 ? '' : 's'})`
              : 'not rated yet',
          ],
          ['Downloads', formatCount(plugin.downloads)],
        ] as Array<[string, string]>)),
    ...(stats
      ? ([
          [`Last ${stats.days.length} days`, `${formatCount(stats.total)}  ${sparkline(stats.days)}  (${stats.from} to ${stats.to})`],
        ] as Array<[string, string]>)
      : []),
    ['fapilog', chosen ? chosen.fapilog_compatibility : plugin.fapilog_compatibility],
    ['Python', release?.requires_python ?? null],
    ['Dependencies', dependencies.length > 0 ? dependencies.join(', ') : 'none'],
    ['Homepage', plugin.homepage],
    ['Repository', plugin.repository],
    ['Published', formatDate(chosen ? chosen.published_at : plugin.published_at)],
  ];
  if (chosen?.yanked) fields.push(['Yanked', chosen.yanked_reason ?? 'yes (no reason given)']);
  const shownRelease = chosen ?? release;
  if (shownRelease && isAffected(shownRelease)) fields.push(['Advisories', advisoryList(releaseAdvisories(shownRelease))]);
  if (plugin.deprecation) {
    const d = plugin.deprecation;
    const label = d.state === 'archived' ? 'Archived' : 'Deprecated';
    fields.push([label, `${d.reason}${d.replacement ? `; use ${d.replacement} instead` : ''} (since ${formatDate(d.since)})`]);
  }
  // Who published the release shown: what a user checks before trusting an update.
  if (plugin.mirrored) fields.push(['Source', 'mirrored from an upstream package index by the marketplace, not published there']);
  else if (release && release.provenance !== undefined) {
    fields.push(['Publisher', describePublisher(release.provenance)]);
    if (release.provenance?.kind === 'trusted') fields.push(['Built by', describeTrustedBuild(release.provenance)]);
  }
  fields.push(['Install', installHint(plugin, history, chosen ?? release)]);
  out.push(renderFields(fields, table));

  if (history.releases.length > 0) {
    out.push(`\n${p('bold', 'Releases')}\n`);
    // Newest first: the contract lists versions PEP 440 ascending.
    const order = new Map(history.versions.map((v, i) => [v, i]));
    const releases = [...history.releases].sort((a, b) => (order.get(b.version) ?? -1) - (order.get(a.version) ?? -1));
    const rows: Cell[][] = releases.map((r) => [
      r.version === plugin.version ? { text: r.version, style: 'green' } : r.version,
      r.fapilog_compatibility,
      r.requires_python ?? '-',
      formatDate(r.published_at),
      isAffected(r)
        ? {
            text: `vulnerable: ${releaseAdvisories(r)
              .map((a) => a.id)
              .join(', ')}${r.yanked ? ' (yanked)' : ''}`,
            style: 'red',
          }
        : r.yanked
          ? { text: `yanked${r.yanked_reason ? `: ${r.yanked_reason}` : ''}`, style: 'red' }
          : r.version === plugin.version
            ? { text: 'latest', style: 'green' }
            : isPrerelease(r.version)
              ? { text: 'pre-release', style: 'yellow' }
              : '',
    ]);
    out.push(
      renderTable(
        [
          { header: 'VERSION' },
          { header: 'FAPILOG', shrink: true, minWidth: 10 },
          { header: 'PYTHON', priority: 1 },
          { header: 'PUBLISHED', priority: 2 },
          { header: 'STATUS', shrink: true, minWidth: 6, priority: 3, wrap: true },
        ],
        rows,
        table,
      ),
    );
  }

  if (release) {
    out.push(`\n${p('bold', `Files of ${release.version}`)}${release.yanked ? ` ${p('red', '(yanked)')}` : ''}\n`);
    if (release.files.length === 0) out.push('  (none)\n');
    else
      out.push(
        renderTable(
          [
            { header: 'FILENAME', shrink: true, minWidth: Math.min(40, ...release.files.map((f) => f.filename.length)) },
            { header: 'SIZE', align: 'right', priority: 2 },
            { header: 'SHA256', shrink: true, minWidth: 12, priority: 1, wrap: true },
          ],
          release.files.map((f) => [f.filename, formatSize(f.size), f.sha256]),
          table,
        ),
      );
  }
  ctx.io.stdout(out.join(''));
}
