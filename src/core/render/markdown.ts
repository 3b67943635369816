/**
 * Markdown for text we did not write (plugin names, notes, versions from a marketplace or a
 * manifest): summaries, PR titles and bodies show it as text, never as markup.
 */

/** Table cells cannot hold pipes or newlines. */
export function cell(text: string | null): string {
  if (text === null || text === '') return '—';
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code: a backtick inside would end it, so it becomes a quote. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

/** Plain running text: Markdown and HTML specials escaped, one line. */
export function text(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`);
}
