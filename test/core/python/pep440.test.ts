import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as pep440 from '../../../src/core/pep440/index.ts';

describe('pep440 wrapper', () => {
  test('validity, normalisation and ordering', () => {
    assert.equal(pep440.isValid('1.0.0'), true);
    assert.equal(pep440.isValid(' v1.0-RC1 '), true);
    assert.equal(pep440.isValid('1.0.x'), false);
    assert.equal(pep440.isValid('2024.1.0-beta+exp.sha'), true);
    assert.equal(pep440.normalize('V1.0-RC1'), '1.0rc1');
    assert.equal(pep440.normalize('1.0+Ubuntu-1'), '1.0+ubuntu.1');
    assert.deepEqual(pep440.sortVersions(['1.0', '1.0.post1', '1.0a1', '1.0.dev0', 'nonsense', '1!0.1', '1.0+local']), [
      '1.0.dev0',
      '1.0a1',
      '1.0',
      '1.0+local',
      '1.0.post1',
      '1!0.1',
    ]);
    assert.equal(pep440.compare('1.0', '1.0.0'), 0);
    assert.throws(() => pep440.compare('1.0', 'x'), /Invalid PEP 440 version: 'x'/);
  });

  test('pre-releases are excluded unless the specifier names one or the option allows them', () => {
    assert.equal(pep440.isPrerelease('2.0b1'), true);
    assert.equal(pep440.isPrerelease('2.0.dev3'), true);
    assert.equal(pep440.isPrerelease('2.0.post1'), false);
    assert.equal(pep440.isPrerelease('2.0.post1.dev1'), true);
    assert.equal(pep440.newestFinal(['1.0', '2.0rc1', '1.10', '1.9.post1', '3.0.dev1', 'nonsense']), '1.10');
    assert.equal(pep440.newestFinal(['1.0.post1', '1.0']), '1.0.post1');
    assert.equal(pep440.newestFinal(['2.0b1', 'x']), null);
    assert.equal(pep440.newestFinal(new Set<string>()), null);
    assert.equal(pep440.satisfies('2.0b1', '>=1.0'), false);
    assert.equal(pep440.satisfies('2.0b1', '>=1.0', { prereleases: true }), true);
    assert.equal(pep440.satisfies('2.0b1', '>=2.0a1'), true);
    // The set allows pre-releases as a whole when any clause names one (the library alone says no).
    assert.equal(pep440.satisfies('1.5a1', '>=1.0a1,<2'), true);
    assert.equal(pep440.satisfies('1.5a1', '>=1.0a1,<2', { prereleases: false }), false);
    assert.equal(pep440.maxSatisfying(['1.0', '1.1', '2.0rc1'], '>=1.0'), '1.1');
    assert.equal(pep440.maxSatisfying(['1.0', '1.1', '2.0rc1'], '>=1.0', { prereleases: true }), '2.0rc1');
    // No "only pre-releases matched" fallback: callers decide.
    assert.equal(pep440.maxSatisfying(['2.0rc1'], '>=1.0'), null);
  });

  test('exclusive comparisons follow packaging', () => {
    assert.equal(pep440.satisfies('1.0', '>1.0a1'), true);
    assert.equal(pep440.satisfies('1.0.post1', '>1.0'), false);
    assert.equal(pep440.satisfies('1.0.post2', '>1.0.post1'), true);
    assert.equal(pep440.satisfies('1.0', '<1.0.post1'), true);
    assert.equal(pep440.satisfies('2.0a1', '<2.0', { prereleases: true }), false);
    assert.equal(pep440.satisfies('1.0+local', '>1.0'), false);
  });

  test('wildcards, compatible release, arbitrary equality, locals', () => {
    assert.equal(pep440.satisfies('1', '==1.0.*'), true);
    assert.equal(pep440.satisfies('1.1', '==1.0.*'), false);
    assert.equal(pep440.satisfies('1.0.5', '!=1.0.*'), false);
    assert.equal(pep440.satisfies('1.4.9', '~=1.4.2'), true);
    assert.equal(pep440.satisfies('1.5.0', '~=1.4.2'), false);
    assert.equal(pep440.satisfies('v1.0', '===1.0'), true);
    assert.equal(pep440.satisfies('1.0+abc', '==1.0'), true);
    assert.equal(pep440.satisfies('1.0', '==1.0+abc'), false);
    assert.equal(pep440.satisfies('1.0', '>=0.9,'), true);
  });

  test('invalid specifiers match nothing and are reported invalid', () => {
    for (const bad of ['~=1', '>=1.0.*', '<1.0+local', '=>1.0', 'latest']) {
      assert.equal(pep440.isValidSpecifier(bad), false, bad);
      assert.equal(pep440.satisfies('1.0', bad), false, bad);
    }
    assert.equal(pep440.isValidSpecifier(''), true);
    assert.equal(pep440.satisfies('1.0', ''), true);
  });

  test('unions (Poetry ||)', () => {
    assert.equal(pep440.satisfiesAny('2.5', ['>=1,<2', '>=3']), false);
    assert.equal(pep440.satisfiesAny('3.1', ['>=1,<2', '>=3']), true);
    assert.equal(pep440.maxSatisfyingAny(['1.5', '2.5', '3.1', '4.0b1'], ['>=1,<2', '>=3,<4']), '3.1');
  });

  test('memoised answers: a caller editing a parse result changes no later answer; prerelease modes are kept apart', () => {
    const first = pep440.parseSpecifier('>=1.0,<2');
    assert.ok(first);
    first[0]!.version = '9.0';
    first.pop();
    assert.deepEqual(pep440.parseSpecifier('>=1.0,<2'), [
      { operator: '>=', version: '1.0', wildcard: false },
      { operator: '<', version: '2', wildcard: false },
    ]);
    assert.equal(pep440.satisfies('1.5', '>=1.0,<2'), true);
    assert.equal(pep440.satisfies('1.5a1', '>=1.0,<2'), false);
    assert.equal(pep440.satisfies('1.5a1', '>=1.0,<2', { prereleases: true }), true);
    assert.equal(pep440.satisfies('1.5a1', '>=1.0,<2', { prereleases: false }), false);
    assert.equal(pep440.satisfies('1.5a1', '>=1.0,<2'), false);
  });

  test('past the memo bound, answers stay right', () => {
    for (let i = 0; i < 12_000; i += 1) assert.equal(pep440.satisfies(`1.${i}`, `>=1.${i},<1.${i + 1}`), true);
    assert.equal(pep440.compare('1.10', '1.9'), 1);
    assert.equal(pep440.satisfies('1.5', '>=1.0,<2'), true);
  });
});

