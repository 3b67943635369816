/**
 * The reference server under load: 10,000 plugins of 10 releases each, `fapilog-plugins serve` in
 * its own process on 127.0.0.1, autocannon (from npm) in this one, both on the same machine.
 * Per endpoint and per connection count (1 and 50; 50 only with --quick), a bounded run (5 s;
 * 1 s with --quick):
 * requests per second and latency p50 / p99 (autocannon's histogram has 1 ms resolution).
 *   baseline       a plain node:http server answering a fixed 11-byte JSON body, run the same
 *                  way: the floor of Node's HTTP on this machine
 *   search         GET /api/v1/plugins/search?q=<topic>&per_page=20 (each topic matches 1/16)
 *   plugin GET     GET /api/v1/plugins/<name>, cycling over 100 plugins
 *   batch          GET /api/v1/plugins/batch?names=<50 names> (what one `outdated` asks)
 *   simple index   GET /simple/<package>/, cycling over 100 packages
 * Seeding: 100,000 releases through Store.publish (one transaction and one fsynced file each)
 * would take minutes, so the catalog's rows are written straight into the store (seedDirectly in
 * bench/marketplace.ts: the rows a publish writes, FTS filled by the store's triggers, no wheel
 * files on disk, which no benchmarked route reads). The publish path's rate is measured on a
 * sample and reported, so the gap is visible. The effect of one long search on a parallel request is measured by
 * bench/server-search.ts.
 *
 * With --profile, each endpoint is loaded once more against a server under --cpu-prof and the
 * profile summarised (self time per area and function).
 *
 * The server keeps finished answers of read endpoints until the next write (server/response-cache.ts),
 * so the cells above measure answers from that cache after the first request of each URL. With
 * --what-if, the 1- and 50-connection cells run again against a server started without it
 * (createMarketplace({ responseCache: false }) in a child process): the cost of a request that
 * misses, i.e. the first one after every write.
 *
 * With --postgres, the same endpoints run against the server on PostgreSQL (a cluster started
 * for the run, as the tests start one: test/helpers/postgres.ts), seeded with the same catalog:
 * one instance, then two instances on the one database with the connections split between them
 * (two autocannons at once, their rates added: clients alternating behind a load balancer).
 * Reported as ratios against the SQLite server and the bare node:http baseline.
 *
 * wrk: the same endpoints again under `wrk -t2 -c50` (bench/wrk.ts; C, so the load generator
 * takes less of the 2 cores than autocannon does), --runs times each (default 3, 1 with --quick),
 * interleaved with the baseline, medians reported; the target: a cached plugin GET at >= 0.8x the
 * baseline's rate.
 *
 * --growth: the wrk cells over catalogs of 1,000, 10,000 and 100,000 releases (--sizes 100,1000,10000
 * plugins of 10 releases), each size with its own server, with the slope between sizes.
 *
 *   npx node bench/server-load.ts [--quick] [--profile] [--what-if] [--postgres] [--plugins N] [--runs N] [--out FILE]
 *   npx node bench/server-load.ts --growth [--sizes 100,1000,10000] [--runs N]
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { banner, fmt, markdownTable, tempDir } from './lib.ts';
import { publishRate, REPO_ROOT, seedDirectly } from './marketplace.ts';
import { benchCatalog, pluginPackage, TOPICS } from './monorepo.ts';
import { profileTables, summarizeProfileDir } from './profile.ts';
import { argValue, targetTable, writeResults, type Target } from './results.ts';
import { wrk, type WrkResult } from './wrk.ts';
import { marketplaceScript, serveArgs, startChild, stopChild } from './server-child.ts';
import { startCluster } from '../test/helpers/postgres.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const QUICK = process.argv.includes('--quick');
const PLUGINS = Number(argValue('--plugins', QUICK ? '1000' : '10000'));
const WRK_RUNS = Number(argValue('--runs', QUICK ? '1' : '3'));
const RELEASES = 10;
const DURATION_S = QUICK ? 1 : 5;
// --quick (CI smoke) loads at 50 connections only.
const CONNECTIONS = QUICK ? [50] : [1, 50];

const FLOOR_SERVER = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"ok":true}'); }).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });`;

/** The same bare server, answering a fixed Buffer body of `bytes` bytes (the size of a plugin GET's answer). */
function sizedFloorServer(bytes: number): string {
  return (
    `const body = Buffer.alloc(${bytes}, 'x'); require('node:http').createServer((q, s) => { ` +
    "s.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); s.end(body); })" +
    ".listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });"
  );
}

