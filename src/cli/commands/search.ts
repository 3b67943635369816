/** `search <query>`: full-text search of names, descriptions and authors. */
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { addQueryOptions, printResults, toListQuery, type QueryOptions } from './list.ts';

export const register: RegisterCommand = (program, act) => {
  addQueryOptions(
    program
      .command('search')
      .argument('<query>', 'words to look for in plugin names, descriptions and authors')
      .description('search the marketplace for plugins')
      .addHelpText('after', '\nExample:\n  fapilog-plugins search loki --type sink --min-rating 4\n'),
  ).action(
    act(async (ctx, query: string, opts: QueryOptions) => {
      const client = ctx.client();
      const result = await client.search({ q: query, ...toListQuery(opts) });
      printResults(ctx, result, `No plugins match "${query}".`);
      return EXIT.ok;
    }),
  );
};
