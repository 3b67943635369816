/**
 * What each plugin source (the marketplace client, the index client) builds from its options: one
 * transport, one answer cache, one limiter and the memory of URLs asked, with every message scrubbed
 * of the source's secret before it reaches a log. One place, so the two sources cannot drift in how
 * they retry, cache or count.
 */
import { LruMap } from '../lru.ts';
import { MemoryMetadataCache, type MetadataStore } from './cache.ts';
import type { CacheEntry } from './cache.ts';
import type { Served } from './cached-get.ts';
import type { ClientOptions } from './client.ts';
import { MetadataCache } from './disk-cache.ts';
import { HttpTransport, type HttpResponse } from './http.ts';
import { Limiter } from './limiter.ts';

export const DEFAULT_REMEMBERED = 1000;
export const DEFAULT_TTL_MS = 10 * 60_000;

export interface SourceIo {
  http: HttpTransport;
  cache: MetadataStore;
  limiter: Limiter;
  /**
   * GETs in flight or answered, by URL: within one command run every URL costs at most one
   * successful lookup. Bounded, so a long-running process does not keep every URL it ever asked
   * for: the least recently used are forgotten (and asked again, through the cache, if needed).
   */
  inflight: LruMap<string, Promise<unknown>>;
  ttlMs: number;
  warn: (message: string) => void;
  debug: (message: string) => void;
}

export interface SourceIoSettings {
  /** Removes the source's secret (a token, a user:password@) from a message. */
  scrub: (message: string) => string;
  /** Sent as the Authorization bearer, to the source's own origin only. */
  token?: string | undefined;
  /** Keeps the cached answers of one credential apart from another's. */
  cacheKey?: string | undefined;
  cacheDir?: string | undefined;
  concurrency: number;
}

export function sourceIo(opts: ClientOptions, how: SourceIoSettings): SourceIo {
  const warn = (m: string) => opts.warn?.(how.scrub(m));
  const debug = (m: string) => opts.debug?.(how.scrub(m));
  const debugIfAsked = opts.debug ? debug : undefined;
  return {
    http: new HttpTransport({
      timeoutMs: opts.timeoutMs,
      retries: opts.retries,
      backoffMs: opts.backoffMs,
      maxWaitMs: opts.maxWaitMs,
      ...(how.token === undefined ? {} : { token: how.token }),
      debug: debugIfAsked,
    }),
    cache:
      opts.cache ??
      (how.cacheDir !== undefined
        ? new MetadataCache(how.cacheDir, { token: how.cacheKey, debug: debugIfAsked, warn })
        : new MemoryMetadataCache({ token: how.cacheKey })),
    limiter: new Limiter(opts.concurrency ?? how.concurrency),
    inflight: new LruMap(opts.remember ?? DEFAULT_REMEMBERED),
    ttlMs: opts.ttlMs ?? DEFAULT_TTL_MS,
    warn,
    debug,
  };
}

/** What both sources keep and say the same way: their I/O, the request count, the stale-copy warning. */
export abstract class SourceClientBase {
  /** True once any result came from a stale cache copy because the source could not be asked. */
  stale = false;
  /** Requests sent over the network (retries included), for diagnostics and tests. */
  requests = 0;

  protected readonly io: SourceIo;
  /** How warnings name the source: `the marketplace`, `the package index`. */
  readonly #what: string;

  protected constructor(io: SourceIo, what: string) {
    this.io = io;
    this.#what = what;
  }

  /** One request through the source's limiter, counting its attempts. */
  protected async sendLimited(req: Parameters<HttpTransport['send']>[0]): Promise<HttpResponse> {
    return this.io.limiter.run(async () => {
      const res = await this.io.http.send(req);
      this.requests += res.attempts;
      return res;
    });
  }

  /** A cached copy standing in for an answer the source could not give; warns once per client. */
  protected staleCopy(entry: CacheEntry, why: string): Served {
    if (!this.stale) {
      this.io.warn(`${this.#what} could not be reached (${why}); showing cached data from ${staleSince(entry.fetchedAt)} (stale)`);
    }
    this.stale = true;
    return { status: entry.status, body: entry.body, source: 'cache' };
  }
}

/** When a cached copy was fetched, and how old it is: `2026-05-04T06:17:00.000Z, 3 days old`. */
export function staleSince(fetchedAt: number, now: number = Date.now()): string {
  return `${new Date(fetchedAt).toISOString()}, ${age(now - fetchedAt)} old`;
}

/** A duration in the largest whole unit, from seconds to days: `45 seconds`, `1 hour`, `3 days`. */
export function age(ms: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(Math.max(0, ms) / size);
    if (n >= 1 || unit === 'second') return `${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return '0 seconds';
}
