/**
 * Moving a marketplace between stores, and backups.
 *
 * An export is a directory: `marketplace.json` (every row of every table below, read in one
 * consistent snapshot, with the schema version) and `files/<package>/<filename>` (each release
 * file's bytes, checked against its sha256). It is written under a temporary name and renamed
 * when complete. `importInto` loads one into an empty store in one transaction, keeping ids, so
 * that tokens, publishers, provenance and download counts come back as they were.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Sql } from './db.ts';
import { LATEST_VERSION } from './migrations.ts';
import { searchTextOf, type Store } from './store.ts';
import type { SqliteDb } from './sqlite.ts';

/** Every table an export carries, its columns, in the order rows must be inserted (references first). */
export const TABLES: ReadonlyArray<{ name: string; columns: readonly string[]; identity: boolean }> = [
  { name: 'tokens', columns: ['id', 'owner', 'token_hash', 'created_at', 'expires_at', 'plugins', 'admin'], identity: true },
  {
    name: 'plugins',
    columns: [
      'id',
      'package',
      'name',
      'description',
      'author',
      'plugin_type',
      'license',
      'homepage',
      'repository',
      'owner',
      'created_at',
      'mirrored_from',
      'deprecation',
    ],
    identity: true,
  },
  {
    name: 'releases',
    columns: [
      'id',
      'plugin_id',
      'version',
      'fapilog_compatibility',
      'requires_python',
      'dependencies',
      'yanked',
      'yanked_reason',
      'published_at',
      'readme',
      'downloads',
      'provenance',
      'corrected_compatibility',
      'correction_reason',
      'corrected_at',
      'corrected_by',
    ],
    identity: true,
  },
  { name: 'files', columns: ['id', 'release_id', 'filename', 'sha256', 'size', 'package'], identity: true },
  { name: 'ratings', columns: ['plugin_id', 'rater', 'stars'], identity: false },
  { name: 'fapilog_versions', columns: ['version'], identity: false },
  {
    name: 'trusted_publishers',
    columns: [
      'id',
      'package',
      'owner',
      'issuer',
      'repository',
      'repository_id',
      'repository_owner_id',
      'workflow',
      'environment',
      'created_at',
    ],
    identity: true,
  },
  { name: 'oidc_jti', columns: ['issuer', 'jti', 'expires_at'], identity: false },
  { name: 'publish_sessions', columns: ['id', 'token_hash', 'grants', 'provenance', 'expires_at'], identity: true },
  { name: 'downloads_daily', columns: ['release_id', 'day', 'downloads'], identity: false },
  { name: 'advisories', columns: ['plugin_id', 'id', 'osv', 'modified', 'created_by', 'created_at'], identity: false },
];

/**
 * Columns appended by later migrations (last in TABLES' lists, in migration order): the schema
 * version that added them and the values older exports lack.
 */
const ADDED_COLUMNS: Record<string, Array<{ since: number; values: Array<string | number | null> }>> = {
  tokens: [{ since: 5, values: [0] }],
  releases: [{ since: 5, values: [null, null, null, null] }],
  plugins: [
    { since: 7, values: [null] },
    { since: 8, values: [null] },
  ],
};

export const EXPORT_FILE = 'marketplace.json';
const FORMAT = 'fapilog-marketplace-export';

const Cell = z.union([z.string(), z.number(), z.null()]);
const ExportDoc = z.object({
  format: z.literal(FORMAT),
  schema_version: z.number().int(),
  exported_at: z.string(),
  source: z.enum(['sqlite', 'postgres']),
  tables: z.record(z.string(), z.array(z.array(Cell))),
});
type ExportDoc = z.infer<typeof ExportDoc>;

export interface TransferCounts {
  [table: string]: number;
}

