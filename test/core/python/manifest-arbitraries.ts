/**
 * fast-check generators of manifests, built from the fragments each format is written with
 * (requirements files with includes, hashes, continuations and options; pyproject PEP 621, PEP 735,
 * Poetry, PDM and uv tables; setup.cfg; Pipfile), in UTF-8 or Latin-1, with LF, CRLF or CR line
 * ends and an optional BOM, plus generators of random noise laid over them. Shared by the
 * readers' and the rewriter's property tests.
 */
import fc from 'fast-check';
import { RANGE_STRATEGIES, type RangeStrategy } from '../../../src/core/python/strategies.ts';

const NAMES = ['fapilog-loki', 'fapilog_Otel', 'Fapilog.Kafka', 'fapilog-x', 'requests', 'fapilog'];
const SPECIFIERS = [
  '',
  '==1.2.0',
  '>=1.0,<2',
  '>= 1.0 , < 2.0',
  '~=1.2',
  '==1.*',
  '!=1.3',
  '>=1',
  '<3',
  '==1.2.0,!=1.2.1',
  '===1.0',
  '>1.0.0rc1',
  '==0.4.2',
];
const MARKERS = ['', '; python_version >= "3.9"', ' ; sys_platform == "linux"', ";extra == 'x'"];
const EXTRAS = ['', '[a]', '[a, b]', '[ x ]'];
const POETRY = [
  '"^1.2"',
  '"~1.2"',
  '"*"',
  '">=1.0,<2"',
  '"1.2.3"',
  '"^0.4 || ^1.0"',
  '"~=1.2"',
  '{ version = "^1.0", optional = true }',
  '{version="~1.2", extras=["a"]}',
  '{ git = "https://x/y.git" }',
  '{ path = "../p" }',
];
const PIPFILE = [
  '"*"',
  '"==1.2"',
  '">=1.0"',
  '{version = ">=1", extras = ["a"]}',
  '{ version = "~=1.2" }',
  '{git = "https://x/y.git", ref = "main"}',
];
const HEX = fc.stringMatching(/^[0-9a-f]{64}$/);

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** A PEP 508 string: name, extras, specifier, marker; sometimes a URL requirement. */
export const pep508 = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(pick(NAMES), pick(EXTRAS), pick(SPECIFIERS), pick(MARKERS)).map(([n, e, s, m]) => `${n}${e}${s}${m}`) },
  { weight: 1, arbitrary: pick(NAMES).map((n) => `${n} @ https://example.com/${n}-1.0-py3-none-any.whl`) },
);

/** One requirements-file line (without its line end), in every form pip reads. */
const requirementsLine = fc.oneof(
  { weight: 6, arbitrary: pep508 },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        pep508,
        fc.array(HEX, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(' ', ' \\\n    ', ' \\\r\n  '),
        fc.constantFrom('--hash=sha256:', '--hash sha256:'),
      )
      .map(([r, hs, sep, opt]) => `${r}${sep}${hs.map((h) => `${opt}${h}`).join(sep)}`),
  },
  { weight: 2, arbitrary: fc.tuple(pick(NAMES), pick(SPECIFIERS)).map(([n, s]) => `${n} \\\n    ${s}`) },
  { weight: 1, arbitrary: fc.tuple(pick(NAMES), pick(['>=1.0,\\\n<2', '==\\\n1.2.0'])).map(([n, s]) => `${n}${s}`) },
  { weight: 2, arbitrary: fc.tuple(pep508, pick([' # a comment', '  # fapilog-plugins: ignore', '\t# tab'])).map(([r, c]) => `${r}${c}`) },
  {
    weight: 1,
    arbitrary: pick([
      '-r other.txt',
      '-c constraints.txt',
      '--requirement=sub/dev.txt',
      '-r ../outside.txt',
      '-r https://x/r.txt',
      '--index-url https://pypi.org/simple',
      '-e git+https://x/y.git#egg=fapilog-git',
      '-e .',
      './local-dir',
      '--pre',
      '# comment',
      '',
      '   ',
    ]),
  },
);

