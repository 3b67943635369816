/**
 * Markdown for text the bot did not write: plugin descriptions, versions, file paths and URLs come
 * from the marketplace or the repository, and must show as text in a pull request or issue, never
 * as markup, HTML, a link, an @-mention or a #-reference.
 */

/** What can start markup mid-line: emphasis, code, links and images, HTML, tables, strikethrough, math, references. */
const PUNCTUATION = /[\\`*_[\]()#!|~<>$]/g;

/** Inline text: punctuation backslash-escaped, `&` and `@` defused, line breaks become spaces. */
export function text(value: string, max = 300): string {
  const one = clip(
    value
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/\s*\r?\n\s*/g, ' ')
      .trim(),
    max,
  );
  return (
    one
      .replace(/&/g, '&amp;')
      .replace(PUNCTUATION, (c) => `\\${c}`)
      // Bare URLs would be autolinked.
      .replace(/:\/\//g, '\\://')
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
      // A zero-width space between @ and the name: no mention, no notification.
      .replace(/@/g, '@&#8203;')
  );
}

/** Inline text that starts a line (a quote): a leading `-`, `+`, `=` or `1.` would make a list or a heading. */
export function lineText(value: string, max = 300): string {
  return text(value, max).replace(/^([-+=]|\d+(?=[.)]))/, (c) => (/\d/.test(c) ? `${c}\\` : `\\${c}`));
}

/** A code span that cannot be closed early: backticks inside become apostrophes. */
export function code(value: string, max = 200): string {
  const v = clip(value.replace(/[\r\n]+/g, ' '), max).replace(/`/g, "'");
  return `\`${v === '' ? ' ' : v}\``;
}

/** A link, only for http(s) URLs; anything else is shown as text. */
export function link(label: string, url: string | null): string {
  if (url === null) return text(label);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text(label);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return text(label);
  const href = parsed.href.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text(label)}](${href})`;
}

/** A table cell: inline text (pipes are escaped by `text`), or a dash when empty. */
export function cell(value: string | null): string {
  return value === null || value === '' ? '—' : text(value);
}

function clip(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}
