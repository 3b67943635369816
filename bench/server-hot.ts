/**
 * The smallest measurement of the cached plugin GET against a bare node:http server: both in child
 * processes, `wrk -t2 -c50` on each in turn (`--runs` rounds of `--seconds` s, interleaved), the
 * rate ratio and each serving process's CPU per request (the steadier figure on a shared machine).
 * 100 plugins seeded directly; `--profile DIR` runs the server under --cpu-prof (written at exit).
 * A third server, bare node:http sending one plugin GET answer's exact header lines and body, tells
 * what our code costs apart from what is sent (Node's header handling and the bytes).
 *
 *   npx node bench/server-hot.ts [--runs 3] [--seconds 3] [--profile DIR]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './lib.ts';
import { REPO_ROOT, seedDirectly } from './marketplace.ts';
import { profileTables, summarizeProfileDir } from './profile.ts';
import { benchCatalog, pluginPackage } from './monorepo.ts';
import { argValue } from './results.ts';
import { serveArgs, startChild, stopChild } from './server-child.ts';
import { wrk } from './wrk.ts';

const RUNS = Number(argValue('--runs', '3'));
const SECONDS = Number(argValue('--seconds', '3'));
const PROFILE = argValue('--profile', '');
const FLOOR =
  `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end('{"ok":true}'); })` +
  `.listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });`;

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

const work = await tempDir('server-hot');
const dataDir = path.join(work.dir, 'data');
await seedDirectly(dataDir, benchCatalog({ plugins: 100, releases: 10 }));
const floor = await startChild(['-e', FLOOR]);
const server = await startChild(serveArgs(dataDir, PROFILE ? { profileDir: PROFILE } : {}));
const paths = Array.from({ length: 100 }, (_, i) => `/api/v1/plugins/${pluginPackage(i)}`);
let same: Awaited<ReturnType<typeof startChild>> | undefined;
try {
  for (const p of paths) await (await fetch(server.url + p)).arrayBuffer();
  const sample = await fetch(server.url + paths[0]!);
  const lines = [...sample.headers].filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)).flat();
  const text = await sample.text();
  same = await startChild([
    '-e',
    `const lines = ${JSON.stringify(lines)}; const body = ${JSON.stringify(text)}; ` +
      `require('node:http').createServer((q, s) => { s.writeHead(200, lines); s.end(body); })` +
      `.listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });`,
  ]);
  // One untimed second each: the JIT has compiled both servers' paths before anything is measured.
  await wrk(floor.url, ['/'], { connections: 50, threads: 2, durationS: 1 });
  await wrk(server.url, paths, { connections: 50, threads: 2, durationS: 1 });
  await wrk(same.url, ['/'], { connections: 50, threads: 2, durationS: 1 });
  const rows: Array<{ floorRps: number; getRps: number; floorCpu: number; getCpu: number; sameRps: number; sameCpu: number }> = [];
  for (let r = 0; r < RUNS; r++) {
    const one = async (url: string, pid: number, ps: string[]) => {
      const c0 = cpuMs(pid);
      const res = await wrk(url, ps, { connections: 50, threads: 2, durationS: SECONDS });
      if (res.non2xx + res.errors > 0) throw new Error(`non-2xx ${res.non2xx}, errors ${res.errors}`);
      return { rps: res.reqPerSec, cpuUs: ((cpuMs(pid) - c0) * 1000) / res.total };
    };
    const f = await one(floor.url, floor.child.pid!, ['/']);
    const g = await one(server.url, server.child.pid!, paths);
    const b = await one(same.url, same.child.pid!, ['/']);
    rows.push({ floorRps: f.rps, getRps: g.rps, floorCpu: f.cpuUs, getCpu: g.cpuUs, sameRps: b.rps, sameCpu: b.cpuUs });
    console.log(
      `run ${r + 1}: bare ${f.rps.toFixed(0)}/s ${f.cpuUs.toFixed(1)} µs/req; ` +
        `plugin GET ${g.rps.toFixed(0)}/s ${g.cpuUs.toFixed(1)} µs/req; ` +
        `bare with its bytes ${b.rps.toFixed(0)}/s ${b.cpuUs.toFixed(1)} µs/req; ` +
        `ratio ${(g.rps / f.rps).toFixed(3)}x`,
    );
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  console.log(
    `median ratio ${med(rows.map((x) => x.getRps / x.floorRps)).toFixed(3)}x; ` +
      `CPU per request ${med(rows.map((x) => x.getCpu)).toFixed(1)} vs ` +
      `${med(rows.map((x) => x.floorCpu)).toFixed(1)} µs (CPU ratio ${med(rows.map((x) => x.floorCpu / x.getCpu)).toFixed(3)}); ` +
      `vs the bare server sending the same bytes: ${med(rows.map((x) => x.getRps / x.sameRps)).toFixed(3)}x rate, ` +
      `${med(rows.map((x) => x.sameCpu)).toFixed(1)} µs`,
  );
} finally {
  await stopChild(server.child);
  await stopChild(floor.child);
  if (same) await stopChild(same.child);
  await work.remove();
}
if (PROFILE)
  console.log(`\n## server profile: plugin GET under wrk\n\n${profileTables(await summarizeProfileDir(PROFILE, REPO_ROOT), 25)}`);
