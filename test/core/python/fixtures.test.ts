/**
 * The manifest fixture corpus: every case directory under test/fixtures/manifests is scanned and
 * compared with its hand-reviewed `scan.expected.json`; cases with `rewrites.json` are rewritten
 * and compared byte for byte with the `*.after` files, then written atomically to a copy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scanProject } from '../../../src/core/python/scan.ts';
import { expectSpecifier, writeManifestAtomically } from '../../../src/core/python/atomic.ts';
import { normalizeName } from '../../../src/core/names.ts';
import { projectScan } from './projection.ts';
import { loadRewriteOps, runFixtureRewrites } from './fixture-rewrites.ts';

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

const cases = (await readdir(FIXTURES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('manifest fixture corpus', () => {
  test('has at least 30 cases covering every format and lockfile', async () => {
    assert.ok(cases.length >= 30, `only ${cases.length} fixture cases`);
    const all = (await Promise.all(cases.map(async (c) => (await listFiles(path.join(FIXTURES, c))).map((f) => path.posix.basename(f))))).flat();
    for (const name of ['requirements.txt', 'pyproject.toml', 'setup.cfg', 'Pipfile', 'uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock']) {
      assert.ok(all.includes(name), `no fixture has a ${name}`);
    }
    assert.ok(all.some((f) => f.endsWith('.in')), 'no .in fixture');
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
            assert.equal(lineText.slice(loc.column - 1 + bom, loc.column - 1 + bom + Math.min(loc.text.length, 5)), loc.text.slice(0, 5), `${m.file}: ${d.name} column`);
            assert.equal(d.name, normalizeName(d.rawName));
            if (d.specifierSpan && !text.slice(d.specifierSpan.start, d.specifierSpan.end).includes('\\')) {
              assert.equal(text.slice(d.specifierSpan.start, d.specifierSpan.end), d.rawSpecifier, `${m.file}: ${d.name} specifier span`);
            }
          }
        }
      });

      test('rewrites byte for byte as in the *.after files', async (t) => {
        const ops = await loadRewriteOps(dir);
        const afters = (await listFiles(dir)).filter((f) => f.endsWith('.after'));
        if (ops === null) {
          assert.deepEqual(afters, [], 'an .after file without rewrites.json');
          t.skip('no rewrites for this case');
          return;
        }
        const result = await runFixtureRewrites(dir, ops);
        assert.deepEqual([...result.files.keys()].map((f) => `${f}.after`).sort(), afters.sort(), 'every rewritten file has an .after and vice versa');
        for (const [file, { before, after }] of result.files) {
          const expected = await readFile(path.join(dir, `${file}.after`), 'utf8');
          assert.equal(after, expected, `${file} differs from ${file}.after`);
          assert.notEqual(after, before, `${file}: rewrite changed nothing`);
        }
        for (const op of ops.filter((o) => o.error !== undefined)) {
          const f = result.failures.find((x) => x.op === op);
          assert.ok(f, `${op.name} should have failed`);
          assert.match(f.message, new RegExp(op.error as string));
        }

        // The same edits written atomically to a copy produce the same bytes and read back as planned.
        const tmp = await mkdtemp(path.join(os.tmpdir(), 'fapilog-fixture-'));
        try {
          await cp(dir, tmp, { recursive: true });
          for (const [file, { after, expected }] of result.files) {
            const target = path.join(tmp, file);
            await writeManifestAtomically(target, after, (text, reread) => {
              for (const e of expected) {
                const problem = expectSpecifier(e.name, e.rawSpecifier)(text, reread);
                if (problem) return problem;
              }
              return null;
            });
            assert.equal(await readFile(target, 'utf8'), after);
          }
          const leftovers = (await listFiles(tmp)).filter((f) => f.endsWith('.tmp'));
          assert.deepEqual(leftovers, []);
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
      });
    });
  }
});
