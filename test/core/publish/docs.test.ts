/** docs/publishing.md's findings table is the table in findings.ts, rendered; nothing else drifts. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { FINDING_CODES, FINDINGS, findingsMarkdownTable } from '../../../src/core/publish/findings.ts';

const DOC = new URL('../../../docs/publishing.md', import.meta.url);

test('docs/publishing.md holds the findings table exactly as findings.ts renders it', async () => {
  const text = await readFile(DOC, 'utf8');
  const m = /<!-- findings:start -->\n([\s\S]*?)\n<!-- findings:end -->/.exec(text);
  assert.ok(m, 'the findings markers are missing');
  assert.equal(
    m[1],
    findingsMarkdownTable(),
    'regenerate: npx node -e "import(\'./src/core/publish/findings.ts\').then(m => console.log(m.findingsMarkdownTable()))"',
  );
});

test('every code has a severity, a meaning and a one-line fix', () => {
  assert.ok(FINDING_CODES.length >= 20);
  for (const code of FINDING_CODES) {
    const d = FINDINGS[code];
    assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(d.fix.length > 0 && !d.fix.includes('\n'), code);
    assert.ok(d.meaning.length > 0, code);
  }
});
