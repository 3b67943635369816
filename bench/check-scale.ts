/**
 * Check at scale: `fapilog-plugins outdated <monorepo> --json` as a whole process, on a generated
 * monorepo of 1,000 services (one manifest each, in every supported format, plus includes and
 * lockfiles) that mention 50 distinct plugins, against the reference server on 127.0.0.1 holding
 * 1,000 plugins of 5 releases (rows written straight into its store, untimed: seedDirectly).
 *   baseline        `node -e 0` (what starting Node costs)
 *   cold cache      an empty cache directory per run (a fresh CI runner)
 *   warm cache      a cache filled by an earlier run: every entry is revalidated (304)
 *   prefer-offline  the warm cache with --prefer-offline: nothing should be asked
 * Per case: wall time (spawn to exit), CPU time and peak RSS (the child's own resourceUsage), and
 * the requests the server answered, by path. Cases run round-robin with a rotating order.
 * Also checks the answers: each service pins its own fapilog, so a report entry judged against
 * another service's fapilog, or a proposed version the service's fapilog does not support, is
 * counted.
 *
 * The CLI measured is the form the npm package ships, the one `npx fapilog-plugins` runs: the
 * esbuild bundle (bench/compiled.ts, scripts/cli-bundle.ts). Three more rows, cold cache: the
 * sources compiled with tsc (the package's form before the bundle), the checkout's TypeScript
 * sources (Node strips the types at every start), and the shipped form with Node's compile cache
 * off (NODE_DISABLE_COMPILE_CACHE=1: a machine's first run; every other run in this script reuses
 * the cache the untimed first run filled).
 *
 * --growth: how the cost grows with the monorepo: 100, 1,000 and 10,000 services (--sizes a,b,c),
 * each against `node -e 0`, cold cache and --prefer-offline, with the slope between sizes.
 *
 *   npx node bench/check-scale.ts [--quick] [--profile] [--services N] [--rounds N] [--out FILE]
 *   npx node bench/check-scale.ts --growth [--sizes 100,1000,10000] [--rounds N]
 * (--compiled is still accepted: the shipped form is what is measured anyway.)
 */
import path from 'node:path';
import { compileCli, compileCliTsc } from './compiled.ts';
import { judge } from './judge.ts';
import { benchCatalog, generateServices, writeServices } from './monorepo.ts';
import { REPO_ROOT, seedDirectly, startMarketplace } from './marketplace.ts';
import { runNode, summarizeRuns, type ProcessResult } from './process.ts';
import { banner, fmt, markdownTable, median, tempDir } from './lib.ts';
import { profileTables, summarizeProfileDir } from './profile.ts';
import { argValue, targetTable, writeResults, type Target } from './results.ts';

const QUICK = process.argv.includes('--quick');
const SERVICES = Number(argValue('--services', QUICK ? '100' : '1000'));
const DISTINCT = 50;
const CATALOG_PLUGINS = QUICK ? DISTINCT : 1000;
const RELEASES = 5;
const ROUNDS = Number(argValue('--rounds', QUICK ? '1' : '5'));
const CLI = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

interface Run extends ProcessResult {
  requests: Record<string, number>;
}

interface CaseDef {
  name: string;
  /** Returns the argv and cache directory of one run (untimed preparation). */
  prepare: () => Promise<{ args: string[]; cache?: string; env?: NodeJS.ProcessEnv }>;
}