/** The files a requirements project holds: the main file and the files it includes. */
export const requirementsText = fc.array(requirementsLine, { minLength: 1, maxLength: 8 }).map((ls) => ls.join('\n') + '\n');

const tomlString = (s: string, literal: boolean) => (literal && !s.includes("'") ? `'${s}'` : JSON.stringify(s));

const pep508Array = fc
  .tuple(fc.array(fc.tuple(pep508, fc.boolean(), pick(['', ' # why']))), fc.boolean())
  .map(([items, multiline]) =>
    multiline
      ? `[\n${items.map(([s, lit, c]) => `    ${tomlString(s, lit)},${c}\n`).join('')}]`
      : `[${items.map(([s, lit]) => tomlString(s, lit)).join(', ')}]`,
  );

const poetryTable = (header: string) =>
  fc
    .uniqueArray(fc.tuple(pick(NAMES), pick(POETRY)), { maxLength: 4, selector: ([n]) => n })
    .map((es) => `[${header}]\n${es.map(([n, v]) => `${/[.]/.test(n) ? JSON.stringify(n) : n} = ${v}`).join('\n')}\n`);

/** A pyproject.toml assembled from the tables each tool writes dependencies in. */
export const pyprojectText = fc
  .tuple(
    pep508Array,
    fc.option(fc.tuple(pick(['x', 'dev', 'test']), pep508Array)),
    fc.option(pep508Array.map((a) => `[dependency-groups]\ndev = ${a}\nall = [{include-group = "dev"}, "fapilog-loki>=1"]\n`)),
    fc.option(poetryTable('tool.poetry.dependencies')),
    fc.option(poetryTable('tool.poetry.group.dev.dependencies')),
    fc.option(pep508Array.map((a) => `[tool.pdm.dev-dependencies]\nlint = ${a}\n`)),
    fc.option(pep508Array.map((a) => `[tool.uv]\ndev-dependencies = ${a}\n`)),
  )
  .map(([deps, opt, groups, poetry, poetryDev, pdm, uv]) =>
    [
      `[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ${deps}\n`,
      opt ? `[project.optional-dependencies]\n${opt[0]} = ${opt[1]}\n` : '',
      groups ?? '',
      poetry ?? '',
      poetryDev ?? '',
      pdm ?? '',
      uv ?? '',
    ].join('\n'),
  );

/** A setup.cfg with install_requires (multi-line, or one line after `=`) and extras. */
export const setupCfgText = fc
  .tuple(fc.array(fc.tuple(pep508, pick(['', '  # c'])), { maxLength: 4 }), fc.option(pep508), fc.boolean())
  .map(([reqs, extra, inline]) => {
    const lines = reqs.map(([r, c]) => `${r}${c}`);
    const install =
      inline && lines.length > 0
        ? `install_requires = ${lines.join('; ').replace(/;\s*;/g, ';')}`
        : `install_requires =\n${lines.map((l) => `    ${l}`).join('\n')}`;
    return `[metadata]\nname = app\n\n[options]\n${install}\n${extra ? `\n[options.extras_require]\nx =\n    ${extra}\n` : ''}`;
  });

/** A Pipfile with packages and dev-packages. */
export const pipfileText = fc
  .tuple(
    fc.uniqueArray(fc.tuple(pick(NAMES), pick(PIPFILE)), { maxLength: 4, selector: ([n]) => n }),
    fc.uniqueArray(fc.tuple(pick(NAMES), pick(PIPFILE)), { maxLength: 2, selector: ([n]) => n }),
  )
  .map(([pk, dev]) => {
    const t = (es: Array<[string, string]>) => es.map(([n, v]) => `${JSON.stringify(n)} = ${v}`).join('\n');
    return `[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n[packages]\n${t(pk)}\n\n[dev-packages]\n${t(dev)}\n`;
  });

