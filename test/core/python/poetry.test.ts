import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PoetryConstraintError, poetryToPep440 } from '../../../src/core/python/poetry.ts';
import { satisfiesAny } from '../../../src/core/pep440/index.ts';

describe('Poetry constraints', () => {
  const table: Array<[string, string[]]> = [
    ['^1.2.3', ['>=1.2.3,<2.0.0']],
    ['^1.2', ['>=1.2,<2.0']],
    ['^1', ['>=1,<2']],
    ['^0.2.3', ['>=0.2.3,<0.3.0']],
    ['^0.0.3', ['>=0.0.3,<0.0.4']],
    ['^0.0', ['>=0.0,<0.1']],
    ['^0', ['>=0,<1']],
    ['~1.2.3', ['>=1.2.3,<1.3.0']],
    ['~1.2', ['>=1.2,<1.3']],
    ['~1', ['>=1,<2']],
    ['~=1.2', ['~=1.2']],
    ['1.*', ['==1.*']],
    ['1.2.*', ['==1.2.*']],
    ['*', ['']],
    ['1.2.3', ['==1.2.3']],
    ['=1.2.3', ['==1.2.3']],
    ['>=1,<2 || >=3', ['>=1,<2', '>=3']],
    ['>= 1.2 < 2.0', ['>=1.2,<2.0']],
    ['^1.2 | ^2.0', ['>=1.2,<2.0', '>=2.0,<3.0']],
    ['>=1 || *', ['']],
  ];
  for (const [input, expected] of table) {
    test(`${input} -> ${expected.join(' || ')}`, () => assert.deepEqual(poetryToPep440(input), expected));
  }

  test('bare versions mean exact, carets admit up to the next significant bump', () => {
    assert.equal(satisfiesAny('1.2.4', poetryToPep440('1.2.3')), false);
    assert.equal(satisfiesAny('1.9.0', poetryToPep440('^1.2')), true);
    assert.equal(satisfiesAny('2.0.0', poetryToPep440('^1.2')), false);
    assert.equal(satisfiesAny('0.3.0', poetryToPep440('^0.2.3')), false);
    assert.equal(satisfiesAny('3.5', poetryToPep440('>=1,<2 || >=3')), true);
  });

  test('garbage is an error, not a guess', () => {
    assert.throws(() => poetryToPep440('latest'), PoetryConstraintError);
    assert.throws(() => poetryToPep440('>=1 ||'), PoetryConstraintError);
    assert.throws(() => poetryToPep440('^x.y'), PoetryConstraintError);
  });
});
