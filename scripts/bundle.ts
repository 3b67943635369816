/**
 * Builds dist/ for the GitHub Action: TypeScript to JavaScript with tsc, then ncc: dist/index.js
 * (what action.yml runs) and the chunks its `import()`s load (publish-only code).
 * dist/ is committed and CI rebuilds it (scripts/check-dist.sh), so the output must be
 * byte-identical on every rebuild from the same sources.
 *
 * Usage: npm run bundle   (node scripts/bundle.ts [--out DIR])
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { formatSize } from '../src/core/size.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg >= 0 ? (process.argv[outArg + 1] ?? 'dist') : 'dist');
// Not beside the sources, where the npm package's build goes (scripts/build.ts): an intermediate
// build belongs out of the way. .tmp/ is ignored by git.
const lib = path.join(root, '.tmp', 'bundle-lib');

/** Source maps embed absolute build paths, so a rebuild elsewhere would differ; dist/ carries none. */
const UNREPRODUCIBLE = /\.map$|^sourcemap-register\.js$/;

function run(label: string, args: string[]): void {
  // process.execPath: the tools must run on this Node 24, not whatever `node` is on PATH.
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bundle: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

interface StatsModule {
  name?: string;
  /** Listed again inside the module it was concatenated into, or left out of the bundle. */
  orphan?: boolean;
  modules?: StatsModule[];
}
interface Stats {
  modules?: StatsModule[];
}

/**
 * licenses.txt: name, license and license text of every npm package in any chunk. Written here
 * because ncc's --license keeps only the last chunk's packages once `import()` splits the bundle.
 */
function licenses(stats: Stats): string {
  const dirs = new Map<string, string>();
  const visit = (mods: StatsModule[]): void => {
    for (const m of mods) {
      if (m.orphan) continue;
      if (m.modules?.length) visit(m.modules);
      const name = m.name ?? '';
      const at = name.lastIndexOf('node_modules/');
      if (at < 0) continue;
      const parts = name.slice(at + 'node_modules/'.length).split('/');
      const pkg = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
      if (pkg) dirs.set(pkg, path.resolve(root, name.slice(0, at).replace(/^\.\//, ''), 'node_modules', pkg));
    }
  };
  visit(stats.modules ?? []);
  const entries = [...dirs.keys()].sort().map((pkg) => {
    const dir = dirs.get(pkg) as string;
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { license?: unknown };
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
    const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(no license file in the package)';
    return `${pkg}\n${typeof meta.license === 'string' ? meta.license : 'UNKNOWN'}\n${text}\n`;
  });
  if (entries.length === 0) throw new Error('bundle: the webpack stats name no npm package; licenses.txt would be empty');
  return entries.join('\n\n');
}

const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const ncc = path.join(path.dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');

rmSync(lib, { recursive: true, force: true });
run('tsc', [tsc, '-p', 'tsconfig.build.json', '--outDir', lib]);

rmSync(out, { recursive: true, force: true });
const stats = path.join(lib, 'stats.json');
// --minify: terser without compression, keeping function and class names (stack traces stay
// readable by name); it shrinks index.js, which every run parses. ncc minifies only that file:
// the chunks of `import()` (publish-only code, loaded by publish alone) are minified below.
run('ncc', [
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
writeFileSync(path.join(out, 'licenses.txt'), licenses(JSON.parse(readFileSync(stats, 'utf8')) as Stats));

for (const name of readdirSync(out)) {
  if (UNREPRODUCIBLE.test(name)) rmSync(path.join(out, name), { recursive: true, force: true });
}
// ncc minifies index.js only; the chunks get the same treatment from esbuild: whitespace and
// syntax, identifiers and names kept (stack frames still name functions), license comments kept.
for (const name of readdirSync(out).filter((n) => /^\d+\.index\.js$/.test(n))) {
  const file = path.join(out, name);
  const code = transformSync(readFileSync(file, 'utf8'), {
    format: 'esm',
    target: 'node24',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'inline',
  }).code;
  writeFileSync(file, code);
}
rmSync(lib, { recursive: true, force: true });

const files = readdirSync(out)
  .filter((n) => n.endsWith('.js'))
  .sort();
const total = files.reduce((n, f) => n + statSync(path.join(out, f)).size, 0);
const size = statSync(path.join(out, 'index.js')).size;
console.log(
  `bundle: ${path.relative(root, out) || '.'}/index.js ${formatSize(size)}; ${files.length} files, ${formatSize(total)} of JavaScript`,
);
