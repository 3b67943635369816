/**
 * `outdated [PATH]`: every plugin dependency of a project against the marketplace and the
 * project's own fapilog. Exit 1 when a plugin fails the `--fail-on` policy (core's, the same as
 * the Action's `fail-on`); the default `held-back` fails on anything that needs attention
 * (outdated, incompatible, held-back, yanked).
 */
import { Option } from 'commander';
import { decide, FAIL_ON, type FailOn } from '../../core/analysis/policy.ts';
import { reportEnvironments, STATUSES, type PluginEntry, type Report, type Status } from '../../core/analysis/report.ts';
import { upgradeLine } from '../../core/analysis/upgrade.ts';
import { andList, environmentGroups } from '../../core/render/environments.ts';
import type { PluginLookup } from '../../core/project/lookup.ts';
// Not the project barrel: that one also loads the planners, the disk writer and `diff`.
import { checkProject } from '../../core/project/check.ts';
import { DiskProjectFiles } from '../../core/project/disk-files.ts';
import { paint, renderTable, textWidth, wrapLine, writeJson, type Column, type Style } from '../output/index.ts';
import type { CommandContext, RegisterCommand } from '../context.ts';
import { EXIT, type ExitCode } from '../errors.ts';
import { MINIMUM_RELEASE_AGE_HELP, minimumReleaseAgeArg, nameListArg } from '../options.ts';
import { addPathOption, chosenPath, PATH_HELP, resolveProject } from '../project-path.ts';

const STATUS_STYLE: Record<Status, Style> = {
  'up-to-date': 'green',
  outdated: 'yellow',
  'held-back': 'cyan',
  incompatible: 'red',
  yanked: 'red',
  vulnerable: 'red',
  unknown: 'dim',
};

/** A project path from the command line, relative to the CLI's working directory; it must exist. */
export function projectRoot(ctx: CommandContext, given: string | undefined): string {
  return resolveProject(ctx.io.cwd, given);
}

export function describeFapilog(report: Report, f: Report['fapilog'] = report.fapilog): string {
  if (f.version === null) return 'fapilog: unknown (compatibility not judged)';
  const source: Record<Report['fapilog']['source'], string> = {
    override: 'from --fapilog-version',
    locked: `locked in ${f.from}`,
    pinned: `pinned in ${f.from}`,
    range: `newest release allowed by ${f.specifier} in ${f.from}`,
    unconstrained: `newest release; fapilog has no version constraint in ${f.from}`,
    unknown: 'newest release; fapilog is not a dependency of this project',
  };
  return `fapilog ${f.version} (${source[f.source]})`;
}

/** Several environments: one heading line each (`services/api: fapilog 0.14.2 (locked in ...)`). */
export function describeEnvironments(report: Report): string[] {
  return reportEnvironments(report).map((e) => `${e.dir}: ${describeFapilog(report, e.fapilog)}`);
}

export function renderReport(report: Report, opts: { width: number; color: boolean }): string {
  const p = paint(opts.color);
  const lines: string[] = [];
  const envs = reportEnvironments(report);
  const several = envs.length > 1;
  if (!several) lines.push(`${p('bold', describeFapilog(report))}`);
  else lines.push(p('bold', `${envs.length} environments, each judged against its own fapilog`));
  lines.push(
    p(
      'dim',
      `${report.marketplace.kind === 'index' ? 'package index' : 'marketplace'} ` +
        `${report.marketplace.url}${report.marketplace.stale ? ' (stale cached data)' : ''}` +
        `${report.marketplace.kind === 'index' ? ' (an index publishes no advisories or deprecations)' : ''}`,
    ),
  );
  lines.push('');
  if (report.plugins.length === 0) {
    lines.push(`No fapilog plugins found in ${report.manifests.length} manifest(s) under ${report.root}.`);
  } else if (!several) {
    lines.push(pluginTable(report.plugins, opts));
    const upgrade = envs[0]?.upgrade;
    if (upgrade) lines.push('', ...wrapLine(upgradeLine(upgrade), opts.width).split('\n'));
  } else {
    for (const group of environmentGroups(report)) {
      const heading = group.environment
        ? `${group.environment.dir}: ${describeFapilog(report, group.environment.fapilog)}`
        : `shared by ${andList(group.shared)}`;
      lines.push(p('bold', heading));
      if (group.plugins.length > 0) lines.push(pluginTable(group.plugins, opts));
      if (group.upgrade) lines.push(...wrapLine(upgradeLine(group.upgrade), opts.width).split('\n'));
      lines.push('');
    }
    lines.pop();
  }
  lines.push('');
  const head = `${report.plugins.length} plugin ${report.plugins.length === 1 ? 'dependency' : 'dependencies'}`;
  const counts = STATUSES.filter((s) => report.counts[s] > 0).map((s) => ({ plain: `${report.counts[s]} ${s}`, style: STATUS_STYLE[s] }));
  lines.push(joinWrapped(counts.length ? `${head}:` : head, counts, ', ', opts.width, p));
  // Wrapped as plain text, then coloured: escapes must not count as width.
  for (const w of report.warnings)
    lines.push(
      ...wrapLine(`warning: ${w}`, opts.width)
        .split('\n')
        .map((l) => p('yellow', l)),
    );
  return `${lines.join('\n')}\n`;
}

