/**
 * Differential test: our PEP 440 answers against Python's `packaging` (what pip uses), on
 * deterministically generated versions and specifiers. One python process answers every case.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as renovate from '@renovatebot/pep440';
import {
  compare,
  equal,
  isPrerelease,
  isValid,
  isValidSpecifier,
  maxSatisfying,
  normalize,
  satisfies,
  sortVersions,
} from '../../../src/core/pep440/index.ts';
import { askPython, seededRandom } from './differential.ts';

const { rand, chance, int, pick } = seededRandom(440);

function release(minLen = 1): number[] {
  const len = Math.max(minLen, 1 + int(3));
  return Array.from({ length: len }, (_, i) => (i === 0 ? int(3) : chance(0.4) ? 0 : int(12)));
}

function preSuffix(): string {
  const label = chance(0.8) ? pick(['a', 'b', 'rc']) : pick(['alpha', 'beta', 'c', 'pre', 'preview', 'RC']);
  const sep = chance(0.85) ? '' : pick(['.', '-', '_']);
  return `${sep}${label}${chance(0.9) ? int(3) : ''}`;
}

function postSuffix(): string {
  return chance(0.7) ? `.post${int(3)}` : pick([`-${1 + int(2)}`, `.r${int(2)}`, `post${int(2)}`, '.post']);
}

function devSuffix(): string {
  return chance(0.8) ? `.dev${int(3)}` : pick(['dev', '-dev1', '.dev']);
}

function localSuffix(): string {
  return '+' + pick(['ubuntu1', 'abc.5', 'local.7', '1', 'cpu', 'g1234abc', '1e5', 'deb.12.2']);
}

interface Shape {
  epoch: number;
  rel: number[];
  pre: string;
  post: string;
  dev: string;
  local: string;
}

function shape(minLen = 1): Shape {
  return {
    epoch: chance(0.04) ? 1 + int(1) : 0,
    rel: release(minLen),
    pre: chance(0.22) ? preSuffix() : '',
    post: chance(0.12) ? postSuffix() : '',
    dev: chance(0.1) ? devSuffix() : '',
    local: chance(0.08) ? localSuffix() : '',
  };
}

function text(s: Shape, opts: { local?: boolean } = {}): string {
  const prefix = chance(0.02) ? 'v' : '';
  const epoch = s.epoch ? `${s.epoch}!` : '';
  return `${prefix}${epoch}${s.rel.join('.')}${s.pre}${s.post}${s.dev}${opts.local === false ? '' : s.local}`;
}

/** A version near `base`: same release with other suffixes, or one component moved. */
function near(base: Shape): Shape {
  const s: Shape = { ...base, rel: [...base.rel] };
  const r = rand();
  if (r < 0.3) {
    const i = int(s.rel.length - 1);
    s.rel[i] = Math.max(0, (s.rel[i] ?? 0) + pick([-1, 1, 1, 2]));
  } else if (r < 0.45) {
    s.rel = [...s.rel, 0];
  } else if (r < 0.55 && s.rel.length > 1) {
    s.rel = s.rel.slice(0, -1);
  }
  s.pre = chance(0.3) ? preSuffix() : chance(0.5) ? s.pre : '';
  s.post = chance(0.2) ? postSuffix() : chance(0.5) ? s.post : '';
  s.dev = chance(0.15) ? devSuffix() : chance(0.5) ? s.dev : '';
  s.local = chance(0.15) ? localSuffix() : chance(0.5) ? s.local : '';
  if (chance(0.05)) s.epoch = s.epoch ? 0 : 1;
  return s;
}

/** Specifiers packaging rejects: both sides must call them invalid. */
function invalidClause(anchor: Shape): string {
  const v = text({ ...anchor, local: '' });
  return pick([
    `~=${anchor.rel[0] ?? 1}`,
    `>=${anchor.rel.join('.')}.*`,
    `<${v}+local`,
    `==${anchor.rel.join('.')}.*+x`,
    `=>${v}`,
    `~=${anchor.rel.join('.')}.*`,
    `==${v}a.*`,
    `>=`,
  ]);
}

function clause(anchor: Shape): string {
  if (chance(0.03)) return invalidClause(anchor);
  const op = pick(['==', '==', '!=', '>=', '>=', '<=', '<', '<', '>', '~=', '~=', '===', '==*', '!=*']);
  const s = near(anchor);
  const ws = chance(0.1) ? ' ' : '';
  switch (op) {
    case '==*':
    case '!=*':
      return `${op.slice(0, 2)}${ws}${s.epoch ? `${s.epoch}!` : ''}${s.rel.slice(0, 1 + int(Math.max(0, s.rel.length - 1))).join('.')}.*`;
    case '~=': {
      const t = { ...s, rel: s.rel.length >= 2 ? s.rel : [...s.rel, int(5)], local: '' };
      return `~=${ws}${text(t)}`;
    }
    case '===':
      return `===${chance(0.5) ? text(anchor) : text(s)}`;
    case '==':
    case '!=':
      return `${op}${ws}${text(s)}`;
    default:
      // Ordered comparisons take no local segment (packaging rejects one; so must we).
      return `${op}${ws}${text(s, { local: chance(0.03) })}`;
  }
}

