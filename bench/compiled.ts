/**
 * A what-if for the benches that run the CLI as a process: the same sources compiled with tsc
 * (tsconfig.build.json, what `npm run build` makes for bin/fapilog-plugins.js), so a table can
 * show what loading JavaScript instead of stripping types at every start would save. Built under
 * .tmp/ (ignored by git) inside the checkout, so the output resolves node_modules, and removed by
 * the caller.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './marketplace.ts';

export async function compileCli(): Promise<{ entry: string; ms: number; remove: () => Promise<void> }> {
  const require = createRequire(import.meta.url);
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const out = path.join(REPO_ROOT, '.tmp', `bench-lib-${process.pid}`);
  const t0 = performance.now();
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: REPO_ROOT });
  return {
    entry: path.join(out, 'src', 'cli', 'main.js'),
    ms: performance.now() - t0,
    remove: () => rm(out, { recursive: true, force: true }),
  };
}
