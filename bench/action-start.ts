/**
 * The Action's cold start: `node dist/index.js` (the committed bundle, as a runner starts it) with
 * INPUT_* variables and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, against the reference server on
 * 127.0.0.1 seeded with the demo catalog.
 *   baseline              `node -e 0`
 *   no-plugin project     a pyproject with fapilog and two other dependencies, no plugin: nothing
 *                         to look up, so no request should reach the marketplace
 *   examples/app          the demo service (11 plugin requirements)
 *   examples/app, sources `node src/action/index.ts`: what the bundle saves (or costs) over
 *                         loading the sources with type stripping
 * Every run has a fresh, empty cache directory (a runner starts with none). Also the bundle's size
 * (dist/index.js, and every .js file of dist/: the import() chunks of publish-only code), and with
 * --analyze its composition: tsc + ncc into a temp dir with webpack stats, module bytes summed per
 * package, and how many of them are in index.js (what every start parses and runs).
 *
 *   npx node bench/action-start.ts [--quick] [--analyze] [--out FILE]
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { banner, fmt, markdownTable, median, tempDir } from './lib.ts';
import { REPO_ROOT, startMarketplace } from './marketplace.ts';
import { runNode, summarizeRuns, type ProcessResult } from './process.ts';
import { targetTable, writeResults, type Target } from './results.ts';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 1 : 10;
const BUNDLE = path.join(REPO_ROOT, 'dist', 'index.js');
const SOURCES = path.join(REPO_ROOT, 'src', 'action', 'index.ts');

const NO_PLUGIN_PYPROJECT = `[project]
name = "no-plugins"
version = "1.0.0"
dependencies = ["fapilog==0.18.0", "httpx>=0.27", "pydantic>=2.6"]
`;

/** The environment of a clean runner: nothing of this process's own GitHub/marketplace setup. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(INPUT_|GITHUB_|RUNNER_|FAPILOG_)/.test(k)) env[k] = v;
  return env;
}

interface CaseDef {
  name: string;
  entry: string | null;
  workspace?: string;
}

async function analyzeBundle(work: string): Promise<Array<{ module: string; bytes: number }>> {
  const require = createRequire(import.meta.url);
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const ncc = path.join(path.dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');
  // Inside the checkout (.tmp/ is ignored by git), so the compiled files resolve node_modules.
  const lib = path.join(REPO_ROOT, '.tmp', `bench-analyze-${process.pid}`);
  const out = path.join(work, 'dist');
  const stats = path.join(work, 'stats.json');
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      c.on('error', reject);
      c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0]!)} exited ${code}`))));
    });
  await run([tsc, '-p', 'tsconfig.build.json', '--outDir', lib]);
  try {
    // The flags of scripts/bundle.ts, so the chunks are the committed ones.
    await run([
      ncc,
      'build',
      path.join(lib, 'src', 'action', 'index.js'),
      '-o',
      out,
      '--minify',
      '--stats-out',
      stats,
      '--no-cache',
      '--quiet',
    ]);
  } finally {
    await rm(lib, { recursive: true, force: true });
  }
  type Mod = { name: string; size: number; orphan?: boolean; chunks?: Array<string | number>; modules?: Mod[] };
  const json = JSON.parse(await readFile(stats, 'utf8')) as { modules?: Mod[]; chunks?: Array<{ id: string | number; initial?: boolean }> };
  const initial = new Set((json.chunks ?? []).filter((c) => c.initial).map((c) => String(c.id)));
  const sums = new Map<string, { bytes: number; startup: number }>();
  const visit = (mods: Mod[], chunks: Array<string | number> | undefined) => {
    for (const m of mods) {
      // An orphan is listed again inside the concatenated module that holds it: count it there.
      if (m.orphan) continue;
      const inChunks = m.chunks?.length ? m.chunks : chunks;
      if (m.modules?.length) {
        visit(m.modules, inChunks);
        continue;
      }
      const nm = m.name.lastIndexOf('node_modules/');
      let key: string;
      if (nm >= 0) {
        const parts = m.name.slice(nm + 'node_modules/'.length).split('/');
        key = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
      } else {
        const rel = m.name
          .replace(/^\.\//, '')
          .replace(/^.*?bench-analyze-\d+\//, '')
          .split('/');
        key = `(ours) ${rel.slice(0, Math.min(3, rel.length - 1)).join('/')}`;
      }
      const sum = sums.get(key) ?? { bytes: 0, startup: 0 };
      sum.bytes += m.size;
      // In index.js (an initial chunk): parsed and run by every start, check included.
      if ((inChunks ?? []).some((c) => initial.has(String(c)))) sum.startup += m.size;
      sums.set(key, sum);
    }
  };
  visit(json.modules ?? [], undefined);
  const built = await distBytes(out);
  console.log(
    `\n## bundle composition (fresh ncc build: index.js ${(built.index / 1e6).toFixed(2)} MB, ${built.files} files ${(built.total / 1e6).toFixed(2)} MB; webpack module sizes before minification, summed per npm package or source folder)\n`,
  );
  const rows = [...sums.entries()]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([module, v]) => ({ module, bytes: v.bytes, startupBytes: v.startup }));
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  console.log(
    markdownTable(
      ['package / room', 'KB', 'share', 'KB in index.js (loaded by every start)'],
      rows
        .slice(0, 25)
        .map((r) => [
          r.module,
          (r.bytes / 1024).toFixed(1),
          `${((100 * r.bytes) / total).toFixed(1)} %`,
          (r.startupBytes / 1024).toFixed(1),
        ]),
    ),
  );
  return rows;
}

/** dist/index.js (what every run loads) and every .js file of the directory (what the Action ships). */
async function distBytes(dir: string): Promise<{ index: number; total: number; files: number }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.js'));
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  return { index: (await stat(path.join(dir, 'index.js'))).size, total: sizes.reduce((a, b) => a + b, 0), files: names.length };
}

