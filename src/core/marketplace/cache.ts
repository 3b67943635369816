/**
 * The on-disk metadata cache: one JSON file per URL (named by the URL's sha256) holding the
 * body, its ETag and when it was fetched. Several processes may share one directory: every write
 * goes to a private temp file that is renamed into place (atomic on POSIX), so a reader sees the
 * old entry or the new one, never half of either. An entry that does not parse is deleted and
 * counts as a miss. Nothing here ever sees the Bearer token: it travels in a header, not the URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const FORMAT = 1;

export const CacheEntry = z.object({
  format: z.literal(FORMAT),
  url: z.string(),
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

export class MetadataCache {
  readonly dir: string;
  readonly #debug: ((message: string) => void) | undefined;

  constructor(cacheDir: string, debug?: (message: string) => void) {
    this.dir = path.join(cacheDir, `metadata-v${FORMAT}`);
    this.#debug = debug;
  }

  fileFor(url: string): string {
    return path.join(this.dir, `${createHash('sha256').update(cacheUrl(url)).digest('hex')}.json`);
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
      // A hash collision or a hand-edited file: treat a different URL as corrupt too.
      if (parsed.success && parsed.data.url === cacheUrl(url)) entry = parsed.data;
    } catch {
      entry = undefined;
    }
    if (!entry) {
      this.#debug?.(`cache: dropping corrupt entry ${path.basename(file)}`);
      await this.delete(url);
    }
    return entry;
  }

  async put(url: string, entry: Omit<CacheEntry, 'format' | 'url'>): Promise<void> {
    const file = this.fileFor(url);
    const full: CacheEntry = { format: FORMAT, url: cacheUrl(url), ...entry };
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
