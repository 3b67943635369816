/**
 * The on-disk metadata cache (the CLI and the Action): one JSON file per URL and token scope
 * (named by their sha256). Several processes may share one directory: every write goes to a
 * private temp file that is renamed into place (atomic on POSIX), so a reader sees the old entry
 * or the new one, never half of either. An entry that does not parse is deleted and counts as a
 * miss. See cache.ts for the entry format and the token scope.
 *
 * The directory is not trusted blindly (`FAPILOG_MARKETPLACE_CACHE=/tmp/...` on a shared runner):
 * - it is created 0700, and one that another user owns or others can write is not used at all
 *   (one warning, then every read is a miss and nothing is written);
 * - an entry is read only if it is a regular file (opened without following symlinks and without
 *   blocking, so a FIFO or /dev/zero in its place is a miss, not a hang or a heap blow-up), and
 *   at most MAX_ENTRY_BYTES of it;
 * - each entry carries a digest binding its body to its ETag, and an ETag in the reference
 *   server's form (a digest of the body) must be the body's: a planted body behind a real ETag
 *   is a miss, not the marketplace's answer after a 304.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CacheEntry, cacheUrl, FORMAT, tokenScope, type MetadataStore } from './cache.ts';

/** Larger than any metadata answer the client asks for (a full batch is a few MiB). */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

export interface MetadataCacheOptions {
  /** The Bearer token the client sends; only its `tokenScope` is kept. */
  token?: string | undefined;
  debug?: ((message: string) => void) | undefined;
  /** Told once when the directory is not safe to use (then nothing is cached). */
  warn?: ((message: string) => void) | undefined;
}

/** What is stored: the entry and the digest that binds its body to its ETag. */
const StoredEntry = CacheEntry.extend({ digest: z.string() });

/** sha256 of ETag and body together: a body edited or swapped under a kept ETag no longer matches. */
export function entryDigest(etag: string | null, body: string): string {
  return createHash('sha256')
    .update(`${etag ?? ''}\n`)
    .update(body, 'utf8')
    .digest('hex');
}

/**
 * The reference server's ETags are `"` + 27 base64url characters of the body's sha256 + `"`; one
 * of that form must be the body's. Other servers' ETags are opaque and only bound by the digest.
 */
export function etagContradictsBody(etag: string | null, body: string): boolean {
  const m = etag === null ? null : /^(?:W\/)?"([A-Za-z0-9_-]{27})"$/.exec(etag);
  return m !== null && createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27) !== m[1];
}