interface Cell {
  endpoint: string;
  connections: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** Resolves once the server answers a fresh request, i.e. has worked through its backlog. */
async function settle(url: string): Promise<void> {
  const res = await fetch(`${url}/`, { headers: { connection: 'close' } });
  await res.arrayBuffer();
}

async function load(url: string, endpoint: string, paths: string[], connections: number): Promise<Cell> {
  const r = await autocannon({
    url,
    connections,
    duration: DURATION_S,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  return {
    endpoint,
    connections,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

interface Endpoint {
  name: string;
  url: string;
  paths: string[];
  /** The serving process, whose CPU time per request is measured (Linux /proc). */
  pid?: number | undefined;
}

/** User + system CPU time of a process so far (ms), from /proc/<pid>/stat; NaN elsewhere. */
function cpuOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The baseline first, then the server's endpoints over a catalog of `plugins` plugins. */
function endpointsFor(floor: Started, server: Started, plugins: number): Endpoint[] {
  const some = Array.from({ length: 100 }, (_, j) => Math.floor((j * plugins) / 100));
  const batchNames = Array.from({ length: 50 }, (_, j) => pluginPackage(j % plugins)).join(',');
  const at = (s: Started) => ({ url: s.url, pid: s.child.pid });
  return [
    { name: 'baseline: node:http fixed body', ...at(floor), paths: ['/'] },
    { name: 'search q=<topic>, per_page=20', ...at(server), paths: TOPICS.map((t) => `/api/v1/plugins/search?q=${t}&per_page=20`) },
    { name: 'plugin GET', ...at(server), paths: some.map((i) => `/api/v1/plugins/${pluginPackage(i)}`) },
    { name: 'batch of 50 names', ...at(server), paths: [`/api/v1/plugins/batch?names=${batchNames}`] },
    { name: 'simple index page', ...at(server), paths: some.map((i) => `/simple/${pluginPackage(i)}/`) },
  ];
}

interface Started {
  url: string;
  child: ChildProcess;
}

interface WrkCell extends WrkResult {
  endpoint: string;
  runs: number;
  /**
   * The serving process's CPU time per answered request (µs, median of the runs): unlike the rate,
   * it does not drop when other work takes the cores, so it is the steadier ratio on a shared machine.
   */
  cpuUsPerRequest: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/**
 * Every endpoint under `wrk -t2 -c50`, `runs` times, the order rotating each run so that drift on
 * a shared machine spreads over all of them; medians of rate and latency, sums of the counts.
 */
async function wrkRounds(endpoints: readonly Endpoint[], runs: number): Promise<WrkCell[]> {
  const got = new Map<string, Array<WrkResult & { cpuUs: number }>>(endpoints.map((e) => [e.name, []]));
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < endpoints.length; k++) {
      const e = endpoints[(r + k) % endpoints.length]!;
      const cpu0 = cpuOf(e.pid);
      const res = await wrk(e.url, e.paths, { connections: 50, threads: 2, durationS: DURATION_S });
      await settle(e.url);
      got.get(e.name)!.push({ ...res, cpuUs: ((cpuOf(e.pid) - cpu0) * 1000) / (res.total + 1) });
    }
  }
  return endpoints.map((e) => {
    const rs = got.get(e.name)!;
    return {
      endpoint: e.name,
      runs: rs.length,
      reqPerSec: median(rs.map((x) => x.reqPerSec)),
      p50Ms: median(rs.map((x) => x.p50Ms)),
      p99Ms: median(rs.map((x) => x.p99Ms)),
      cpuUsPerRequest: median(rs.map((x) => x.cpuUs)),
      total: rs.reduce((n, x) => n + x.total, 0),
      non2xx: rs.reduce((n, x) => n + x.non2xx, 0),
      errors: rs.reduce((n, x) => n + x.errors, 0),
    };
  });
}

function wrkTable(cells: readonly WrkCell[]): string {
  const base = cells[0]!.reqPerSec;
  return markdownTable(
    [
      'endpoint (wrk -t2 -c50)',
      'runs',
      'req/s (median)',
      'ratio vs baseline',
      'server CPU µs per request',
      'CPU ratio (baseline / this)',
      'p50 ms',
      'p99 ms',
      'requests',
      'non-2xx',
      'errors',
    ],
    cells.map((c, i) => [
      c.endpoint,
      String(c.runs),
      c.reqPerSec.toFixed(0),
      i === 0 ? '1.00 (baseline)' : (c.reqPerSec / base).toFixed(3),
      c.cpuUsPerRequest.toFixed(1),
      i === 0 ? '1.00 (baseline)' : (cells[0]!.cpuUsPerRequest / c.cpuUsPerRequest).toFixed(3),
      c.p50Ms.toFixed(2),
      c.p99Ms.toFixed(2),
      String(c.total),
      String(c.non2xx),
      String(c.errors),
    ]),
  );
}

/** The wrk cells over growing catalogs, one server per size, against one baseline server. */
async function growth(): Promise<void> {
  const sizes = argValue('--sizes', '100,1000,10000')
    .split(',')
    .map((n) => Number(n));
  console.log(banner(`server growth: catalogs of ${sizes.map((n) => n * RELEASES).join(', ')} releases under wrk -t2 -c50`));
  const work = await tempDir('server-growth');
  const children: ChildProcess[] = [];
  try {
    const floor = await startChild(['-e', FLOOR_SERVER]);
    children.push(floor.child);
    const rows: Array<{ plugins: number; releases: number; seedMs: number; dbBytes: number; cells: WrkCell[] }> = [];
    for (const plugins of sizes) {
      const dataDir = path.join(work.dir, `data-${plugins}`);
      const seeded = await seedDirectly(dataDir, benchCatalog({ plugins, releases: RELEASES }));
      const server = await startChild(serveArgs(dataDir));
      children.push(server.child);
      const endpoints = endpointsFor(floor, server, plugins);
      for (const e of endpoints)
        await autocannon({ url: e.url, connections: 4, amount: 20, requests: e.paths.map((p) => ({ method: 'GET', path: p })) });
      rows.push({
        plugins,
        releases: plugins * RELEASES,
        seedMs: seeded.ms,
        dbBytes: seeded.bytes,
        cells: await wrkRounds(endpoints, WRK_RUNS),
      });
      await stopChild(server.child);
      console.log(`${plugins * RELEASES} releases: done (database ${(seeded.bytes / 1e6).toFixed(1)} MB)`);
    }
    const names = rows[0]!.cells.map((c) => c.endpoint);
    const table: string[][] = [];
    for (const name of names) {
      rows.forEach((row, i) => {
        const c = row.cells.find((x) => x.endpoint === name)!;
        const base = row.cells[0]!.reqPerSec;
        const prev = i > 0 ? rows[i - 1]!.cells.find((x) => x.endpoint === name)! : undefined;
        table.push([
          name,
          String(row.releases),
          c.reqPerSec.toFixed(0),
          name === names[0] ? '1.00 (baseline)' : (c.reqPerSec / base).toFixed(3),
          c.cpuUsPerRequest.toFixed(1),
          c.p50Ms.toFixed(2),
          c.p99Ms.toFixed(2),
          prev ? `${(((c.cpuUsPerRequest - prev.cpuUsPerRequest) / (row.releases - rows[i - 1]!.releases)) * 1000).toFixed(3)}` : '-',
          prev ? `${(c.cpuUsPerRequest / prev.cpuUsPerRequest).toFixed(2)}x` : '-',
          String(c.non2xx + c.errors),
        ]);
      });
    }
    console.log(
      markdownTable(
        [
          'endpoint',
          'releases',
          'req/s (median)',
          'ratio vs baseline',
          'server CPU µs per request',
          'p50 ms',
          'p99 ms',
          'slope: CPU ns per request per extra release',
          'CPU per request vs the size before',
          'non-2xx + errors',
        ],
        table,
      ),
    );
    const file = await writeResults('server-growth', { releasesPerPlugin: RELEASES, durationS: DURATION_S, runs: WRK_RUNS, rows });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    for (const c of children) await stopChild(c);
    await work.remove();
  }
}

async function main(): Promise<void> {
  console.log(banner(`server under load: ${PLUGINS} plugins x ${RELEASES} releases, autocannon on the same machine`));
  const work = await tempDir('server-load');
  const children: ChildProcess[] = [];
  try {
    const dataDir = path.join(work.dir, 'data');
    const seeded = await seedDirectly(dataDir, benchCatalog({ plugins: PLUGINS, releases: RELEASES }));
    const seedMs = seeded.ms;
    const dbBytes = seeded.bytes;
    const sample = QUICK ? 20 : 200;
    const rate = await publishRate(path.join(work.dir, 'rate'), sample);
    console.log(
      `seeded ${PLUGINS * RELEASES} releases directly in ${fmt(seedMs)} ms; database ${(dbBytes / 1e6).toFixed(1)} MB; Store.publish: ${rate.toFixed(0)} releases/s on ${sample} (so ${fmt((PLUGINS * RELEASES) / rate)} s for this catalog that way)\n`,
    );
    const floor = await startChild(['-e', FLOOR_SERVER]);
    children.push(floor.child);
    const server = await startChild(serveArgs(dataDir));
    children.push(server.child);
    const endpoints = endpointsFor(floor, server, PLUGINS);
    // One short untimed pass: the server's statement cache and the OS page cache.
    for (const e of endpoints)
      await autocannon({ url: e.url, connections: 4, amount: 20, requests: e.paths.map((p) => ({ method: 'GET', path: p })) });
    const cells: Cell[] = [];
    for (const connections of CONNECTIONS) {
      for (const e of endpoints) {
        cells.push(await load(e.url, e.name, e.paths, connections));
        // autocannon stops counting at the deadline, but the server still owes answers to the
        // requests in flight; the next cell starts once it has caught up.
        await settle(e.url);
      }
    }
    const baseRps = new Map(
      CONNECTIONS.map((c) => [c, cells.find((x) => x.connections === c && x.endpoint === endpoints[0]!.name)!.reqPerSec]),
    );
    console.log(
      markdownTable(
        ['endpoint', 'connections', 'req/s', 'ratio vs baseline', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors'],
        cells.map((c) => [
          c.endpoint,
          String(c.connections),
          c.reqPerSec.toFixed(0),
          c.endpoint === endpoints[0]!.name ? '1.00 (baseline)' : (c.reqPerSec / baseRps.get(c.connections)!).toFixed(3),
          String(c.p50Ms),
          String(c.p99Ms),
          String(c.total),
          String(c.non2xx),
          String(c.errors),
        ]),
      ),
    );
    const search50 = cells.find((c) => c.connections === 50 && c.endpoint.startsWith('search'))!;
    const getBest = Math.max(...cells.filter((c) => c.endpoint === 'plugin GET').map((c) => c.reqPerSec));
    const targets: Target[] = [
      { what: 'search p99 at 50 connections', value: `${search50.p99Ms} ms`, target: '< 10 ms', met: search50.p99Ms < 10 },
      { what: 'plugin GETs per second (best of 1 / 50 connections)', value: getBest.toFixed(0), target: '>= 5,000', met: getBest >= 5000 },
      {
        what: 'no errors or non-2xx answers',
        value: String(cells.reduce((n, c) => n + c.errors + c.non2xx, 0)),
        target: '0',
        met: cells.every((c) => c.errors + c.non2xx === 0),
      },
    ];
    // A second floor: the bare server sending as many bytes as one plugin GET answer (a Buffer, as
    // the response cache keeps it), which tells the cost of the bytes from the cost of our code.
    const getPath = endpoints.find((e) => e.name === 'plugin GET')!.paths[0]!;
    const getBytes = (await (await fetch(server.url + getPath)).arrayBuffer()).byteLength;
    const sized = await startChild(['-e', sizedFloorServer(getBytes)]);
    children.push(sized.child);
    const sizedName = `baseline: node:http fixed ${getBytes}-byte body (a plugin GET's size)`;
    const wrkCells = await wrkRounds(
      [...endpoints.slice(0, 1), { name: sizedName, url: sized.url, pid: sized.child.pid, paths: ['/'] }, ...endpoints.slice(1)],
      WRK_RUNS,
    );
    console.log(
      `\n## the same under wrk -t2 -c50 (${WRK_RUNS} run${WRK_RUNS === 1 ? '' : 's'} of ${DURATION_S} s each, medians)\n\n` +
        wrkTable(wrkCells),
    );
    const wrkGet = wrkCells.find((c) => c.endpoint === 'plugin GET')!;
    const floorRps = wrkCells[0]!.reqPerSec;
    const floorCpu = wrkCells[0]!.cpuUsPerRequest;
    targets.push({
      what: 'cached plugin GET vs bare node:http, wrk -t2 -c50',
      value: `${(wrkGet.reqPerSec / floorRps).toFixed(3)}x (${wrkGet.reqPerSec.toFixed(0)} vs ${floorRps.toFixed(0)}/s)`,
      target: '>= 0.8x',
      met: wrkGet.reqPerSec >= 0.8 * floorRps,
    });
    const wrkSized = wrkCells.find((c) => c.endpoint === sizedName)!;
    targets.push({
      what: `cached plugin GET vs bare node:http sending the same ${getBytes} bytes (reported)`,
      value:
        `${(wrkGet.reqPerSec / wrkSized.reqPerSec).toFixed(3)}x rate, ` +
        `${(wrkSized.cpuUsPerRequest / wrkGet.cpuUsPerRequest).toFixed(3)}x CPU`,
      target: '-',
      met: true,
    });
    targets.push({
      what: 'cached plugin GET vs bare node:http, server CPU per request (reported)',
      value: `${(floorCpu / wrkGet.cpuUsPerRequest).toFixed(3)}x (${wrkGet.cpuUsPerRequest.toFixed(1)} vs ${floorCpu.toFixed(1)} µs)`,
      target: '-',
      met: true,
    });
    console.log(`\n${targetTable(targets)}`);
    let whatIf: Cell[] | null = null;
    if (process.argv.includes('--what-if')) {
      // The same cells against a server that answers every request from the database.
      const plain = await startChild(['--input-type=module', '-e', marketplaceScript(dataDir, { cache: false })]);
      children.push(plain.child);
      whatIf = [];
      for (const connections of CONNECTIONS) {
        for (const e of endpoints.slice(1)) {
          await autocannon({ url: plain.url, connections: 4, amount: 20, requests: e.paths.map((p) => ({ method: 'GET', path: p })) });
          whatIf.push(await load(plain.url, e.name, e.paths, connections));
          await settle(plain.url);
        }
      }
      await stopChild(plain.child);
      const cached = (c: Cell) => cells.find((x) => x.connections === c.connections && x.endpoint === c.endpoint)!;
      console.log(
        `\n## what-if: no response cache (every request misses: the first after each write)\n\n${markdownTable(
          ['endpoint', 'connections', 'req/s', 'vs with the cache', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
          whatIf.map((c) => [
            c.endpoint,
            String(c.connections),
            c.reqPerSec.toFixed(0),
            `${(c.reqPerSec / cached(c).reqPerSec).toFixed(2)}x`,
            String(c.p50Ms),
            String(c.p99Ms),
            String(c.non2xx),
            String(c.errors),
          ]),
        )}`,
      );
    }
    let postgres: Cell[] | null = null;
    if (process.argv.includes('--postgres')) {
      postgres = [];
      const cluster = await startCluster();
      try {
        const databaseUrl = await cluster.createDatabase();
        const pgSeed = await seedDirectly(dataDir, benchCatalog({ plugins: PLUGINS, releases: RELEASES }), { databaseUrl });
        console.log(`\nPostgreSQL: seeded ${PLUGINS * RELEASES} releases in ${fmt(pgSeed.ms)} ms`);
        const one = await startChild(serveArgs(path.join(work.dir, 'pg-a'), { databaseUrl }));
        children.push(one.child);
        const two = await startChild(serveArgs(path.join(work.dir, 'pg-b'), { databaseUrl }));
        children.push(two.child);
        for (const connections of CONNECTIONS) {
          for (const e of endpoints.slice(1)) {
            for (const u of [one.url, two.url])
              await autocannon({ url: u, connections: 4, amount: 20, requests: e.paths.map((p) => ({ method: 'GET', path: p })) });
            const single = await load(one.url, e.name, e.paths, connections);
            postgres.push({ ...single, endpoint: `${e.name} [pg, 1 instance]` });
            await settle(one.url);
            // Two instances: the connections split between them, both loaded at once.
            const half = Math.max(1, Math.floor(connections / 2));
            const [a, b] = await Promise.all([
              load(one.url, e.name, e.paths, half),
              load(two.url, e.name, e.paths, connections - half || 1),
            ]);
            postgres.push({
              endpoint: `${e.name} [pg, 2 instances]`,
              connections: half + (connections - half || 1),
              reqPerSec: a.reqPerSec + b.reqPerSec,
              p50Ms: Math.max(a.p50Ms, b.p50Ms),
              p99Ms: Math.max(a.p99Ms, b.p99Ms),
              total: a.total + b.total,
              non2xx: a.non2xx + b.non2xx,
              errors: a.errors + b.errors,
            });
            await settle(one.url);
            await settle(two.url);
          }
        }
        await stopChild(one.child);
        await stopChild(two.child);
      } finally {
        cluster.stop();
      }
      const sqliteOf = (c: Cell) => cells.find((x) => x.connections === c.connections && c.endpoint.startsWith(x.endpoint))!;
      console.log(
        `\n## PostgreSQL: one and two instances on one database\n\n${markdownTable(
          ['endpoint', 'connections', 'req/s', 'vs SQLite', 'vs baseline', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
          postgres.map((c) => {
            const base = sqliteOf(c) ?? cells.find((x) => c.endpoint.startsWith(x.endpoint))!;
            return [
              c.endpoint,
              String(c.connections),
              c.reqPerSec.toFixed(0),
              `${(c.reqPerSec / base.reqPerSec).toFixed(2)}x`,
              (c.reqPerSec / (baseRps.get(base.connections) ?? 1)).toFixed(3),
              String(c.p50Ms),
              String(c.p99Ms),
              String(c.non2xx),
              String(c.errors),
            ];
          }),
        )}`,
      );
    }
    const profiles: Record<string, unknown> = {};
    if (process.argv.includes('--profile')) {
      // One server per endpoint under --cpu-prof, loaded at 50 connections: where its time goes.
      for (const e of endpoints.slice(1)) {
        const dir = path.join(work.dir, `prof-${e.name.replace(/\W+/g, '-')}`);
        const prof = await startChild(serveArgs(dataDir, { profileDir: dir }));
        children.push(prof.child);
        await load(prof.url, e.name, e.paths, 50);
        await settle(prof.url);
        await stopChild(prof.child);
        const summary = await summarizeProfileDir(dir, REPO_ROOT);
        console.log(`\n## server profile: ${e.name}, 50 connections\n\n${profileTables(summary, 12)}`);
        profiles[e.name] = { byArea: summary.byArea.slice(0, 15), byFunction: summary.byFunction.slice(0, 25) };
      }
    }
    const file = await writeResults('server-load', {
      plugins: PLUGINS,
      releases: RELEASES,
      durationS: DURATION_S,
      seedMs,
      dbBytes,
      publishRatePerS: rate,
      cells,
      wrk: wrkCells,
      targets,
      whatIf,
      postgres,
      profiles,
    });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    for (const c of children) await stopChild(c);
    await work.remove();
  }
}

await (process.argv.includes('--growth') ? growth() : main());
