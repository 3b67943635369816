/**
 * The reference marketplace server: plain node:http, a small router, SQLite or PostgreSQL storage.
 * `createMarketplace` is what `fapilog-plugins serve` and the integration tests start.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { readBody } from './body.ts';
import { HttpError, errorBody } from './errors.ts';
import { etagOf, ifNoneMatch } from './etag.ts';
import { RateLimiter, SharedRateLimiter, type Limiter, type RateLimitOptions } from './rate-limit.ts';
import { plainTarget, Router, type CachePolicy, type Reply, type RequestContext, type Route } from './router.ts';
import { openStore, type Store, type TokenOwner } from './store/index.ts';
import { Metrics } from './metrics.ts';
import { ResponseCache, SMALL_TEXT, WIRE_LIMITS, wireHeads } from './response-cache.ts';
import type { CachedAnswer, ResponseCacheOptions, WireHeads } from './response-cache.ts';
import { bearerToken } from './auth/tokens.ts';
import { readCatalog, seedStore } from './seed.ts';
import { registerPluginRoutes } from './routes/plugins.ts';
import { DEFAULT_MAX_UPLOAD_BYTES, registerPublishRoutes } from './routes/publish.ts';
import { registerSimpleRoutes } from './routes/simple.ts';
import { registerCompatRoutes } from './routes/compat.ts';
import { registerAdvisoryRoutes } from './routes/advisories.ts';
import { registerOidcRoutes } from './routes/oidc.ts';
import { registerWebRoutes } from './routes/web.ts';
import { ReadmeRenderer } from './web/readme.ts';
import { DownloadCounter } from './downloads.ts';
import { addDays, dayOf, RETENTION_DAYS } from './stats.ts';
import { TrustedPublishing, type TrustedPublishingOptions } from './trusted.ts';
import { applyConnectionLimits, checkingIntervalFor, closeUnreadRequest, type ConnectionLimits } from './connections.ts';
import { clientAddress, parseTrustedProxies } from './proxy.ts';
import { UpstreamMirror, type UpstreamOptions } from './upstream.ts';

export type { RateLimitOptions } from './rate-limit.ts';
export type { ConnectionLimits } from './connections.ts';
export { clientAddress, parseTrustedProxies } from './proxy.ts';

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { limit: 600, windowSeconds: 60 };

export interface MarketplaceOptions {
  /** SQLite: the data dir (database and release files). Ignored with `databaseUrl`. */
  dataDir: string;
  /** PostgreSQL (postgres://…): the database several instances share. */
  databaseUrl?: string;
  /** PostgreSQL: a directory every instance shares for release files (default: in the database). */
  filesDir?: string;
  /** The access log's lines: `text` (method, path, status, ms) or `json` (one object per line). */
  logFormat?: 'text' | 'json';
  /** A catalog (examples/catalog/catalog.json format) loaded at start; idempotent. */
  seedFile?: string;
  rateLimit?: RateLimitOptions;
  /** Base URL clients reach the server at (behind a proxy); links otherwise use the Host header. */
  publicUrl?: string;
  maxUploadBytes?: number;
  /** One line per request (method, path, status, ms); never headers or bodies. */
  log?: (line: string) => void;
  /** Trusted publishing (GitHub OIDC): issuer, JWKS URL and audience; GitHub's issuer by default. */
  oidc?: TrustedPublishingOptions;
  /** The clock token expiry is judged by (tests move it). */
  now?: () => Date;
  /** Time one search may spend in the database before it is cut off with a 503 (default 2 s). */
  searchBudgetMs?: number;
  /** A request not answered within this is cut off with a 503 (default 60 s). */
  requestTimeoutMs?: number;
  /**
   * Addresses and CIDR ranges of the reverse proxies whose X-Forwarded-For is believed (server/proxy.ts);
   * default none: the socket's address is the client.
   */
  trustProxy?: string | readonly string[];
  /** Connection cap and the time a socket may take to send its first request head (server/connections.ts). */
  connections?: ConnectionLimits;
  /**
   * Finished answers of read endpoints kept until the next write (server/response-cache.ts);
   * bounds in entries and bytes, or false for none.
   */
  responseCache?: ResponseCacheOptions | false;
  /** How often counted downloads are written (ms, default 1000; server/downloads.ts). */
  downloadFlushMs?: number;
  /** Mirror an upstream package index's matching projects (server/upstream.ts). */
  upstream?: UpstreamOptions;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface Marketplace {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  createToken(owner: string, opts?: { admin?: boolean }): Promise<string>;
  /** The server's store (tests and admin tooling in the same process). */
  store: Store;
  /** Every route the server answers (for the OpenAPI check and docs). */
  routes: Route[];
  /** The upstream mirror, when `upstream` was given (its first sync starts with the server). */
  upstream: UpstreamMirror | null;
}

