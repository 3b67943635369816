/**
 * PEP 503 (HTML) / PEP 691 (JSON) simple repository API under /simple/, and the files it links
 * to under /files/<package>/<filename>, so pip can install with --index-url and --require-hashes.
 */
import { affects } from '../../src/core/advisories/affects.ts';
import { advisoriesByPlugin } from '../store/advisories.ts';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { normalizeName } from '../../src/core/names.ts';
import { HttpError, notFound } from '../errors.ts';
import type { Reply, RequestContext, Router } from '../router.ts';
import { satisfies } from '../../src/core/pep440/index.ts';
import { coreMetadataOf } from '../core-metadata.ts';
import { fileUrl, type SimpleFile } from '../store/index.ts';
import { canonicalVersion, pluginPackage, printable } from '../validation.ts';

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';

/** PEP 691 content negotiation: the acceptable type with the highest q (JSON wins ties). */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let best = { json: -1, html: -1 };
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part
      .trim()
      .split(';')
      .map((s) => s.trim());
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

/**
 * pip 22.2 to 23.1 prefer JSON but read PEP 658 there under a name and shape PEP 691 never had
 * (a `dist-info-metadata` string: a dict makes them crash, the reason PEP 714 renamed the key),
 * while they read the HTML attribute right. They are answered HTML, which they accept too, so
 * they resolve from the metadata files instead of downloading every wheel.
 */
function oldPip(userAgent: string | undefined): boolean {
  const m = /^pip\/(\d+)\.(\d+)/.exec(userAgent ?? '');
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 23 || (major === 23 && minor < 2);
}

function answersJson(req: IncomingMessage): boolean {
  return wantsJson(req.headers.accept) && !oldPip(req.headers['user-agent']);
}

function simpleReply(ctx: RequestContext, json: unknown, htmlText: string): Reply {
  const headers = { Vary: 'Accept, User-Agent' };
  return answersJson(ctx.req)
    ? { status: 200, body: JSON.stringify(json), contentType: SIMPLE_JSON, headers }
    : { status: 200, body: htmlText, contentType: `${SIMPLE_HTML}; charset=utf-8`, headers };
}

/** The simple pages vary with Accept (JSON or HTML): the cache keeps one answer per variant; they show no download counts. */
const CACHED = { cache: { vary: (req: IncomingMessage) => (answersJson(req) ? 'json' : 'html'), showsCounts: false } };

/** Where a stored wheel's bytes are read from: its file, or the database. */
function wheelSource(ctx: RequestContext, pkg: string, filename: string): { path: string } | { read: () => Promise<Uint8Array> } {
  if (ctx.store.filesDir) return { path: path.join(ctx.store.filesDir, pkg, filename) };
  return {
    read: async () => {
      const f = await ctx.store.file(pkg, filename);
      if (!f) throw new Error(`${pkg}/${filename} is not stored`);
      return ctx.store.fileBytes(f);
    },
  };
}

/** The fapilog version of a per-fapilog index URL, as written (links keep it); 400 when not PEP 440. */
function fapilogOf(ctx: RequestContext): string {
  const raw = ctx.params['version']!;
  canonicalVersion(raw);
  return raw;
}

async function rootPage(ctx: RequestContext, base: string): Promise<Reply> {
  const packages = await ctx.store.packages();
  return simpleReply(
    ctx,
    { meta: { 'api-version': '1.0' }, projects: packages.map((name) => ({ name })) },
    html(
      'Simple index',
      packages.map((p) => `<a href="${escapeHtml(`${base}/${p}/`)}">${escapeHtml(p)}</a>`),
    ),
  );
}

/**
 * A PEP 503/691 project page of the files `select` keeps. Each wheel offers its core metadata
 * (PEP 658 and PEP 714: both attribute names in HTML, `core-metadata` in JSON) with its sha256.
 */
