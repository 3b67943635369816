/**
 * Builds dist/ for the GitHub Action: TypeScript to JavaScript with tsc, then one file with ncc.
 * dist/ is committed and CI rebuilds it (scripts/check-dist.sh), so the output must be
 * byte-identical on every rebuild from the same sources.
 *
 * Usage: npm run bundle   (node scripts/bundle.ts [--out DIR])
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const ncc = path.join(path.dirname(require.resolve('@vercel/ncc/package.json')), 'dist', 'ncc', 'cli.js');

rmSync(lib, { recursive: true, force: true });
run('tsc', [tsc, '-p', 'tsconfig.build.json', '--outDir', lib]);

rmSync(out, { recursive: true, force: true });
run('ncc', [ncc, 'build', path.join(lib, 'src', 'action', 'index.js'), '-o', out, '--license', 'licenses.txt', '--no-cache', '--quiet']);

for (const name of readdirSync(out)) {
  if (UNREPRODUCIBLE.test(name)) rmSync(path.join(out, name), { recursive: true, force: true });
}
rmSync(lib, { recursive: true, force: true });

const size = statSync(path.join(out, 'index.js')).size;
console.log(`bundle: ${path.relative(root, out) || '.'}/index.js ${formatSize(size)}`);