interface Case {
  spec: string;
  versions: string[];
}

function generate(count: number): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < count; i += 1) {
    const anchor = shape();
    const n = 1 + (chance(0.6) ? 0 : int(2));
    const clauses = Array.from({ length: n }, () => clause(chance(0.7) ? anchor : near(anchor)));
    const sep = chance(0.2) ? ', ' : ',';
    const spec = chance(0.03) ? '' : clauses.join(sep) + (chance(0.02) ? ',' : '');
    const versions = Array.from({ length: 8 }, () => text(chance(0.75) ? near(anchor) : shape()));
    cases.push({ spec, versions });
  }
  return cases;
}

const PY = String.raw`
import json, sys
from packaging.specifiers import SpecifierSet, InvalidSpecifier
from packaging.version import Version
cases = json.load(sys.stdin)
out = []
def newest(spec, versions, pre):
    ok = [v for v in versions if spec.contains(v, prereleases=pre)]
    best = None
    for v in ok:
        if best is None or Version(v) > Version(best):
            best = v
    return best
for c in cases:
    try:
        s = SpecifierSet(c["spec"])
    except InvalidSpecifier:
        out.append({"valid": False})
        continue
    modes = [None, True, False]
    try:
        contains = [[s.contains(v, prereleases=p) for p in modes] for v in c["versions"]]
        best = [newest(s, c["versions"], p) for p in modes]
    except Exception as e:
        out.append({"valid": True, "error": repr(e)})
        continue
    order = sorted(c["versions"], key=Version)
    out.append({"valid": True, "contains": contains, "newest": best, "sorted": [str(Version(v)) for v in order]})
json.dump(out, sys.stdout)
`;

interface PyAnswer {
  valid: boolean;
  error?: string;
  contains?: boolean[][];
  newest?: Array<string | null>;
  sorted?: string[];
}

