/**
 * The web catalog under load, as ratios against the JSON API answering the same question on the
 * same server: the plugin page against `GET /api/v1/plugins/{name}/versions` (the releases the
 * page shows) and the search page against `GET /api/v1/plugins/search?q=` (the same query, 20
 * per page). Same catalog as bench/server-load.ts (seeded directly), `fapilog-plugins serve` in
 * its own process, autocannon here; 1 and 50 connections (50 only with --quick), 5 s a cell
 * (1 s with --quick).
 *
 * Pages are cached like the API (server/response-cache.ts), so the first table measures answers
 * from that cache after each URL's first request; the second (always run) is the same against a
 * server without the cache: what a miss costs (rendering, the matrix, the README from its memo),
 * i.e. the first request of each URL after a write.
 *
 *   npx node bench/web-load.ts [--quick] [--out FILE]
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { banner, markdownTable, tempDir } from './lib.ts';
import { seedDirectly } from './marketplace.ts';
import { marketplaceScript, startChild, stopChild } from './server-child.ts';
import { benchCatalog, pluginPackage, pluginShort, TOPICS } from './monorepo.ts';
import { targetTable, writeResults, type Target } from './results.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}>;

const QUICK = process.argv.includes('--quick');
const PLUGINS = QUICK ? 1000 : 10_000;
const RELEASES = 10;
const DURATION_S = QUICK ? 1 : 5;
const CONNECTIONS = QUICK ? [50] : [1, 50];

interface Cell {
  what: string;
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  bad: number;
}

async function load(url: string, what: string, paths: string[], connections: number): Promise<Cell> {
  const r = await autocannon({ url, connections, duration: DURATION_S, requests: paths.map((p) => ({ method: 'GET', path: p })) });
  return {
    what,
    connections,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function settle(url: string): Promise<void> {
  await (await fetch(`${url}/static/site.css`, { headers: { connection: 'close' } })).arrayBuffer();
}

interface Pair {
  name: string;
  page: string[];
  api: string[];
}

async function runPairs(url: string, pairs: Pair[]): Promise<Array<{ pair: string; connections: number; page: Cell; api: Cell }>> {
  for (const p of pairs) {
    for (const paths of [p.page, p.api])
      await autocannon({
        url,
        connections: 4,
        amount: Math.min(200, paths.length * 2),
        requests: paths.map((x) => ({ method: 'GET', path: x })),
      });
  }
  const out = [];
  for (const connections of CONNECTIONS) {
    for (const p of pairs) {
      const api = await load(url, `${p.name} (JSON API)`, p.api, connections);
      await settle(url);
      const page = await load(url, `${p.name} (page)`, p.page, connections);
      await settle(url);
      out.push({ pair: p.name, connections, page, api });
    }
  }
  return out;
}

function table(rows: Awaited<ReturnType<typeof runPairs>>): string {
  return markdownTable(
    ['page', 'connections', 'page req/s', 'API req/s', 'page / API', 'page p50 / p99 ms', 'API p50 / p99 ms', 'non-2xx or errors'],
    rows.map((r) => [
      r.pair,
      String(r.connections),
      r.page.reqPerSec.toFixed(0),
      r.api.reqPerSec.toFixed(0),
      (r.page.reqPerSec / r.api.reqPerSec).toFixed(2),
      `${r.page.p50Ms} / ${r.page.p99Ms}`,
      `${r.api.p50Ms} / ${r.api.p99Ms}`,
      String(r.page.bad + r.api.bad),
    ]),
  );
}

async function main(): Promise<void> {
  console.log(banner(`web pages under load against the JSON API: ${PLUGINS} plugins x ${RELEASES} releases`));
  const work = await tempDir('web-load');
  const children: ChildProcess[] = [];
  try {
    const dataDir = path.join(work.dir, 'data');
    await seedDirectly(dataDir, benchCatalog({ plugins: PLUGINS, releases: RELEASES }));
    const some = Array.from({ length: 100 }, (_, j) => Math.floor((j * PLUGINS) / 100));
    const pairs: Pair[] = [
      {
        name: 'plugin page',
        page: some.map((i) => `/plugins/${pluginShort(i)}`),
        api: some.map((i) => `/api/v1/plugins/${pluginPackage(i)}/versions`),
      },
      { name: 'search page', page: TOPICS.map((t) => `/?q=${t}`), api: TOPICS.map((t) => `/api/v1/plugins/search?q=${t}&per_page=20`) },
    ];
    const cached = await startChild(['--input-type=module', '-e', marketplaceScript(dataDir, { cache: true })]);
    children.push(cached.child);
    const withCache = await runPairs(cached.url, pairs);
    await stopChild(cached.child);
    console.log(`\n## with the response cache (what a repeated URL costs)\n\n${table(withCache)}`);
    const plain = await startChild(['--input-type=module', '-e', marketplaceScript(dataDir, { cache: false })]);
    children.push(plain.child);
    const noCache = await runPairs(plain.url, pairs);
    await stopChild(plain.child);
    console.log(`\n## without it (every request renders: the first after each write)\n\n${table(noCache)}`);
    const worst = (rows: typeof withCache) => Math.min(...rows.map((r) => r.page.reqPerSec / r.api.reqPerSec));
    const targets: Target[] = [
      {
        what: 'page / API, cached answers (worst cell)',
        value: worst(withCache).toFixed(2),
        target: '>= 0.8',
        met: worst(withCache) >= 0.8,
      },
      {
        what: 'page / API, rendered every time (worst cell)',
        value: worst(noCache).toFixed(2),
        target: '>= 0.25',
        met: worst(noCache) >= 0.25,
      },
      {
        what: 'no errors or non-2xx answers',
        value: String([...withCache, ...noCache].reduce((n, r) => n + r.page.bad + r.api.bad, 0)),
        target: '0',
        met: [...withCache, ...noCache].every((r) => r.page.bad + r.api.bad === 0),
      },
    ];
    console.log(`\n${targetTable(targets)}`);
    const file = await writeResults('web-load', {
      plugins: PLUGINS,
      releases: RELEASES,
      durationS: DURATION_S,
      withCache,
      noCache,
      targets,
    });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    for (const c of children) await stopChild(c);
    await work.remove();
  }
}

await main();
