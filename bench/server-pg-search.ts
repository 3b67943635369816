/**
 * Search p99 on PostgreSQL, alone: a cluster started for the run (as the tests start one), a
 * catalog seeded directly, `serve --database-url` in a child process, autocannon at 50 connections
 * (`--connections`) over the 16 topic searches (cached after the first of each). Prints p50 / p99 and the rate.
 * `--profile DIR` runs the server under --cpu-prof; `--instances 2` splits the connections over two;
 * `--sqlite` serves the same catalog from SQLite instead (the same-run reference: SQLite met the target).
 *
 *   npx node bench/server-pg-search.ts [--plugins 2000] [--seconds 5] [--instances 1] [--connections 50] [--sqlite] [--profile DIR]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { tempDir } from './lib.ts';
import { REPO_ROOT, seedDirectly } from './marketplace.ts';
import { benchCatalog, TOPICS } from './monorepo.ts';
import { profileTables, summarizeProfileDir } from './profile.ts';
import { argValue } from './results.ts';
import { serveArgs, startChild, stopChild } from './server-child.ts';
import { startCluster } from '../test/helpers/postgres.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}>;

const PLUGINS = Number(argValue('--plugins', '2000'));
const SECONDS = Number(argValue('--seconds', '5'));
const INSTANCES = Number(argValue('--instances', '1'));
const PROFILE = argValue('--profile', '');
const SQLITE = process.argv.includes('--sqlite');
const CONNECTIONS = Number(argValue('--connections', '50'));

const work = await tempDir('server-pg-search');
const cluster = SQLITE ? null : await startCluster();
const children: Array<Awaited<ReturnType<typeof startChild>>> = [];
try {
  const databaseUrl = cluster ? await cluster.createDatabase() : undefined;
  const seedDir = path.join(work.dir, 'seed');
  const seeded = await seedDirectly(seedDir, benchCatalog({ plugins: PLUGINS, releases: 10 }), databaseUrl ? { databaseUrl } : {});
  console.log(`seeded ${PLUGINS * 10} releases in ${(seeded.ms / 1000).toFixed(1)} s`);
  for (let i = 0; i < INSTANCES; i++) {
    children.push(
      await startChild(
        serveArgs(databaseUrl ? path.join(work.dir, `data-${i}`) : seedDir, {
          ...(databaseUrl ? { databaseUrl } : {}),
          ...(PROFILE ? { profileDir: PROFILE } : {}),
        }),
      ),
    );
  }
  const requests = TOPICS.map((t) => ({ method: 'GET', path: `/api/v1/plugins/search?q=${t}&per_page=20` }));
  for (const c of children) await autocannon({ url: c.url, connections: 4, amount: 64, requests });
  const per = Math.max(1, Math.floor(CONNECTIONS / INSTANCES));
  const results = await Promise.all(children.map((c) => autocannon({ url: c.url, connections: per, duration: SECONDS, requests })));
  for (const [i, r] of results.entries()) {
    console.log(
      `instance ${i + 1}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
        `max ${r.latency.max} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
    );
  }
} finally {
  for (const c of children) await stopChild(c.child);
  cluster?.stop();
  await work.remove();
}
if (PROFILE) console.log(`\n## server profile\n\n${profileTables(await summarizeProfileDir(PROFILE, REPO_ROOT), 25)}`);