describe('PEP 440 differential test against Python packaging', () => {
  test('satisfies, newest match and ordering agree on >= 1,000 generated version/specifier pairs', () => {
    const cases = generate(450);
    const answers = askPython<PyAnswer>(PY, cases);

    const modes: Array<boolean | undefined> = [undefined, true, false];
    const disagreements: string[] = [];
    let pairs = 0;
    let validSpecs = 0;
    let invalidSpecs = 0;
    let matches = 0;
    let newestChecks = 0;
    let prereleaseVersions = 0;
    let libraryDisagreements = 0;
    cases.forEach((c, i) => {
      const py = answers[i] as PyAnswer;
      const oursValid = isValidSpecifier(c.spec);
      if (oursValid !== py.valid) {
        disagreements.push(`valid(${JSON.stringify(c.spec)}): packaging ${py.valid}, ours ${oursValid}`);
        return;
      }
      if (!py.valid) {
        invalidSpecs += 1;
        return;
      }
      if (py.error) {
        // packaging itself raised (e.g. `===` with a non-version value); nothing to compare.
        return;
      }
      validSpecs += 1;
      c.versions.forEach((v, j) => {
        if (/a|b|rc|c|pre|dev|alpha|beta/i.test(v.replace(/\+.*/, ''))) prereleaseVersions += 1;
        modes.forEach((m, k) => {
          pairs += 1;
          const expected = py.contains?.[j]?.[k];
          const got = satisfies(v, c.spec, { prereleases: m });
          if (got) matches += 1;
          // How the library on its own would have answered: shows what the wrapper fixes.
          let raw: boolean;
          try {
            raw = renovate.satisfies(v, c.spec, m === undefined ? {} : { prereleases: m });
          } catch {
            raw = false;
          }
          if (raw !== expected) libraryDisagreements += 1;
          if (got !== expected)
            disagreements.push(
              `satisfies(${JSON.stringify(v)}, ${JSON.stringify(c.spec)}, prereleases=${m}): packaging ${expected}, ours ${got}`,
            );
        });
      });
      modes.forEach((m, k) => {
        newestChecks += 1;
        const expected = py.newest?.[k] ?? null;
        const got = maxSatisfying(c.versions, c.spec, { prereleases: m });
        if (got !== expected)
          disagreements.push(
            `maxSatisfying(${JSON.stringify(c.versions)}, ${JSON.stringify(c.spec)}, prereleases=${m}): packaging ${expected}, ours ${got}`,
          );
      });
      // Stable sorts from the same input order: equal versions written differently keep their order.
      const ours = sortVersions(c.versions).map((v) => normalize(v));
      const theirs = py.sorted ?? [];
      if (ours.join(' ') !== theirs.join(' '))
        disagreements.push(`sortVersions(${JSON.stringify(c.versions)}): packaging ${theirs.join(' < ')}, ours ${ours.join(' < ')}`);
    });

    console.log(
      `pep440 differential: ${cases.length} specifiers (${validSpecs} valid, ${invalidSpecs} invalid on both sides), ` +
        `${pairs} satisfies pairs (${matches} matches, ${prereleaseVersions} pre-release candidates), ` +
        `${newestChecks} newest-match checks, ${disagreements.length} disagreements ` +
        `(the unwrapped library's satisfies disagrees on ${libraryDisagreements})`,
    );
    if (disagreements.length > 0) console.log(disagreements.slice(0, 40).join('\n'));
    assert.ok(pairs >= 1000, `only ${pairs} pairs generated`);
    assert.ok(matches > pairs / 10 && matches < pairs - pairs / 10, `degenerate case mix: ${matches} of ${pairs} matched`);
    assert.ok(invalidSpecs < cases.length / 4, `too many invalid specifiers: ${invalidSpecs}`);
    assert.equal(disagreements.length, 0);
  });

  // The server validates, canonicalises, orders and matches versions with these (server/validation.ts,
  // store.ts, routes): isValid / normalize for `clean`, compare, equal for `eq`, isPrerelease,
  // isValidSpecifier for `validRange` (and satisfies, above). Each against packaging, including strings that are not versions at all.
  test('isValid, normalize, isPrerelease, compare and equal agree with packaging (the functions the server relies on)', () => {
    const junk = [
      '',
      ' ',
      'latest',
      '1.0.0-',
      '1..0',
      '01.2',
      'v',
      '1.0+',
      '1.0+a..b',
      '1!',
      '!1.0',
      '1.0.post-1',
      '1.0 rc1',
      'x1.0',
      '1.0.0.0.0.0.0',
      '0',
      '00',
      '1.0c',
      '1_0',
      '1.0a1.post2.dev3+a.b-c_d',
    ];
    const versions = [...junk, ...Array.from({ length: 300 }, () => text(shape()))];
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 400; i += 1) {
      const a = pick(versions);
      pairs.push([a, chance(0.4) ? text(near(shape())) : pick(versions)]);
    }
    // Equal versions written differently: padding zeros, case, separators, a `v` prefix.
    for (let i = 0; i < 80; i += 1) {
      const sh = shape();
      const plainText = text({ ...sh, local: '' });
      pairs.push([
        plainText,
        pick([
          `${sh.epoch ? `${sh.epoch}!` : ''}${[...sh.rel, 0].join('.')}${sh.pre}${sh.post}${sh.dev}`,
          plainText.toUpperCase(),
          `v${plainText}`,
          plainText.replace('.post', '-post'),
        ]),
      ]);
    }
    const script = String.raw`
import json, sys
from packaging.version import Version, InvalidVersion
def parse(v):
    try:
        return Version(v)
    except InvalidVersion:
        return None
data = json.load(sys.stdin)
out = []
for item in data:
    if isinstance(item, str):
        p = parse(item)
        out.append({"valid": p is not None, "normal": str(p) if p is not None else None, "pre": p.is_prerelease if p is not None else False})
    else:
        a, b = parse(item[0]), parse(item[1])
        if a is None or b is None:
            out.append({"cmp": None})
        else:
            out.append({"cmp": (a > b) - (a < b)})
json.dump(out, sys.stdout)
`;
    const answers = askPython<{ valid?: boolean; normal?: string | null; pre?: boolean; cmp?: number | null }>(script, [
      ...versions,
      ...pairs,
    ]);
    const disagreements: string[] = [];
    let valid = 0;
    let equalPairs = 0;
    versions.forEach((v, i) => {
      const py = answers[i]!;
      if (isValid(v) !== py.valid) disagreements.push(`isValid(${JSON.stringify(v)}): packaging ${py.valid}, ours ${isValid(v)}`);
      if (normalize(v) !== py.normal) disagreements.push(`normalize(${JSON.stringify(v)}): packaging ${py.normal}, ours ${normalize(v)}`);
      if (isPrerelease(v) !== py.pre)
        disagreements.push(`isPrerelease(${JSON.stringify(v)}): packaging ${py.pre}, ours ${isPrerelease(v)}`);
      if (py.valid) valid += 1;
    });
    pairs.forEach(([a, b], i) => {
      const py = answers[versions.length + i]!;
      if (py.cmp === null || py.cmp === undefined) {
        // Both sides refuse: packaging raises, ours throws (the server validates first).
        assert.throws(() => compare(a, b));
        return;
      }
      if (compare(a, b) !== py.cmp)
        disagreements.push(`compare(${JSON.stringify(a)}, ${JSON.stringify(b)}): packaging ${py.cmp}, ours ${compare(a, b)}`);
      if (equal(a, b) !== (py.cmp === 0))
        disagreements.push(`equal(${JSON.stringify(a)}, ${JSON.stringify(b)}): packaging ${py.cmp === 0}`);
      if (py.cmp === 0) equalPairs += 1;
    });
    console.log(
      `pep440 server functions: ${versions.length} strings (${valid} valid), ${pairs.length} pairs (${equalPairs} equal), ${disagreements.length} disagreements`,
    );
    if (disagreements.length > 0) console.log(disagreements.slice(0, 40).join('\n'));
    assert.ok(valid > versions.length / 2 && valid < versions.length, `degenerate mix: ${valid} of ${versions.length} valid`);
    assert.equal(disagreements.length, 0);
  });
});
