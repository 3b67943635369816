/**
 * Runs the CLI in-process with captured output, as a user would run `fapilog-plugins ...argv`.
 * The environment is the test's own: FAPILOG_MARKETPLACE_* and NO_COLOR from the outer process
 * are not inherited, and the cache defaults to a per-process temp directory so no test touches
 * the user's real cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from '../../src/cli/context.ts';
import { run } from '../../src/cli/program.ts';

export interface RunCliOptions {
  /** Added to a clean environment (HOME, PATH, TMPDIR kept; FAPILOG_* and NO_COLOR dropped). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Pretend stdout is a terminal (colour unless NO_COLOR). Default false. */
  isTTY?: boolean;
  /** Terminal width. Default 120. */
  columns?: number;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let sharedCache: string | undefined;
function defaultCacheDir(): string {
  if (!sharedCache) {
    sharedCache = mkdtempSync(path.join(os.tmpdir(), 'fapilog-cli-cache-'));
    const dir = sharedCache;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return sharedCache;
}

export async function runCli(argv: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ['HOME', 'PATH', 'TMPDIR', 'LANG', 'SYSTEMROOT', 'LOCALAPPDATA']) {
    if (process.env[key] !== undefined) base[key] = process.env[key];
  }
  base['FAPILOG_MARKETPLACE_CACHE'] = defaultCacheDir();
  const env = { ...base, ...opts.env };
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd: opts.cwd ?? process.cwd(),
    isTTY: opts.isTTY ?? false,
    columns: opts.columns ?? 120,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
