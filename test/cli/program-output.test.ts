/** The shared table renderer other commands reuse. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderTable, stripAnsi, truncate, type Column } from '../../src/cli/output/index.ts';

const columns: Column[] = [{ header: 'NAME' }, { header: 'COUNT', align: 'right' }, { header: 'NOTE', shrink: true, minWidth: 6 }];
const rows = [
  ['alpha', '5', 'short'],
  ['b', '1,234', { text: 'a rather long note that will not fit in a narrow terminal', style: 'red' as const }],
];

describe('renderTable', () => {
  test('aligns columns: left by default, right when asked, no trailing spaces', () => {
    const out = renderTable(columns, rows, { width: 200, color: false });
    assert.equal(
      out,
      ['NAME   COUNT  NOTE', 'alpha      5  short', 'b      1,234  a rather long note that will not fit in a narrow terminal', ''].join(
        '\n',
      ),
    );
  });

  test('fits the width by truncating shrinkable columns with …', () => {
    const out = renderTable(columns, rows, { width: 30, color: false });
    const lines = out.trimEnd().split('\n');
    for (const line of lines) assert.ok([...line].length <= 30, line);
    assert.equal(lines[2], 'b      1,234  a rather long n…');
  });

  test('never shrinks a column below its minimum (overflows instead)', () => {
    const out = renderTable(columns, rows, { width: 10, color: false });
    assert.match(out.split('\n')[2]!, /  a rat…$/);
  });

  test('colour only when enabled, and it does not disturb alignment', () => {
    const plain = renderTable(columns, rows, { width: 200, color: false });
    const coloured = renderTable(columns, rows, { width: 200, color: true });
    assert.ok(coloured.includes('\u001b[1mNAME\u001b[22m'));
    assert.ok(coloured.includes('\u001b[31ma rather long'));
    assert.ok(!plain.includes('\u001b'));
    assert.equal(stripAnsi(coloured), plain);
  });

  test('newlines inside cells do not break rows', () => {
    const out = renderTable([{ header: 'A' }], [['one\ntwo']], { width: 80, color: false });
    assert.equal(out, 'A\none two\n');
  });
});

test('truncate counts characters, not UTF-16 units', () => {
  assert.equal(truncate('héllo wörld', 5), 'héll…');
  assert.equal(truncate('📦📦📦', 2), '📦…');
  assert.equal(truncate('abc', 3), 'abc');
});
