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
import { sha256Hex } from '../src/core/sha256.ts';
import { openStore, searchTextOf } from '../server/store/index.ts';
import { packageName } from '../src/core/names.ts';
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
 * Seeds a data directory with a catalog (the examples/catalog/catalog.json format, validated by
 * the server's own schema) by writing the store's rows directly, in one transaction: the rows a
 * publish would write, the FTS index filled by the store's own triggers, one wheel row per release
 * (so the simple index lists it) but no wheel file on disk, which no benchmarked request reads.
 * Publishing 100,000 releases one by one (a transaction and an fsynced file each) would take
 * minutes; `publishRate` says how long.
 */
export async function seedDirectly(
  dataDir: string,
  catalog: unknown,
  target: { databaseUrl?: string } = {},
): Promise<{ ms: number; plugins: number; releases: number; bytes: number }> {
  const t0 = performance.now();
  const parsed = Catalog.parse(catalog);
  const store = await openStore(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir });
  const pg = store.dialect === 'postgres';
  let releases = 0;
  try {
    await store.addFapilogVersions(parsed.fapilog_versions);
    await store.transaction(async (tx) => {
      for (const p of parsed.plugins) {
        const pkg = packageName(p.name);
        const first = p.releases[0]!.published_at;
        const id = (await tx.get<{ id: number }>(
          `INSERT INTO plugins (package, name, description, author, plugin_type, license, homepage, repository, owner, created_at${pg ? ', search_text' : ''}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?${pg ? ', ?' : ''}) RETURNING id`,
          ...[
            pkg,
            p.name,
            p.description,
            p.author,
            p.plugin_type,
            p.license,
            p.homepage,
            p.repository,
            p.owner,
            first,
            ...(pg ? [searchTextOf({ name: p.name, package: pkg, description: p.description, author: p.author })] : []),
          ],
        ))!.id;
        for (const r of p.releases) {
          const rid = (await tx.get<{ id: number }>(
            'INSERT INTO releases (plugin_id, version, fapilog_compatibility, requires_python, dependencies, yanked, yanked_reason, published_at, readme, downloads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
            id,
            r.version,
            r.fapilog_compatibility,
            r.requires_python,
            JSON.stringify(r.dependencies),
            r.yanked_reason ? 1 : 0,
            r.yanked_reason ?? null,
            r.published_at,
            r.readme ?? `# ${pkg}\n`,
            r.downloads,
          ))!.id;
          const filename = `${pkg.replaceAll('-', '_')}-${r.version}-py3-none-any.whl`;
          await tx.run(
            'INSERT INTO files (release_id, filename, sha256, size, package) VALUES (?, ?, ?, ?, ?)',
            rid,
            filename,
            sha256Hex(new TextEncoder().encode(filename)),
            1000,
            pkg,
          );
          releases++;
        }
      }
    });
    store.sqlite?.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await store.close();
  }
  return { ms: performance.now() - t0, plugins: parsed.plugins.length, releases, bytes: target.databaseUrl ? 0 : dirBytes(dataDir) };
}

/** Releases per second through Store.publish (the path the publish API takes after validation). */
export async function publishRate(dataDir: string, n: number, target: { databaseUrl?: string } = {}): Promise<number> {
  const store = await openStore(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir });
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const pkg = `fapilog-rate-${i}`;
      const data = new TextEncoder().encode(`wheel ${pkg}`);
      await store.publish('bench', {
        package: pkg,
        version: '1.0.0',
        description: 'rate sample',
        author: 'bench',
        plugin_type: 'sink',
        license: 'MIT',
        homepage: null,
        repository: null,
        fapilog_compatibility: '>=0.10',
        requires_python: '>=3.10',
        dependencies: [],
        readme: `# ${pkg}\n`,
        files: [{ filename: `${pkg.replaceAll('-', '_')}-1.0.0-py3-none-any.whl`, sha256: sha256Hex(data), data }],
      });
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await store.close();
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