async function projectPage(ctx: RequestContext, base: string, select: (files: SimpleFile[]) => SimpleFile[]): Promise<Reply> {
  const raw = ctx.params['package']!;
  const pkg = pluginPackage(raw);
  // PEP 503: a non-normalised name redirects to the normalised URL.
  if (raw !== pkg && normalizeName(raw) === pkg) {
    return { status: 301, headers: { Location: `${base}/${pkg}/` }, body: '' };
  }
  const all = await ctx.store.simpleFiles(pkg);
  if (!all || raw !== pkg) throw notFound(`project ${printable(raw)}`);
  const files = await Promise.all(
    select(all).map(async (f) => ({
      ...f,
      metadata: await coreMetadataOf({ filename: f.filename, sha256: f.sha256, ...wheelSource(ctx, pkg, f.filename) }),
    })),
  );
  const json = {
    meta: { 'api-version': '1.0' },
    name: pkg,
    files: files.map((f) => ({
      filename: f.filename,
      url: fileUrl(ctx.baseUrl, pkg, f.filename),
      hashes: { sha256: f.sha256 },
      ...(f.requires_python ? { 'requires-python': f.requires_python } : {}),
      // PEP 714: JSON carries only `core-metadata` (older pips crash on a `dist-info-metadata` dict).
      ...(f.metadata ? { 'core-metadata': { sha256: f.metadata.sha256 } } : {}),
      ...(f.yanked ? { yanked: f.yanked_reason ?? true } : {}),
    })),
  };
  const links = files.map((f) => {
    const attrs = [`href="${escapeHtml(`${fileUrl(ctx.baseUrl, pkg, f.filename)}#sha256=${f.sha256}`)}"`];
    if (f.requires_python) attrs.push(`data-requires-python="${escapeHtml(f.requires_python)}"`);
    if (f.yanked) attrs.push(`data-yanked="${escapeHtml(f.yanked_reason ?? '')}"`);
    if (f.metadata) attrs.push(`data-dist-info-metadata="sha256=${f.metadata.sha256}"`, `data-core-metadata="sha256=${f.metadata.sha256}"`);
    return `<a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a>`;
  });
  return simpleReply(ctx, json, html(`Links for ${pkg}`, links));
}

/** Files counted per connection (the sockets' entries go with them). */
const countedOn = new WeakMap<object, Set<string>>();

export function registerSimpleRoutes(router: Router): void {
  router.add('GET', '/simple/', (ctx) => rootPage(ctx, '/simple'), CACHED);
  router.add('GET', '/simple/{package}/', (ctx) => projectPage(ctx, '/simple', (files) => files), CACHED);

  // One index per fapilog version: only the releases whose fapilog range admits it, that are not
  // yanked and that no advisory affects, so a plain `pip install --index-url …/fapilog/F/simple/
  // PLUGIN` picks the newest release that works with fapilog F and is not known to be vulnerable.
  router.add('GET', '/fapilog/{version}/simple/', (ctx) => rootPage(ctx, `/fapilog/${fapilogOf(ctx)}/simple`), CACHED);
  router.add(
    'GET',
    '/fapilog/{version}/simple/{package}/',
    async (ctx) => {
      const fapilog = fapilogOf(ctx);
      const pkg = pluginPackage(ctx.params['package']!);
      const row = await ctx.store.pluginRow(pkg);
      const advisories = row ? ((await advisoriesByPlugin(ctx.store.db, [Number(row.id)])).get(Number(row.id)) ?? []) : [];
      return projectPage(ctx, `/fapilog/${fapilog}/simple`, (files) =>
        files.filter(
          (f) =>
            !f.yanked &&
            satisfies(fapilog, f.fapilog_compatibility, { prereleases: true }) &&
            !advisories.some((a) => affects(a, pkg, f.version)),
        ),
      );
    },
    CACHED,
  );

  router.add('GET', '/files/{package}/{filename}', async (ctx) => {
    const rawPkg = ctx.params['package']!;
    const filename = ctx.params['filename']!;
    const pkg = pluginPackage(rawPkg);
    if (/[\\/\0]|\.\./.test(filename) || filename.startsWith('.')) {
      throw new HttpError(400, 'invalid_filename', `not a plain file name: ${printable(filename)}`);
    }
    // Only files the database knows are served: nothing else under the data dir is reachable.
    if (filename.endsWith('.whl.metadata')) {
      const wheel = await ctx.store.file(pkg, filename.slice(0, -'.metadata'.length));
      const metadata = wheel
        ? await coreMetadataOf({
            filename: wheel.filename,
            sha256: wheel.sha256,
            ...('path' in wheel ? { path: wheel.path } : { read: wheel.load }),
          })
        : null;
      if (!metadata) throw notFound(`file ${printable(filename)}`);
      return {
        status: 200,
        body: metadata.data,
        contentType: 'application/octet-stream',
        headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
      };
    }
    const file = await ctx.store.file(pkg, filename);
    if (!file) throw notFound(`file ${printable(filename)}`);
    return {
      status: 200,
      file: { ...('path' in file ? { path: file.path } : { load: file.load }), size: Number(file.size), sha256: file.sha256 },
      contentType: 'application/octet-stream',
      headers: { 'Cache-Control': 'public, max-age=31536000, immutable' },
      // What pip fetches through the index: one download of the release (not a HEAD or a 304),
      // once per connection: pip 23 with PEP 658 metadata fetches the same wheel twice in one
      // install (one session, one kept-alive connection), which is one install, not two.
      onDelivered: () => {
        const seen = countedOn.get(ctx.req.socket) ?? new Set<string>();
        countedOn.set(ctx.req.socket, seen);
        if (seen.has(file.filename)) return;
        seen.add(file.filename);
        ctx.countDownload(Number(file.release_id));
      },
    };
  });
}
