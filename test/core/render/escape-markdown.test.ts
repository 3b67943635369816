/**
 * Markdown escaping (src/core/render/markdown.ts) checked by rendering: the output is parsed by
 * micromark with the GFM extensions (tables, autolink literals, strikethrough, footnotes) and raw
 * HTML allowed, as GitHub lets some through. For hostile strings (fast-check, fixed seed) a cell
 * stays one cell of one row, a code span shows exactly its text, running text shows exactly its
 * text, and no element appears (no tag, link, image or autolink).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { cell, code, codeCell, linkUrl, text } from '../../../src/core/render/markdown.ts';
import { singleLine } from '../../../src/core/render/escape.ts';
import { hostileString, params } from '../../helpers/property.ts';

const render = (md: string) => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' };
const decode = (html: string) => html.replace(/&(?:amp|lt|gt|quot);/g, (e) => ENTITIES[e]!);

/** The text of an HTML fragment, after checking that it holds no element at all. */
function textOf(html: string): string {
  assert.doesNotMatch(html, /<[a-z/!?]/i, `an element from untrusted text: ${html}`);
  return decode(html);
}

/** What a one-line rendering must show: line breaks as spaces, controls visible. */
const shown = (s: string) => singleLine(s);

function tableCells(html: string): string[][] {
  const body = /<tbody>\n([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>\n([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1]!));
}

describe('Markdown escaping, rendered by a GFM parser', () => {
  test('a table cell stays one cell and shows exactly its text', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        const html = render(`| a | b | c |\n| --- | --- | --- |\n| x | ${cell(s)} | y |\n`);
        const rows = tableCells(html);
        assert.equal(rows.length, 1, html);
        assert.equal(rows[0]!.length, 3, html);
        assert.equal(rows[0]![0], 'x');
        assert.equal(rows[0]![2], 'y');
        const expected =
          s === ''
            ? '—'
            : shown(s)
                .trimStart()
                .replace(/[ \t]+$/, '');
        assert.equal(textOf(rows[0]![1]!), expected === '' ? '' : expected);
      }),
      params(400),
    );
  });

  test('a code span shows exactly its text, in a paragraph and in a table cell', () => {
    fc.assert(
      fc.property(
        hostileString().filter((s) => shown(s) !== ''),
        (s) => {
          const para = render(`see ${code(s)} here`);
          const m = /^<p>see <code>([\s\S]*)<\/code> here<\/p>\n?$/.exec(para);
          assert.ok(m, para);
          assert.equal(decode(m[1]!), shown(s));

          const rows = tableCells(render(`| a | b |\n| --- | --- |\n| ${codeCell(s)} | y |\n`));
          assert.equal(rows.length, 1);
          assert.equal(rows[0]!.length, 2);
          assert.equal(rows[0]![1], 'y');
          const c = rows[0]![0]!;
          const inCode = /^<code>([\s\S]*)<\/code>$/.exec(c);
          // A backslash before a pipe cannot be spelled in a code span: shown as escaped text then.
          if (inCode) assert.equal(decode(inCode[1]!), shown(s));
          else assert.equal(textOf(c), shown(s).trim());
        },
      ),
      params(400),
    );
  });

  test('running text in a list item or after a label shows exactly its text', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        const expected = shown(s)
          .trimStart()
          .replace(/[ \t]+$/, '');
        const item = render(`- ${text(s)}\n`);
        const m = /^<ul>\n<li>([\s\S]*?)<\/li>\n<\/ul>\n?$/.exec(item);
        assert.ok(m, item);
        assert.equal(textOf(m[1]!), expected);
        const label = render(`**Failed:** ${text(s)}`);
        const l = /^<p><strong>Failed:<\/strong> ?([\s\S]*?)<\/p>\n?$/.exec(label);
        assert.ok(l, label);
        assert.equal(textOf(l[1]!), expected);
      }),
      params(400),
    );
  });

  test('the probes: HTML, links, images, table breaks and code fences stay text', () => {
    const probe = '</td></tr></table><img src=x onerror=alert(1)> [click](http://evil) ![px](http://evil/p.gif) | --- | `x` ```';
    const html = render(`| a | b |\n| --- | --- |\n| ${cell(probe)} | ${codeCell(probe)} |\n`);
    const rows = tableCells(html);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.length, 2);
    assert.equal(textOf(rows[0]![0]!), probe);
    assert.doesNotMatch(html, /<img|<a |<\/table>[\s\S]*<\/table>/);
    assert.equal(code('a ``` b'), '````a ``` b````');
    assert.equal(code('`x`'), '`` `x` ``');
    assert.equal(cell(null), '—');
  });

  test('a link destination from a marketplace answer cannot end the link', () => {
    assert.equal(linkUrl('https://m.example/p/x) [evil](http://e'), 'https://m.example/p/x%29%20%5Bevil%5D%28http://e');
    assert.equal(linkUrl('javascript:alert(1)'), null);
    const html = render(`[release](${linkUrl('https://m.example/a b)<x>"')!})`);
    assert.match(html, /^<p><a href="https:\/\/m\.example\/a%20b%29%3Cx%3E%22">release<\/a><\/p>/);
  });
});
