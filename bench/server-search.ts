/**
 * The reference server's full-text search against plain listing with the same page size, over
 * the demo catalog plus GENERATED generated plugins (written straight into the store, as a
 * publish would, without HTTP). Two views of the same queries:
 *   HTTP   GET /plugins?per_page=20 (baseline) vs GET /plugins/search?q=...&per_page=20, raw
 *          fetch, no client cache: routing, SQL, building each plugin view, JSON;
 *   views  Store.query() plus the plugin view of each row of the page (what the route builds
 *          before JSON), in process;
 *   store  Store.query() alone (the SQL that picks the page's ids and the total).
 * Then the hostile side (issue 13): a long search against a short one (the longest query the
 * caps allow, every term a prefix of words in one plugin's 20,000-word description; and 2,000
 * terms, which the server refuses), and the latency of a small request sent while a long search
 * is in flight, against the same request alone.
 * The server runs without its response cache (server/response-cache.ts): this bench measures the
 * work a search does, which a repeated URL would otherwise skip (bench/server-load.ts measures both).
 *
 *   npx node bench/server-search.ts [--quick]
 */
import { sha256Hex } from '../src/core/sha256.ts';
import { openStore, pluginView, type Store } from '../server/store/index.ts';
import { readCatalog, seedStore } from '../server/seed.ts';
import { isoTimestamp } from '../server/time.ts';
import { PLUGIN_TYPES, SearchResult, type ListQuery } from '../src/core/marketplace/schemas.ts';
import { banner, compare, fmt, iterationsFromArgv, resultTable, tempDir, type Case, type Counters } from './lib.ts';
import { CATALOG } from './marketplace.ts';
import { TOPICS } from './monorepo.ts';
import { createMarketplace } from '../server/index.ts';
import { MAX_QUERY_TERMS } from '../server/search.ts';

const GENERATED = 2000;
const PER_PAGE = 20;

const TRAITS = ['batching', 'gzip', 'retries', 'tls', 'json', 'msgpack', 'sampling', 'buffering', 'backpressure', 'redaction'];

/** Deterministic pseudo-random numbers, so every run searches the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

async function generate(store: Store): Promise<void> {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const when = Date.parse('2025-01-01T00:00:00Z');
  for (let i = 0; i < GENERATED; i++) {
    const topic = pick(TOPICS);
    const type = pick(PLUGIN_TYPES);
    const pkg = `fapilog-${topic}-${type}-${i}`;
    const data = new TextEncoder().encode(`generated ${pkg}`);
    await store.publish(`bench-owner-${i % 50}`, {
      package: pkg,
      version: '1.0.0',
      description: `${type} for ${topic} with ${pick(TRAITS)} and ${pick(TRAITS)}`,
      author: `Author ${i % 137}`,
      plugin_type: type,
      license: 'MIT',
      homepage: null,
      repository: null,
      fapilog_compatibility: '>=0.14',
      requires_python: '>=3.10',
      dependencies: [],
      readme: `# ${pkg}\n`,
      published_at: isoTimestamp(new Date(when + i * 3_600_000)),
      downloads: Math.floor(rand() * 10_000),
      files: [{ filename: `${pkg.replaceAll('-', '_')}-1.0.0-py3-none-any.whl`, sha256: sha256Hex(data), data }],
    });
  }
}

const QUERIES = ['loki', 'kafka batching', 'sink', 'zzz-no-match'];

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const LONG_WORDS = 20_000;
/** The longest query the caps allow: MAX_QUERY_TERMS one-letter prefixes, each matching thousands of words. */
const LONG_QUERY = LETTERS.slice(0, MAX_QUERY_TERMS).join(' ');
const HOSTILE_QUERY = Array.from({ length: 2000 }, (_, i) => `${LETTERS[i % 16]}${i.toString(36)}`).join(' ');

/** One plugin with a very long description whose words start with the query's letters. */
async function addLongPlugin(store: Store): Promise<void> {
  const description = Array.from({ length: LONG_WORDS }, (_, i) => `${LETTERS[i % MAX_QUERY_TERMS]}${i.toString(36)}`).join(' ');
  const data = new TextEncoder().encode('generated fapilog-verbose-sink');
  await store.publish('bench-owner-long', {
    package: 'fapilog-verbose-sink',
    version: '1.0.0',
    description,
    author: 'Author long',
    plugin_type: 'sink',
    license: 'MIT',
    homepage: null,
    repository: null,
    fapilog_compatibility: '>=0.14',
    requires_python: '>=3.10',
    dependencies: [],
    readme: '# fapilog-verbose-sink\n',
    files: [{ filename: 'fapilog_verbose_sink-1.0.0-py3-none-any.whl', sha256: sha256Hex(data), data }],
  });
}

