/** One size convention for every front end: binary units, one decimal, bytes below 1 KiB. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSize, parseSize } from '../../src/core/size.ts';

test('formatSize uses binary units with one decimal', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1024), '1.0 KiB');
  assert.equal(formatSize(3693), '3.6 KiB');
  assert.equal(formatSize(20 * 1024 * 1024), '20.0 MiB');
  assert.equal(formatSize(3 * 1024 ** 3 + 512 * 1024 ** 2), '3.5 GiB');
});

test('parseSize reads what --max-file-size accepts, k/M/G as binary', () => {
  assert.equal(parseSize('20MiB'), 20 * 1024 * 1024);
  assert.equal(parseSize('20 MB'), 20 * 1024 * 1024);
  assert.equal(parseSize('512k'), 512 * 1024);
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('1.5 GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSize('twenty'), null);
  assert.equal(parseSize('20 TB'), null);
});

test('a size round-trips through its printed form at the printed precision', () => {
  for (const n of [2048, 5 * 1024 * 1024, 7 * 1024 ** 3]) assert.equal(parseSize(formatSize(n)), n);
});
