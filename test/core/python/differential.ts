/**
 * The shared prelude of the differential tests against Python's `packaging`: a seeded random
 * source for generating cases, and one python process that answers them all as JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

export interface Random {
  /** In [0, 1). */
  rand(): number;
  chance(p: number): boolean;
  /** An integer in [0, max]. */
  int(max: number): number;
  pick<T>(xs: readonly T[]): T;
}

/** mulberry32: small, seeded, good enough to spread cases; the same seed gives the same cases. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    rand,
    chance: (p) => rand() < p,
    int: (max) => Math.floor(rand() * (max + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T,
  };
}

/** Runs `script` once with `input` as JSON on stdin and returns its JSON stdout (one answer per input). */
export function askPython<T>(script: string, input: readonly unknown[]): T[] {
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `python failed: ${run.stderr}`);
  const answers = JSON.parse(run.stdout) as T[];
  assert.equal(answers.length, input.length, 'one answer per input');
  return answers;
}