// O_NOFOLLOW: a symlink in an entry's place is refused by open itself. O_NONBLOCK: opening a FIFO
// returns at once instead of waiting for a writer. Neither exists on Windows (0 there).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export class MetadataCache implements MetadataStore {
  readonly dir: string;
  readonly root: string;
  readonly scope: string;
  readonly #debug: ((message: string) => void) | undefined;
  readonly #warn: ((message: string) => void) | undefined;
  #usable: Promise<boolean> | null = null;

  constructor(cacheDir: string, opts: MetadataCacheOptions = {}) {
    this.root = cacheDir;
    this.dir = path.join(cacheDir, `metadata-v${FORMAT}`);
    this.scope = tokenScope(opts.token);
    this.#debug = opts.debug;
    this.#warn = opts.warn;
  }

  fileFor(url: string): string {
    return path.join(
      this.dir,
      `${createHash('sha256')
        .update(`${this.scope}\n${cacheUrl(url)}`)
        .digest('hex')}.json`,
    );
  }

  /** Whether the directory may be used: checked (and made, 0700) once per process. */
  usable(): Promise<boolean> {
    this.#usable ??= this.#check();
    return this.#usable;
  }

  async #check(): Promise<boolean> {
    let problem: string | null;
    try {
      await mkdir(this.root, { recursive: true, mode: 0o700 });
      // Nothing is made inside a directory that is not safe.
      problem = await unsafeDir(this.root, stat);
      if (!problem) {
        await mkdir(this.dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
        problem = await unsafeDir(this.dir, lstat);
      }
    } catch (err) {
      // A cache that cannot be made must not fail the command; it only costs refetches.
      this.#debug?.(`cache: cannot create ${this.dir}: ${err instanceof Error ? err.message : String(err)}; running uncached`);
      return false;
    }
    if (problem) {
      this.#warn?.(`not using the metadata cache: ${problem}; running uncached (use a directory only you can write, e.g. the default)`);
      return false;
    }
    return true;
  }

  async get(url: string): Promise<CacheEntry | undefined> {
    if (!(await this.usable())) return undefined;
    const file = this.fileFor(url);
    const text = await readRegularFile(file, MAX_ENTRY_BYTES).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.#debug?.(`cache: ignoring ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return code === 'ENOENT' ? undefined : null;
    });
    if (text === undefined) return undefined;
    let entry: CacheEntry | undefined;
    if (text !== null) {
      try {
        const parsed = StoredEntry.safeParse(JSON.parse(text));
        // A hash collision or a hand-edited file: another URL or scope is as corrupt as a bad digest.
        if (
          parsed.success &&
          parsed.data.url === cacheUrl(url) &&
          parsed.data.scope === this.scope &&
          parsed.data.digest === entryDigest(parsed.data.etag, parsed.data.body) &&
          !etagContradictsBody(parsed.data.etag, parsed.data.body)
        ) {
          const { digest: _digest, ...rest } = parsed.data;
          entry = rest;
        }
      } catch {
        entry = undefined;
      }
    }
    if (!entry) {
      this.#debug?.(`cache: dropping corrupt entry ${path.basename(file)}`);
      await this.delete(url);
    }
    return entry;
  }

  async put(url: string, entry: Omit<CacheEntry, 'format' | 'url' | 'scope'>): Promise<void> {
    if (!(await this.usable())) return;
    const file = this.fileFor(url);
    const full = { format: FORMAT, url: cacheUrl(url), scope: this.scope, ...entry, digest: entryDigest(entry.etag, entry.body) };
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(full), { encoding: 'utf8', mode: 0o600, flag: 'wx' });
      await renameWithRetry(tmp, file);
    } catch (err) {
      // A cache that cannot be written must not fail the command; it only costs a refetch.
      this.#debug?.(`cache: could not write ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      await rm(tmp, { force: true }).catch(() => {});
    }
  }

  async delete(url: string): Promise<void> {
    if (!(await this.usable())) return;
    await rm(this.fileFor(url), { force: true }).catch(() => {});
  }
}

/** Why `dir` must not be trusted with cache entries, or null. POSIX only (Windows has ACLs). */
async function unsafeDir(dir: string, look: typeof stat): Promise<string | null> {
  if (typeof process.getuid !== 'function') return null;
  let st;
  try {
    st = await look(dir);
  } catch (err) {
    return `${dir} cannot be inspected (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
  if (!st.isDirectory()) return `${dir} is not a directory${st.isSymbolicLink() ? ' (a symlink)' : ''}`;
  const uid = process.getuid();
  if (st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid}, you are ${uid})`;
  if (st.mode & 0o002) return `others can write to ${dir} (mode ${mode})`;
  // Group-writable is safe only for one's own (private) group.
  if (st.mode & 0o020 && typeof process.getgid === 'function' && st.gid !== process.getgid()) {
    return `the group ${st.gid} can write to ${dir} (mode ${mode})`;
  }
  return null;
}

/**
 * The text of `file` if it is a regular file of at most `max` bytes; otherwise an error. Opened
 * without following a symlink and without blocking; the size is checked on the open descriptor
 * (fstat) and the read stops at `max` + 1 bytes whatever the file does meanwhile.
 */
async function readRegularFile(file: string, max: number): Promise<string> {
  const handle = await open(file, OPEN_FLAGS);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > max) throw new Error(`larger than ${max} bytes`);
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > max) throw new Error(`larger than ${max} bytes`);
    return buf.subarray(0, filled).toString('utf8');
  } finally {
    await handle.close();
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
