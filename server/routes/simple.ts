/**
 * PEP 503 (HTML) / PEP 691 (JSON) simple repository API under /simple/, and the files it links
 * to under /files/<package>/<filename>, so pip can install with --index-url and --require-hashes.
 */
import type { IncomingMessage } from 'node:http';
import { normalizeName } from '../../src/core/names.ts';
import { HttpError, notFound } from '../errors.ts';
import type { Reply, RequestContext, Router } from '../router.ts';
import { fileUrl } from '../store/index.ts';
import { pluginPackage, printable } from '../validation.ts';

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';

/** PEP 691 content negotiation: the acceptable type with the highest q (JSON wins ties). */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let best = { json: -1, html: -1 };
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().split(';').map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const t = type.toLowerCase();
    if (t === SIMPLE_JSON) best = { ...best, json: Math.max(best.json, q) };
    else if (t === SIMPLE_HTML || t === 'text/html' || t === '*/*' || t === 'application/vnd.pypi.simple.latest+html')
      best = { ...best, html: Math.max(best.html, q) };
    else if (t === 'application/vnd.pypi.simple.latest+json') best = { ...best, json: Math.max(best.json, q) };
  }
  return best.json >= 0 && best.json >= best.html;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function html(title: string, links: string[]): string {
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta name="pypi:repository-version" content="1.0">\n<title>${escapeHtml(title)}</title>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${links.join('<br>\n')}\n</body>\n</html>\n`;
}

function simpleReply(ctx: RequestContext, json: unknown, htmlText: string): Reply {
  const headers = { Vary: 'Accept' };
  return wantsJson(ctx.req.headers.accept)
    ? { status: 200, body: JSON.stringify(json), contentType: SIMPLE_JSON, headers }
    : { status: 200, body: htmlText, contentType: `${SIMPLE_HTML}; charset=utf-8`, headers };
}

/** The simple pages vary with Accept (JSON or HTML): the cache keeps one answer per variant; they show no download counts. */
const CACHED = { cache: { vary: (req: IncomingMessage) => (wantsJson(req.headers.accept) ? 'json' : 'html'), showsCounts: false } };

export function registerSimpleRoutes(router: Router): void {
  router.add('GET', '/simple/', async (ctx) => {
    const packages = await ctx.store.packages();
    return simpleReply(
      ctx,
      { meta: { 'api-version': '1.0' }, projects: packages.map((name) => ({ name })) },
      html('Simple index', packages.map((p) => `<a href="${escapeHtml(`/simple/${p}/`)}">${escapeHtml(p)}</a>`)),
    );
  }, CACHED);

  router.add('GET', '/simple/{package}/', async (ctx) => {
    const raw = ctx.params['package']!;
    const pkg = pluginPackage(raw);
    // PEP 503: a non-normalised name redirects to the normalised URL.
    if (raw !== pkg && normalizeName(raw) === pkg) {
      return { status: 301, headers: { Location: `/simple/${pkg}/` }, body: '' };
    }
    const files = await ctx.store.simpleFiles(pkg);
    if (!files || raw !== pkg) throw notFound(`project ${printable(raw)}`);
    const json = {
      meta: { 'api-version': '1.0' },
      name: pkg,
      files: files.map((f) => ({
        filename: f.filename,
        url: fileUrl(ctx.baseUrl, pkg, f.filename),
        hashes: { sha256: f.sha256 },
        ...(f.requires_python ? { 'requires-python': f.requires_python } : {}),
        ...(f.yanked ? { yanked: f.yanked_reason ?? true } : {}),
      })),
    };
    const links = files.map((f) => {
      const attrs = [`href="${escapeHtml(`${fileUrl(ctx.baseUrl, pkg, f.filename)}#sha256=${f.sha256}`)}"`];
      if (f.requires_python) attrs.push(`data-requires-python="${escapeHtml(f.requires_python)}"`);
      if (f.yanked) attrs.push(`data-yanked="${escapeHtml(f.yanked_reason ?? '')}"`);
      return `<a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a>`;
    });
    return simpleReply(ctx, json, html(`Links for ${pkg}`, links));
  }, CACHED);

  router.add('GET', '/files/{package}/{filename}', async (ctx) => {
    const rawPkg = ctx.params['package']!;
    const filename = ctx.params['filename']!;
    const pkg = pluginPackage(rawPkg);
    if (/[\\/\0]|\.\./.test(filename) || filename.startsWith('.')) {
      throw new HttpError(400, 'invalid_filename', `not a plain file name: ${printable(filename)}`);
    }
    // Only files the database knows are served: nothing else under the data dir is reachable.
    const file = await ctx.store.file(pkg, filename);
    if (!file) throw notFound(`file ${printable(filename)}`);
    return {
      status: 200,
      file: { ...('path' in file ? { path: file.path } : { load: file.load }), size: Number(file.size), sha256: file.sha256 },
      contentType: 'application/octet-stream',
      headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
      // What pip fetches through the index: one download of the release (not a HEAD or a 304).
      onDelivered: () => ctx.countDownload(Number(file.release_id)),
    };
  });
}
