/**
 * The on-disk metadata cache (the CLI and the Action): one JSON file per URL and token scope
 * (named by their sha256). Several processes may share one directory: every write goes to a
 * private temp file that is renamed into place (atomic on POSIX), so a reader sees the old entry
 * or the new one, never half of either. An entry that does not parse is deleted and counts as a
 * miss. See cache.ts for the entry format and the token scope.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CacheEntry, cacheUrl, FORMAT, tokenScope, type MetadataStore } from './cache.ts';

export interface MetadataCacheOptions {
  /** The Bearer token the client sends; only its `tokenScope` is kept. */
  token?: string | undefined;
  debug?: ((message: string) => void) | undefined;
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
