/**
 * Property-based tests of the rewriter (issue 13), through the planner every front end uses
 * (planEdits over a scanned project): for projects generated from every format's fragments, in
 * UTF-8 or Latin-1, LF/CRLF/CR, with or without a BOM, and with random damage laid over them, and
 * for random requests (any dependency, any target, any strategy, sha256 values for hashed ones):
 *
 * - planning throws nothing but a CoreError (a request it cannot do is skipped with a reason);
 * - one request changes bytes only inside that requirement's span: the bytes before its start
 *   and after its end are the file's prefix and suffix, exactly;
 * - several requests at once: each edited requirement reads back with its new specifier, which
 *   admits its target, and every other requirement reads back as it was.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBytes, encodeText } from '../../../src/core/bytes.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { planEdits, type EditRequest } from '../../../src/core/project/plan-update.ts';
import { MemoryProjectFiles } from '../../../src/core/project/memory-files.ts';
import {
  applyEdits,
  EditError,
  outsideSpansUnchanged,
  planHashes,
  planSpecifier,
  readManifest,
  scanFiles,
  StrategyError,
  type ScannedProject,
} from '../../../src/core/python/index.ts';
import { satisfiesAny } from '../../../src/core/pep440/index.ts';
import type { Dependency } from '../../../src/core/python/types.ts';
import { params } from '../../helpers/property.ts';
import { applyNoise, noise, project, sha256s, strategy, target, type GeneratedProject } from './manifest-arbitraries.ts';

const request = fc.record({ pick: fc.nat(), target, strategy, sha256: sha256s });
type RequestSeed = { pick: number; target: string; strategy: EditRequest['strategy']; sha256: string[] };

function dependencies(scan: ScannedProject): Dependency[] {
  return scan.manifests.flatMap((m) => m.dependencies);
}

function toRequest(deps: Dependency[], r: RequestSeed): EditRequest {
  const dependency = deps[r.pick % deps.length] as Dependency;
  return { dependency, target: r.target, strategy: r.strategy, sha256: r.sha256 };
}

/** planEdits, accepting only its result or a CoreError. */
function plan(scan: ScannedProject, requests: EditRequest[]): ReturnType<typeof planEdits> | CoreError {
  try {
    return planEdits(scan, requests);
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw new Error(`planEdits threw ${(err as Error)?.name}: ${(err as Error)?.message}`, { cause: err });
  }
}

