/**
 * Tables fit a narrow terminal (60 columns): columns go or move under their row by priority,
 * instead of every row wrapping. Piped output has no width and stays whole.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalColumns } from '../../src/cli/context.ts';
import { layoutTable, renderTable, wrapText, type Column } from '../../src/cli/output/table.ts';
import { useWorkspace } from '../helpers/workspace.ts';

const ws = useWorkspace('narrow');
const narrow = { isTTY: true, columns: 60, env: { NO_COLOR: '1' } };
const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

test('outdated in 60 columns: plugin, current, compatible and status side by side, each note under its row', async () => {
  const app = ws.copyApp();
  const r = await ws.cli(['outdated', app], narrow);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(widest(r.stdout) <= 60, r.stdout);
  assert.match(r.stdout, /^plugin {2,}current {2}compatible {2}status$/m);
  assert.match(r.stdout, /^fapilog-otel {2,}1\.1\.0 {4}2\.0\.0 {7}outdated\n {4}2\.0\.0 is available and works with fapilog 0\.16\.0\.$/m);
  // A long note wraps under its row, whole.
  assert.match(
    r.stdout,
    /^fapilog-sampling .*yanked\n {4}1\.2\.0 was yanked \(drops every event, errors included,\n {4}when the sample rate is 0\.0; fixed in 1\.2\.1\); move to\n {4}1\.2\.1, which works with fapilog 0\.16\.0\.$/m,
  );
  assert.doesNotMatch(r.stdout, /…/, 'nothing is cut');

  // Piped: every column, every note on its row, uncut.
  const piped = await ws.cli(['outdated', app], { isTTY: false, columns: 60 });
  assert.match(piped.stdout, /^plugin\s+file:line\s+current\s+latest compatible\s+latest\s+status\s+note$/m);
  assert.match(
    piped.stdout,
    /^fapilog-sampling\s+requirements\.txt:\d+\s+1\.2\.0\s+1\.2\.1\s+1\.2\.1\s+yanked\s+1\.2\.0 was yanked \(drops every event, errors included, when the sample rate is 0\.0; fixed in 1\.2\.1\); move to 1\.2\.1, which works with fapilog 0\.16\.0\.$/m,
  );
});

test('list in 60 columns: names whole, downloads and rating left out, descriptions cut', async () => {
  const r = await ws.cli(['list'], narrow);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(widest(r.stdout) <= 60, r.stdout);
  assert.match(r.stdout, /^NAME {2,}VERSION {2}TYPE {2,}DESCRIPTION$/m);
  assert.match(r.stdout, /^request-context {2}1\.2\.0 {4}enricher {3}Add request id.*…$/m);
  const wide = await ws.cli(['list'], { ...narrow, columns: 160 });
  assert.match(wide.stdout, /^NAME\s+VERSION\s+TYPE\s+RATING\s+DOWNLOADS\s+DESCRIPTION$/m);
});

test('info in 60 columns: the install hint and URLs wrap, never cut', async () => {
  const r = await ws.cli(['info', 'sampling', '1.2.0'], narrow);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(widest(r.stdout) <= 60, r.stdout);
  const joined = r.stdout.replace(/\n {16}/g, ' ');
  assert.match(joined, /Install {7}not recommended: 1\.2\.0 is yanked; pip install "fapilog-sampling==1\.2\.1"/);
});

test('layout: lowest priority first; a wrap column moves under the row, others go; none with a priority: overflow', () => {
  const columns: Column[] = [
    { header: 'A' },
    { header: 'LONG HEADER', shortHeader: 'LH', priority: 3 },
    { header: 'B', priority: 1 },
    { header: 'NOTE', priority: 2, wrap: true },
  ];
  const texts = [['aaaaaaaaaa', 'x', 'bbbbbbbbbb', 'a note of some length']];
  assert.deepEqual(layoutTable(columns, texts, 200, 2).shown, [0, 1, 2, 3]);
  const tight = layoutTable(columns, texts, 20, 2);
  assert.deepEqual([tight.shown, tight.below, tight.headers[1]], [[0, 1], [3], 'LH']);
  const out = renderTable(columns, [['aaaaaaaaaa', 'x', 'bbbbbbbbbb', 'a note of some length']], { width: 20, color: false });
  assert.equal(out, 'A           LH\naaaaaaaaaa  x\n    a note of some\n    length\n');
  assert.deepEqual(layoutTable([{ header: 'A' }, { header: 'B' }], [['x'.repeat(30), 'y'.repeat(30)]], 20, 2).shown, [0, 1]);
  assert.deepEqual(wrapText(`see ${'h'.repeat(25)} now`, 10), ['see', 'hhhhhhhhhh', 'hhhhhhhhhh', 'hhhhh now']);
});

test('the width: COLUMNS when set, else the terminal, else 100', () => {
  assert.equal(terminalColumns({ COLUMNS: '60' }, 200), 60);
  assert.equal(terminalColumns({}, 80), 80);
  assert.equal(terminalColumns({ COLUMNS: 'wide' }, undefined), 100);
});
