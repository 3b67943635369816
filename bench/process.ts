/**
 * Whole processes as contenders: wall time measured here, CPU time and peak memory measured by
 * the child itself (a `--import` hook writes `process.resourceUsage()` at exit, so the numbers
 * are the child's own and need no platform tool such as /usr/bin/time). Always async: a bench
 * that embeds the server must never block its event loop on a child.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, p90 } from './lib.ts';

const HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage-hook.mjs');
export const RUSAGE_ENV = 'FAPILOG_BENCH_RUSAGE_FILE';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User + system CPU of the child (ms); NaN when the child died before its exit hook ran. */
  cpuMs: number;
  /** Peak resident set size of the child's own image (MB; VmHWM on Linux, see rusage-hook.mjs). */
  maxRssMb: number;
}

let seq = 0;

/**
 * Runs `node [nodeArgs...] args...` (the Node running the bench) with the resource-usage hook.
 * `timeoutMs` kills a stuck child so the bench stays bounded.
 */
export async function runNode(
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[]; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const usageFile = path.join(os.tmpdir(), `fapilog-bench-rusage-${process.pid}-${seq++}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', HOOK, ...args], {
    cwd: opts.cwd,
    env: { ...(opts.env ?? process.env), [RUSAGE_ENV]: usageFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - started;
  clearTimeout(timer);
  let cpuMs = Number.NaN;
  let maxRssMb = Number.NaN;
  try {
    const usage = JSON.parse(await readFile(usageFile, 'utf8')) as NodeJS.ResourceUsage & { vmHWMkB: number | null };
    cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    maxRssMb = (usage.vmHWMkB ?? usage.maxRSS) / 1024;
  } catch {
    // no usage file: the child was killed or crashed; NaN says so in the table
  }
  await rm(usageFile, { force: true });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs, cpuMs, maxRssMb };
}

/** One contender's repeated runs, as every whole-process table shows them. */
export function summarizeRuns(name: string, rs: ReadonlyArray<ProcessResult & { requests: Record<string, number> }>) {
  const last = rs.at(-1)!;
  return {
    name,
    n: rs.length,
    wallMedianMs: median(rs.map((r) => r.wallMs)),
    wallP90Ms: p90(rs.map((r) => r.wallMs)),
    cpuMedianMs: median(rs.map((r) => r.cpuMs)),
    maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)),
    requests: last.requests,
    requestCount: Object.values(last.requests).reduce((a, b) => a + b, 0),
  };
}
