/**
 * The marketplace's store: SQLite (one data dir: `marketplace.sqlite` and `files/`, the embedded
 * default) or PostgreSQL (a database URL; several server instances may share it).
 *
 *   db.ts          the async SQL surface both dialects implement (`?` placeholders, transactions)
 *   sqlite.ts      node:sqlite: a reader and a writer connection on one WAL file
 *   postgres.ts    pg: a pool; writers serialised by the marketplace_state row
 *   migrations.ts  the schema as numbered migrations, one text each over the words the dialects spell apart
 *   store.ts       the queries (one class, one SQL text per query wherever the dialects agree)
 *   search.ts      list and search per dialect (FTS5 / tsvector), ranked alike
 *   views.ts       rows to API objects
 *   transfer.ts    export / import / backup
 *
 * How to add a table, a column or a query (on both stores):
 * 1. Append a migration to MIGRATIONS in migrations.ts with the next version number and one
 *    `sql: (w) => ...` text (never edit an applied one: databases in the field have run it; the
 *    frozen copies in test/server/fixtures/migrations/ hold that). The words `w` spell what the
 *    dialects write apart: `w.id` for a key, `w.epoch` for epoch seconds, `w.sortedText` for text
 *    the API sorts by, `w.sqlite(...)` / `w.postgres(...)` for what only one has. Booleans are
 *    INTEGER 0/1 in both.
 * 2. Write the query once in store.ts (or a module of yours taking the Store) with `?`
 *    placeholders and SQL both dialects accept: `INSERT ... ON CONFLICT DO NOTHING` (not INSERT
 *    OR IGNORE), `RETURNING id` (not lastInsertRowid), `IS NOT DISTINCT FROM` (not `IS ?`),
 *    `inList()` for IN lists. Branch on `store.dialect` only where they truly differ.
 * 3. Writes go through `store.transaction(async (tx) => ...)` and read what they decide on via
 *    `tx` (not `store.db`): that is what makes them safe across processes and instances.
 * 4. Add the table to TABLES in transfer.ts so export / import / backup carry it.
 * 5. Server tests run on both stores (FAPILOG_TEST_DATABASE=postgres runs the PostgreSQL leg).
 */
import path from 'node:path';
import { SqliteDb } from './sqlite.ts';
import { migratePostgres, migrateSqlite, type MigrationReport } from './migrations.ts';
import { Store } from './store.ts';

export { Store, FILE_QUERIES, TEMP_FILE_PREFIX, searchTextOf, type StoredFile } from './store.ts';
export { releaseView, fileView, fileUrl, currentRelease, pluginView, effectiveCompatibility, correctionView } from './views.ts';
export type {
  NewRelease,
  PluginRecord,
  PluginRow,
  ReleaseRow,
  FileRow,
  SimpleFile,
  TokenOwner,
  Rating,
  CompatibilityFix,
} from './types.ts';
export { LATEST_VERSION, MIGRATIONS, SchemaTooNewError, type MigrationReport } from './migrations.ts';
export type { Db, Sql, Dialect } from './db.ts';

export interface OpenStoreOptions {
  /** SQLite: the data dir (database and files). */
  dataDir?: string;
  /** PostgreSQL: postgres://user:pass@host:port/db. Wins over dataDir. */
  databaseUrl?: string;
  /** PostgreSQL: a directory every instance shares for release files; default: in the database. */
  filesDir?: string;
  searchBudgetMs?: number;
  /** Connections in the PostgreSQL pool (default 10). */
  poolSize?: number;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the store and brings its schema up to date (refused when it is newer than this code). */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  return (await openStoreReport(opts)).store;
}

export async function openStoreReport(opts: OpenStoreOptions): Promise<{ store: Store; migrations: MigrationReport }> {
  if (opts.databaseUrl) {
    if (!isPostgresUrl(opts.databaseUrl)) throw new Error('the database URL must start with postgres:// or postgresql://');
    // Loaded only for PostgreSQL: a SQLite server never loads the driver.
    const { PostgresDb } = await import('./postgres.ts');
    const db = new PostgresDb(opts.databaseUrl, opts.poolSize !== undefined ? { max: opts.poolSize } : {});
    try {
      const migrations = await migratePostgres(db);
      const store = new Store(db, {
        filesDir: opts.filesDir ?? null,
        ...(opts.searchBudgetMs !== undefined ? { searchBudgetMs: opts.searchBudgetMs } : {}),
      });
      return { store, migrations };
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
  }
  if (!opts.dataDir) throw new Error('a data dir or a database URL is required');
  const dataDir = path.resolve(opts.dataDir);
  const filesDir = path.join(dataDir, 'files');
  // Created before the database: a data dir that cannot be made fails here with its own error.
  const { makeDirs } = await import('./store.ts');
  makeDirs(filesDir);
  const db = new SqliteDb(path.join(dataDir, 'marketplace.sqlite'));
  try {
    const migrations = migrateSqlite(db);
    const store = new Store(db, {
      filesDir,
      dataDir,
      ...(opts.searchBudgetMs !== undefined ? { searchBudgetMs: opts.searchBudgetMs } : {}),
    });
    return { store, migrations };
  } catch (err) {
    await db.close();
    throw err;
  }
}
