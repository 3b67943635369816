/** Download counting in batches (server/downloads.ts) and the stats range and shape (server/stats.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DownloadCounter, type CountBatch } from '../../server/downloads.ts';
import { buildStats, dayOf, statsRange, today } from '../../server/stats.ts';
import { HttpError } from '../../server/errors.ts';
import { PluginStats } from '../../src/core/marketplace/schemas.ts';

test('counts are summed per release and day in memory and written in one batch', async () => {
  const writes: CountBatch[][] = [];
  let now = new Date('2026-03-01T23:59:59Z');
  const c = new DownloadCounter(async (b) => void writes.push(b), { flushMs: 60_000, now: () => now });
  c.count(1);
  c.count(1);
  c.count(2);
  now = new Date('2026-03-02T00:00:01Z');
  c.count(1);
  assert.equal(writes.length, 0, 'nothing is written while counting');
  assert.equal(c.pending, 3);
  await c.flush();
  assert.deepEqual(writes, [
    [
      { releaseId: 1, day: '2026-03-01', count: 2 },
      { releaseId: 2, day: '2026-03-01', count: 1 },
      { releaseId: 1, day: '2026-03-02', count: 1 },
    ],
  ]);
  await c.flush();
  assert.equal(writes.length, 1, 'an empty flush writes nothing');
  await c.close();
});

test('a write in flight keeps the counter unsettled until it commits, and flush() waits for it', async () => {
  let commit!: () => void;
  const committed: CountBatch[][] = [];
  const c = new DownloadCounter(
    (b) =>
      new Promise<void>((resolve) => {
        commit = () => {
          committed.push(b);
          resolve();
        };
      }),
    { flushMs: 60_000 },
  );
  assert.equal(c.unsettled, false);
  c.count(1);
  assert.equal(c.unsettled, true);
  const first = c.flush();
  assert.equal(c.pending, 0, 'the map was handed to the write');
  assert.equal(c.unsettled, true, 'but the write has not committed');
  let waited = false;
  const second = c.flush().then(() => (waited = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(waited, false, 'a second flush waits for the write in flight');
  commit();
  await Promise.all([first, second]);
  assert.equal(committed.length, 1);
  assert.equal(c.unsettled, false);
  await c.close();
});

test('the timer flushes on its own; close writes the rest and stops counting', async () => {
  const writes: CountBatch[][] = [];
  const c = new DownloadCounter(async (b) => void writes.push(b), { flushMs: 10 });
  c.count(7);
  while (writes.length === 0) await new Promise((r) => setTimeout(r, 5));
  assert.equal(writes[0]![0]!.count, 1);
  c.count(7);
  c.count(7);
  await c.close();
  assert.equal(writes[1]![0]!.count, 2);
  c.count(7);
  assert.equal(c.pending, 0, 'closed: no more counting');
});

test('a failed write keeps its counts for the next flush; the pending map is bounded', async () => {
  let fail = true;
  const writes: CountBatch[][] = [];
  const errors: unknown[] = [];
  const c = new DownloadCounter(
    async (b) => {
      if (fail) throw new Error('database is locked');
      writes.push(b);
    },
    { flushMs: 60_000, maxPending: 2, onError: (e) => errors.push(e) },
  );
  c.count(1);
  c.count(2);
  c.count(3); // a third release-day: over the bound
  c.count(1);
  assert.equal(c.dropped, 1);
  await c.flush();
  assert.equal(errors.length, 1);
  assert.equal(c.pending, 2, 'put back');
  c.count(1);
  fail = false;
  await c.close();
  assert.deepEqual(writes[0]!.map((x) => `${x.releaseId}:${x.count}`).sort(), ['1:3', '2:1']);
});

test('stats range: default the last 30 days, explicit ranges checked and bounded', () => {
  const at = (q: string) => statsRange(new URL(`http://x/s${q}`), '2026-03-31');
  assert.deepEqual(at(''), { from: '2026-03-02', to: '2026-03-31' });
  assert.deepEqual(at('?from=2026-01-01&to=2026-01-31'), { from: '2026-01-01', to: '2026-01-31' });
  assert.deepEqual(at('?to=2026-01-10'), { from: '2025-12-12', to: '2026-01-10' });
  for (const [q, msg] of [
    ['?from=2026-02-30', /from: 2026-02-30 is not a calendar day/],
    ['?from=yesterday', /from: a UTC day/],
    ['?from=2026-03-05&to=2026-03-01', /after to/],
    ['?from=2024-01-01&to=2026-01-01', /at most 366 days/],
  ] as const) {
    assert.throws(
      () => at(q),
      (e: unknown) => e instanceof HttpError && e.status === 400 && msg.test(e.message),
      q,
    );
  }
});

test('stats: every day of the range, releases newest first with their days, rows outside the range ignored', () => {
  const s = buildStats(
    { name: 'loki', package: 'fapilog-loki' },
    [
      { id: 1, version: '1.0.0' },
      { id: 2, version: '1.10.0' },
      { id: 3, version: '1.2.0' },
    ],
    [
      { release_id: 1, day: '2026-03-02', downloads: 2 },
      { release_id: 2, day: '2026-03-01', downloads: 5 },
      { release_id: 2, day: '2026-03-03', downloads: 1 },
      { release_id: 1, day: '2026-02-01', downloads: 99 },
    ],
    { from: '2026-03-01', to: '2026-03-03' },
  );
  PluginStats.parse(s);
  assert.equal(s.total, 8);
  assert.deepEqual(s.days, [
    { day: '2026-03-01', downloads: 5 },
    { day: '2026-03-02', downloads: 2 },
    { day: '2026-03-03', downloads: 1 },
  ]);
  assert.deepEqual(
    s.releases.map((r) => `${r.version}:${r.total}`),
    ['1.10.0:6', '1.0.0:2'],
  );
});

test('today(): the UTC day of the moment asked, across midnight both ways (worked out once a day)', () => {
  const midnight = Date.parse('2026-03-02T00:00:00Z');
  for (const at of [midnight - 1, midnight, midnight + 1, midnight - 86_400_000, midnight + 86_400_000 - 1, midnight - 1]) {
    assert.equal(today(at), dayOf(new Date(at)), new Date(at).toISOString());
  }
  assert.equal(today(), dayOf(new Date()));
});