/** Runs fn on one consistent view of the store (a read transaction), while the server may be writing. */
async function inSnapshot<T>(store: Store, fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.postgres!.withClient(async (client, sql) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        return await fn(sql);
      } finally {
        await client.query('COMMIT').catch(() => undefined);
      }
    });
  }
  const db = store.db as SqliteDb;
  // A connection of its own: the snapshot must not take in the store's other readers.
  const { DatabaseSync } = await import('node:sqlite');
  const conn = new DatabaseSync(db.file, { readOnly: true });
  try {
    conn.exec('PRAGMA busy_timeout = 5000; BEGIN');
    const sql: Sql = {
      dialect: 'sqlite',
      all: async <R>(text: string, ...params: unknown[]) => conn.prepare(text).all(...(params as never[])) as unknown as R[],
      get: async <R>(text: string, ...params: unknown[]) => conn.prepare(text).get(...(params as never[])) as unknown as R | undefined,
      run: async () => {
        throw new Error('read-only snapshot');
      },
    };
    const result = await fn(sql);
    conn.exec('COMMIT');
    return result;
  } finally {
    conn.close();
  }
}

/** Writes an export of `store` to `dest` (which must not exist). */
export async function exportStore(store: Store, dest: string): Promise<TransferCounts> {
  const target = path.resolve(dest);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; name a new directory`);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(path.join(temp, 'files'), { recursive: true });
  try {
    const counts: TransferCounts = {};
    const doc: ExportDoc = {
      format: FORMAT,
      schema_version: LATEST_VERSION,
      exported_at: new Date().toISOString(),
      source: store.dialect,
      tables: {},
    };
    await inSnapshot(store, async (sql) => {
      for (const t of TABLES) {
        const rows = await sql.all<Record<string, unknown>>(
          `SELECT ${t.columns.join(', ')} FROM ${t.name} ORDER BY ${t.columns.slice(0, t.identity ? 1 : t.columns.length).join(', ')}`,
        );
        doc.tables[t.name] = rows.map((r) => t.columns.map((c) => cell(r[c])));
        counts[t.name] = rows.length;
      }
      // The bytes of every file the snapshot's rows name (files are never changed once committed).
      for (const row of doc.tables['files']!) {
        const [id, , filename, sha256, size, pkg] = row as [number, number, string, string, number, string];
        let data: Uint8Array;
        if (store.filesDir) data = fs.readFileSync(path.join(store.filesDir, pkg, filename));
        else {
          const blob = await sql.get<{ data: Uint8Array }>('SELECT data FROM file_data WHERE file_id = ?', id);
          if (!blob) throw new Error(`the bytes of ${pkg}/${filename} are missing from the database`);
          data = blob.data;
        }
        checkBytes(data, `${pkg}/${filename}`, sha256, Number(size));
        fs.mkdirSync(path.join(temp, 'files', pkg), { recursive: true });
        fs.writeFileSync(path.join(temp, 'files', pkg, filename), data);
      }
    });
    fs.writeFileSync(path.join(temp, EXPORT_FILE), `${JSON.stringify(doc)}\n`, { flush: true });
    fs.renameSync(temp, target);
    return counts;
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}

function cell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new Error(`unexpected value of type ${typeof v} in a row`);
}

function checkBytes(data: Uint8Array, name: string, sha256: string, size: number): void {
  if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, the row says ${size}`);
  const got = createHash('sha256').update(data).digest('hex');
  if (got !== sha256) throw new Error(`${name}: sha256 is ${got}, the row says ${sha256}`);
}

