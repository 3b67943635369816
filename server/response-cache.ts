/**
 * Finished answers of read endpoints (body bytes and ETag), so a repeated search, plugin GET,
 * batch or simple page costs a map lookup instead of SQL, view building, JSON and a sha256.
 *
 * Correctness rests on the store's generation (server/store.ts `generation()`): any commit, by
 * this process or another connection, changes it, and an answer is served only at the generation
 * it was built at (stale ones are dropped when met, or pushed out by the bounds). Only what the handler would have sent is kept, keyed by everything the answer depends
 * on (path and query, link base, the Accept variant); rate limiting and auth run before the cache
 * is asked, and ETag / If-None-Match are judged per request from the stored ETag, as before.
 * Bounded in entries and bytes (least recently used go first: the one LruMap, src/core/lru.ts);
 * big answers are not kept.
 */
import { LruMap } from '../src/core/lru.ts';

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: Buffer;
  /**
   * The same body as a string when it is small (SMALL_TEXT): node:http sends a string body in one
   * write with the head, a Buffer in a second one (writev), which cost a small answer ~35 % more
   * CPU than the bytes themselves under load (bench/server-load.ts, the same-size baseline).
   */
  text?: string;
  etag: string;
  /** The answer's own header lines for the cache-hit path (wireHeads), worked out once. */
  wire?: WireHeads;
}

/**
 * The header lines `send` would write, as flat [name, value, ...] arrays for res.writeHead: the
 * three rate-limit headers (values left empty: WIRE_LIMITS, filled per request in a copy), the
 * answer's headers, ETag, Cache-Control (no-cache unless it has its own), then for a 200
 * Content-Type and Content-Length. `plain` is false when one of the answer's
 * headers would replace a rate-limit header or come twice in another case (the hit path then
 * leaves the request to `send`).
 */
export interface WireHeads {
  ok: string[];
  notModified: string[];
  plain: boolean;
}

/** The indexes of X-RateLimit-Limit, -Remaining and -Reset's values in WireHeads' arrays. */
export const WIRE_LIMITS = [1, 3, 5] as const;
const LIMIT_LINES = ['X-RateLimit-Limit', '', 'X-RateLimit-Remaining', '', 'X-RateLimit-Reset', ''];

const RESERVED = new Set(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']);

export function wireHeads(a: Omit<CachedAnswer, 'wire'>): WireHeads {
  const headers: Record<string, string> = { ...a.headers };
  headers['ETag'] = a.etag;
  headers['Cache-Control'] ??= 'no-cache';
  const notModified = LIMIT_LINES.concat(Object.entries(headers).flat());
  const ok = LIMIT_LINES.concat(
    Object.entries({ ...headers, 'Content-Type': a.contentType, 'Content-Length': String(a.body.length) }).flat(),
  );
  const names = Object.keys(headers).map((k) => k.toLowerCase());
  const plain =
    new Set(names).size === names.length && !names.some((n) => RESERVED.has(n) || n === 'content-type' || n === 'content-length');
  return { ok, notModified, plain };
}

/** Bodies up to this many characters are kept as text too (see CachedAnswer.text). */
export const SMALL_TEXT = 16 * 1024;

export interface ResponseCacheOptions {
  /** Answers kept at most (default 4,096). */
  maxEntries?: number;
  /** Bytes of bodies and keys kept at most (default 64 MB). */
  maxBytes?: number;
  /** A bigger answer is served but not kept (default 2 MB). */
  maxEntryBytes?: number;
}

export const DEFAULT_RESPONSE_CACHE: Required<ResponseCacheOptions> = {
  maxEntries: 4096,
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 2 * 1024 * 1024,
};

interface Entry {
  answer: CachedAnswer;
  generation: string;
}

export class ResponseCache {
  readonly opts: Required<ResponseCacheOptions>;
  readonly #entries: LruMap<string, Entry>;

  constructor(opts: ResponseCacheOptions = {}) {
    this.opts = { ...DEFAULT_RESPONSE_CACHE, ...opts };
    this.#entries = new LruMap(this.opts.maxEntries, this.opts.maxBytes);
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#entries.cost;
  }

  /** The answer stored for `key` at this generation, if any (one from another generation is dropped). */
  get(key: string, generation: string): CachedAnswer | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.generation !== generation) {
      this.#entries.delete(key);
      return undefined;
    }
    return hit.answer;
  }

  /** Keeps `answer`, built at `generation` (read before the handler ran). */
  set(key: string, generation: string, answer: CachedAnswer): void {
    const size = cost(key, answer);
    if (size > this.opts.maxEntryBytes) {
      this.#entries.delete(key);
      return;
    }
    this.#entries.set(key, { answer, generation }, size);
  }

  clear(): void {
    this.#entries.clear();
  }
}

function cost(key: string, a: CachedAnswer): number {
  return a.body.length + (a.text?.length ?? 0) * 2 + key.length * 2 + 256;
}
