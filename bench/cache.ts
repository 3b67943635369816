/**
 * The client's cache modes, for getPlugin + versions of several plugins (issued together, as
 * the client's callers do):
 *   baseline        online, empty cache: every GET goes out and answers 200, the body is stored;
 *   warm online     online, warm cache: every GET is revalidated with If-None-Match and gets 304;
 *   prefer-offline  warm cache younger than the TTL: served from disk, no request;
 *   offline         warm cache: served from disk, never asks.
 * A fresh client per iteration, since a client de-duplicates a URL it has already answered.
 *
 *   npx node bench/cache.ts [--quick]
 */
import type { CacheMode } from '../src/core/config.ts';
import type { MarketplaceClient } from '../src/core/marketplace/client.ts';
import { banner, compare, iterationsFromArgv, resultTable, tempDir, type Case, type Counters } from './lib.ts';
import { newClient, startMarketplace, type BenchMarketplace } from './marketplace.ts';

const PLUGINS = ['loki', 'kafka', 'datadog', 'otel', 'redact-pii', 'sampling', 'request-context', 'cloudwatch'];

async function lookUp(client: MarketplaceClient): Promise<number> {
  const answers = await Promise.all(PLUGINS.flatMap((name) => [client.getPlugin(name), client.versions(name)]));
  const missing = answers.filter((a) => a === null).length;
  if (missing > 0) throw new Error(`${missing} lookups came back empty: the bench would measure the wrong thing`);
  return answers.length;
}

function modeCase(
  name: string,
  server: BenchMarketplace,
  mode: CacheMode,
  cacheDir: () => Promise<{ dir: string; remove?: () => Promise<void> }>,
): Case<{ client: MarketplaceClient; remove?: () => Promise<void> }> {
  return {
    name,
    async setup() {
      const cache = await cacheDir();
      return { client: newClient(server.apiUrl, cache.dir, mode), ...(cache.remove ? { remove: cache.remove } : {}) };
    },
    async run({ client }): Promise<Counters> {
      server.resetCounts();
      const lookups = await lookUp(client);
      return { lookups, requests: client.requests, '200': server.counts.get(200) ?? 0, '304': server.counts.get(304) ?? 0 };
    },
    teardown: async ({ remove }) => remove?.(),
  };
}

async function main(): Promise<void> {
  const server = await startMarketplace();
  const warm = await tempDir('cache-warm');
  try {
    // Fill the shared cache once; warm online keeps refreshing its fetchedAt, so prefer-offline stays inside the TTL.
    await lookUp(newClient(server.apiUrl, warm.dir, 'online'));
    const cases = [
      modeCase('online, cold cache (fetch)', server, 'online', () => tempDir('cache-cold')),
      modeCase('online, warm cache (304 revalidation)', server, 'online', async () => ({ dir: warm.dir })),
      modeCase('prefer-offline, warm cache', server, 'prefer-offline', async () => ({ dir: warm.dir })),
      modeCase('offline, warm cache', server, 'offline', async () => ({ dir: warm.dir })),
    ];
    const results = await compare(cases, { warmup: 3, iterations: iterationsFromArgv(50), maxMs: 20_000 });
    console.log(banner('cache: getPlugin + versions of 8 plugins per cache mode'));
    console.log(resultTable(results, ['lookups', 'requests', '200', '304']));
  } finally {
    await warm.remove();
    await server.stop();
  }
}

await main();
