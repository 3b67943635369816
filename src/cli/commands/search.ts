/** `search <query>`: full-text search of names, descriptions and authors. */
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { addQueryOptions, describeFilters, printResults, toListQuery, type QueryOptions } from './list.ts';

export const register: RegisterCommand = (program, act) => {
  addQueryOptions(
    program
      .command('search')
      .argument('<query>', 'words to look for in plugin names, descriptions and authors')
      .description('search the marketplace for plugins')
      .addHelpText('after', '\nExample:\n  fapilog-plugins search loki --type sink --min-rating 4\n'),
  ).action(
    act(async (ctx, query: string, opts: QueryOptions) => {
      const client = await ctx.source();
      const result = await client.search({ q: query, ...toListQuery(opts) });
      const filters = describeFilters(opts);
      let empty = `No plugins match "${query}".`;
      if (result.total === 0 && filters.length > 0 && !ctx.globals.json) {
        // Say which filters emptied the answer, and whether the words alone find something.
        const unfiltered = await client.search({ q: query, page: 1, per_page: 1 });
        empty =
          unfiltered.total > 0
            ? `No plugins match "${query}" with ${filters.join(', ')}; ${unfiltered.total} match without these filters.`
            : `No plugins match "${query}" (even without ${filters.join(', ')}).`;
      }
      printResults(ctx, result, empty);
      return EXIT.ok;
    }),
  );
};
