/**
 * The on-disk metadata cache: one JSON file per URL and token scope (named by their sha256)
 * holding the body, its ETag and when it was fetched. A private marketplace may answer each token
 * differently, so entries are kept apart per token: the scope is a one-way fingerprint of the
 * token (never the token), and requests without a token share the scope `anonymous`. Several
 * processes may share one directory: every write goes to a private temp file that is renamed into
 * place (atomic on POSIX), so a reader sees the old entry or the new one, never half of either.
 * An entry that does not parse is deleted and counts as a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// 2: entries carry the token scope; v1 entries (keyed by URL alone) are left unread.
const FORMAT = 2;

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

export interface MetadataCacheOptions {
  /** The Bearer token the client sends; only its `tokenScope` is kept. */
  token?: string | undefined;
  debug?: ((message: string) => void) | undefined;
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

/** A map that forgets its least recently used entries beyond `max`. */
export class LruMap<K, V> {
  readonly max: number;
  readonly #map = new Map<K, V>();
  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('an LRU map needs room for at least one entry');
    this.max = max;
  }
  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.max) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
    }
  }
  delete(key: K): void {
    this.#map.delete(key);
  }
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

export class MetadataCache implements MetadataStore {
  readonly dir: string;
  readonly scope: string;
  readonly #debug: ((message: string) => void) | undefined;

  constructor(cacheDir: string, opts: MetadataCacheOptions = {}) {
    this.dir = path.join(cacheDir, `metadata-v${FORMAT}`);
    this.scope = tokenScope(opts.token);
    this.#debug = opts.debug;
  }

  fileFor(url: string): string {
    return path.join(this.dir, `${createHash('sha256').update(`${this.scope}\n${cacheUrl(url)}`).digest('hex')}.json`);
  }

  async get(url: string): Promise<CacheEntry | undefined> {
    const file = this.fileFor(url);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    let entry: CacheEntry | undefined;
    try {
      const parsed = CacheEntry.safeParse(JSON.parse(text));
      // A hash collision or a hand-edited file: treat another URL or scope as corrupt too.
      if (parsed.success && parsed.data.url === cacheUrl(url) && parsed.data.scope === this.scope) entry = parsed.data;
    } catch {
      entry = undefined;
    }
    if (!entry) {
      this.#debug?.(`cache: dropping corrupt entry ${path.basename(file)}`);
      await this.delete(url);
    }
    return entry;
  }

  async put(url: string, entry: Omit<CacheEntry, 'format' | 'url' | 'scope'>): Promise<void> {
    const file = this.fileFor(url);
    const full: CacheEntry = { format: FORMAT, url: cacheUrl(url), scope: this.scope, ...entry };
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, JSON.stringify(full), { encoding: 'utf8', mode: 0o600 });
      await renameWithRetry(tmp, file);
    } catch (err) {
      // A cache that cannot be written must not fail the command; it only costs a refetch.
      this.#debug?.(`cache: could not write ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      await rm(tmp, { force: true }).catch(() => {});
    }
  }

  async delete(url: string): Promise<void> {
    await rm(this.fileFor(url), { force: true }).catch(() => {});
  }
}

/** Windows refuses to rename over a file another process has open; that passes quickly. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}