describe('the one lenient comparison (marketplace rows, manifests, built files)', () => {
  test('compareLenient: PEP 440 order, invalid versions first and among themselves by text; never throws', () => {
    const mixed = ['2.0', 'zeta', '1.0rc1', 'Alpha', '1.0', 'not a version', '10.0'];
    assert.deepEqual([...mixed].sort(pep440.compareLenient), ['Alpha', 'not a version', 'zeta', '1.0rc1', '1.0', '2.0', '10.0']);
    assert.equal(pep440.compareLenient('2.0', '2.0.0'), 0);
    assert.equal(pep440.compareLenient('x', 'x'), 0);
    assert.equal(pep440.compareLenient('x', '0.0.1'), -1);
    assert.throws(() => pep440.compare('x', '0.0.1'), /Invalid PEP 440 version/);
  });

  test('sameVersion: PEP 440 equality, false for anything that is not a version', () => {
    assert.equal(pep440.sameVersion('2.0', '2.0.0'), true);
    assert.equal(pep440.sameVersion('v1.0-RC1', '1.0rc1'), true);
    assert.equal(pep440.sameVersion('1.0', '1.0.post1'), false);
    assert.equal(pep440.sameVersion('x', 'x'), false);
    assert.equal(pep440.sameVersion('1.0', 'x'), false);
  });
});
