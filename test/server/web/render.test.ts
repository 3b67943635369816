/** The web room's pure parts: escaping, README rendering and its budget, matrix cells, the chart. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { html, safeHttpUrl, trusted } from '../../../server/web/html.ts';
import { MAX_RENDERED_CHARS, renderReadme } from '../../../server/web/markdown.ts';
import { ReadmeRenderer } from '../../../server/web/readme.ts';
import { cell, defaultFapilog, newestWorking } from '../../../server/web/compat.ts';
import { downloadsChart, fillDays } from '../../../server/web/chart.ts';

test('html escapes every interpolated value, arrays included, and keeps Html as is', () => {
  const evil = `<script>"x" & 'y'</script>`;
  assert.equal(
    html`<p title="${evil}">${evil}</p>`.text,
    '<p title="&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</p>',
  );
  assert.equal(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.text, '<ul>&lt;a&gt;<li>ok</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.text, '0');
  assert.equal(html`${trusted('<b>x</b>')}`.text, '<b>x</b>');
});

test('only http(s) URLs from data become links', () => {
  assert.equal(safeHttpUrl('https://example.com/x'), 'https://example.com/x');
  for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', 'not a url', '', null])
    assert.equal(safeHttpUrl(bad), null, String(bad));
});

test('README Markdown: raw HTML is text, dangerous URLs are emptied, images become links, headings move down', () => {
  const { html: out } = renderReadme(
    [
      '# Title',
      '',
      '<script>alert(1)</script>',
      '',
      'inline <img src=x onerror=alert(1)> and <a href="javascript:x">a</a>',
      '',
      '[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com/) [rel](docs/x.md)',
      '',
      '![pic](https://example.com/p.png "t") ![bad](javascript:alert(1))',
      '',
      '| a | b |',
      '|---|---|',
      '| <b>1</b> | 2 |',
    ].join('\n'),
  );
  assert.doesNotMatch(out, /<script|<img|<[^>]*onerror|href="\s*javascript/i);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /<h3>Title<\/h3>/);
  assert.match(out, /<a rel="nofollow ugc noopener noreferrer" href="">js<\/a>/);
  assert.match(out, /<a rel="nofollow ugc noopener noreferrer" href="">JS<\/a>/);
  assert.match(out, /<a rel="nofollow ugc noopener noreferrer" href="">data<\/a>/);
  assert.match(out, /href="https:\/\/example.com\/">ok</);
  assert.match(out, /href="docs\/x.md">rel</);
  assert.match(out, /<a rel="nofollow ugc noopener noreferrer" href="https:\/\/example.com\/p.png">\[image: pic\]<\/a>/);
  assert.match(out, /\[image: bad\]/);
  assert.match(out, /<td>&lt;b&gt;1&lt;\/b&gt;<\/td>/);
  // Every href left is empty, http(s) or relative.
  for (const m of out.matchAll(/href="([^"]*)"/g)) assert.match(m[1]!, /^(|https?:\/\/.*|[^:]*)$/);
});

test('a README longer than the cap renders its start and says how much was left out', () => {
  const big = 'a line of a long README, long enough to count.\n'.repeat(100_000);
  const r = renderReadme(big);
  assert.ok(r.omitted > 4_000_000);
  assert.ok(r.html.length < MAX_RENDERED_CHARS * 2);
});

test('the renderer gives up on a README over its budget and shows it as escaped text, then renders the next', async () => {
  const r = new ReadmeRenderer(300);
  try {
    // micromark needs seconds on deep block-quote nesting of this size.
    const slow = await r.render('> '.repeat(30_000) + '<script>x</script>');
    assert.equal(slow.as, 'text');
    assert.match(slow.html, /^<pre class="readme-text">/);
    assert.doesNotMatch(slow.html, /<script>/);
    const fine = await r.render('*fine*');
    assert.equal(fine.as, 'markdown');
    assert.equal(fine.html.trim(), '<p><em>fine</em></p>');
    // Remembered: the same text again is the same answer.
    assert.equal(await r.render('*fine*'), fine);
  } finally {
    await r.close();
  }
});

test('matrix cells: works, does not, yanked, and corrections when the data has them', () => {
  const r = { version: '1.0.0', fapilog_compatibility: '>=0.12,<0.17', yanked: false };
  assert.equal(cell(r, '0.12.0'), 'works');
  assert.equal(cell(r, '0.17.0'), 'no');
  assert.equal(cell(r, '0.16.1rc1'), 'works', 'a pre-release of fapilog inside the range counts');
  assert.equal(cell({ ...r, yanked: true }, '0.12.0'), 'yanked');
  const corrected = { ...r, correction: { fapilog_compatibility: '>=0.12,<0.16' } };
  assert.equal(cell(corrected, '0.16.0'), 'corrected-no');
  assert.equal(cell(corrected, '0.12.0'), 'works', 'unchanged by the correction');
  assert.equal(cell({ ...r, correction: { fapilog_compatibility: '>=0.12' } }, '0.18.0'), 'corrected-works');
});

test('newestWorking prefers finals unless fapilog is a pre-release; defaultFapilog is the newest final', () => {
  const rs = [
    { version: '1.0.0', fapilog_compatibility: '>=0.10', yanked: false },
    { version: '1.1.0', fapilog_compatibility: '>=0.10', yanked: true },
    { version: '1.2.0b1', fapilog_compatibility: '>=0.10', yanked: false },
  ];
  assert.equal(newestWorking(rs, '0.12.0')?.version, '1.0.0');
  assert.equal(newestWorking(rs, '0.13.0rc1')?.version, '1.2.0b1');
  assert.equal(newestWorking(rs, '0.9.0'), null);
  assert.equal(defaultFapilog(['0.3.0', '0.19.0rc1', '0.18.1', '0.10.0']), '0.18.1');
  assert.equal(defaultFapilog([]), null);
});

test('the chart has one bar per day, zero-filled, and its numbers in text', () => {
  const days = fillDays(
    [
      { day: '2026-01-03', downloads: 7 },
      { day: '2025-12-01', downloads: 99 },
    ],
    '2026-01-04',
    5,
  );
  assert.deepEqual(
    days.map((d) => `${d.day}:${d.downloads}`),
    ['2025-12-31:0', '2026-01-01:0', '2026-01-02:0', '2026-01-03:7', '2026-01-04:0'],
  );
  const svg = downloadsChart(days, 'Downloads of <x>').text;
  assert.equal((svg.match(/<rect /g) ?? []).length, 5);
  assert.match(svg, /<title id="downloads-chart-title">Downloads of &lt;x&gt;<\/title>/);
  assert.match(svg, /7 downloads from 2025-12-31 to 2026-01-04/);
  assert.doesNotMatch(svg, /style=/);
});

test('the worker renders in a server started with node -e (it does not inherit the eval)', async () => {
  const url = new URL('../../../server/web/readme.ts', import.meta.url).href;
  const script = `const { ReadmeRenderer } = await import(${JSON.stringify(url)}); const r = new ReadmeRenderer(20000); console.log((await r.render('*x*')).as); await r.close();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
  assert.equal(stdout.trim(), 'markdown');
});