async function main(): Promise<void> {
  console.log(banner('action cold start: node dist/index.js vs node -e 0'));
  const dist = await distBytes(path.dirname(BUNDLE));
  const bundleBytes = dist.total;
  const work = await tempDir('action-start');
  const server = await startMarketplace();
  try {
    const noPlugin = path.join(work.dir, 'ws-no-plugin');
    await mkdir(noPlugin, { recursive: true });
    await writeFile(path.join(noPlugin, 'pyproject.toml'), NO_PLUGIN_PYPROJECT);
    const app = path.join(work.dir, 'ws-app');
    await cp(path.join(REPO_ROOT, 'examples', 'app'), app, { recursive: true });
    const cases: CaseDef[] = [
      { name: 'node -e 0 (baseline)', entry: null },
      { name: 'dist/index.js, no-plugin project', entry: BUNDLE, workspace: noPlugin },
      { name: 'dist/index.js, examples/app', entry: BUNDLE, workspace: app },
      { name: 'src/action/index.ts, examples/app (sources)', entry: SOURCES, workspace: app },
    ];
    let n = 0;
    const runOnce = async (c: CaseDef): Promise<ProcessResult & { requests: Record<string, number> }> => {
      server.resetCounts();
      if (!c.entry) return { ...(await runNode(['-e', '0'])), requests: {} };
      const files = path.join(work.dir, `run-${n++}`);
      await mkdir(files, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...runnerEnv(),
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: c.workspace,
        GITHUB_OUTPUT: path.join(files, 'output'),
        GITHUB_STEP_SUMMARY: path.join(files, 'summary'),
        INPUT_COMMAND: 'check',
        INPUT_PATH: '.',
        'INPUT_MARKETPLACE-URL': server.apiUrl,
        'INPUT_CACHE-DIR': path.join(files, 'cache'),
        'INPUT_FAIL-ON': 'never',
      };
      await writeFile(env.GITHUB_OUTPUT!, '');
      await writeFile(env.GITHUB_STEP_SUMMARY!, '');
      const r = await runNode([c.entry], { cwd: c.workspace, env });
      if (r.code !== 0) throw new Error(`${c.name} exited ${r.code}: ${(r.stderr || r.stdout).slice(0, 800)}`);
      await rm(files, { recursive: true, force: true });
      return { ...r, requests: Object.fromEntries(server.paths) };
    };
    for (const c of cases) await runOnce(c); // warm the OS file cache and the server, untimed
    const runs = new Map(cases.map((c) => [c.name, [] as Array<ProcessResult & { requests: Record<string, number> }>]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(round + k) % cases.length]!;
        runs.get(c.name)!.push(await runOnce(c));
      }
    }
    const base = median(runs.get(cases[0]!.name)!.map((r) => r.wallMs));
    const summary = cases.map((c) => summarizeRuns(c.name, runs.get(c.name)!));
    console.log(
      `bundle: dist/index.js ${dist.index} bytes (${(dist.index / 1e6).toFixed(2)} MB); all ${dist.files} .js files of dist/ ${bundleBytes} bytes (${(bundleBytes / 1e6).toFixed(2)} MB)\n`,
    );
    console.log(
      markdownTable(
        ['case', 'n', 'wall median ms', 'wall p90 ms', 'ratio vs baseline', 'CPU ms', 'peak RSS MB', 'requests'],
        summary.map((s, i) => [
          s.name,
          String(s.n),
          fmt(s.wallMedianMs),
          fmt(s.wallP90Ms),
          i === 0 ? '1.00 (baseline)' : (s.wallMedianMs / base).toFixed(2),
          fmt(s.cpuMedianMs),
          s.maxRssMb.toFixed(1),
          Object.entries(s.requests)
            .map(([k, v]) => `${v}x ${k}`)
            .join(', ') || 'none',
        ]),
      ),
    );
    const noPluginRun = summary[1]!;
    const noPluginRequests = Object.values(noPluginRun.requests).reduce((a, b) => a + b, 0);
    const limit = 2 * base + 150;
    const targets: Target[] = [
      {
        what: 'no-plugin check: wall',
        value: `${fmt(noPluginRun.wallMedianMs)} ms`,
        target: `<= 2 x baseline + 150 ms = ${fmt(limit)} ms`,
        met: noPluginRun.wallMedianMs <= limit,
      },
      { what: 'no-plugin check: marketplace requests', value: String(noPluginRequests), target: '0', met: noPluginRequests === 0 },
      {
        what: 'bundle size (every .js of dist/)',
        value: `${(bundleBytes / 1e6).toFixed(2)} MB (index.js ${(dist.index / 1e6).toFixed(2)} MB)`,
        target: '< 1.5 MB',
        met: bundleBytes < 1.5e6,
      },
    ];
    console.log(`\n${targetTable(targets)}`);
    const composition = process.argv.includes('--analyze') ? await analyzeBundle(path.join(work.dir, 'analyze')) : null;
    const file = await writeResults('action-start', {
      bundleBytes,
      indexBytes: dist.index,
      distFiles: dist.files,
      cases: summary,
      targets,
      composition,
    });
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await server.stop();
    await work.remove();
  }
}

await main();
