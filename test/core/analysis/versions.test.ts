import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sortDescending } from '../../../src/core/analysis/versions.ts';

describe('sortDescending', () => {
  test('newest first, invalid dropped; an answer sorted once per list is never stale or shared', () => {
    const known = ['0.9.0', 'not a version', '0.10.0', '0.10.0rc1'];
    const first = sortDescending(known);
    assert.deepEqual(first, ['0.10.0', '0.10.0rc1', '0.9.0']);
    first.reverse(); // a caller's in-place change does not reach the next caller
    assert.deepEqual(sortDescending(known), ['0.10.0', '0.10.0rc1', '0.9.0']);
    known.push('0.11.0'); // the list itself changed in place: sorted again
    assert.deepEqual(sortDescending(known), ['0.11.0', '0.10.0', '0.10.0rc1', '0.9.0']);
    known[0] = '0.12.0';
    assert.deepEqual(sortDescending(known), ['0.12.0', '0.11.0', '0.10.0', '0.10.0rc1']);
    assert.deepEqual(sortDescending(new Set(['1.0', '2.0'])), ['2.0', '1.0']);
  });
});
