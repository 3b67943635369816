/**
 * Resolving one repository's plugins against the marketplace, three ways:
 *   baseline  the seed story's check_updates: per plugin getPlugin + versions, one after another;
 *   parallel  the same per-plugin calls, all issued at once (the client runs 4 in flight);
 *   batch     what `check` does: one /plugins/batch (+ /fapilog/versions).
 * Every approach also asks /fapilog/versions once, as compatibility analysis needs it.
 * Each iteration uses a fresh client and a fresh, empty cache directory (a cold CI run).
 *
 *   npx node bench/lookup.ts [--quick]
 */
import path from 'node:path';
import { scanProject } from '../src/core/project/index.ts';
import type { MarketplaceClient } from '../src/core/marketplace/client.ts';
import { banner, compare, iterationsFromArgv, resultTable, tempDir, type Case, type Counters } from './lib.ts';
import { REPO_ROOT, newClient, startMarketplace, type BenchMarketplace } from './marketplace.ts';

const APP = path.join(REPO_ROOT, 'examples', 'app');

/** The plugin requirements of examples/app, as `check` would look them up. */
async function appPlugins(): Promise<string[]> {
  const scan = await scanProject(APP);
  const names = scan.manifests.flatMap((m) => m.dependencies.filter((d) => !d.ignored && d.name.startsWith('fapilog-')).map((d) => d.name));
  return [...new Set(names)].sort();
}

interface Ctx {
  client: MarketplaceClient;
  remove: () => Promise<void>;
}

function lookupCase(name: string, server: BenchMarketplace, lookup: (client: MarketplaceClient) => Promise<number>): Case<Ctx> {
  return {
    name,
    async setup() {
      const cache = await tempDir('lookup-cache');
      return { client: newClient(server.apiUrl, cache.dir), remove: cache.remove };
    },
    async run({ client }): Promise<Counters> {
      server.resetCounts();
      const found = await lookup(client);
      return { requests: client.requests, '200': server.counts.get(200) ?? 0, '404': server.counts.get(404) ?? 0, found };
    },
    teardown: ({ remove }) => remove(),
  };
}

async function main(): Promise<void> {
  const names = await appPlugins();
  const server = await startMarketplace();
  try {
    const cases = [
      lookupCase('sequential getPlugin+versions (story check_updates)', server, async (client) => {
        await client.fapilogVersions();
        let found = 0;
        for (const name of names) {
          const plugin = await client.getPlugin(name);
          await client.versions(name);
          if (plugin) found++;
        }
        return found;
      }),
      lookupCase('parallel getPlugin+versions (concurrency 4)', server, async (client) => {
        const [, plugins] = await Promise.all([
          client.fapilogVersions(),
          Promise.all(names.map(async (name) => (await Promise.all([client.getPlugin(name), client.versions(name)]))[0])),
        ]);
        return plugins.filter((p) => p !== null).length;
      }),
      lookupCase('one batch() + fapilogVersions()', server, async (client) => {
        const [found] = await Promise.all([client.batch(names), client.fapilogVersions()]);
        return Object.values(found).filter((e) => e !== null).length;
      }),
    ];
    const results = await compare(cases, { warmup: 3, iterations: iterationsFromArgv(40), maxMs: 20_000 });
    console.log(banner('lookup: resolving the plugins of examples/app'));
    console.log(`${names.length} plugin requirements: ${names.join(', ')}\n`);
    console.log(resultTable(results, ['requests', '200', '404', 'found']));
  } finally {
    await server.stop();
  }
}

await main();