/** `readmes` renders README Markdown for the web pages (a worker thread; close it with the server). */
export function buildRouter(maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES, readmes = new ReadmeRenderer()): Router {
  const router = new Router();
  registerPluginRoutes(router);
  registerPublishRoutes(router, { maxUploadBytes });
  registerCompatRoutes(router);
  registerAdvisoryRoutes(router);
  registerSimpleRoutes(router);
  registerOidcRoutes(router);
  registerWebRoutes(router, readmes);
  return router;
}

export async function createMarketplace(opts: MarketplaceOptions): Promise<Marketplace> {
  // Checked before the data dir is opened: a bad setting touches nothing.
  const trustProxy = parseTrustedProxies(opts.trustProxy);
  const store = await openServerStore(opts);
  let upstream: UpstreamMirror | null = null;
  try {
    if (opts.seedFile) await seedStore(store, readCatalog(opts.seedFile));
    if (opts.upstream) upstream = new UpstreamMirror(store, opts.upstream, (line) => opts.log?.(line));
  } catch (err) {
    await store.close();
    throw err;
  }
  const rateLimit = opts.rateLimit ?? DEFAULT_RATE_LIMIT;
  // With PostgreSQL several instances may serve: the windows are counted in the database they share.
  const limiter: Limiter = store.dialect === 'postgres' ? new SharedRateLimiter(rateLimit, store.db) : new RateLimiter(rateLimit);
  const readmes = new ReadmeRenderer();
  const router = buildRouter(opts.maxUploadBytes, readmes);
  const downloads = new DownloadCounter((batch) => store.recordDownloads(batch, addDays(dayOf(new Date()), -RETENTION_DAYS)), {
    ...(opts.downloadFlushMs !== undefined ? { flushMs: opts.downloadFlushMs } : {}),
    onError: (err) =>
      opts.log?.(`error writing download counts (kept for the next attempt): ${err instanceof Error ? err.message : String(err)}`),
  });
  const publicUrl = opts.publicUrl?.replace(/\/+$/, '');
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const cache = opts.responseCache === false ? null : new ResponseCache(opts.responseCache ?? {});
  const metrics = new Metrics();
  let listenUrl = 'http://127.0.0.1';
  const trusted = new TrustedPublishing(store, opts.oidc ?? {}, opts.now ?? (() => new Date()), publicUrl ?? listenUrl);

  const connections = opts.connections ?? {};
  const server = http.createServer({ connectionsCheckingInterval: checkingIntervalFor(connections) }, (req, res) => {
    const started = performance.now();
    if (answerHit(req, res, started)) return;
    const seen: Seen = { route: 'unmatched' };
    handle(req, res, seen)
      .catch((err: unknown) => {
        // Headers may be gone already (a failed file stream); then the socket is all that is left.
        if (!res.headersSent) sendJson(res, 500, errorBody('internal', 'internal server error'), {});
        else res.destroy();
        opts.log?.(`error ${req.method} ${safePath(req)}: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        const ms = performance.now() - started;
        metrics.request(req.method ?? 'GET', seen.route, res.statusCode, ms / 1000);
        if (opts.log) opts.log(accessLine(opts.logFormat ?? 'text', req, res.statusCode, ms, seen.route));
      });
  });
  // Node's own cut-off for receiving a request (slow uploads) is tied to ours, not its 5 minutes.
  applyConnectionLimits(server, connections, requestTimeoutMs + 5000);

  // The cache-hit path needs a limiter that decides at once (this process's windows).
  const localLimiter = limiter instanceof RateLimiter ? limiter : null;

  /**
   * A cached answer sent without a promise: the steps `handle` and `send` take for a cache hit
   * (rate limit and its headers, ETag / 304, HEAD, metrics, the log line), in the same order, for a
   * GET or HEAD without a token whose target is plain (router.ts plainTarget) and whose answer is
   * cached at a generation the store can tell at once (store.generationSync). Whatever else (a
   * miss, a token, a download count not yet written for an answer that shows counts, a
   * PostgreSQL-shared rate limit, an odd target) returns false before anything was taken or
   * written, and `handle` does all the work as before.
   */
  function answerHit(req: IncomingMessage, res: ServerResponse, started: number): boolean {
    let found: ReturnType<typeof findHit>;
    try {
      found = findHit(req);
    } catch {
      // Nothing was taken or written yet: `handle` meets the same error and answers it.
      return false;
    }
    if (!found) return false;
    const { hit, wire, route, limiter: local } = found;
    const method = req.method!;
    let seen = 'unmatched';
    try {
      const decision = local.take(`addr:${clientAddress(req, trustProxy)}`);
      const limits = decision.headers;
      if (!decision.allowed) {
        closeUnreadRequest(req, res);
        metrics.rateLimited++;
        sendJson(res, 429, rateLimitedBody(local, limits), { ...limits });
      } else {
        seen = route;
        metrics.cacheHits++;
        const notModified = ifNoneMatch(req.headers['if-none-match'], hit.etag);
        const lines = (notModified ? wire.notModified : wire.ok).slice();
        lines[WIRE_LIMITS[0]] = limits['X-RateLimit-Limit']!;
        lines[WIRE_LIMITS[1]] = limits['X-RateLimit-Remaining']!;
        lines[WIRE_LIMITS[2]] = limits['X-RateLimit-Reset']!;
        if (notModified) {
          res.writeHead(304, lines);
          res.end();
        } else {
          res.writeHead(200, lines);
          res.end(method === 'HEAD' ? undefined : (hit.text ?? hit.body));
        }
      }
    } catch (err) {
      // As the request listener's catch does for `handle`.
      if (!res.headersSent) sendJson(res, 500, errorBody('internal', 'internal server error'), {});
      else res.destroy();
      opts.log?.(`error ${method} ${safePath(req)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const ms = performance.now() - started;
    metrics.request(method, seen, res.statusCode, ms / 1000);
    if (opts.log) opts.log(accessLine(opts.logFormat ?? 'text', req, res.statusCode, ms, seen));
    return true;
  }

  /** The cached answer answerHit may send for this request, or null (see there); takes and writes nothing. */
  function findHit(req: IncomingMessage): { hit: CachedAnswer; wire: WireHeads; route: string; limiter: RateLimiter } | null {
    if (!localLimiter || req.headers.authorization !== undefined) return null;
    const ahead = cachedRouteAhead(req);
    if (!ahead) return null;
    const generation = store.generationSync(ahead.scope);
    if (generation === undefined) return null;
    const hit = cache!.get(cacheKey(req, ahead.policy, baseUrlFor(req), ahead.target), generation);
    if (!hit || hit.status !== 200) return null;
    const wire = (hit.wire ??= wireHeads(hit));
    return wire.plain ? { hit, wire, route: ahead.route.path, limiter: localLimiter } : null;
  }

  /**
   * What answerHit and earlyGeneration may look at before `handle` runs: a GET or HEAD with a plain
   * target (router.ts plainTarget) whose route's answers are cached, and the generation scope they
   * are kept under; null for anything else, and while this server holds download counts not yet
   * written that the answer would show (`handle` writes them first).
   */
  function cachedRouteAhead(
    req: IncomingMessage,
  ): { target: { pathname: string; search: string }; route: Route; policy: CachePolicy; scope: 'all' | 'content' } | null {
    const method = req.method;
    if (!cache || (method !== 'GET' && method !== 'HEAD')) return null;
    const target = plainTarget(req.url ?? '');
    if (!target || OPS_PATHS.has(target.pathname)) return null;
    const route = router.routeFor(method, target.pathname);
    const policy = route?.cache;
    if (!route || !policy) return null;
    const scope = scopeOf(policy);
    if (scope === 'all' && downloads.unsettled) return null;
    return { target, route, policy, scope };
  }

  /**
   * With a rate limit kept in the database (PostgreSQL), the generation a cacheable GET will be
   * checked against is asked for as the request arrives, beside the rate limit's write instead of
   * after it: one round trip less per cached answer. Still read after the request arrived, which is
   * all the generation's guarantee needs (sqlite.ts generationSync); not when this server holds
   * download counts the answer would show (handle flushes them first, then reads).
   */
  function earlyGeneration(req: IncomingMessage): EarlyGeneration | undefined {
    const ahead = localLimiter ? null : cachedRouteAhead(req);
    if (!ahead) return undefined;
    const value = store.generation(ahead.scope);
    value.catch(() => undefined); // a request refused before its lookup never awaits it
    return { scope: ahead.scope, value };
  }

  // The last Host header seen and the base it gave (clients of one server send one or a few).
  let lastHost: string | undefined;
  let lastBase = '';
  function baseUrlFor(req: IncomingMessage): string {
    if (publicUrl) return publicUrl;
    const host = req.headers.host;
    if (host !== undefined && host === lastHost) return lastBase;
    // A host that fails the check is not remembered: it falls back to listenUrl, which listen() sets.
    if (!host || !/^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host)) return listenUrl;
    lastHost = host;
    lastBase = `http://${host}`;
    return lastBase;
  }

  /** The request's steps: operations endpoints, rate limit, route, cache, run, send. */
  async function handle(req: IncomingMessage, res: ServerResponse, seen: Seen): Promise<void> {
    let early = earlyGeneration(req);
    if (await answerOps(req, res, seen)) return;
    let limited: Limited;
    try {
      limited = await takeRateLimit(req);
    } catch (err) {
      // The token lookup and a shared rate limit need the store: without it, a 503 to retry.
      if (!isStoreUnavailable(err)) throw err;
      closeUnreadRequest(req, res);
      return sendJson(res, 503, errorBody('unavailable', 'the marketplace database is not reachable; retry shortly'), {
        'Retry-After': '5',
      });
    }
    const headers = limited.headers;
    if (!limited.allowed) {
      closeUnreadRequest(req, res);
      metrics.rateLimited++;
      return sendJson(res, 429, rateLimitedBody(limiter, headers), headers);
    }
    let reply: Reply;
    try {
      const routed = route(req, seen);
      if ('redirect' in routed) return send(req, res, routed.redirect, headers);
      const { url, method, match } = routed;
      const baseUrl = baseUrlFor(req);
      // Asked only after the rate limit was taken; cached routes need no auth (router.ts CachePolicy).
      const policy = cache && (method === 'GET' || method === 'HEAD') ? match.route.cache : undefined;
      // Counts this server holds in memory go in before an answer that shows counts is looked up
      // or built, so its own answers are never behind its downloads.
      if (downloads.unsettled && match.route.cache && scopeOf(match.route.cache) === 'all' && (method === 'GET' || method === 'HEAD')) {
        await downloads.flush();
        early = undefined;
      }
      const cached = policy ? await cacheLookup(req, url, baseUrl, policy, early) : null;
      if (cached?.hit) {
        metrics.cacheHits++;
        reply = replyOf(cached.hit);
      } else {
        if (cached) metrics.cacheMisses++;
        reply = await run(req, url, match, baseUrl, limited);
        if (cached) reply = await cacheStore(reply, cached);
      }
    } catch (err) {
      // Refused before its body was read (401, 413, ...): answered, then the connection closes.
      closeUnreadRequest(req, res);
      // A cut-off request may still be sending: once the 503 is out, the connection goes, which
      // also ends the handler's read of the body (its temporary files are removed).
      if (err instanceof HttpError && err.code === 'timeout') res.once('finish', () => req.destroy());
      if (err instanceof HttpError) return sendJson(res, err.status, errorBody(err.code, err.message), { ...headers, ...err.headers });
      // Unexpected: the client learns nothing internal; the log gets the message (never a body or token).
      opts.log?.(`error ${req.method} ${safePath(req)}: ${err instanceof Error ? err.message : String(err)}`);
      if (isStoreUnavailable(err))
        return sendJson(res, 503, errorBody('unavailable', 'the marketplace database is not reachable; retry shortly'), {
          ...headers,
          'Retry-After': '5',
        });
      return sendJson(res, 500, errorBody('internal', 'internal server error'), headers);
    }
    if (reply.status === 201 && seen.route === PUBLISH_ROUTE) metrics.publishes++;
    if (reply.onDelivered) {
      const inner = reply.onDelivered;
      reply = {
        ...reply,
        onDelivered: async () => {
          await inner();
          metrics.downloads++;
        },
      };
    }
    try {
      await send(req, res, reply, headers);
    } catch (err) {
      if (!(err instanceof HttpError) || res.headersSent) throw err;
      opts.log?.(`error ${req.method} ${safePath(req)}: ${err.message}`);
      sendJson(res, err.status, errorBody(err.code, err.message), { ...headers, ...err.headers });
    }
  }

  /** GET /healthz, /readyz, /metrics: for load balancers and monitoring, never rate limited. */
  async function answerOps(req: IncomingMessage, res: ServerResponse, seen: Seen): Promise<boolean> {
    const pathname = safePath(req);
    if (!OPS_PATHS.has(pathname)) return false;
    seen.route = pathname;
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, errorBody('method_not_allowed', `${req.method} is not allowed here; use GET`), { Allow: 'GET' });
      return true;
    }
    const noStore = { 'Cache-Control': 'no-store' };
    if (pathname === '/healthz') sendJson(res, 200, { status: 'ok' }, noStore);
    else if (pathname === '/readyz') {
      const problem = await readiness(store, READY_TIMEOUT_MS);
      sendJson(
        res,
        problem ? 503 : 200,
        problem ? { status: 'unavailable', error: problem } : { status: 'ready', store: store.dialect },
        noStore,
      );
    } else {
      const body = metrics.render();
      res.writeHead(200, {
        ...noStore,
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
    return true;
  }

  async function takeRateLimit(req: IncomingMessage): Promise<Limited> {
    const token = bearerToken(req.headers.authorization);
    // Only a token the store knows earns its own bucket: keying on any Bearer text would give every
    // made-up token a fresh window, so junk tokens count against the client address instead.
    const tokenOwner = token ? await store.tokenOwner(token) : null;
    const decision = await limiter.take(tokenOwner ? `token:${tokenOwner.id}` : `addr:${clientAddress(req, trustProxy)}`);
    return { allowed: decision.allowed, headers: { ...decision.headers }, token, tokenOwner };
  }

  function route(
    req: IncomingMessage,
    seen: Seen,
  ): { redirect: Reply } | { url: URL; method: string; match: { route: Route; params: Record<string, string> } } {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new HttpError(400, 'invalid_path', 'malformed request URL');
    }
    const method = req.method ?? 'GET';
    const match = router.match(method, url.pathname);
    if (match === null && !url.pathname.endsWith('/') && (method === 'GET' || method === 'HEAD')) {
      const withSlash = router.match(method, `${url.pathname}/`);
      if (withSlash && 'route' in withSlash)
        return { redirect: { status: 301, headers: { Location: `${url.pathname}/${url.search}` }, body: '' } };
    }
    if (match === null) throw new HttpError(404, 'not_found', `no such endpoint: ${method} ${url.pathname}`);
    if ('allow' in match) {
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here; use ${match.allow.join(', ')}`, {
        Allow: match.allow.join(', '),
      });
    }
    seen.route = match.route.path;
    return { url, method, match };
  }

  async function cacheLookup(
    req: IncomingMessage,
    url: URL,
    baseUrl: string,
    policy: CachePolicy,
    early: EarlyGeneration | undefined,
  ): Promise<CacheSlot> {
    const key = cacheKey(req, policy, baseUrl, url);
    const scope = scopeOf(policy);
    const generation = await (early?.scope === scope ? early.value : store.generation(scope));
    return { key, scope, generation, hit: cache!.get(key, generation) };
  }

  /** Kept only if nothing was written while it was built (the generation is unchanged). */
  async function cacheStore(reply: Reply, slot: CacheSlot): Promise<Reply> {
    if (reply.status !== 200 || reply.file || reply.onDelivered || (await store.generation(slot.scope)) !== slot.generation) return reply;
    const answer = serialized(reply);
    cache!.set(slot.key, slot.generation, answer);
    return replyOf(answer);
  }

  async function run(
    req: IncomingMessage,
    url: URL,
    match: { route: Route; params: Record<string, string> },
    baseUrl: string,
    limited: Limited,
  ): Promise<Reply> {
    const { token, tokenOwner } = limited;
    const deadline = new AbortController();
    const ctx: RequestContext = {
      req,
      signal: deadline.signal,
      url,
      params: match.params,
      baseUrl,
      store,
      trusted,
      countDownload: (releaseId) => downloads.count(releaseId),
      async requirePublisher(pkg) {
        if (token && !tokenOwner && trusted.isSessionToken(token)) return trusted.identity(token, pkg);
        const owner = ctx.requireOwner(pkg).owner;
        return { owner, provenance: { kind: 'token', owner } };
      },
      requireOwner(pkg?: string) {
        if (!token) {
          throw new HttpError(401, 'unauthorized', 'a Bearer token is required (Authorization: Bearer <token>)', {
            'WWW-Authenticate': 'Bearer',
          });
        }
        const owner = tokenOwner;
        if (!owner && trusted.isSessionToken(token)) {
          throw new HttpError(
            403,
            'forbidden',
            'a trusted-publishing token can only publish releases (POST /api/v1/plugins/{name}/versions); use an API token of the owner',
          );
        }
        if (!owner)
          throw new HttpError(401, 'unauthorized', 'the Bearer token is not valid', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
        if (owner.expiresAt !== null && owner.expiresAt <= new Date().toISOString()) {
          throw new HttpError(401, 'unauthorized', `the Bearer token expired at ${owner.expiresAt}`, {
            'WWW-Authenticate': 'Bearer error="invalid_token"',
          });
        }
        if (pkg !== undefined && owner.plugins !== null && !owner.plugins.includes(pkg)) {
          throw new HttpError(403, 'forbidden', `this token may act only on ${owner.plugins.join(', ')}, not ${pkg}`);
        }
        return owner;
      },
      body: (limit) => readBody(req, limit),
    };
    return withDeadline(match.route.handler(ctx), requestTimeoutMs, deadline);
  }

  upstream?.start();
  return {
    routes: router.routes,
    store,
    upstream,
    createToken: (owner, tokenOpts) => store.createToken(owner, tokenOpts),
    listen(port = 8080, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          listenUrl = `http://${h}:${addr.port}`;
          if (!publicUrl) trusted.setFallbackAudience(listenUrl);
          resolve(listenUrl);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await readmes.close();
      await upstream?.close();
      // What was counted and not yet written goes in before the store closes.
      await downloads.close();
      await store.close();
    },
  };
}

const PUBLISH_ROUTE = '/api/v1/plugins/{name}/versions';
/** Answered by answerOps ahead of the rate limit and the router. */
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const READY_TIMEOUT_MS = 2000;

/** What a request's steps learned along the way (for metrics and the access log). */
interface Seen {
  route: string;
}

interface Limited {
  allowed: boolean;
  headers: Record<string, string>;
  token: string | null;
  tokenOwner: TokenOwner | null;
}

interface EarlyGeneration {
  scope: 'all' | 'content';
  value: Promise<string>;
}

interface CacheSlot {
  key: string;
  scope: 'all' | 'content';
  generation: string;
  hit: CachedAnswer | undefined;
}

/** null when the store answers within `ms`; else why not (one line, no secrets). */
async function readiness(store: Store, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.db.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return null;
  } catch (err) {
    return `store: ${err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** A database that cannot be reached (PostgreSQL down or restarting): 503, not 500. */
function isStoreUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect/.test(message)
  );
}

function accessLine(format: 'text' | 'json', req: IncomingMessage, status: number, ms: number, route: string): string {
  if (format === 'text') return `${req.method} ${safePath(req)} ${status} ${Math.round(ms)}ms`;
  return JSON.stringify({
    time: new Date().toISOString(),
    method: req.method,
    path: safePath(req),
    route,
    status,
    ms: Math.round(ms * 10) / 10,
  });
}

/**
 * The store, or an error that says in one line why it cannot be used (a file in the way, no
 * permission, a database that is not SQLite, PostgreSQL unreachable, a newer schema) instead of a
 * stack or a hang.
 */
async function openServerStore(opts: MarketplaceOptions): Promise<Store> {
  const where = opts.databaseUrl ? `database ${redactUrl(opts.databaseUrl)}` : `data dir ${opts.dataDir}`;
  let store: Store;
  try {
    store = await openStore({
      ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { dataDir: opts.dataDir }),
      ...(opts.filesDir ? { filesDir: opts.filesDir } : {}),
      ...(opts.searchBudgetMs !== undefined ? { searchBudgetMs: opts.searchBudgetMs } : {}),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(
      `cannot use ${where}: ${e.code && !e.code.startsWith('ERR_') && /^[A-Z]/.test(e.code) ? `${e.code} ${e.message.replace(/^[A-Z]+: /, '')}` : e.message}`,
    );
  }
  // A files directory other instances share may hold their publishes in flight: only old leftovers go.
  await store.removeLeftovers(opts.databaseUrl ? 24 * 3600_000 : 0);
  return store;
}

/** A database URL without its password (for messages and logs). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** The handler's reply, or a 503 once `ms` passed (the handler learns it through `signal`). */
async function withDeadline(pending: Reply | Promise<Reply>, ms: number, controller: AbortController): Promise<Reply> {
  if (!(pending instanceof Promise)) return pending;
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new HttpError(503, 'timeout', `the request was not answered within ${Math.round(ms / 1000)} s and was cut off`, {
          'Retry-After': '5',
          Connection: 'close',
        }),
      );
    }, ms);
  });
  pending.catch(() => undefined); // after a cut-off nobody waits for it
  try {
    return await Promise.race([pending, cutOff]);
  } finally {
    clearTimeout(timer);
  }
}

function safePath(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0]!.slice(0, 200);
}

function replyOf(a: CachedAnswer): Reply {
  return { status: a.status, headers: a.headers, body: a.text ?? a.body, contentType: a.contentType, etag: a.etag };
}

/** A JSON or text reply as the bytes and ETag `send` would produce for it. */
function serialized(reply: Reply): CachedAnswer {
  const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
  const body = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  return {
    status: reply.status,
    headers: reply.headers ?? {},
    contentType: reply.json !== undefined ? 'application/json' : (reply.contentType ?? 'text/plain; charset=utf-8'),
    body,
    ...(typeof text === 'string' && text.length <= SMALL_TEXT ? { text } : {}),
    etag: etagOf(body),
  };
}

/** The generation a route's cached answers are kept under: counts too, unless they show none. */
function scopeOf(policy: CachePolicy): 'all' | 'content' {
  return policy.showsCounts === false ? 'content' : 'all';
}

/** What a cached answer depends on (router.ts CachePolicy): the variant, the link base, the path and query. */
function cacheKey(req: IncomingMessage, policy: CachePolicy, baseUrl: string, url: { pathname: string; search: string }): string {
  return `${policy.vary?.(req) ?? ''}\n${baseUrl}\n${url.pathname}${url.search}`;
}

function rateLimitedBody(limiter: Limiter, headers: Record<string, string>): unknown {
  const { limit, windowSeconds } = limiter.opts;
  return errorBody(
    'rate_limited',
    `rate limit of ${limit} requests per ${windowSeconds}s exceeded; retry after ${headers['Retry-After']}s`,
  );
}

function sendJson(res: ServerResponse, status: number, json: unknown, headers: Record<string, string>): void {
  const body = JSON.stringify(json);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function send(req: IncomingMessage, res: ServerResponse, reply: Reply, base: Record<string, string>): Promise<void> {
  const headers: Record<string, string> = { ...base, ...reply.headers };
  const isGet = req.method === 'GET' || req.method === 'HEAD';
  const head = req.method === 'HEAD';
  // After the 304 checks below: only a full GET answer counts as delivered.
  const delivered = async () => {
    if (req.method === 'GET' && reply.status === 200) await reply.onDelivered?.();
  };
  if (reply.file) {
    const etag = `"${reply.file.sha256}"`;
    headers['ETag'] = etag;
    if (isGet && ifNoneMatch(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    if (reply.file.load) {
      // Bytes in the database: read before any header goes out, like a file opened from disk.
      let data: Uint8Array;
      try {
        data = await reply.file.load();
      } catch (err) {
        throw new HttpError(
          500,
          'file_missing',
          `the stored file is missing on the server (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); tell the marketplace's operator`,
        );
      }
      if (data.length !== reply.file.size) {
        throw new HttpError(
          500,
          'file_corrupt',
          `the stored file has ${data.length} bytes, the database says ${reply.file.size}; tell the marketplace's operator`,
        );
      }
      await delivered();
      res.writeHead(reply.status, {
        ...headers,
        'Content-Type': reply.contentType ?? 'application/octet-stream',
        'Content-Length': data.length,
      });
      return void res.end(head ? undefined : data);
    }
    // Opened before any header goes out: a file the database knows but the disk lost is a clear
    // error status, not a 200 with an empty or cut-off body.
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(reply.file.path!, 'r');
    } catch (err) {
      throw new HttpError(
        500,
        'file_missing',
        `the stored file is missing on the server (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); tell the marketplace's operator`,
      );
    }
    try {
      const size = (await handle.stat()).size;
      if (size !== reply.file.size) {
        throw new HttpError(
          500,
          'file_corrupt',
          `the stored file has ${size} bytes on disk, the database says ${reply.file.size}; tell the marketplace's operator`,
        );
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    res.writeHead(reply.status, {
      ...headers,
      'Content-Type': reply.contentType ?? 'application/octet-stream',
      'Content-Length': reply.file.size,
    });
    if (head) {
      await handle.close();
      return void res.end();
    }
    await pipeline(handle.createReadStream(), res);
    // A file counts as delivered once all of it went out (a transfer the client cut off does not).
    await delivered();
    return;
  }
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
  const contentType = reply.json !== undefined ? 'application/json' : (reply.contentType ?? 'text/plain; charset=utf-8');
  if (isGet && reply.status === 200) {
    const etag = reply.etag ?? etagOf(body);
    headers['ETag'] = etag;
    headers['Cache-Control'] ??= 'no-cache';
    if (ifNoneMatch(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
  }
  await delivered();
  res.writeHead(reply.status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}
