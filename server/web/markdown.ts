/**
 * Plugin READMEs (untrusted: whatever a publisher uploaded) to HTML through micromark with GFM
 * (run in a worker under a time budget by readme.ts: micromark is superlinear on some nestings).
 * micromark is the sanitiser: with `allowDangerousHtml` off every raw HTML block or tag comes out
 * as escaped text, and with `allowDangerousProtocol` off a link or image URL whose scheme is not
 * http(s), mailto, irc(s) or xmpp (javascript:, data:, vbscript:) becomes an empty href. On top:
 * - images become links: a README image would be a request to another origin (a tracking pixel,
 *   and one the page's CSP would have to refuse with a console error);
 * - links get rel="nofollow ugc noopener noreferrer";
 * - headings move down two levels (the page has its h1 and the README section its h2);
 * - the input is cut at MAX_RENDERED_CHARS (a 5 MB README renders its first part and says so), which
 *   bounds the renderer's time and the page's size.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { escapeHtml } from './html.ts';

/** Characters of a README rendered; the rest is left out with a note. */
export const MAX_RENDERED_CHARS = 64_000;

export interface RenderedReadme {
  html: string;
  /** Characters left out (0 when the whole README was rendered). */
  omitted: number;
}

/** The README's first MAX_RENDERED_CHARS (cut at a line end near the cap when there is one). */
export function boundedReadme(markdown: string): { text: string; omitted: number } {
  if (markdown.length <= MAX_RENDERED_CHARS) return { text: markdown, omitted: 0 };
  const nl = markdown.lastIndexOf('\n', MAX_RENDERED_CHARS);
  const cut = nl > MAX_RENDERED_CHARS - 8_000 ? nl : MAX_RENDERED_CHARS;
  return { text: markdown.slice(0, cut), omitted: markdown.length - cut };
}

export function renderReadme(markdown: string): RenderedReadme {
  const { text, omitted } = boundedReadme(markdown);
  const raw = micromark(text, {
    allowDangerousHtml: false,
    allowDangerousProtocol: false,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
  return { html: harden(raw), omitted };
}

/**
 * micromark's own output has a fixed shape (attributes double-quoted and escaped), so these
 * rewrites match its markup exactly; they never see raw README text, which is escaped already.
 */
function harden(markup: string): string {
  return markup
    .replace(/<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? \/>/g, (_m, src: string, alt: string) => {
      const label = `[image${alt ? `: ${alt}` : ''}]`;
      return src ? `<a href="${src}">${label}</a>` : escapeHtml(label);
    })
    .replace(/<a href="/g, '<a rel="nofollow ugc noopener noreferrer" href="')
    .replace(/<(\/?)h([1-6])>/g, (_m, close: string, n: string) => `<${close}h${Math.min(6, Number(n) + 2)}>`);
}
