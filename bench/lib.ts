/**
 * Shared pieces of the benchmark scripts: statistics, an interleaved runner and table printing.
 * Every script compares contenders with a baseline measured in the same run, because absolute
 * numbers only mean something on the machine that produced them; ratios travel better.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Middle value; the mean of the two middle values for an even count. NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** 90th percentile, nearest-rank: the smallest value with at least 90 % of values at or below it. */
export function p90(values: readonly number[]): number {
  return percentile(values, 90);
}

/** Nearest-rank percentile (p in (0, 100]). NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) * q;
  const lo = Math.floor(mid);
  const hi = Math.ceil(mid);
  return ((sorted[lo] as number) + (sorted[hi] as number)) / 2;
}

/**
 * One contender. `setup` (untimed) builds what one iteration needs, `run` is the timed part and
 * may return counters (requests made...) that the table reports per iteration, `teardown` is
 * untimed too.
 */
export interface Case<T = unknown> {
  name: string;
  setup?: () => Promise<T> | T;
  run: (ctx: T) => Promise<Counters | void> | Counters | void;
  teardown?: (ctx: T) => Promise<void> | void;
}

export type Counters = Record<string, number>;

export interface CaseResult {
  name: string;
  /** Milliseconds of each timed iteration. */
  times: number[];
  /** Counters of the last timed iteration (they are expected to be the same every time). */
  counters: Counters;
}

export interface MeasureOptions {
  /** Untimed rounds first (JIT, file system cache, keep-alive sockets). */
  warmup: number;
  iterations: number;
  /** Stop timing new rounds after this long, so a slow machine still finishes. */
  maxMs: number;
}

/**
 * Times `fn` alone: `warmup` untimed calls, then up to `iterations` timed ones within `maxMs`.
 */
export async function measure(fn: () => Promise<unknown> | unknown, opts: MeasureOptions): Promise<number[]> {
  const [result] = await compare([{ name: 'fn', run: async () => void (await fn()) }], opts);
  return result?.times ?? [];
}

/**
 * Runs the cases round-robin: each round runs every case once, and the order rotates every
 * round, so drift (a warming disk cache, a busy neighbour) spreads over all contenders instead of
 * landing on whichever ran last.
 */
export async function compare(cases: readonly Case<any>[], opts: MeasureOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = cases.map((c) => ({ name: c.name, times: [], counters: {} }));
  const once = async (i: number, timed: boolean): Promise<void> => {
    const c = cases[i] as Case<unknown>;
    const ctx = c.setup ? await c.setup() : undefined;
    try {
      const start = performance.now();
      const counters = await c.run(ctx);
      const elapsed = performance.now() - start;
      if (timed) {
        const r = results[i] as CaseResult;
        r.times.push(elapsed);
        if (counters) r.counters = counters;
      }
    } finally {
      if (c.teardown) await c.teardown(ctx);
    }
  };
  for (let round = 0; round < opts.warmup; round++) {
    for (let i = 0; i < cases.length; i++) await once(i, false);
  }
  const started = performance.now();
  for (let round = 0; round < opts.iterations; round++) {
    if (round > 0 && performance.now() - started > opts.maxMs) break;
    for (let k = 0; k < cases.length; k++) await once((round + k) % cases.length, true);
  }
  return results;
}

/** `12.3` / `0.456` / `1234`: three significant digits without going exponential. */
export function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/**
 * A Markdown table (it reads fine in a terminal too) of median, p90 and the ratio of each median
 * to the first result's median (the baseline): below 1 is faster than the baseline.
 */
export function resultTable(results: readonly CaseResult[], counterNames: readonly string[] = []): string {
  const base = median(results[0]?.times ?? []);
  const header = ['case', 'n', 'median ms', 'p90 ms', 'ratio vs baseline', ...counterNames];
  const rows = results.map((r, i) => {
    const m = median(r.times);
    const ratio = i === 0 ? '1.00 (baseline)' : `${(m / base).toFixed(2)}`;
    return [r.name, String(r.times.length), fmt(m), fmt(p90(r.times)), ratio, ...counterNames.map((k) => String(r.counters[k] ?? '-'))];
  });
  return markdownTable(header, rows);
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((x, c) => x.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A temp directory removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `fapilog-bench-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Iterations can be lowered from the command line (`--quick`) for a smoke run. */
export function iterationsFromArgv(normal: number): number {
  return process.argv.includes('--quick') ? Math.max(3, Math.ceil(normal / 10)) : normal;
}

/** The header every script prints: what ran where. */
export function banner(title: string): string {
  return `# ${title}\n\nnode ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${os.platform()} ${os.release()}, ${new Date().toISOString()}\n`;
}
