/**
 * The peer users would pick instead: Renovate (npm package `renovate`, installed by this script
 * into a temp directory and reused by later runs) against our CLI, on the same services of the
 * generated monorepo (bench/monorepo.ts), each a git checkout of its own, against the same
 * reference server on 127.0.0.1 (1,000 plugins x 5 releases written straight into its store;
 * Renovate reads its PEP 503 simple index, our CLI its API).
 *   ours      `fapilog-plugins outdated <service> --json`, a fresh cache per service, in the form
 *             the npm package ships and `npx fapilog-plugins` runs: the sources compiled with tsc
 *             (bench/compiled.ts, the layout of scripts/build.ts; Renovate runs its npm package's
 *             JavaScript too). Node's compile cache is filled by an untimed first run, as on any
 *             machine that ran the CLI before (a fresh CI runner has none: see --sources below
 *             and check-scale's "no compile cache" row).
 *   Renovate  `renovate --platform=local --dry-run=lookup` in the checkout, a fresh base/cache
 *             directory per service, its pypi datasource pointed at our /simple/ by a
 *             packageRule; proposals read from its JSON log ("packageFiles with updates")
 * Both run once per service, alternating, as a CI job per service would run them. Per tool: wall
 * and CPU time, proposals, and how many proposed versions the service's own fapilog does not
 * support (judged with the catalog's rule, not with either tool). Renovate needs no token on the
 * local platform and never leaves 127.0.0.1 here (no network; changelog fetching off).
 *
 * With --sources, a third contender runs the checkout's TypeScript sources (Node strips the types
 * at every start), and a fourth the shipped form with the compile cache off.
 *
 *   npm run bench:peer [-- --services N] [--quick] [--sources] [--renovate-dir DIR] [--out FILE]
 * (--compiled is still accepted: the shipped form is what is measured anyway.)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { banner, fmt, markdownTable, median, tempDir } from './lib.ts';
import { REPO_ROOT, seedDirectly, startMarketplace } from './marketplace.ts';
import { compileCli } from './compiled.ts';
import { ourProposals, renovateProposals, type Proposal } from './judge.ts';
import { benchCatalog, FORMATS, generateServices, writeServices, type GeneratedService } from './monorepo.ts';
import { runNode, type ProcessResult } from './process.ts';
import { argValue, targetTable, writeResults, type Target } from './results.ts';

const run = promisify(execFile);
const QUICK = process.argv.includes('--quick');
const SERVICES = Number(argValue('--services', QUICK ? '10' : '100'));
const RENOVATE_VERSION = '44.121.2';
const RENOVATE_DIR = path.resolve(argValue('--renovate-dir', path.join(os.tmpdir(), 'fapilog-bench-renovate', RENOVATE_VERSION)));
const CLI = path.join(REPO_ROOT, 'src', 'cli', 'main.ts');

/** npm's own CLI script, run on this Node 24 so npm picks a Renovate that supports Node 24. */
async function npmCli(): Promise<string> {
  if (process.env['npm_execpath']?.endsWith('.js')) return process.env['npm_execpath'];
  const { stdout } = await run('npm', ['root', '-g']);
  const cli = path.join(stdout.trim(), 'npm', 'bin', 'npm-cli.js');
  if (!existsSync(cli)) throw new Error(`cannot find npm-cli.js (looked at ${cli}); run through npm run bench:peer`);
  return cli;
}