/** Loads the export in `src` into `store`, which must hold no plugin, token or publisher yet. */
export async function importInto(store: Store, src: string): Promise<TransferCounts> {
  const dir = path.resolve(src);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dir, EXPORT_FILE), 'utf8'));
  } catch (err) {
    throw new Error(`${path.join(dir, EXPORT_FILE)}: ${(err as Error).message}`);
  }
  const parsed = ExportDoc.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${EXPORT_FILE}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const doc = parsed.data;
  if (doc.schema_version > LATEST_VERSION)
    throw new Error(`the export has schema version ${doc.schema_version}, newer than this fapilog-plugins knows (${LATEST_VERSION})`);
  for (const t of TABLES) {
    // An export from before columns existed: their values for old rows.
    const missing = (ADDED_COLUMNS[t.name] ?? []).filter((a) => doc.schema_version < a.since).flatMap((a) => a.values);
    for (const [i, row] of (doc.tables[t.name] ?? []).entries()) {
      if (missing.length > 0 && row.length === t.columns.length - missing.length) doc.tables[t.name]![i] = [...row, ...missing];
    }
    for (const row of doc.tables[t.name] ?? []) {
      if (row.length !== t.columns.length)
        throw new Error(
          `${EXPORT_FILE}: tables.${t.name}: a row has ${row.length} values, expected ${t.columns.length} (${t.columns.join(', ')})`,
        );
    }
  }
  // Every file is read and checked before anything is written: a bad export stores nothing.
  const files = (doc.tables['files'] ?? []).map((row) => {
    const [id, , filename, sha256, size, pkg] = row as [number, number, string, string, number, string];
    if (/[\\/\0]|\.\./.test(filename) || /[\\/\0]|\.\./.test(pkg))
      throw new Error(`${EXPORT_FILE}: tables.files: not a plain file name: ${pkg}/${filename}`);
    const data = fs.readFileSync(path.join(dir, 'files', pkg, filename));
    checkBytes(data, `${pkg}/${filename}`, sha256, Number(size));
    return { id: Number(id), pkg, filename, data };
  });
  const written: string[] = [];
  const counts: TransferCounts = {};
  try {
    await store.transaction(async (tx) => {
      for (const t of ['plugins', 'tokens', 'trusted_publishers']) {
        const any = await tx.get(`SELECT 1 AS one FROM ${t} LIMIT 1`);
        if (any) throw new Error(`the target marketplace is not empty (it has ${t}); import into a new one`);
      }
      for (const t of TABLES) {
        const rows = doc.tables[t.name] ?? [];
        const pg = store.dialect === 'postgres' && t.name === 'plugins';
        const columns = pg ? [...t.columns, 'search_text'] : [...t.columns];
        const text = `INSERT INTO ${t.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`;
        for (const row of rows) {
          const values = pg
            ? [
                ...row,
                searchTextOf(
                  Object.fromEntries(t.columns.map((c, i) => [c, row[i]])) as {
                    name: string;
                    package: string;
                    description: string;
                    author: string;
                  },
                ),
              ]
            : row;
          await tx.run(text, ...values);
        }
        counts[t.name] = rows.length;
      }
      for (const f of files) {
        if (store.filesDir) {
          const target = path.join(store.filesDir, f.pkg, f.filename);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, f.data, { flush: true });
          written.push(target);
        } else {
          await tx.run('INSERT INTO file_data (file_id, data) VALUES (?, ?)', f.id, f.data);
        }
      }
      if (store.dialect === 'postgres') {
        // Identity columns continue after the imported ids.
        for (const t of TABLES.filter((x) => x.identity)) {
          await tx.run(
            `SELECT setval(pg_get_serial_sequence('${t.name}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${t.name}), 1), (SELECT COUNT(*) > 0 FROM ${t.name}))`,
          );
        }
      }
    });
  } catch (err) {
    for (const p of written) fs.rmSync(p, { force: true });
    throw err;
  }
  return counts;
}

/**
 * A consistent copy while the server runs. SQLite: a new data dir (VACUUM INTO, then the files its
 * rows name), usable as --data-dir as it is. PostgreSQL: an export (restore with `admin import`).
 */
export async function backupStore(store: Store, dest: string): Promise<{ kind: 'data-dir' | 'export'; counts?: TransferCounts }> {
  if (store.dialect === 'postgres') return { kind: 'export', counts: await exportStore(store, dest) };
  const target = path.resolve(dest);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; name a new directory`);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  fs.mkdirSync(path.join(temp, 'files'), { recursive: true });
  try {
    const dbFile = path.join(temp, 'marketplace.sqlite');
    // One read transaction: the copy is the database as of one commit.
    (store.db as SqliteDb).reader.db.prepare('VACUUM INTO ?').run(dbFile);
    const { DatabaseSync } = await import('node:sqlite');
    const copy = new DatabaseSync(dbFile, { readOnly: true });
    try {
      for (const f of copy.prepare('SELECT package, filename, sha256, size FROM files').all() as Array<{
        package: string;
        filename: string;
        sha256: string;
        size: number;
      }>) {
        const data = fs.readFileSync(path.join(store.filesDir!, f.package, f.filename));
        checkBytes(data, `${f.package}/${f.filename}`, f.sha256, Number(f.size));
        fs.mkdirSync(path.join(temp, 'files', f.package), { recursive: true });
        fs.writeFileSync(path.join(temp, 'files', f.package, f.filename), data);
      }
    } finally {
      copy.close();
    }
    fs.renameSync(temp, target);
    return { kind: 'data-dir' };
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}
