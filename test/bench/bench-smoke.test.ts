import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compare, markdownTable, measure, median, p90, percentile, resultTable } from '../../bench/lib.ts';

describe('bench/lib statistics', () => {
  test('median of odd and even counts, unsorted input left alone', () => {
    const odd = [9, 1, 5];
    assert.equal(median(odd), 5);
    assert.deepEqual(odd, [9, 1, 5]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  test('p90 is nearest-rank', () => {
    assert.equal(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 9);
    assert.equal(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11]), 10);
    assert.equal(p90([3]), 3);
    assert.equal(percentile([5, 1, 4, 2, 3], 100), 5);
    assert.equal(percentile([5, 1, 4, 2, 3], 20), 1);
    assert.throws(() => percentile([1], 0), RangeError);
  });
});

describe('bench/lib runner and table', () => {
  test('compare runs warm-up untimed, rotates order and keeps counters', async () => {
    const order: string[] = [];
    const results = await compare(
      [
        { name: 'a', run: () => void order.push('a') },
        { name: 'b', setup: () => 41, run: (n: number) => ({ answer: n + 1 }), teardown: () => void order.push('b-down') },
      ],
      { warmup: 1, iterations: 3, maxMs: 60_000 },
    );
    assert.deepEqual(results.map((r) => [r.name, r.times.length]), [['a', 3], ['b', 3]]);
    assert.deepEqual(results[1]?.counters, { answer: 42 });
    // warm-up a, b; round 0 a, b; round 1 b, a; round 2 a, b
    assert.deepEqual(order, ['a', 'b-down', 'a', 'b-down', 'b-down', 'a', 'a', 'b-down']);
    assert.equal((await measure(() => undefined, { warmup: 0, iterations: 4, maxMs: 60_000 })).length, 4);
  });

  test('resultTable shows the ratio of each median to the baseline', () => {
    const table = resultTable(
      [
        { name: 'base', times: [10, 20, 30], counters: { requests: 23 } },
        { name: 'fast', times: [5, 5, 5], counters: { requests: 2 } },
      ],
      ['requests'],
    );
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[2] ?? '', /^\| base +\| 3 +\| 20\.0 +\| 30\.0 +\| 1\.00 \(baseline\) +\| 23 +\|$/);
    assert.match(lines[3] ?? '', /^\| fast +\| 3 +\| 5\.00 +\| 5\.00 +\| 0\.25 +\| 2 +\|$/);
    assert.equal(markdownTable(['x'], [['longer']]).split('\n')[1], '|--------|');
  });
});
