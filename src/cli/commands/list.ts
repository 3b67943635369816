/** `list`: browse the marketplace's plugins, filtered and sorted. Also holds what `search` shares. */
import { Option, type Command } from 'commander';
import { MAX_PER_PAGE, PLUGIN_TYPES, SORT_KEYS, type ListQuery, type Plugin, type SearchResult } from '../../core/marketplace/schemas.ts';
import type { CommandContext, RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { integerArg, numberArg } from '../options.ts';
import { formatCount, formatRating, paint, renderTable, writeJson, type Column } from '../output/index.ts';

export interface QueryOptions {
  type?: ListQuery['type'];
  author?: string;
  minRating?: number;
  sort?: ListQuery['sort'];
  page: number;
  perPage: number;
}

/** The filters `list` and `search` share, validated by commander before the command runs. */
export function addQueryOptions(command: Command): Command {
  return command
    .addOption(new Option('--type <type>', 'only plugins of this type').choices(PLUGIN_TYPES))
    .option('--author <name>', 'only plugins by this author')
    .addOption(new Option('--min-rating <stars>', 'only plugins rated at least this (0 to 5)').argParser(numberArg(0, 5)))
    .addOption(new Option('--sort <key>', 'order of the results (default: by name; with search, best match first)').choices(SORT_KEYS))
    .addOption(new Option('--page <n>', 'page of results to show').argParser(integerArg(1)).default(1))
    .addOption(new Option('--per-page <n>', `results per page (1 to ${MAX_PER_PAGE})`).argParser(integerArg(1, MAX_PER_PAGE)).default(20));
}

export function toListQuery(opts: QueryOptions): Partial<ListQuery> {
  return {
    ...(opts.type !== undefined ? { type: opts.type } : {}),
    ...(opts.author !== undefined ? { author: opts.author } : {}),
    ...(opts.minRating !== undefined ? { min_rating: opts.minRating } : {}),
    ...(opts.sort !== undefined ? { sort: opts.sort } : {}),
    page: opts.page,
    per_page: opts.perPage,
  };
}

/** The filters given, as typed (`--type sink, --min-rating 4`): what an empty answer is explained by. */
export function describeFilters(opts: QueryOptions): string[] {
  const out: string[] = [];
  if (opts.type !== undefined) out.push(`--type ${opts.type}`);
  if (opts.author !== undefined) out.push(`--author ${JSON.stringify(opts.author)}`);
  if (opts.minRating !== undefined) out.push(`--min-rating ${opts.minRating}`);
  return out;
}

/** The table of a result page, or its JSON; then the stale warning's reminder, if any. */
export function printResults(ctx: CommandContext, result: SearchResult, empty: string): void {
  if (ctx.globals.json) {
    writeJson(ctx.io, result);
    return;
  }
  const p = paint(ctx.color);
  if (result.plugins.length === 0) {
    ctx.io.stdout(result.total > 0 ? `No plugins on page ${result.page} (${result.total} in total).\n` : `${empty}\n`);
    return;
  }
  const columns: Column[] = [
    // Names are what a user types next: never cut; the description gives way, then the numbers go.
    { header: 'NAME', style: 'cyan' },
    { header: 'VERSION' },
    { header: 'TYPE', priority: 4 },
    { header: 'RATING', align: 'right', priority: 2 },
    { header: 'DOWNLOADS', align: 'right', priority: 1 },
    { header: 'DESCRIPTION', shrink: true, minWidth: 16, priority: 3, wrap: true },
  ];
  // An index knows no types, ratings or downloads: a dash, not the contract's neutral values.
  const index = ctx.openedSource()?.kind === 'index';
  const rows = result.plugins.map((plugin) => [
    plugin.name,
    plugin.version,
    index ? '-' : plugin.plugin_type,
    index ? '-' : formatRating(plugin.rating, plugin.rating_count),
    index ? '-' : formatCount(plugin.downloads),
    // Deprecated or archived: said first, with the replacement, where the user reads what a plugin is.
    plugin.deprecation
      ? { text: `[${plugin.deprecation.state}${replacementOf(plugin)}] ${plugin.description}`, style: 'red' as const }
      : plugin.description,
  ]);
  ctx.io.stdout(renderTable(columns, rows, { width: ctx.width, color: ctx.color }));
  const first = (result.page - 1) * result.per_page + 1;
  const last = first + result.plugins.length - 1;
  const pages = Math.max(1, Math.ceil(result.total / result.per_page));
  const more = result.page < pages ? `; next: --page ${result.page + 1}` : '';
  ctx.io.stdout(
    p('dim', `${first}-${last} of ${result.total} plugin${result.total === 1 ? '' : 's'} (page ${result.page} of ${pages}${more})`) + '\n',
  );
}

function replacementOf(plugin: Plugin): string {
  return plugin.deprecation?.replacement ? `: use ${plugin.deprecation.replacement}` : '';
}

export const register: RegisterCommand = (program, act) => {
  addQueryOptions(program.command('list').description('list the plugins in the marketplace')).action(
    act(async (ctx, opts: QueryOptions) => {
      const client = await ctx.source();
      const result = await client.list(toListQuery(opts));
      const filters = describeFilters(opts);
      printResults(
        ctx,
        result,
        filters.length > 0
          ? `No plugins match the filters ${filters.join(', ')}.`
          : client.kind === 'index'
            ? 'The package index has no fapilog-* projects.'
            : 'The marketplace has no plugins.',
      );
      return EXIT.ok;
    }),
  );
};
