/**
 * Markdown for text we did not write (plugin names, notes, versions, messages from a marketplace,
 * a manifest or an upload): job summaries, check runs, PR titles and bodies show it as text, never
 * as markup. GitHub renders GFM and lets some HTML through, so the rules are:
 *
 * - running text and table cells: one line; every character that can start Markdown syntax is
 *   backslash-escaped (emphasis, links, images, code, headings, lists, tables, math), and `<`,
 *   `>`, `&`, `"` become entities, so no tag, autolink `<...>` or entity can be spelled;
 * - code spans: the text exactly, in a fence of more backticks than any run inside it, so that
 *   nothing in it can close the span (in a table, pipes are escaped as GFM requires);
 * - control characters are made visible (escape.ts), line breaks become spaces;
 * - bare URLs and addresses are not linked: a link from untrusted text is never made.
 */
import { singleLine } from './escape.ts';

/** CommonMark's backslash-escapable characters that mean something inline in GFM. */
const INLINE_SPECIAL = /[\\`*_{}[\]()#+!|~$^]/g;

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Plain running text: Markdown and HTML specials escaped, one line. */
export function text(s: string): string {
  const escaped = singleLine(s)
    .trimStart()
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(/[&<>"]/g, (c) => ENTITY[c]!);
  return (
    escaped
      // GFM autolinks bare `http://`, `www.` and `a@b.c`, and shows a backslash inside one as
      // typed: breaking each trigger keeps the text exact and makes no link of it.
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/(www)\./gi, '$1\\.')
      .replace(/@/g, '\\@')
      // At the start of a line (a list item's text), `- `, `---` and `1. ` / `1) ` open blocks.
      .replace(/^-(?=\s|$|-)/, '\\-')
      .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
  );
}

/** A table cell: escaped text, `—` for nothing. */
export function cell(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return '—';
  return text(s);
}

function fenced(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each side when both are spaces, and a backtick next to the
  // fence would join it: a padding space on each side keeps the content exact.
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Inline code showing `s` exactly (on one line); cannot be broken out of. */
export function code(s: string): string {
  const line = singleLine(s);
  return line === '' ? '` `' : fenced(line);
}

/**
 * Inline code inside a GFM table cell. The row is split on pipes before code spans are parsed,
 * so a pipe is written `\|` (GFM's rule); a backslash right before a pipe cannot be written inside
 * a code span at all, so such text is shown as escaped plain text instead.
 */
export function codeCell(s: string): string {
  const line = singleLine(s);
  if (line === '') return '` `';
  if (/\\\|/.test(line)) return text(line);
  return fenced(line).replace(/\|/g, '\\|');
}

/**
 * A link destination for an http(s) URL we were given (a release page from the marketplace), or
 * null for anything else: the characters that could end the destination or the link are
 * percent-encoded.
 */
export function linkUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replace(/[\s()<>[\]\\`"'|\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c.charCodeAt(0) < 0x80 ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : encodeURIComponent(c),
  );
}

/**
 * Running text for a body GitHub scans for mentions and references (pull requests, issues,
 * comments): `text`, with a zero-width space after each `@` and `#` instead of a backslash. GitHub
 * finds `@name` and `#12` in the rendered text, where a backslash escape is already gone, so only a
 * character between them keeps anyone from being pinged or an issue from being cross-referenced.
 */
export function quietText(s: string): string {
  return quiet(text(s));
}

/** A table cell of `quietText`, `—` for nothing. */
export function quietCell(s: string | null | undefined): string {
  return quiet(cell(s));
}

// Every `@` and `#` that `text` writes carries its own escaping backslash, which this replaces.
function quiet(md: string): string {
  return md.replace(/\\([@#])/g, '$1&#8203;');
}

/** At most `max` characters (code points) of `s`, an ellipsis marking a cut. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