async function main(): Promise<void> {
  console.log(banner('check at scale: outdated on a generated monorepo, as whole CLI processes'));
  const work = await tempDir('check-scale');
  try {
    const repo = path.join(work.dir, 'repo');
    const services = generateServices({ services: SERVICES, distinct: DISTINCT, releases: RELEASES });
    await writeServices(repo, services);
    const fileCount = services.reduce((n, s) => n + Object.keys(s.files).length, 0);
    const seed = await seedDirectly(path.join(work.dir, 'data'), benchCatalog({ plugins: CATALOG_PLUGINS, releases: RELEASES }));
    console.log(
      `${SERVICES} services (${fileCount} files: manifests, includes, lockfiles), ${DISTINCT} distinct plugins; server: ${seed.plugins} plugins x ${RELEASES} releases, seeded in ${fmt(seed.ms)} ms (untimed), ${(seed.bytes / 1e6).toFixed(1)} MB\n`,
    );
    const server = await startMarketplace({ seed: false, dataDir: path.join(work.dir, 'data') });
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, FAPILOG_MARKETPLACE_URL: server.apiUrl, NO_COLOR: '1' };
      delete env['FAPILOG_MARKETPLACE_TOKEN'];
      const warmCache = path.join(work.dir, 'warm-cache');
      const compiled = await compileCli();
      // The tsc row is a comparison with the package's earlier form; --quick (CI's smoke run) leaves it out.
      const tsc = QUICK ? null : await compileCliTsc();
      const tscBuilt = tsc ? `, the tsc output in ${fmt(tsc.ms)} ms` : '';
      console.log(`the shipped form (esbuild bundle) built in ${fmt(compiled.ms)} ms${tscBuilt} (untimed)\n`);
      const outdated = (extra: string[] = [], entry = compiled.entry) => [entry, 'outdated', repo, '--json', ...extra];
      let coldN = 0;
      const coldCache = () => path.join(work.dir, `cold-cache-${coldN++}`);
      const cases: CaseDef[] = [
        { name: 'node -e 0 (baseline)', prepare: async () => ({ args: ['-e', '0'] }) },
        { name: 'outdated, cold cache', prepare: async () => ({ args: outdated(), cache: coldCache() }) },
        { name: 'outdated, warm cache (revalidate)', prepare: async () => ({ args: outdated(), cache: warmCache }) },
        {
          name: 'outdated --prefer-offline, warm cache',
          prepare: async () => ({ args: outdated(['--prefer-offline']), cache: warmCache }),
        },
        ...(tsc
          ? [
              {
                name: 'tsc output (the package before the bundle), cold cache',
                prepare: async () => ({ args: outdated([], tsc.entry), cache: coldCache() }),
              },
            ]
          : []),
        {
          name: 'from the checkout (TypeScript sources), cold cache',
          prepare: async () => ({ args: outdated([], CLI), cache: coldCache() }),
        },
        {
          name: 'no compile cache (first run), cold cache',
          prepare: async () => ({ args: outdated(), cache: coldCache(), env: { NODE_DISABLE_COMPILE_CACHE: '1' } }),
        },
      ];
      const runOnce = async (c: CaseDef, nodeArgs: string[] = []): Promise<Run> => {
        const { args, cache, env: extra } = await c.prepare();
        server.resetCounts();
        const r = await runNode(args, { env: { ...env, ...(cache ? { FAPILOG_MARKETPLACE_CACHE: cache } : {}), ...extra }, nodeArgs });
        if (r.code !== 0 && r.code !== 1) throw new Error(`${c.name} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
        return { ...r, requests: Object.fromEntries(server.paths) };
      };
      // Fills the warm cache (and warms the OS file cache and the server) untimed.
      const first = await runOnce(cases[1]!);
      await runOnce({ name: 'fill warm cache', prepare: async () => ({ args: outdated(), cache: warmCache }) });
      await runOnce({
        name: 'fill the compile cache of the sources',
        prepare: async () => ({ args: outdated([], CLI), cache: coldCache() }),
      });
      if (tsc) {
        await runOnce({
          name: 'fill the compile cache of the tsc output',
          prepare: async () => ({ args: outdated([], tsc.entry), cache: coldCache() }),
        });
      }
      const runs = new Map<string, Run[]>(cases.map((c) => [c.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < cases.length; k++) {
          const c = cases[(round + k) % cases.length]!;
          runs.get(c.name)!.push(await runOnce(c));
        }
      }
      const judged = judge(first.stdout, services);
      const base = median(runs.get(cases[0]!.name)!.map((r) => r.wallMs));
      const summary = cases.map((c) => summarizeRuns(c.name, runs.get(c.name)!));
      console.log(
        markdownTable(
          ['case', 'n', 'wall median ms', 'wall p90 ms', 'ratio vs baseline', 'minus baseline ms', 'CPU ms', 'peak RSS MB', 'requests'],
          summary.map((s, i) => [
            s.name,
            String(s.n),
            fmt(s.wallMedianMs),
            fmt(s.wallP90Ms),
            i === 0 ? '1.00 (baseline)' : (s.wallMedianMs / base).toFixed(2),
            i === 0 ? '-' : fmt(s.wallMedianMs - base),
            fmt(s.cpuMedianMs),
            s.maxRssMb.toFixed(1),
            Object.entries(s.requests)
              .map(([k, v]) => `${v}x ${k}`)
              .join(', ') || 'none',
          ]),
        ),
      );
      console.log(
        `\nanswers (cold run): ${judged.entries} plugin entries; ${judged.wrongFapilog} judged against a fapilog their service does not run; ${judged.proposals} proposals, ${judged.incompatibleProposals} incompatible with the service's own fapilog\n`,
      );
      const [, cold, warm, offline] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
      const wantCold = Math.ceil(DISTINCT / 100) + 1;
      const targets: Target[] = [
        {
          what: 'cold: requests',
          value: String(cold.requestCount),
          target: `${wantCold} (1 batch per 100 plugins + 1 fapilog versions)`,
          met: cold.requestCount <= wantCold,
        },
        { what: '--prefer-offline: requests', value: String(offline.requestCount), target: '0', met: offline.requestCount === 0 },
        ...[cold, warm, offline].map((s) => ({
          what: `${s.name}: wall - baseline`,
          value: `${fmt(s.wallMedianMs - base)} ms`,
          target: '<= 300 ms',
          met: s.wallMedianMs - base <= 300,
        })),
        ...[cold, warm, offline].map((s) => ({
          what: `${s.name}: peak RSS`,
          value: `${s.maxRssMb.toFixed(1)} MB`,
          target: '< 150 MB',
          met: s.maxRssMb < 150,
        })),
        {
          what: 'entries judged against their own fapilog',
          value: `${judged.entries - judged.wrongFapilog} of ${judged.entries}`,
          target: 'all',
          met: judged.wrongFapilog === 0,
        },
      ];
      console.log(targetTable(targets));
      let profile: unknown = null;
      if (process.argv.includes('--profile')) {
        for (const c of [cases[1]!, cases[3]!]) {
          const dir = path.join(work.dir, `prof-${c.name.replace(/\W+/g, '-')}`);
          await runOnce(c, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
          const s = await summarizeProfileDir(dir, REPO_ROOT);
          console.log(`\n## profile: ${c.name}\n\n${profileTables(s)}`);
          profile = {
            ...(profile as object),
            [c.name]: { totalMs: s.totalMs, byArea: s.byArea.slice(0, 20), byFunction: s.byFunction.slice(0, 30) },
          };
        }
      }
      await compiled.remove();
      await tsc?.remove();
      const file = await writeResults('check-scale', {
        measured:
          'the shipped form (esbuild bundle), as npx runs it; plus the tsc output, the TypeScript sources and a run without compile cache',
        services: SERVICES,
        files: fileCount,
        distinctPlugins: DISTINCT,
        catalog: { plugins: CATALOG_PLUGINS, releases: RELEASES, seedMs: seed.ms, bytes: seed.bytes },
        cases: summary,
        answers: judged,
        targets,
        profile,
      });
      console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
    } finally {
      await server.stop();
    }
  } finally {
    await work.remove();
  }
}

