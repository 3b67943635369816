import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pep440NewValue, pipfileNewValue, poetryNewValue, StrategyError } from '../../../src/core/python/strategies.ts';
import type { RangeStrategy } from '../../../src/core/python/strategies.ts';
import { satisfies } from '../../../src/core/pep440/index.ts';

// Renovate's pep440 getNewValue expectations (lib/modules/versioning/pep440), plus spacing cases.
const RENOVATE: Array<[string, RangeStrategy, string, string | null]> = [
  ['==1.0.3', 'bump', '1.2.3', '==1.2.3'],
  ['==1.0.3', 'replace', '1.2.3', '==1.2.3'],
  ['>=1.2.0', 'bump', '1.2.3', '>=1.2.3'],
  ['>=1.2.0', 'replace', '1.2.3', '>=1.2.0'],
  ['~=1.2.0', 'bump', '1.2.3', '~=1.2.3'],
  ['~=1.2.0', 'replace', '1.2.3', '~=1.2.0'],
  ['~=1.0.3', 'replace', '1.2.3', '~=1.2.3'],
  ['==1.2.*', 'bump', '1.2.3', '==1.2.*'],
  ['==1.0.*', 'replace', '1.2.3', '==1.2.*'],
  ['<1.2.2.3', 'bump', '1.2.3', '<1.2.3.1'],
  ['<1.2.3', 'replace', '1.2.3', '<1.2.4'],
  ['<1.2', 'bump', '1.2.3', '<1.3'],
  ['<1', 'replace', '1.2.3', '<2'],
  ['<2.0.0', 'bump', '1.2.3', '<2.0.0'],
  ['>0.9.8', 'replace', '1.2.3', '>0.9.8'],
  ['>2.0.0', 'bump', '1.2.3', '>=1.2.3'],
  ['>=2.0.0', 'replace', '1.2.3', '>=1.2.3'],
  ['~=1.1.0, !=1.1.1', 'bump', '1.2.3', '~=1.2.3, !=1.1.1'],
  ['~=1.1.0,!=1.1.1', 'replace', '1.2.3', '~=1.2.3,!=1.1.1'],
  ['>=19.12.2,<20.13.9', 'replace', '21.3.1', '>=21.3.1,<22.0.0'],
  ['>=19.12.2,<19.13.9', 'replace', '20.3.1', '>=20.3.1,<20.4.0'],
  ['>=19.12.2,<19.13.0', 'replace', '19.13.1', '>=19.13.1,<19.14.0'],
  ['>=19.12.2,<19.13.0', 'auto', '19.13.0', '>=19.13.0,<19.14.0'],
  ['>=19.12.2,<20.13.9', 'widen', '21.3.1', '>=19.12.2,<21.3.2'],
  ['>=19.12.2,<19.13.0', 'widen', '20.3.1', '>=19.12.2,<20.4.0'],
  ['~=7.2', 'replace', '8.0.1', '~=8.0'],
  ['~=7.2', 'replace', '8', '~=8.0'],
  ['~=7.2.0', 'replace', '8.2', '~=8.2.0'],
  ['~=7.2', 'widen', '8.0.1', '>=7.2,<9'],
  ['~=7.2.0', 'widen', '8.2', '>=7.2.0,<8.3'],
  ['==3.2.*,>=3.2.2', 'replace', '4.1.1', '==4.1.*'],
  ['>=1.0.0,<1.1.0', 'replace', '1.2.0', '>=1.2.0,<1.3.0'],
  ['<1.3.0', 'bump', '0.9.2', '<1.3.0'],
  ['<=1.3.0', 'bump', '1.6.0', '<=1.6.0'],
  ['<1.3.0', 'bump', '1.6.0', '<1.6.1'],
  ['>=1.25.0,<2,!=1.32.0', 'auto', '1.32.0', null],
  ['===1.0.3', 'bump', '1.2.3', null],
  // spacing and operators as written survive
  ['>= 1.0 , <2', 'replace', '2.1.0', '>= 2.1 , <3'],
  ['  >=1.0,  <2.0 ', 'widen', '2.5.0', '  >=1.0,  <2.6 '],
  ['>=1.0', 'pin', '1.4.0', '==1.4.0'],
  ['>= 1.0', 'pin', '1.4.0', '== 1.4.0'],
  ['', 'pin', '1.4.0', '==1.4.0'],
  ['', 'auto', '1.4.0', ''],
  ['', 'bump', '1.4.0', '>=1.4.0'],
  // downgrades to the newest compatible release
  ['==1.4.0', 'auto', '1.2.0', '==1.2.0'],
  ['>=1.4,<2', 'auto', '1.2.0', '>=1.2.0,<2'],
  ['~=1.4', 'auto', '1.2.0', '~=1.2'],
];

