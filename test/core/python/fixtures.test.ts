/**
 * The manifest fixture corpus: every case directory under test/fixtures/manifests is scanned and
 * compared with its hand-reviewed `scan.expected.json`; cases with `rewrites.json` are planned
 * by the update planner (planEdits: the same path `update` and the bot take), compared byte for
 * byte with the `*.after` files, then written all-or-none to a copy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { planEdits, scanProject, writeChangesToDisk, type EditRequest } from '../../../src/core/project/index.ts';
import { RANGE_STRATEGIES } from '../../../src/core/python/strategies.ts';
import { normalizeName } from '../../../src/core/names.ts';
import { projectScan } from './projection.ts';

/** One line of a case's `rewrites.json`: move `name` in `file` to `target` (with `hashes`), or fail with `error`. */
const RewriteOp = z.object({
  file: z.string(),
  name: z.string(),
  target: z.string(),
  strategy: z.enum(RANGE_STRATEGIES),
  hashes: z.array(z.string()).optional(),
  /** Expected failure: a fragment of the reason it is skipped. */
  error: z.string().optional(),
});

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/manifests');

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

const cases = (await readdir(FIXTURES, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('manifest fixture corpus', () => {
  test('has at least 30 cases covering every format and lockfile', async () => {
    assert.ok(cases.length >= 30, `only ${cases.length} fixture cases`);
    const all = (
      await Promise.all(cases.map(async (c) => (await listFiles(path.join(FIXTURES, c))).map((f) => path.posix.basename(f))))
    ).flat();
    for (const name of [
      'requirements.txt',
      'pyproject.toml',
      'setup.cfg',
      'Pipfile',
      'uv.lock',
      'poetry.lock',
      'pdm.lock',
      'Pipfile.lock',
    ]) {
      assert.ok(all.includes(name), `no fixture has a ${name}`);
    }
    assert.ok(
      all.some((f) => f.endsWith('.in')),
      'no .in fixture',
    );
  });

  for (const c of cases) {
    describe(c, () => {
      const dir = path.join(FIXTURES, c);

      test('reads as in scan.expected.json', async () => {
        const scan = await scanProject(dir);
        const texts = new Map<string, string>();
        for (const m of scan.manifests) texts.set(m.file, await readFile(path.join(dir, m.file), 'utf8'));
        const expected = JSON.parse(await readFile(path.join(dir, 'scan.expected.json'), 'utf8'));
        assert.deepEqual(projectScan(scan, texts), expected);

        // Positions are self-consistent: offsets, line/column and text agree with the file.
        for (const m of scan.manifests) {
          const text = texts.get(m.file) as string;
          const lines = text.split(/\r\n|\n|\r/);
          for (const d of m.dependencies) {
            const loc = d.location;
            assert.equal(text.slice(loc.start, loc.end), loc.text, `${m.file}: ${d.name} offsets`);
            const bom = loc.line === 1 && text.startsWith('\uFEFF') ? 1 : 0;
            const lineText = lines[loc.line - 1] as string;
            assert.equal(
              lineText.slice(loc.column - 1 + bom, loc.column - 1 + bom + Math.min(loc.text.length, 5)),
              loc.text.slice(0, 5),
              `${m.file}: ${d.name} column`,
            );
            assert.equal(d.name, normalizeName(d.rawName));
            if (d.specifierSpan && !text.slice(d.specifierSpan.start, d.specifierSpan.end).includes('\\')) {
              assert.equal(text.slice(d.specifierSpan.start, d.specifierSpan.end), d.rawSpecifier, `${m.file}: ${d.name} specifier span`);
            }
          }
        }
      });

      test('the planner rewrites byte for byte as in the *.after files', async (t) => {
        const opsText = await readFile(path.join(dir, 'rewrites.json'), 'utf8').catch(() => null);
        const afters = (await listFiles(dir)).filter((f) => f.endsWith('.after'));
        if (opsText === null) {
          assert.deepEqual(afters, [], 'an .after file without rewrites.json');
          t.skip('no rewrites for this case');
          return;
        }
        const ops = z.array(RewriteOp).parse(JSON.parse(opsText));
        const scan = await scanProject(dir);
        const requests: EditRequest[] = ops.map((op) => {
          const dependency = scan.manifests.find((m) => m.file === op.file)?.dependencies.find((d) => d.name === op.name);
          assert.ok(dependency, `${op.name} not found in ${op.file}`);
          // Without hashes in the op, a hashed requirement keeps its own (the planner replaces them only when given).
          return { dependency, target: op.target, strategy: op.strategy, sha256: op.hashes ?? dependency.hashes };
        });
        const plan = planEdits(scan, requests);
        assert.deepEqual(
          plan.changes.map((c) => `${c.path}.after`).sort(),
          afters.sort(),
          'every rewritten file has an .after and vice versa',
        );
        for (const change of plan.changes) {
          const expected = new Uint8Array(await readFile(path.join(dir, `${change.path}.after`)));
          assert.deepEqual(Buffer.from(change.after), Buffer.from(expected), `${change.path} differs from ${change.path}.after`);
          assert.deepEqual(
            Buffer.from(change.before),
            await readFile(path.join(dir, change.path)),
            `${change.path}: before is the file as read`,
          );
          assert.notDeepEqual(Buffer.from(change.after), Buffer.from(change.before), `${change.path}: rewrite changed nothing`);
        }
        for (const op of ops) {
          const skip = plan.skipped.find((x) => x.file === op.file && x.package === op.name);
          if (op.error === undefined) assert.equal(skip, undefined, `${op.name} was skipped: ${skip?.reason}`);
          else {
            assert.ok(skip, `${op.name} should have failed`);
            assert.match(skip.reason, new RegExp(op.error));
          }
        }

        // The same changes written to a copy produce the same bytes, and nothing is left behind.
        const tmp = await mkdtemp(path.join(os.tmpdir(), 'fapilog-fixture-'));
        try {
          await cp(dir, tmp, { recursive: true });
          await writeChangesToDisk(tmp, plan.changes);
          for (const change of plan.changes) assert.deepEqual(new Uint8Array(await readFile(path.join(tmp, change.path))), change.after);
          const leftovers = (await listFiles(tmp)).filter((f) => f.endsWith('.tmp'));
          assert.deepEqual(leftovers, []);
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      });
    });
  }
});
