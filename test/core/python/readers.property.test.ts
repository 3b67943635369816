/**
 * Property-based tests of the manifest and lockfile readers (issue 13): over manifests generated
 * from every format's fragments, with random noise laid over them, and over random bytes, a
 * reader returns a Manifest whose positions point into the text, or throws its documented error
 * (TomlSyntaxError for TOML manifests, LockfileError for lockfiles), nothing else; a project scan
 * never throws at all (bad files become warnings or `invalid`). Seeded: see test/helpers/property.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBytes } from '../../../src/core/bytes.ts';
import { readLockfile, readManifest, scanFiles } from '../../../src/core/python/index.ts';
import { LockfileError } from '../../../src/core/python/lockfiles.ts';
import { TomlSyntaxError } from '../../../src/core/python/toml.ts';
import type { Manifest, ManifestKind } from '../../../src/core/python/types.ts';
import { MemoryProjectFiles } from '../../../src/core/project/memory-files.ts';
import { params } from '../../helpers/property.ts';
import {
  applyNoise,
  noise,
  project,
  pipfileText,
  pyprojectText,
  requirementsText,
  setupCfgText,
  encoding,
  toBytes,
} from './manifest-arbitraries.ts';

const FILE: Record<ManifestKind, string> = {
  requirements: 'requirements.txt',
  pyproject: 'pyproject.toml',
  'setup.cfg': 'setup.cfg',
  pipfile: 'Pipfile',
};
const TOML_KINDS = new Set<ManifestKind>(['pyproject', 'pipfile']);

function within(span: { start: number; end: number }, lo: number, hi: number, what: string): void {
  assert.ok(span.start >= lo && span.start <= span.end && span.end <= hi, `${what} [${span.start}, ${span.end}) outside [${lo}, ${hi}]`);
}

/** What every Manifest promises: positions inside the text, the text at them as recorded. */
function checkManifest(m: Manifest, text: string): void {
  for (const d of m.dependencies) {
    const loc = d.location;
    within(loc, 0, text.length, `${d.rawName} location`);
    assert.equal(loc.text, text.slice(loc.start, loc.end), `${d.rawName}: location.text is not the text at its offsets`);
    assert.ok(loc.line >= 1 && loc.endLine >= loc.line && loc.column >= 1, `${d.rawName}: bad line/column ${JSON.stringify(loc)}`);
    if (d.specifierSpan) within(d.specifierSpan, loc.start, Math.max(loc.end, d.hashSpan?.start ?? loc.end), `${d.rawName} specifier`);
    if (d.hashSpan) {
      within(d.hashSpan, loc.end, text.length, `${d.rawName} hashes`);
      // Logically (continuations joined, as pip reads it) the span starts with the option.
      assert.match(text.slice(d.hashSpan.start, d.hashSpan.end).replace(/\\(?:\r\n|\n|\r)/g, ''), /^--hash/);
    }
    assert.equal(d.kind, m.kind);
  }
}

/** Reads, and accepts only a Manifest or the format's documented error. */
function readOrDocumentedError(kind: ManifestKind, text: string): void {
  let m: Manifest;
  try {
    m = readManifest(FILE[kind], text, kind);
  } catch (err) {
    if (TOML_KINDS.has(kind) && err instanceof TomlSyntaxError) return;
    throw new Error(`${kind}: unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`, { cause: err });
  }
  checkManifest(m, text);
}

const generated: Record<ManifestKind, fc.Arbitrary<string>> = {
  requirements: requirementsText,
  pyproject: pyprojectText,
  'setup.cfg': setupCfgText,
  pipfile: pipfileText,
};

describe('manifest readers: a Manifest or the documented error, for any input', () => {
  for (const kind of Object.keys(generated) as ManifestKind[]) {
    test(`${kind}: generated from fragments, then damaged`, () => {
      fc.assert(
        fc.property(generated[kind], encoding, fc.option(noise, { nil: undefined }), (text, enc, ops) => {
          const bytes = toBytes(text, TOML_KINDS.has(kind) ? { ...enc, latin1Comment: false } : enc);
          const damaged = ops ? applyNoise(bytes, ops) : bytes;
          const decoded = decodeBytes(damaged);
          readOrDocumentedError(kind, decoded);
          // The undamaged, LF-ended, UTF-8 text is valid in its format: it must read.
          if (!ops && enc.eol !== '\r') {
            const plain = decodeBytes(bytes);
            assert.doesNotThrow(() => readManifest(FILE[kind], plain, kind), `${kind} does not read:\n${plain}`);
          }
        }),
        params(150),
      );
    });
  }

  test('any kind: random bytes and random strings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(FILE) as ManifestKind[])),
        fc.oneof(fc.uint8Array({ maxLength: 200 }).map(decodeBytes), fc.string({ unit: 'binary', maxLength: 200 })),
        (kind, text) => {
          readOrDocumentedError(kind, text);
        },
      ),
      params(400),
    );
  });
});

describe('lockfile readers and the project scan', () => {
  const lockText = fc.oneof(
    fc
      .array(fc.tuple(fc.constantFrom('fapilog-loki', 'x', ''), fc.constantFrom('1.0.0', '', '1!2', 'zz')), { maxLength: 4 })
      .map(
        (ps) =>
          `version = 1\n${ps.map(([n, v]) => `\n[[package]]\nname = ${JSON.stringify(n)}\nversion = ${JSON.stringify(v)}\n`).join('')}`,
      ),
    fc.constantFrom(
      '{"default": {"fapilog-loki": {"version": "==1.0.0"}}, "develop": {}}',
      '{"default": {"x": {}}}',
      '[]',
      '{"default": 5}',
      'version = 1\n[[package]]\nname = 5\n',
    ),
  );
  test('uv.lock, poetry.lock, pdm.lock, Pipfile.lock: entries or a LockfileError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock'),
        fc.oneof(
          lockText,
          fc.tuple(lockText, noise).map(([t, ops]) => decodeBytes(applyNoise(new TextEncoder().encode(t), ops))),
          fc.string({ unit: 'binary', maxLength: 120 }),
        ),
        (name, text) => {
          try {
            const entries = readLockfile(name, text);
            for (const e of entries) assert.equal(typeof e.name, 'string');
          } catch (err) {
            if (!(err instanceof LockfileError))
              throw new Error(`${name}: unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`, { cause: err });
          }
        },
      ),
      params(300),
    );
  });

  test('a whole project, damaged anywhere: the scan never throws and every manifest is consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        project,
        fc.dictionary(fc.constantFrom('requirements.txt', 'other.txt', 'pyproject.toml', 'setup.cfg', 'Pipfile', 'uv.lock'), noise, {
          maxKeys: 2,
        }),
        async (p, damage) => {
          const files = { ...p.files };
          for (const [f, ops] of Object.entries(damage)) if (files[f]) files[f] = applyNoise(files[f], ops);
          const scan = await scanFiles(new MemoryProjectFiles(files));
          for (const m of scan.manifests) {
            const src = scan.sources.get(m.file);
            assert.ok(src, `${m.file} has no source`);
            checkManifest(m, src.text);
          }
        },
      ),
      params(150),
    );
  });
});
