/**
 * The metadata cache's entries and the in-memory store (bounded, for a process without a cache
 * directory); the on-disk store is disk-cache.ts. An entry holds the body of one URL, its ETag
 * and when it was fetched. A private marketplace may answer each token differently, so entries
 * are kept apart per token: the scope is a one-way fingerprint of the token (never the token),
 * and requests without a token share the scope `anonymous`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LruMap } from '../lru.ts';

// 2: entries carry the token scope; v1 entries (keyed by URL alone) are left unread.
export const FORMAT = 2;

export const CacheEntry = z.object({
  format: z.literal(FORMAT),
  url: z.string(),
  /** `tokenScope` of the token the answer was fetched with. */
  scope: z.string(),
  /** 404 is cached too, so that offline mode can still say "not found". */
  status: z.union([z.literal(200), z.literal(404)]),
  etag: z.string().nullable(),
  /** Epoch milliseconds of the last time the server confirmed this body (200 or 304). */
  fetchedAt: z.number(),
  body: z.string(),
});
export type CacheEntry = z.infer<typeof CacheEntry>;

/** The URL without any user:password@ part, which must never reach a file name or a file. */
export function cacheUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.hash = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * Whose answers an entry holds: `anonymous` without a token, otherwise 16 hex digits of
 * sha256(sha256(token)). Hashing twice keeps the stored value from being the token's plain
 * digest, and 64 bits are plenty to keep one machine's tokens apart.
 */
export function tokenScope(token: string | undefined): string {
  if (!token) return 'anonymous';
  const inner = createHash('sha256').update(token, 'utf8').digest();
  return createHash('sha256').update(inner).digest('hex').slice(0, 16);
}

/**
 * Where the client keeps answers: on disk (MetadataCache) for the CLI and the Action, in memory
 * (MemoryMetadataCache) for a process that has no cache directory or should not share one.
 */
export interface MetadataStore {
  get(url: string): Promise<CacheEntry | undefined>;
  put(url: string, entry: Omit<CacheEntry, 'format' | 'url' | 'scope'>): Promise<void>;
  delete(url: string): Promise<void>;
}

export const DEFAULT_MEMORY_ENTRIES = 1000;

/** Answers kept in memory, at most `maxEntries` of them (least recently used go first). */
export class MemoryMetadataCache implements MetadataStore {
  readonly scope: string;
  readonly #entries: LruMap<string, CacheEntry>;
  constructor(opts: { token?: string | undefined; maxEntries?: number } = {}) {
    this.scope = tokenScope(opts.token);
    this.#entries = new LruMap(opts.maxEntries ?? DEFAULT_MEMORY_ENTRIES);
  }
  get size(): number {
    return this.#entries.size;
  }
  async get(url: string): Promise<CacheEntry | undefined> {
    return this.#entries.get(`${this.scope}\n${cacheUrl(url)}`);
  }
  async put(url: string, entry: Omit<CacheEntry, 'format' | 'url' | 'scope'>): Promise<void> {
    this.#entries.set(`${this.scope}\n${cacheUrl(url)}`, { format: FORMAT, url: cacheUrl(url), scope: this.scope, ...entry });
  }
  async delete(url: string): Promise<void> {
    this.#entries.delete(`${this.scope}\n${cacheUrl(url)}`);
  }
}