/** The whole requirement: its text, the specifier (maybe inserted right after it) and its hashes. */
function requirementSpan(d: Dependency): { start: number; end: number } {
  const starts = [d.location.start, d.specifierSpan?.start ?? Infinity, d.hashSpan?.start ?? Infinity];
  const ends = [d.location.end, d.specifierSpan?.end ?? -Infinity, d.hashSpan?.end ?? -Infinity];
  return { start: Math.min(...starts), end: Math.max(...ends) };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function scanOf(p: GeneratedProject, damage: Record<string, Parameters<typeof applyNoise>[1]> | undefined): Promise<ScannedProject> {
  const files = { ...p.files };
  for (const [f, ops] of Object.entries(damage ?? {})) if (files[f]) files[f] = applyNoise(files[f], ops);
  return scanFiles(new MemoryProjectFiles(files));
}

const damage = fc.option(
  fc.dictionary(fc.constantFrom('requirements.txt', 'other.txt', 'constraints.txt', 'pyproject.toml', 'setup.cfg', 'Pipfile'), noise, {
    maxKeys: 2,
  }),
  { nil: undefined },
);

describe('the rewriter, through planEdits', () => {
  test('one request: only bytes inside the requirement change, the rest is the same prefix and suffix', async () => {
    await fc.assert(
      fc.asyncProperty(project, damage, request, async (p, dmg, seed) => {
        const scan = await scanOf(p, dmg);
        const deps = dependencies(scan);
        if (deps.length === 0) return;
        const req = toRequest(deps, seed);
        const result = plan(scan, [req]);
        if (result instanceof CoreError) {
          // Only damage may make a planned edit not read back; an intact manifest must not.
          assert.ok(dmg !== undefined, `edit-rejected on an intact manifest: ${result.message}`);
          assert.equal(result.code, 'edit-rejected');
          return;
        }
        assert.equal(result.planned.length + result.skipped.length, 1);
        assert.ok(result.changes.length <= 1);
        const change = result.changes[0];
        if (!change) return;
        const source = scan.sources.get(change.path)!;
        assert.ok(bytesEqual(change.before, source.bytes), 'the change starts from the bytes that were read');
        const span = requirementSpan(req.dependency);
        const prefix = encodeText(source.text.slice(0, span.start));
        const suffix = encodeText(source.text.slice(span.end));
        const after = change.after;
        assert.ok(after.length >= prefix.length + suffix.length, 'the edit removed bytes outside its span');
        assert.ok(bytesEqual(after.subarray(0, prefix.length), prefix), `bytes before ${span.start} changed`);
        assert.ok(bytesEqual(after.subarray(after.length - suffix.length), suffix), `bytes after ${span.end} changed`);
        assert.ok(!bytesEqual(after, change.before), 'a change that changes nothing');
      }),
      params(300),
    );
  });

  test('several requests: edited requirements read back admitting their targets, the others as they were', async () => {
    await fc.assert(
      fc.asyncProperty(project, damage, fc.array(request, { minLength: 1, maxLength: 5 }), async (p, dmg, seeds) => {
        const scan = await scanOf(p, dmg);
        const deps = dependencies(scan);
        if (deps.length === 0) return;
        // One request per requirement: two for the same one are two answers to one question.
        const byDep = new Map<Dependency, EditRequest>();
        for (const s of seeds) {
          const r = toRequest(deps, s);
          if (!byDep.has(r.dependency)) byDep.set(r.dependency, r);
        }
        const requests = [...byDep.values()];
        const result = plan(scan, requests);
        if (result instanceof CoreError) {
          assert.ok(dmg !== undefined, `edit-rejected on an intact manifest: ${result.message}`);
          return;
        }
        for (const change of result.changes) {
          const m = scan.manifests.find((x) => x.file === change.path)!;
          const afterText = decodeBytes(change.after);
          const reread = readManifest(m.file, afterText, m.kind);
          assert.equal(reread.dependencies.length, m.dependencies.length, `${m.file}: requirements appeared or vanished`);
          m.dependencies.forEach((before, i) => {
            const now = reread.dependencies[i]!;
            assert.equal(now.name, before.name);
            const req = byDep.get(before);
            // What the rewriter was asked to write there: planSpecifier is pure, so asking it again
            // gives the planned value (or says the request was skipped).
            let to: string | null = null;
            if (req) {
              try {
                const sp = planSpecifier(before, req.target, req.strategy);
                to = sp.edit || before.hashSpan !== null ? sp.to : null;
              } catch {
                to = null;
              }
            }
            if (req && to !== null) {
              assert.equal(now.rawSpecifier, to, `${before.name} reads back as ${now.rawSpecifier}, planned ${to}`);
              assert.ok(
                satisfiesAny(req.target, now.alternatives, { prereleases: true }),
                `${now.rawSpecifier} does not admit ${req.target}`,
              );
              if (before.hashSpan !== null)
                assert.deepEqual(
                  [...now.hashes].sort(),
                  req.sha256!.map((h) => h.toLowerCase()).sort(),
                  `${before.name}: hashes not replaced`,
                );
            } else {
              assert.equal(now.rawSpecifier, before.rawSpecifier, `${before.name} changed but was not to be`);
              assert.deepEqual(now.hashes, before.hashes);
              assert.equal(now.markers, before.markers);
            }
          });
        }
      }),
      params(200),
    );
  });
});

describe('the rewrite functions, given anything', () => {
  const anyTarget = fc.oneof(target, fc.string({ unit: 'binary', maxLength: 12 }));
  const anyHashes = fc.array(fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 70 })), { maxLength: 3 });

  test('planSpecifier and planHashes: a plan or StrategyError / EditError, for any target and digest', async () => {
    await fc.assert(
      fc.asyncProperty(project, fc.nat(), anyTarget, strategy, anyHashes, async (p, pick, t, st, hs) => {
        const scan = await scanOf(p, undefined);
        const deps = dependencies(scan);
        if (deps.length === 0) return;
        const dep = deps[pick % deps.length]!;
        try {
          const sp = planSpecifier(dep, t, st);
          if (sp.edit)
            assert.ok(
              sp.edit.start >= 0 && sp.edit.start <= sp.edit.end && sp.edit.end <= scan.sources.get(dep.location.file)!.text.length,
            );
        } catch (err) {
          assert.ok(err instanceof StrategyError, `planSpecifier threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
        }
        try {
          planHashes(dep, scan.sources.get(dep.location.file)!.text, hs);
        } catch (err) {
          assert.ok(err instanceof EditError, `planHashes threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
        }
        // And through the planner: a skip with a reason, never another error.
        const result = plan(scan, [{ dependency: dep, target: t, strategy: st, sha256: hs }]);
        if (!(result instanceof CoreError)) assert.equal(result.planned.length + result.skipped.length, 1);
      }),
      params(200),
    );
  });

  test('applyEdits: random edits apply with the text outside them unchanged, or throw EditError', () => {
    const edit = fc.record({
      start: fc.integer({ min: -2, max: 60 }),
      end: fc.integer({ min: -2, max: 60 }),
      text: fc.string({ unit: 'binary', maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), fc.array(edit, { maxLength: 4 }), (text, edits) => {
        let after: string;
        try {
          after = applyEdits(text, edits);
        } catch (err) {
          assert.ok(err instanceof EditError, `applyEdits threw ${(err as Error)?.name}`);
          return;
        }
        assert.ok(outsideSpansUnchanged(text, after, edits));
        if (edits.length === 1) {
          const [e] = edits as [{ start: number; end: number; text: string }];
          assert.equal(after.slice(0, e.start), text.slice(0, e.start));
          assert.equal(after.slice(after.length - (text.length - e.end)), text.slice(e.end));
        }
      }),
      params(500),
    );
  });
});

