/**
 * Applies a fixture's `rewrites.json` (dependency, target version, strategy, optional hashes)
 * through the public rewrite API and returns the new text of each touched file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { scanProject } from '../../../src/core/python/scan.ts';
import { applyEdits, planHashes, planSpecifier } from '../../../src/core/python/rewrite.ts';
import type { Edit } from '../../../src/core/python/rewrite.ts';
import { RANGE_STRATEGIES } from '../../../src/core/python/strategies.ts';

export const RewriteOp = z.object({
  file: z.string(),
  name: z.string(),
  target: z.string(),
  strategy: z.enum(RANGE_STRATEGIES),
  hashes: z.array(z.string()).optional(),
  /** Expected failure: a fragment of the error message. */
  error: z.string().optional(),
});
export type RewriteOp = z.infer<typeof RewriteOp>;

export interface FixtureRewrite {
  ops: RewriteOp[];
  /** file -> { before, after } for every file with at least one successful op. */
  files: Map<string, { before: string; after: string; expected: Array<{ name: string; rawSpecifier: string }> }>;
  /** Ops that failed as their `error` said (message included). */
  failures: Array<{ op: RewriteOp; message: string }>;
}

export async function loadRewriteOps(caseDir: string): Promise<RewriteOp[] | null> {
  const text = await readFile(path.join(caseDir, 'rewrites.json'), 'utf8').catch(() => null);
  return text === null ? null : z.array(RewriteOp).parse(JSON.parse(text));
}

export async function runFixtureRewrites(caseDir: string, ops: RewriteOp[]): Promise<FixtureRewrite> {
  const scan = await scanProject(caseDir);
  const edits = new Map<string, Edit[]>();
  const expected = new Map<string, Array<{ name: string; rawSpecifier: string }>>();
  const texts = new Map<string, string>();
  const failures: FixtureRewrite['failures'] = [];
  for (const op of ops) {
    const manifest = scan.manifests.find((m) => m.file === op.file);
    if (!manifest) throw new Error(`${caseDir}: no manifest ${op.file} was read`);
    const dep = manifest.dependencies.find((d) => d.name === op.name);
    if (!dep) throw new Error(`${caseDir}: ${op.name} not found in ${op.file}`);
    if (!texts.has(op.file)) texts.set(op.file, await readFile(path.join(caseDir, op.file), 'utf8'));
    const text = texts.get(op.file) as string;
    let plan;
    try {
      plan = planSpecifier(dep, op.target, op.strategy);
    } catch (err) {
      if (op.error === undefined) throw err;
      failures.push({ op, message: (err as Error).message });
      continue;
    }
    if (op.error !== undefined) throw new Error(`${caseDir}: ${op.name} was expected to fail with "${op.error}" but planned ${plan.to}`);
    const list = edits.get(op.file) ?? [];
    if (plan.edit) list.push(plan.edit);
    const h = op.hashes ? planHashes(dep, text, op.hashes) : null;
    if (h) list.push(h);
    edits.set(op.file, list);
    const exp = expected.get(op.file) ?? [];
    exp.push({ name: op.name, rawSpecifier: plan.to });
    expected.set(op.file, exp);
  }
  const files: FixtureRewrite['files'] = new Map();
  for (const [file, list] of edits) {
    const before = texts.get(file) as string;
    files.set(file, { before, after: applyEdits(before, list), expected: expected.get(file) ?? [] });
  }
  return { ops, files, failures };
}
