/**
 * What a scenario leaves behind besides its printed tables: a JSON file under bench/results/
 * (not committed; BENCHMARKS.md holds the numbers a human reads) with the machine it ran on, and
 * a targets table that says, per target, the measured value and whether it was met.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './lib.ts';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface Target {
  what: string;
  /** The measured value, as shown. */
  value: string;
  target: string;
  met: boolean;
}

export function targetTable(targets: readonly Target[]): string {
  return markdownTable(
    ['target', 'measured', 'goal', 'met'],
    targets.map((t) => [t.what, t.value, t.target, t.met ? 'yes' : 'NO']),
  );
}

export function environment(): Record<string, unknown> {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    at: new Date().toISOString(),
    quick: process.argv.includes('--quick'),
  };
}

/** Writes bench/results/<scenario>.json (or `--out FILE`) and returns the path. */
export async function writeResults(scenario: string, data: Record<string, unknown>): Promise<string> {
  const i = process.argv.indexOf('--out');
  const file = i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]!) : path.join(RESULTS_DIR, `${scenario}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ scenario, environment: environment(), ...data }, null, 2)}\n`, 'utf8');
  return file;
}

/** `--name value` from the command line, or the fallback. */
export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