describe('regressions the properties found', () => {
  const scanText = (files: Record<string, string>) => scanFiles(new MemoryProjectFiles(files));

  test('one of two entries of a package (split by markers) is updated, the other left as it was', async () => {
    const text = 'fapilog-loki==1.0.0; python_version < "3.10"\nfapilog-loki==1.2.0; python_version >= "3.10"\n';
    const scan = await scanText({ 'requirements.txt': text });
    const [older, newer] = dependencies(scan);
    // Only the second moves: before the fix the verifier keyed expectations by name and section,
    // so it expected both to read `==1.4.0` and refused the change (edit-rejected).
    const result = planEdits(scan, [{ dependency: newer!, target: '1.4.0', strategy: 'auto' }]);
    assert.equal(
      decodeBytes(result.changes[0]!.after),
      'fapilog-loki==1.0.0; python_version < "3.10"\nfapilog-loki==1.4.0; python_version >= "3.10"\n',
    );
    // Both, to different targets.
    const both = planEdits(scan, [
      { dependency: older!, target: '1.1.0', strategy: 'auto' },
      { dependency: newer!, target: '1.4.0', strategy: 'auto' },
    ]);
    assert.equal(
      decodeBytes(both.changes[0]!.after),
      'fapilog-loki==1.1.0; python_version < "3.10"\nfapilog-loki==1.4.0; python_version >= "3.10"\n',
    );
  });

  test('a hash that is not sha256 (or not readable) is replaced too, never left beside a new version', async () => {
    const sha512 = 'ab'.repeat(64);
    const sha = 'cd'.repeat(32);
    for (const hash of [`--hash=sha512:${sha512}`, `--hash=sha56:${'00'.repeat(32)}`]) {
      const text = `fapilog-loki==1.2.0 \\\n    ${hash}\n`;
      const scan = await scanText({ 'requirements.txt': text });
      const [dep] = dependencies(scan);
      assert.deepEqual(dep!.hashes, []);
      // Before the fix only sha256 values counted as hashes: the version moved and the old hash
      // stayed, so `pip install --require-hashes` failed on the new release.
      const result = planEdits(scan, [{ dependency: dep!, target: '1.4.0', strategy: 'auto', sha256: [sha] }]);
      assert.equal(decodeBytes(result.changes[0]!.after), `fapilog-loki==1.4.0 \\\n    --hash=sha256:${sha}\n`);
      assert.equal(result.planned[0]!.hashesReplaced, true);
      // Without sha256 values from the marketplace it is skipped, not half-updated.
      const none = planEdits(scan, [{ dependency: dep!, target: '1.4.0', strategy: 'auto', sha256: [] }]);
      assert.equal(none.changes.length, 0);
      assert.match(none.skipped[0]!.reason, /lists no files \(sha256\)/);
    }
  });

  test('an insertion and a replacement at one offset: the check agrees with applyEdits in either order', () => {
    const edits = [
      { start: 2, end: 3, text: 'X' },
      { start: 2, end: 2, text: 'ins' },
    ];
    const after = applyEdits('abcd', edits);
    assert.equal(after, 'abinsXd');
    // Before the fix the check sorted by start only, kept this order, and called it a change
    // outside the spans (a planned change would have been refused as edit-rejected).
    assert.equal(outsideSpansUnchanged('abcd', after, edits), true);
    assert.equal(outsideSpansUnchanged('abcd', 'abXinsd', edits), false);
  });

  test('the same package twice in setup.cfg: the one asked for moves', async () => {
    const text = '[options]\ninstall_requires =\n    fapilog-loki\n    fapilog-loki==1.0\n';
    const scan = await scanText({ 'setup.cfg': text });
    const [, second] = dependencies(scan);
    const result = planEdits(scan, [{ dependency: second!, target: '2.0.0', strategy: 'auto' }]);
    assert.equal(decodeBytes(result.changes[0]!.after), '[options]\ninstall_requires =\n    fapilog-loki\n    fapilog-loki==2.0.0\n');
  });
});
