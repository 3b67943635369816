/**
 * The reference server embedded in the bench process, seeded with the demo catalog, on
 * 127.0.0.1 with a port the OS picks. It counts the responses it sends by status, so a bench can
 * report what actually crossed the wire (a 304 is a request too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarketplace } from '../server/index.ts';
import { Catalog } from '../server/catalog.ts';
import { seedStore } from '../server/seed.ts';
import { Store } from '../server/store.ts';
import { MarketplaceClient } from '../src/core/marketplace/client.ts';
import type { CacheMode } from '../src/core/config.ts';
import { tempDir } from './lib.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CATALOG = path.join(REPO_ROOT, 'examples', 'catalog', 'catalog.json');

export interface BenchMarketplace {
  apiUrl: string;
  /** Responses sent since the last `resetCounts()`, by status code. */
  counts: Map<number, number>;
  /** The same responses by `METHOD path status` (query strings are not logged). */
  paths: Map<string, number>;
  resetCounts(): void;
  stop(): Promise<void>;
}

export async function startMarketplace(opts: { seed?: boolean; dataDir?: string } = {}): Promise<BenchMarketplace> {
  const data = opts.dataDir ? null : await tempDir('server');
  const counts = new Map<number, number>();
  const paths = new Map<string, number>();
  const market = await createMarketplace({
    dataDir: opts.dataDir ?? data!.dir,
    ...(opts.seed === false ? {} : { seedFile: CATALOG }),
    // The default limit (600/min per address) would throttle a bench that sends thousands.
    rateLimit: { limit: 1_000_000_000, windowSeconds: 60 },
    log: (line) => {
      const m = /^(\S+ \S+) (\d{3}) \d+ms$/.exec(line);
      if (!m) return;
      counts.set(Number(m[2]), (counts.get(Number(m[2])) ?? 0) + 1);
      const key = `${m[1]} ${m[2]}`;
      paths.set(key, (paths.get(key) ?? 0) + 1);
    },
  });
  const base = await market.listen(0, '127.0.0.1');
  return {
    apiUrl: `${base}/api/v1`,
    counts,
    paths,
    resetCounts: () => {
      counts.clear();
      paths.clear();
    },
    async stop() {
      await market.close();
      await data?.remove();
    },
  };
}

/** A client with no retries and nothing printed, as a CLI run would build it. */
export function newClient(apiUrl: string, cacheDir: string, cacheMode: CacheMode = 'online'): MarketplaceClient {
  return new MarketplaceClient({ url: apiUrl, cacheDir, cacheMode }, { retries: 0, timeoutMs: 10_000 });
}

/** `{ '200': 3, '304': 9 }` as one short cell. */
export function countsCell(counts: Map<number, number>): string {
  const parts = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${n}×${s}`);
  return parts.length ? parts.join(' ') : 'none';
}

/**
 * Seeds a data directory with a generated catalog the way `serve --seed` does (real wheels,
 * real store writes), and says how long that took and how big the store became.
 */
export async function seedDataDir(dataDir: string, catalog: unknown): Promise<{ ms: number; plugins: number; releases: number; bytes: number }> {
  const t0 = performance.now();
  const store = new Store(dataDir);
  try {
    const counts = seedStore(store, Catalog.parse(catalog));
    return { ms: performance.now() - t0, ...counts, bytes: dirBytes(dataDir) };
  } finally {
    store.close();
  }
}

/** Bytes of every file under `dir` (the SQLite database, its WAL, stored wheels). */
export function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return n;
}
