/**
 * Builds the npm package: the bundled CLI in lib/cli/ (scripts/cli-bundle.ts: what
 * bin/fapilog-plugins.js runs), and for the library entry points JavaScript and type declarations
 * emitted beside the TypeScript sources in src/, server/ and bot/, so that the package has the
 * checkout's layout. `npm pack` runs this first (prepack) and `--clean` after (postpack), which
 * leaves the checkout with its sources alone again.
 *
 * Usage: npm run build   (node scripts/build.ts [--clean])
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, CLI_BUNDLE_DIR } from './cli-bundle.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILT_DIRS = ['src', 'server', 'bot'];
/** src/, server/ and bot/ hold TypeScript sources only, so every file of these kinds there is build output. */
const BUILT = /\.(?:js|d\.ts)$/;

function builtFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (BUILT.test(entry.name)) found.push(full);
    }
  };
  for (const dir of BUILT_DIRS) walk(path.join(root, dir));
  return found;
}

/** Also removes the output of sources deleted since the last build, which would otherwise be packed. */
function clean(): void {
  for (const file of builtFiles()) rmSync(file, { force: true });
  rmSync(path.join(root, CLI_BUNDLE_DIR), { recursive: true, force: true });
}

clean();
if (!process.argv.includes('--clean')) {
  const require = createRequire(import.meta.url);
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  // process.execPath: the Node 24 this script runs on, not whatever `node` is on PATH. Everything
  // goes to stderr, so that `npm pack --json` keeps stdout to its JSON.
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    clean();
    console.error(`build: tsc failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  let bundled: Awaited<ReturnType<typeof bundleCli>>;
  try {
    bundled = await bundleCli(root);
  } catch (err) {
    clean();
    console.error(`build: bundling the CLI failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  console.error(`build: ${builtFiles().length} files in ${BUILT_DIRS.map((d) => `${d}/`).join(' and ')}`);
  console.error(`build: the CLI bundle, ${Object.keys(bundled.outputs).length} files in ${CLI_BUNDLE_DIR}/`);
}