describe('range strategies (PEP 440)', () => {
  for (const [current, strategy, target, expected] of RENOVATE) {
    test(`${JSON.stringify(current)} ${strategy} ${target} -> ${expected}`, () => {
      if (expected === null) {
        assert.throws(() => pep440NewValue(current, target, strategy), StrategyError);
        return;
      }
      const got = pep440NewValue(current, target, strategy);
      assert.equal(got, expected);
      if (got.trim() !== '') assert.ok(satisfies(target, got, { prereleases: true }), `${got} must admit ${target}`);
    });
  }

  test('a pre-release target is admitted', () => {
    const got = pep440NewValue('>=1.0,<2', '2.0.0rc1', 'replace');
    assert.ok(satisfies('2.0.0rc1', got, { prereleases: true }), got);
  });

  test('an invalid target is refused', () => {
    assert.throws(() => pep440NewValue('>=1.0', 'latest', 'auto'), /not a PEP 440 version/);
  });
});

describe('range strategies (Poetry and Pipfile syntax)', () => {
  const poetry: Array<[string, RangeStrategy, string, string]> = [
    ['^1.2', 'bump', '1.4.0', '^1.4'],
    ['^1.2', 'auto', '1.4.0', '^1.2'],
    ['^1.2', 'auto', '2.1.0', '^2.1'],
    ['^1.2', 'widen', '2.1.0', '^1.2 || ^2.1'],
    ['^0.4.1', 'replace', '0.5.0', '^0.5.0'],
    ['~1.2.3', 'auto', '1.3.1', '~1.3.1'],
    ['1.2.3', 'auto', '1.4.0', '1.4.0'],
    ['=1.2.3', 'auto', '1.4.0', '=1.4.0'],
    ['1.*', 'auto', '2.0.0', '2.*'],
    ['>=1.2 <2.0', 'auto', '2.1.0', '>=2.1 <2.2'],
    ['>= 1.0, < 2.0', 'widen', '2.5.0', '>= 1.0, < 2.6'],
    ['>=1,<2 || >=3', 'auto', '3.5', '>=1,<2 || >=3'],
    ['*', 'auto', '1.0', '*'],
    ['^0.2', 'pin', '0.3.1', '0.3.1'],
  ];
  for (const [current, strategy, target, expected] of poetry) {
    test(`poetry ${JSON.stringify(current)} ${strategy} ${target} -> ${expected}`, () => {
      assert.equal(poetryNewValue(current, target, strategy), expected);
    });
  }

  test('pipfile', () => {
    assert.equal(pipfileNewValue('*', '1.4.0', 'auto'), '*');
    assert.equal(pipfileNewValue('*', '1.4.0', 'pin'), '==1.4.0');
    assert.equal(pipfileNewValue('*', '1.4.0', 'bump'), '>=1.4.0');
    assert.equal(pipfileNewValue('==1.0', '1.4.0', 'auto'), '==1.4.0');
    assert.equal(pipfileNewValue('1.0', '1.4.0', 'auto'), '1.4.0');
  });
});
