/**
 * The simple repository API of a Python package index, as one shape whichever form it came in:
 * PEP 691 JSON (asked for first) or PEP 503 HTML (a static directory, an older index). Core
 * metadata files (PEP 658, renamed by PEP 714) and yanks (PEP 592) are read from both forms.
 */
import { z } from 'zod';
import { describeSchemaError } from '../marketplace/errors.ts';

/** What the client asks for: JSON first, HTML as the fallback an index without PEP 691 serves. */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

export interface IndexFile {
  filename: string;
  /** Absolute, without the `#sha256=` fragment. */
  url: string;
  sha256: string | null;
  requiresPython: string | null;
  /** false, or the reason (`''` when none was given). */
  yanked: false | string;
  /** Whether `<url>.metadata` (PEP 658) exists. */
  coreMetadata: boolean;
  size: number | null;
  /** ISO 8601 (PEP 700), when the index says. */
  uploadTime: string | null;
}

export interface IndexProject {
  name: string;
  files: IndexFile[];
}

export class SimpleParseError extends Error {
  override name = 'SimpleParseError';
}

const Meta = z.object({ 'api-version': z.string().regex(/^1\.\d+$/, 'a 1.x api-version') });
const Flag = z.union([z.boolean(), z.object({ sha256: z.string().optional() }).loose()]);

const JsonProject = z.object({
  meta: Meta,
  name: z.string().min(1),
  files: z.array(
    z
      .object({
        filename: z.string().min(1),
        url: z.string().min(1),
        hashes: z.record(z.string(), z.string()),
        'requires-python': z.string().nullable().optional(),
        yanked: z.union([z.boolean(), z.string()]).optional(),
        'core-metadata': Flag.optional(),
        'dist-info-metadata': Flag.optional(),
        'data-dist-info-metadata': Flag.optional(),
        size: z.number().int().nonnegative().optional(),
        'upload-time': z.string().nullable().optional(),
      })
      .loose(),
  ),
});

const JsonRoot = z.object({ meta: Meta, projects: z.array(z.object({ name: z.string().min(1) }).loose()) });

/** Is this body the JSON form? The cache keeps bodies, not content types: JSON starts with `{`. */
function looksJson(body: string): boolean {
  return /^\s*\{/.test(body);
}

function parseJson<S extends z.ZodType>(body: string, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SimpleParseError(`${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SimpleParseError(`${what}: ${describeSchemaError(parsed.error)}`);
  return parsed.data;
}

function withoutFragment(url: string): { url: string; sha256: string | null } {
  const hash = url.indexOf('#');
  if (hash < 0) return { url, sha256: null };
  const m = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(url.slice(hash + 1));
  return { url: url.slice(0, hash), sha256: m?.[1]?.toLowerCase() ?? null };
}

function absolute(href: string, base: string, what: string): string {
  try {
    const u = new URL(href, base);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return u.toString();
  } catch {
    throw new SimpleParseError(`${what}: file URL ${JSON.stringify(href.slice(0, 100))} is not an http(s) URL`);
  }
}

/** A project page (`<index>/<project>/`), JSON or HTML; `pageUrl` resolves relative links. */
export function parseProjectPage(body: string, pageUrl: string, project: string): IndexProject {
  const what = `the index page of ${project}`;
  if (looksJson(body)) {
    const page = parseJson(body, JsonProject, what);
    return {
      name: page.name,
      files: page.files.map((f) => {
        const { url, sha256: fromFragment } = withoutFragment(absolute(f.url, pageUrl, what));
        const meta = f['core-metadata'] ?? f['dist-info-metadata'] ?? f['data-dist-info-metadata'] ?? false;
        const sha = f.hashes['sha256'];
        return {
          filename: f.filename,
          url,
          sha256: sha && /^[0-9a-fA-F]{64}$/.test(sha) ? sha.toLowerCase() : fromFragment,
          requiresPython: f['requires-python'] ?? null,
          yanked: f.yanked === undefined || f.yanked === false ? false : f.yanked === true ? '' : f.yanked,
          coreMetadata: meta !== false,
          size: f.size ?? null,
          uploadTime: f['upload-time'] ?? null,
        };
      }),
    };
  }
  return { name: project, files: anchors(body).map((a) => fileFromAnchor(a, pageUrl, what)) };
}

/** The root page (`<index>/`): every project name the index holds. */
export function parseProjectList(body: string): string[] {
  if (looksJson(body)) return parseJson(body, JsonRoot, 'the index root page').projects.map((p) => p.name);
  return anchors(body)
    .map((a) => a.text.trim())
    .filter((t) => t.length > 0);
}

interface Anchor {
  attrs: Map<string, string | null>;
  text: string;
}

const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/a\s*>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function anchors(html: string): Anchor[] {
  const out: Anchor[] = [];
  for (const m of html.matchAll(ANCHOR)) {
    const attrs = new Map<string, string | null>();
    for (const a of (m[1] ?? '').matchAll(ATTRIBUTE)) {
      const value = a[2] ?? a[3] ?? a[4];
      attrs.set((a[1] ?? '').toLowerCase(), value === undefined ? null : unescapeHtml(value));
    }
    out.push({ attrs, text: unescapeHtml((m[2] ?? '').replace(/<[^>]*>/g, '')) });
  }
  return out;
}

function fileFromAnchor(a: Anchor, pageUrl: string, what: string): IndexFile {
  const href = a.attrs.get('href');
  if (!href) throw new SimpleParseError(`${what}: a link without href (${JSON.stringify(a.text.slice(0, 80))})`);
  const { url, sha256 } = withoutFragment(absolute(href, pageUrl, what));
  const filename = a.text.trim() || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  const yanked = a.attrs.has('data-yanked') ? (a.attrs.get('data-yanked') ?? '') : false;
  const meta = a.attrs.get('data-core-metadata') ?? a.attrs.get('data-dist-info-metadata');
  const metaGiven = a.attrs.has('data-core-metadata') || a.attrs.has('data-dist-info-metadata');
  return {
    filename,
    url,
    sha256,
    requiresPython: a.attrs.get('data-requires-python') ?? null,
    yanked,
    // PEP 714: the attribute's presence says the file exists, unless its value is "false".
    coreMetadata: metaGiven && meta !== 'false',
    size: null,
    uploadTime: null,
  };
}

function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return safeChar(parseInt(lower.slice(2), 16), whole);
    if (lower.startsWith('#')) return safeChar(parseInt(lower.slice(1), 10), whole);
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? whole;
  });
}

function safeChar(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
