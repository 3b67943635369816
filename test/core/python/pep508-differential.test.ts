/**
 * Differential test: our PEP 508 requirement parser against `packaging.requirements.Requirement`
 * on generated requirement strings (names, extras, specifiers with and without parentheses,
 * markers, direct URLs, odd spacing). Valid strings must parse to the same parts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequirement } from '../../../src/core/python/pep508.ts';
import { normalizeName } from '../../../src/core/names.ts';
import { parseSpecifier } from '../../../src/core/pep440/index.ts';
import { askPython, seededRandom } from './differential.ts';

const { rand, pick, chance } = seededRandom(508);

const NAMES = ['fapilog', 'fapilog-loki', 'fapilog_audit', 'Fapilog.Otel', 'requests', 'pydantic', 'zope.interface', 'a', 'x1'];
const SPECS = ['>=1.0', '==0.4.2', '~=1.4', '>=1.0,<2', '>= 1.0 , < 2.0', '!=1.3.*', '==1.*', '<3', '===1.0', '>1.0a1', ''];
const MARKERS = [
  'python_version >= "3.10"',
  "sys_platform != 'win32'",
  'python_version<"3.13" and platform_machine=="x86_64"',
  'extra == "test"',
];
const URLS = ['https://files.example/x-1.0-py3-none-any.whl', 'git+https://github.com/acme/x.git@v1.2', 'file:///tmp/x'];

function generate(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const ws = (): string => (chance(0.2) ? pick([' ', '  ', '\t']) : '');
    let s = pick(NAMES) + ws();
    if (chance(0.3))
      s +=
        `[${Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(['http2', 'async', 'otel', 'test_x'])).join(pick([',', ', ']))}]` +
        ws();
    if (chance(0.15)) {
      s += `@ ${pick(URLS)}`;
      if (chance(0.5)) s += ` ; ${pick(MARKERS)}`;
    } else {
      const spec = pick(SPECS);
      s += chance(0.2) && spec !== '' ? `(${spec})` : spec;
      if (chance(0.4)) s += `${ws()};${ws()}${pick(MARKERS)}`;
    }
    out.push(s);
  }
  return out;
}

const PY = String.raw`
import json, sys
from packaging.requirements import Requirement, InvalidRequirement
out = []
for s in json.load(sys.stdin):
    try:
        r = Requirement(s)
    except InvalidRequirement:
        out.append(None)
        continue
    out.append({"name": r.name, "extras": sorted(r.extras), "specs": sorted([[x.operator, x.version] for x in r.specifier]), "url": r.url, "marker": r.marker is not None})
json.dump(out, sys.stdout)
`;

describe('PEP 508 differential test against Python packaging', () => {
  test('names, extras, specifiers, URLs and markers agree on generated requirements', () => {
    const inputs = generate(400);
    const answers = askPython<null | { name: string; extras: string[]; specs: string[][]; url: string | null; marker: boolean }>(
      PY,
      inputs,
    );
    const disagreements: string[] = [];
    let compared = 0;
    inputs.forEach((s, i) => {
      const py = answers[i];
      if (py === null || py === undefined) return; // packaging rejects it; we may be more lenient, which is fine for reading
      compared += 1;
      let ours;
      try {
        ours = parseRequirement(s);
      } catch (err) {
        disagreements.push(`${JSON.stringify(s)}: packaging parses it, ours throws ${(err as Error).message}`);
        return;
      }
      const clauses = (parseSpecifier(ours.specifier) ?? []).map((c) => [c.operator, c.version.replace(/\s+/g, '')]).sort();
      const pySpecs = py.specs.map(([o, v]) => [o as string, (v as string).replace(/\s+/g, '')]).sort();
      const got = {
        name: normalizeName(ours.name),
        extras: [...ours.extras].sort(),
        specs: clauses,
        url: ours.url,
        marker: ours.markers !== null,
      };
      const want = { name: normalizeName(py.name), extras: py.extras, specs: pySpecs, url: py.url, marker: py.marker };
      try {
        assert.deepEqual(got, want);
      } catch {
        disagreements.push(`${JSON.stringify(s)}: packaging ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`);
      }
    });
    console.log(
      `pep508 differential: ${inputs.length} requirements, ${compared} valid for packaging, ${disagreements.length} disagreements`,
    );
    if (disagreements.length > 0) console.log(disagreements.slice(0, 20).join('\n'));
    assert.ok(compared >= 300, `only ${compared} comparable requirements`);
    assert.equal(disagreements.length, 0);
  });
});
