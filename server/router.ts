/**
 * A small router over node:http: routes are declared with OpenAPI-style templates
 * (`/api/v1/plugins/{name}`), so openapi.yaml can be checked against the same list.
 */
import type { IncomingMessage } from 'node:http';
import type { Store, TokenOwner } from './store/index.ts';
import { HttpError } from './errors.ts';
import type { PublishIdentity, TrustedPublishing } from './trusted.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Reply {
  status: number;
  /** Serialised as JSON (application/json). */
  json?: unknown;
  body?: Uint8Array | string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Streamed from disk (`path`) or read from the database (`load`); its sha256 is its ETag. */
  file?: { path?: string; load?: () => Promise<Uint8Array>; size: number; sha256: string };
  /**
   * Runs only when a GET is answered with this reply's status 200 and body: not for HEAD, not when
   * If-None-Match turns it into a 304. For side effects that must follow a real answer (download counts).
   */
  onDelivered?: () => void | Promise<void>;
  /** The body's ETag when it is known already (a cached answer); computed from the body otherwise. */
  etag?: string;
}

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  /** Absolute base for links (files, simple index), without a trailing slash. */
  baseUrl: string;
  store: Store;
  /** Counts one download of the release (in memory; written in batches by server/downloads.ts). */
  countDownload(releaseId: number): void;
  /**
   * The token's owner; 401 when the token is missing, unknown or expired. With `pkg`: 403 when the
   * token is scoped to other plugins.
   */
  requireOwner(pkg?: string): TokenOwner;
  /** Who may publish `pkg`: an API token's owner, or a trusted-publishing token scoped to it. */
  requirePublisher(pkg: string): Promise<PublishIdentity>;
  trusted: TrustedPublishing;
  /** Aborted when the request's deadline passed and it was answered with a 503: do not commit anything then. */
  signal: AbortSignal;
  /** The raw request body, at most `limit` bytes (413 beyond). */
  body(limit: number): Promise<Buffer>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/**
 * A GET whose 200 answer depends only on the store's data, the request's path and query, the
 * link base and what `vary` returns may be answered from the response cache (server/response-cache.ts).
 * Never for routes that need auth, write, or have `onDelivered` side effects.
 */
export interface CachePolicy {
  /** What else the answer depends on (e.g. the Accept variant); '' when nothing. */
  vary?: (req: IncomingMessage) => string;
  /** False when the answer shows no download counts: a counted download then leaves it valid. */
  showsCounts?: boolean;
}

export interface Route {
  method: Method;
  path: string;
  handler: Handler;
  cache?: CachePolicy;
}

interface Compiled extends Route {
  segments: string[];
  statics: number;
}

export type Match = { route: Route; params: Record<string, string> } | { allow: Method[] } | null;

/** Routes remembered by method and path for the cache-hit path (bounded: cleared when full). */
const ROUTE_MEMO = 4096;

export class Router {
  private readonly compiled: Compiled[] = [];
  private readonly memo = new Map<string, Route | null>();

  add(method: Method, path: string, handler: Handler, opts: { cache?: CachePolicy } = {}): this {
    const segments = path.split('/');
    this.compiled.push({
      method,
      path,
      handler,
      ...(opts.cache ? { cache: opts.cache } : {}),
      segments,
      statics: segments.filter((s) => !s.startsWith('{')).length,
    });
    // More literal segments first: `/plugins/search` wins over `/plugins/{name}`.
    this.compiled.sort((a, b) => b.statics - a.statics);
    this.memo.clear();
    return this;
  }

  get routes(): Route[] {
    return this.compiled.map(({ method, path, handler, cache }) => ({ method, path, handler, ...(cache ? { cache } : {}) }));
  }

  match(method: string, pathname: string): Match {
    const parts = pathname.split('/');
    const allow = new Set<Method>();
    const lookup = method === 'HEAD' ? 'GET' : method;
    for (const r of this.compiled) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === lookup) return { route: r, params };
      allow.add(r.method);
    }
    return allow.size > 0 ? { allow: [...allow] } : null;
  }

  /**
   * The route `match` would run for a plain path (plainTarget: no percent-escapes, so no decoding
   * can fail), or null when it would answer 404, 405 or a redirect; remembered per method and path.
   */
  routeFor(method: string, pathname: string): Route | null {
    const key = `${method} ${pathname}`;
    let route = this.memo.get(key);
    if (route === undefined) {
      const m = this.match(method, pathname);
      route = m && 'route' in m ? m.route : null;
      if (this.memo.size >= ROUTE_MEMO) this.memo.clear();
      this.memo.set(key, route);
    }
    return route;
  }
}

/**
 * A request target split as `new URL(target, base)` would split it, for targets made only of
 * characters URL parsing leaves as they are (letters, digits, `-._~/` in the path; also `%&=+,:/?`
 * in the query) and with no dot segments or `//`; null for anything else (the caller then uses URL).
 */
export function plainTarget(target: string): { pathname: string; search: string } | null {
  const m = PLAIN_TARGET.exec(target);
  if (!m) return null;
  const pathname = m[1]!;
  if (pathname.includes('/.') || pathname.includes('//')) return null;
  const query = m[2] ?? '';
  return { pathname, search: query === '?' ? '' : query };
}

const PLAIN_TARGET = /^(\/[A-Za-z0-9._~\-\/]*)(\?[A-Za-z0-9._~\-%&=+,:\/?]*)?$/;

function matchSegments(template: string[], parts: string[]): Record<string, string> | null {
  if (template.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const p = parts[i]!;
    if (t.startsWith('{')) {
      if (p.length === 0) return null;
      let decoded: string;
      try {
        decoded = decodeURIComponent(p);
      } catch {
        throw new HttpError(400, 'invalid_path', 'malformed percent-encoding in the path');
      }
      params[t.slice(1, -1)] = decoded;
    } else if (t !== p) {
      return null;
    }
  }
  return params;
}