async function ensureRenovate(): Promise<string> {
  const entry = path.join(RENOVATE_DIR, 'node_modules', 'renovate', 'dist', 'renovate.js');
  if (existsSync(entry)) return entry;
  console.log(`installing renovate@${RENOVATE_VERSION} into ${RENOVATE_DIR} (about 500 MB, a few minutes; reused by later runs)...`);
  await mkdir(RENOVATE_DIR, { recursive: true });
  await writeFile(path.join(RENOVATE_DIR, 'package.json'), '{ "private": true }\n');
  const t0 = performance.now();
  await run(
    process.execPath,
    [await npmCli(), 'install', '--no-audit', '--no-fund', '--prefix', RENOVATE_DIR, `renovate@${RENOVATE_VERSION}`],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  console.log(`installed in ${fmt((performance.now() - t0) / 1000)} s`);
  if (!existsSync(entry)) throw new Error(`renovate installed, but ${entry} is missing`);
  return entry;
}

interface ToolRun extends ProcessResult {
  proposals: Proposal[];
  /** Plugin dependencies the tool saw (per manifest occurrence). */
  pluginDeps: number;
  requests: number;
}

async function main(): Promise<void> {
  console.log(banner(`peer: Renovate ${RENOVATE_VERSION} vs fapilog-plugins on ${SERVICES} services`));
  const renovate = await ensureRenovate();
  const work = await tempDir('peer');
  try {
    const services = generateServices({ services: SERVICES, distinct: 50, releases: 5 });
    const seed = await seedDirectly(path.join(work.dir, 'data'), benchCatalog({ plugins: 1000, releases: 5 }));
    console.log(`server: ${seed.plugins} plugins x 5 releases, seeded in ${fmt(seed.ms / 1000)} s (untimed)`);
    const server = await startMarketplace({ seed: false, dataDir: path.join(work.dir, 'data') });
    try {
      const simple = server.apiUrl.replace(/\/api\/v1$/, '/simple/');
      const config = path.join(work.dir, 'renovate-config.json');
      await writeFile(
        config,
        JSON.stringify(
          {
            onboarding: false,
            requireConfig: 'optional',
            enabledManagers: ['pip_requirements', 'pep621', 'poetry', 'setup-cfg', 'pipenv'],
            fetchChangeLogs: 'off',
            packageRules: [{ matchDatasources: ['pypi'], registryUrls: [simple] }],
          },
          null,
          2,
        ),
      );
      // One git checkout per service (untimed), as a CI job of that service would have.
      const checkouts = path.join(work.dir, 'checkouts');
      for (const svc of services) {
        const dir = path.join(checkouts, svc.dir);
        await writeServices(checkouts, [svc]);
        await run('git', ['init', '-q', dir]);
        await run('git', ['-C', dir, 'add', '-A']);
        await run('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@127.0.0.1', 'commit', '-qm', 'service']);
      }
      const baseEnv: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!/^(FAPILOG_|RENOVATE_|GITHUB_|LOG_)/.test(k)) baseEnv[k] = v;
      const shipped = await compileCli();
      const sources = process.argv.includes('--sources');
      const ours = async (
        svc: GeneratedService,
        i: number,
        entry = shipped.entry,
        label = 'ours',
        extra: NodeJS.ProcessEnv = {},
      ): Promise<ToolRun> => {
        server.resetCounts();
        const r = await runNode([entry, 'outdated', '.', '--json'], {
          cwd: path.join(checkouts, svc.dir),
          env: {
            ...baseEnv,
            FAPILOG_MARKETPLACE_URL: server.apiUrl,
            FAPILOG_MARKETPLACE_CACHE: path.join(work.dir, `${label}-cache`, String(i)),
            NO_COLOR: '1',
            ...extra,
          },
        });
        if (r.code !== 0 && r.code !== 1) throw new Error(`ours on ${svc.dir} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
        const requests = [...server.counts.values()].reduce((a, b) => a + b, 0);
        return { ...r, ...ourProposals(r.stdout, svc), requests };
      };
      const splits: Array<Record<string, number>> = [];
      const theirs = async (svc: GeneratedService, i: number): Promise<ToolRun> => {
        server.resetCounts();
        const r = await runNode([renovate, '--platform=local', '--dry-run=lookup'], {
          cwd: path.join(checkouts, svc.dir),
          env: {
            ...baseEnv,
            RENOVATE_CONFIG_FILE: config,
            RENOVATE_BASE_DIR: path.join(work.dir, 'renovate-base', String(i)),
            LOG_LEVEL: 'debug',
            LOG_FORMAT: 'json',
          },
          timeoutMs: 300_000,
        });
        const requests = [...server.counts.values()].reduce((a, b) => a + b, 0);
        if (r.code !== 0) {
          await writeFile(path.join(os.tmpdir(), 'fapilog-bench-renovate-failed.log'), r.stdout);
          throw new Error(
            `renovate on ${svc.dir} exited ${r.code} (log: ${path.join(os.tmpdir(), 'fapilog-bench-renovate-failed.log')}): ${r.stderr.slice(0, 500)}`,
          );
        }
        const parsed = renovateProposals(r.stdout, svc);
        if (parsed.splits) splits.push(parsed.splits);
        return { ...r, proposals: parsed.proposals, pluginDeps: parsed.pluginDeps, requests };
      };
      const oursRuns: ToolRun[] = [];
      const theirRuns: ToolRun[] = [];
      const sourceRuns: ToolRun[] = [];
      const noCacheRuns: ToolRun[] = [];
      // Untimed: fills Node's compile cache for both forms, as an earlier run on the machine would.
      await ours(services[0]!, -1, shipped.entry, 'warm-up');
      if (sources) await ours(services[0]!, -1, CLI, 'warm-up');
      const t0 = performance.now();
      for (let i = 0; i < services.length; i++) {
        const svc = services[i]!;
        // Alternate which tool goes first, so drift on a shared machine lands on both.
        if (i % 2 === 0) {
          oursRuns.push(await ours(svc, i));
          theirRuns.push(await theirs(svc, i));
        } else {
          theirRuns.push(await theirs(svc, i));
          oursRuns.push(await ours(svc, i));
        }
        if (sources) {
          sourceRuns.push(await ours(svc, i, CLI, 'sources'));
          noCacheRuns.push(await ours(svc, i, shipped.entry, 'no-compile-cache', { NODE_DISABLE_COMPILE_CACHE: '1' }));
        }
        if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${services.length} services (${fmt((performance.now() - t0) / 1000)} s)`);
      }
      const expectedDeps = services.reduce((n, s) => n + s.plugins.length, 0);
      const stats = (name: string, rs: ToolRun[]) => {
        const all = rs.flatMap((r) => r.proposals);
        return {
          name,
          services: rs.length,
          wallTotalS: rs.reduce((n, r) => n + r.wallMs, 0) / 1000,
          wallMedianMs: median(rs.map((r) => r.wallMs)),
          cpuTotalS: rs.reduce((n, r) => n + r.cpuMs, 0) / 1000,
          maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)),
          requests: rs.reduce((n, r) => n + r.requests, 0),
          pluginDeps: rs.reduce((n, r) => n + r.pluginDeps, 0),
          proposals: all.length,
          incompatible: all.filter((p) => !p.compatible).length,
          servicesWithIncompatible: rs.filter((r) => r.proposals.some((p) => !p.compatible)).length,
        };
      };
      const a = stats('fapilog-plugins outdated --json (shipped form)', oursRuns);
      const b = stats(`renovate ${RENOVATE_VERSION} --platform=local --dry-run=lookup`, theirRuns);
      const ratio = b.wallTotalS / a.wallTotalS;
      await shipped.remove();
      const extraRows = sources
        ? [stats('ours from the checkout (TypeScript sources)', sourceRuns), stats('ours, shipped form, no compile cache', noCacheRuns)]
        : [];
      console.log(
        `\n${markdownTable(
          [
            'tool',
            'services',
            'wall total s',
            'wall median ms',
            'ratio vs ours',
            'CPU total s',
            'peak RSS MB',
            'requests to server',
            `plugin deps seen (of ${expectedDeps})`,
            'proposals',
            'incompatible proposals',
            'services with one',
          ],
          [a, b, ...extraRows].map((s, i) => [
            s.name,
            String(s.services),
            fmt(s.wallTotalS),
            fmt(s.wallMedianMs),
            i === 0 ? '1.00 (baseline)' : (s.wallTotalS / a.wallTotalS).toFixed(2),
            fmt(s.cpuTotalS),
            s.maxRssMb.toFixed(1),
            String(s.requests),
            String(s.pluginDeps),
            String(s.proposals),
            String(s.incompatible),
            String(s.servicesWithIncompatible),
          ]),
        )}`,
      );
      // What Renovate saw per format: its managers do not read every file our readers do.
      const perFormat = FORMATS.map((f) => {
        const idx = services.map((s, i) => (s.format === f ? i : -1)).filter((i) => i >= 0);
        const exp = idx.reduce((n, i) => n + services[i]!.plugins.length, 0);
        return [
          f,
          String(exp),
          String(idx.reduce((n, i) => n + oursRuns[i]!.pluginDeps, 0)),
          String(idx.reduce((n, i) => n + theirRuns[i]!.pluginDeps, 0)),
          String(idx.reduce((n, i) => n + theirRuns[i]!.proposals.filter((p) => !p.compatible).length, 0)),
        ];
      });
      console.log(
        `\n${markdownTable(['format', 'plugin deps written', 'seen by ours', 'seen by Renovate', 'Renovate incompatible proposals'], perFormat)}`,
      );
      if (splits.length) {
        const keys = Object.keys(splits[0]!);
        console.log(
          `\nRenovate's own timing splits, median ms per service: ${keys.map((k) => `${k} ${fmt(median(splits.map((s) => s[k] ?? 0)))}`).join(', ')} (the rest of its wall time is process start and module loading)`,
        );
      }
      const targets: Target[] = [
        { what: 'Renovate wall / ours wall', value: `${ratio.toFixed(1)}x`, target: '>= 20x', met: ratio >= 20 },
        {
          what: 'our proposals incompatible with the service fapilog',
          value: String(a.incompatible),
          target: '0',
          met: a.incompatible === 0,
        },
      ];
      for (const row of extraRows) console.log(`\nRenovate wall / ${row.name} wall = ${(b.wallTotalS / row.wallTotalS).toFixed(1)}x`);
      console.log(
        `\n${targetTable(targets)}\n\nRenovate proposals incompatible with the service's fapilog: ${b.incompatible} of ${b.proposals}, in ${b.servicesWithIncompatible} of ${b.services} services`,
      );
      const sample = theirRuns
        .flatMap((r, i) =>
          r.proposals.filter((p) => !p.compatible).map((p) => ({ service: services[i]!.dir, fapilog: services[i]!.fapilog, ...p })),
        )
        .slice(0, 5);
      if (sample.length)
        console.log(`e.g. ${sample.map((s) => `${s.service} (fapilog ${s.fapilog}): ${s.package} ${s.from} -> ${s.to}`).join('; ')}`);
      const file = await writeResults('peer', {
        renovateVersion: RENOVATE_VERSION,
        services: SERVICES,
        ours: a,
        renovate: b,
        ratio,
        measured: 'ours: the shipped form (tsc output), compile cache warm',
        extra: extraRows,
        perFormat,
        renovateSplitsMedian: splits.length
          ? Object.fromEntries(Object.keys(splits[0]!).map((k) => [k, median(splits.map((s) => s[k] ?? 0))]))
          : null,
        targets,
      });
      console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
    } finally {
      await server.stop();
    }
  } finally {
    await work.remove();
  }
}

await main();