export type Encoding = { eol: '\n' | '\r\n' | '\r'; bom: boolean; latin1Comment: boolean };

export const encoding: fc.Arbitrary<Encoding> = fc.record({
  eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
  bom: fc.boolean(),
  latin1Comment: fc.boolean(),
});

const utf8 = new TextEncoder();

/**
 * The bytes of a manifest: its line ends turned into `eol` (an existing `\r\n` too), a BOM in
 * front, and a Latin-1 (not UTF-8) comment line when asked; `comment` is the format's marker.
 */
export function toBytes(text: string, enc: Encoding, comment = '#'): Uint8Array {
  const body = text.replace(/\r\n|\n/g, enc.eol);
  const head = utf8.encode(`${enc.bom ? '\ufeff' : ''}`);
  const main = utf8.encode(body);
  if (!enc.latin1Comment) return concat(head, main);
  // `# café` in Latin-1: 0xE9 alone is not UTF-8.
  const latin = Uint8Array.from([...utf8.encode(`${comment} caf`), 0xe9, ...utf8.encode(enc.eol)]);
  return concat(head, latin, main);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Random damage: bytes inserted, a stretch deleted or duplicated, at random places. */
export type Noise =
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

export const noise: fc.Arbitrary<Noise[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 6 }),
        fc.constantFrom(
          ...[
            '"',
            "'",
            '\\',
            '[',
            ']',
            '{',
            '}',
            '=',
            '\n',
            '\r',
            '#',
            ';',
            ',',
            '\\\n',
            '"""',
            '[project]\n',
            '-r ',
            '--hash=',
            'fapilog-',
          ].map((s) => utf8.encode(s)),
        ),
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

export function applyNoise(bytes: Uint8Array, ops: readonly Noise[]): Uint8Array {
  let b = bytes;
  for (const op of ops) {
    const at = b.length === 0 ? 0 : op.at % (b.length + 1);
    if (op.kind === 'insert') b = concat(b.subarray(0, at), op.bytes, b.subarray(at));
    else if (op.kind === 'delete') b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + op.length)));
    else b = concat(b.subarray(0, Math.min(b.length, at + op.length)), b.subarray(at));
  }
  return b;
}

/** A target release and how to move to it. */
export const target = fc.oneof(
  fc.tuple(fc.nat(4), fc.nat(12), fc.nat(5)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.constantFrom('2.0.0rc1', '1.4.0.post1', '1!1.0', '1.0.dev2', '1.2', '10.0.0', '0.4.3', '1.3'),
);
export const strategy: fc.Arbitrary<RangeStrategy> = fc.constantFrom(...RANGE_STRATEGIES);
export const sha256s = fc.array(HEX, { minLength: 1, maxLength: 3 });

export interface GeneratedProject {
  /** Project-relative path to bytes. */
  files: Record<string, Uint8Array>;
  label: string;
}

/** One project: a manifest of some format (a requirements file may include others), encoded. */
export const project: fc.Arbitrary<GeneratedProject> = fc.oneof(
  fc.tuple(requirementsText, requirementsText, requirementsText, encoding).map(([main, other, cons, enc]) => ({
    label: 'requirements',
    files: {
      'requirements.txt': toBytes(main, enc),
      'other.txt': toBytes(other, enc),
      'constraints.txt': toBytes(cons, enc),
      'sub/dev.txt': toBytes(other, { ...enc, bom: false }),
    },
  })),
  fc
    .tuple(pyprojectText, encoding)
    .map(([t, enc]) => ({ label: 'pyproject', files: { 'pyproject.toml': toBytes(t, { ...enc, latin1Comment: false }) } })),
  fc.tuple(setupCfgText, encoding).map(([t, enc]) => ({ label: 'setup.cfg', files: { 'setup.cfg': toBytes(t, enc) } })),
  fc
    .tuple(pipfileText, encoding)
    .map(([t, enc]) => ({ label: 'pipfile', files: { Pipfile: toBytes(t, { ...enc, latin1Comment: false }) } })),
);