function pluginTable(plugins: readonly PluginEntry[], opts: { width: number; color: boolean }): string {
  const columns: Column[] = [
    // In a narrow terminal: latest, then file:line go; the note moves under its row.
    { header: 'plugin' },
    { header: 'file:line', priority: 2 },
    { header: 'current', priority: 4 },
    { header: 'latest compatible', shortHeader: 'compatible', priority: 5 },
    { header: 'latest', priority: 1 },
    { header: 'status' },
    { header: 'note', shrink: true, minWidth: 20, priority: 3, wrap: true },
  ];
  const rows = plugins.map((e) => [
    e.package,
    `${e.location.file}:${e.location.line}`,
    e.current ?? '-',
    e.latestCompatible ?? '-',
    e.latest ?? '-',
    { text: e.status, style: STATUS_STYLE[e.status] },
    e.note,
  ]);
  return renderTable(columns, rows, { width: opts.width, color: opts.color }).replace(/\n$/, '');
}

/** `head part, part, ...` broken between parts to fit the width; each part coloured on its own. */
function joinWrapped(
  head: string,
  parts: Array<{ plain: string; style: Style }>,
  sep: string,
  width: number,
  p: ReturnType<typeof paint>,
): string {
  const out: string[] = [];
  let line = head;
  let plain = head;
  parts.forEach((part, i) => {
    const piece = `${part.plain}${i < parts.length - 1 ? sep.trimEnd() : ''}`;
    if (textWidth(plain) + 1 + textWidth(piece) > width && plain !== '') {
      out.push(line);
      line = '';
      plain = '';
    }
    const space = plain === '' ? '' : ' ';
    line += `${space}${p(part.style, part.plain)}${i < parts.length - 1 ? sep.trimEnd() : ''}`;
    plain += `${space}${piece}`;
  });
  out.push(line);
  return out.join('\n');
}

export interface OutdatedOptions {
  fapilogVersion?: string;
  ignore?: string[];
  /** Which statuses make the exit status 1; default `held-back` (every problem status). */
  failOn?: FailOn;
  /** Days a release must have been public before it is proposed. */
  minimumReleaseAge?: number;
}

/** The CLI's default level: exit 1 for outdated, incompatible, held-back and yanked alike. */
export const DEFAULT_FAIL_ON: FailOn = 'held-back';

/** Shared by `outdated` and `demo`: run the check and print it the way the globals ask. */
export async function runOutdated(
  ctx: CommandContext,
  root: string,
  opts: OutdatedOptions,
  given?: PluginLookup,
): Promise<{ report: Report; code: ExitCode }> {
  const { files, only } = await DiskProjectFiles.open(root);
  const client = given ?? (await ctx.source());
  const { report } = await ctx.withProgress('checking plugins', () =>
    checkProject({
      files,
      only,
      lookup: client,
      fapilogVersion: opts.fapilogVersion,
      ignore: opts.ignore,
      minimumReleaseAge: opts.minimumReleaseAge,
    }),
  );
  if (ctx.globals.json) writeJson(ctx.io, report);
  // ctx.width is unlimited for a pipe or a file: notes are only cut short on a terminal.
  else ctx.io.stdout(renderReport(report, { width: ctx.width, color: ctx.color }));
  return { report, code: decide(report, opts.failOn ?? DEFAULT_FAIL_ON).failed ? EXIT.problems : EXIT.ok };
}

export const register: RegisterCommand = (program, act) => {
  const command = program
    .command('outdated')
    .argument('[path]', PATH_HELP)
    .description("list a project's fapilog plugins that are vulnerable, outdated, incompatible with its fapilog, held back or yanked")
    .addOption(new Option('--fapilog-version <version>', "judge compatibility against this fapilog version instead of the project's own"))
    .option('--ignore <names>', 'plugins to leave out, comma-separated (short or package names); repeatable', nameListArg)
    .option('--minimum-release-age <days>', MINIMUM_RELEASE_AGE_HELP, minimumReleaseAgeArg)
    .addOption(
      new Option(
        '--fail-on <level>',
        'which plugins make the exit status 1 (a vulnerable one at every level but never): incompatible ' +
          '(incompatible or yanked), publisher-changed (also a newer release from another publisher), outdated ' +
          '(also outdated), held-back (also held back by fapilog: every problem), never. The GitHub Action ' +
          'defaults to incompatible instead: in CI only what breaks the service fails, so a new plugin release ' +
          'does not turn a build red',
      )
        .choices([...FAIL_ON])
        .default(DEFAULT_FAIL_ON),
    )
    .addHelpText(
      'after',
      '\nExit status: 1 when a plugin fails --fail-on (by default: any vulnerable, outdated, incompatible, held ' +
        'back\nor yanked plugin), 0 otherwise (up to date or unknown to the marketplace), 2 on errors.',
    );
  addPathOption(command).action(
    act(async (ctx, given: string | undefined, opts: OutdatedOptions & { path?: string }) => {
      const root = projectRoot(ctx, chosenPath(given, opts.path));
      return (await runOutdated(ctx, root, opts)).code;
    }),
  );
};