async function main(): Promise<void> {
  const data = await tempDir('search');
  try {
    const t0 = performance.now();
    const seeding = await openStore({ dataDir: data.dir });
    await seedStore(seeding, readCatalog(CATALOG));
    await generate(seeding);
    await addLongPlugin(seeding);
    await seeding.close();
    const seedMs = performance.now() - t0;

    const market = await createMarketplace({
      dataDir: data.dir,
      rateLimit: { limit: 1_000_000_000, windowSeconds: 60 },
      responseCache: false,
    });
    const server = { apiUrl: `${await market.listen(0, '127.0.0.1')}/api/v1`, stop: () => market.close() };
    const store = await openStore({ dataDir: data.dir });
    try {
      const httpCase = (name: string, path: string): Case => ({
        name,
        async run(): Promise<Counters> {
          const res = await fetch(`${server.apiUrl}${path}`);
          if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
          const body = SearchResult.parse(await res.json());
          return { total: body.total, returned: body.plugins.length };
        },
      });
      const storeCase = (name: string, q: Partial<ListQuery>): Case => ({
        name,
        async run(): Promise<Counters> {
          const { ids, total } = await store.query({ page: 1, per_page: PER_PAGE, ...q });
          return { total, returned: ids.length };
        },
      });
      const viewsCase = (name: string, q: Partial<ListQuery>): Case => ({
        name,
        async run(): Promise<Counters> {
          const { ids, total } = await store.query({ page: 1, per_page: PER_PAGE, ...q });
          // As the route builds a page: the page's records in four statements, then the views.
          const records = await store.recordsById(ids);
          const views = ids.flatMap((id) => {
            const record = records.get(id);
            return record ? [pluginView(record, record.rating)] : [];
          });
          return { total, returned: views.length };
        },
      });
      const opts = { warmup: 5, iterations: iterationsFromArgv(100), maxMs: 8_000 };
      const http = await compare(
        [
          httpCase('list, no query (baseline)', `/plugins?per_page=${PER_PAGE}`),
          ...QUERIES.map((q) =>
            httpCase(`search q=${JSON.stringify(q)}`, `/plugins/search?q=${encodeURIComponent(q)}&per_page=${PER_PAGE}`),
          ),
        ],
        opts,
      );
      const statusCase = (name: string, path: string): Case => ({
        name,
        async run(): Promise<Counters> {
          const res = await fetch(`${server.apiUrl}${path}`);
          await res.arrayBuffer();
          return { status: res.status };
        },
      });
      const long = await compare(
        [
          statusCase('search q="loki" (baseline, short)', `/plugins/search?q=loki&per_page=${PER_PAGE}`),
          statusCase(
            `search, ${MAX_QUERY_TERMS} terms (the cap) over a ${LONG_WORDS}-word description`,
            `/plugins/search?q=${encodeURIComponent(LONG_QUERY)}&per_page=${PER_PAGE}`,
          ),
          statusCase('search, 2,000 terms (refused)', `/plugins/search?q=${encodeURIComponent(HOSTILE_QUERY)}&per_page=${PER_PAGE}`),
        ],
        opts,
      );
      // The small request's own latency: the long search is sent first and left running; only the
      // small one is timed, and the long one is awaited untimed in teardown.
      type InFlight = { pending: Promise<number> | null };
      const parallel = await compare(
        [
          {
            name: 'GET /plugins/loki alone (baseline)',
            run: async () => ({
              status: await fetch(`${server.apiUrl}/plugins/loki`).then(async (r) => (await r.arrayBuffer(), r.status)),
            }),
          },
          {
            name: `GET /plugins/loki while a ${MAX_QUERY_TERMS}-term search runs`,
            setup: (): InFlight => ({ pending: null }),
            async run(ctx: InFlight): Promise<Counters> {
              ctx.pending = fetch(`${server.apiUrl}/plugins/search?q=${encodeURIComponent(LONG_QUERY)}&per_page=${PER_PAGE}`).then(
                async (r) => (await r.arrayBuffer(), r.status),
              );
              const res = await fetch(`${server.apiUrl}/plugins/loki`);
              await res.arrayBuffer();
              return { status: res.status };
            },
            async teardown(ctx: InFlight) {
              if ((await ctx.pending) !== 200) throw new Error('the long search failed');
            },
          } satisfies Case<InFlight>,
          {
            name: 'GET /plugins/loki while a 2,000-term search is refused',
            setup: (): InFlight => ({ pending: null }),
            async run(ctx: InFlight): Promise<Counters> {
              ctx.pending = fetch(`${server.apiUrl}/plugins/search?q=${encodeURIComponent(HOSTILE_QUERY)}`).then(
                async (r) => (await r.arrayBuffer(), r.status),
              );
              const res = await fetch(`${server.apiUrl}/plugins/loki`);
              await res.arrayBuffer();
              return { status: res.status };
            },
            async teardown(ctx: InFlight) {
              if ((await ctx.pending) !== 400) throw new Error('the hostile search was not refused');
            },
          } satisfies Case<InFlight>,
        ],
        opts,
      );
      const views = await compare(
        [viewsCase('list, no query (baseline)', {}), ...QUERIES.map((q) => viewsCase(`search q=${JSON.stringify(q)}`, { q }))],
        opts,
      );
      const sql = await compare(
        [storeCase('list, no query (baseline)', {}), ...QUERIES.map((q) => storeCase(`search q=${JSON.stringify(q)}`, { q }))],
        opts,
      );

      console.log(banner(`server-search: FTS search vs listing, ${(await store.packages()).length} plugins`));
      console.log(
        `store seeded in ${fmt(seedMs)} ms (demo catalog + ${GENERATED} generated plugins via Store.publish); page size ${PER_PAGE}\n`,
      );
      console.log('## over HTTP (fetch, JSON parsed with the contract schema)\n');
      console.log(resultTable(http, ['total', 'returned']));
      console.log('\n## Store.query() + plugin views of the page (in process, no HTTP)\n');
      console.log(resultTable(views, ['total', 'returned']));
      console.log('\n## Store.query() only (SQL)\n');
      console.log(resultTable(sql, ['total', 'returned']));
      console.log('\n## long search vs short (over HTTP; status is what the server answered)\n');
      console.log(resultTable(long, ['status']));
      console.log("\n## a small request's latency while a long search is in flight\n");
      console.log(resultTable(parallel, ['status']));
    } finally {
      store.close();
      await server.stop();
    }
  } finally {
    await data.remove();
  }
}

await main();
