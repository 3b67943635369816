/**
 * The page shell every web page shares: landmarks (banner, navigation, main, contentinfo), a skip
 * link as the first focus stop, one stylesheet from this server and no script. The headers go
 * with every page: a CSP that allows only this origin's stylesheet (and data: images, for the
 * empty favicon that keeps the browser from asking for /favicon.ico).
 */
import { html, type Html } from './html.ts';
import { STYLESHEET_PATH } from './style.ts';

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

export const HTML_TYPE = 'text/html; charset=utf-8';

export function page(opts: { title: string; main: Html; description?: string }): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · fapilog plugins</title>
${opts.description ? html`<meta name="description" content="${opts.description}">` : ''}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<p class="brand"><a href="/">fapilog plugins</a></p>
<nav aria-label="Site">
<ul>
<li><a href="/">Search</a></li>
<li><a href="/simple/">Simple index</a></li>
<li><a href="/api/v1/plugins">JSON API</a></li>
</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${opts.main}
</main>
<footer class="site">
<p>The fapilog plugin marketplace. Every page here is also in the <a href="/api/v1/plugins">JSON API</a>.</p>
</footer>
</body>
</html>
`.text;
}