/** Cost against size: the same cases over growing monorepos, one server and catalog for all. */
async function growth(): Promise<void> {
  const sizes = argValue('--sizes', '100,1000,10000')
    .split(',')
    .map((n) => Number(n));
  console.log(banner(`check at scale, growth: outdated over ${sizes.join(', ')} services, as whole CLI processes`));
  const work = await tempDir('check-growth');
  try {
    const seed = await seedDirectly(path.join(work.dir, 'data'), benchCatalog({ plugins: CATALOG_PLUGINS, releases: RELEASES }));
    const server = await startMarketplace({ seed: false, dataDir: path.join(work.dir, 'data') });
    const compiled = await compileCli();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, FAPILOG_MARKETPLACE_URL: server.apiUrl, NO_COLOR: '1' };
      delete env['FAPILOG_MARKETPLACE_TOKEN'];
      const rows: { services: number; files: number; cases: ReturnType<typeof summarizeRuns>[]; answers: ReturnType<typeof judge> }[] = [];
      for (const size of sizes) {
        const repo = path.join(work.dir, `repo-${size}`);
        const services = generateServices({ services: size, distinct: DISTINCT, releases: RELEASES });
        await writeServices(repo, services);
        const files = services.reduce((n, s) => n + Object.keys(s.files).length, 0);
        const warm = path.join(work.dir, `warm-${size}`);
        let n = 0;
        const cases: CaseDef[] = [
          { name: 'node -e 0 (baseline)', prepare: async () => ({ args: ['-e', '0'] }) },
          {
            name: 'outdated, cold cache',
            prepare: async () => ({
              args: [compiled.entry, 'outdated', repo, '--json'],
              cache: path.join(work.dir, `cold-${size}-${n++}`),
            }),
          },
          {
            name: 'outdated --prefer-offline, warm cache',
            prepare: async () => ({ args: [compiled.entry, 'outdated', repo, '--json', '--prefer-offline'], cache: warm }),
          },
        ];
        const runOnce = async (c: CaseDef): Promise<Run> => {
          const { args, cache } = await c.prepare();
          server.resetCounts();
          const r = await runNode(args, { env: { ...env, ...(cache ? { FAPILOG_MARKETPLACE_CACHE: cache } : {}) }, timeoutMs: 600_000 });
          if (r.code !== 0 && r.code !== 1) throw new Error(`${c.name} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
          return { ...r, requests: Object.fromEntries(server.paths) };
        };
        const first = await runOnce({
          name: 'fill the warm cache',
          prepare: async () => ({ args: [compiled.entry, 'outdated', repo, '--json'], cache: warm }),
        });
        const runs = new Map<string, Run[]>(cases.map((c) => [c.name, []]));
        for (let round = 0; round < ROUNDS; round++) {
          for (let k = 0; k < cases.length; k++) {
            const c = cases[(round + k) % cases.length]!;
            runs.get(c.name)!.push(await runOnce(c));
          }
        }
        rows.push({
          services: size,
          files,
          cases: cases.map((c) => summarizeRuns(c.name, runs.get(c.name)!)),
          answers: judge(first.stdout, services),
        });
        console.log(`${size} services: done`);
      }
      const header = [
        'services',
        'files',
        'case',
        'n',
        'wall median ms',
        'minus baseline ms',
        'CPU ms',
        'CPU minus baseline ms',
        'peak RSS MB',
        'requests',
        'CPU per service ms (slope from the row above)',
      ];
      const table: string[][] = [];
      for (const [i, row] of rows.entries()) {
        const base = row.cases[0]!;
        for (const [k, c] of row.cases.entries()) {
          if (k === 0 && i > 0) continue;
          const prev = i > 0 ? rows[i - 1]!.cases[k] : undefined;
          const slope = prev && k > 0 ? (c.cpuMedianMs - prev.cpuMedianMs) / (row.services - rows[i - 1]!.services) : undefined;
          table.push([
            String(row.services),
            String(row.files),
            c.name,
            String(c.n),
            fmt(c.wallMedianMs),
            k === 0 ? '-' : fmt(c.wallMedianMs - base.wallMedianMs),
            fmt(c.cpuMedianMs),
            k === 0 ? '-' : fmt(c.cpuMedianMs - base.cpuMedianMs),
            c.maxRssMb.toFixed(1),
            String(c.requestCount),
            slope === undefined ? '-' : slope.toFixed(3),
          ]);
        }
      }
      console.log(markdownTable(header, table));
      for (const row of rows) {
        console.log(
          `answers at ${row.services} services: ${row.answers.entries - row.answers.wrongFapilog} of ${row.answers.entries} entries ` +
            `judged against their own fapilog; ${row.answers.incompatibleProposals} of ${row.answers.proposals} proposals incompatible`,
        );
      }
      const file = await writeResults('check-scale-growth', { sizes, catalog: { plugins: seed.plugins, releases: RELEASES }, rows });
      console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
    } finally {
      await compiled.remove();
      await server.stop();
    }
  } finally {
    await work.remove();
  }
}

await (process.argv.includes('--growth') ? growth() : main());
