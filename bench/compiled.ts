/**
 * The CLI in the form the npm package ships, for the benches that run it as a process: the
 * esbuild bundle of scripts/cli-bundle.ts (what bin/fapilog-plugins.js runs from the package),
 * and, for comparison, the sources compiled with tsc (tsconfig.build.json: the package's form
 * before the bundle, still what its library entry points are). Built under .tmp/ (ignored by git)
 * inside the checkout, so that the output resolves node_modules and finds the package root, and
 * removed by the caller.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleCli } from '../scripts/cli-bundle.ts';
import { REPO_ROOT } from './marketplace.ts';

export interface BuiltCli {
  entry: string;
  ms: number;
  remove: () => Promise<void>;
}

/** The bundled CLI, as the package ships it. */
export async function compileCli(): Promise<BuiltCli> {
  const out = path.join(REPO_ROOT, '.tmp', `bench-cli-${process.pid}`);
  const t0 = performance.now();
  await bundleCli(REPO_ROOT, out);
  return { entry: path.join(out, 'main.js'), ms: performance.now() - t0, remove: () => rm(out, { recursive: true, force: true }) };
}

/** The tsc output of the sources (the package's CLI before it was bundled). */
export async function compileCliTsc(): Promise<BuiltCli> {
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
