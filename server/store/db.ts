/**
 * The one SQL surface both stores speak: `?` placeholders (turned into `$1..$n` for PostgreSQL),
 * promises everywhere (node:sqlite answers at once, pg over the network), and a transaction that
 * holds the store's single write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the state row, see
 * migrations.ts) so that every decision taken inside it sees every earlier commit of any process.
 */

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | bigint | null | Uint8Array | readonly number[] | readonly string[];

/** Runs statements: the store's read side, or the inside of a transaction. */
export interface Sql {
  readonly dialect: Dialect;
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  /** `changes`: rows the statement inserted, updated or deleted. */
  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }>;
}

export interface Db extends Sql {
  /**
   * Runs fn in one write transaction; the kind is what the commit changes (`counter`: download
   * counts only), which the generation (response cache validity) tells apart.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>, kind?: WriteKind): Promise<T>;
  /** What the API can show changed since: any commit through any connection or instance. */
  generation(scope: 'all' | 'content'): Promise<string>;
  /**
   * The same value without waiting, when the store can tell it at once (SQLite's data_version;
   * PostgreSQL cannot: see docs/private-marketplace.md); undefined means: ask `generation`.
   */
  generationSync?(scope: 'all' | 'content'): string | undefined;
  /** Answers at all (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type WriteKind = 'content' | 'counter';

/**
 * `column IN (values)` with one parameter whatever the count: a JSON array for SQLite, a typed
 * array for PostgreSQL (statements keep one text, so they stay prepared).
 */
export function inList(sql: Sql, column: string, values: readonly number[] | readonly string[], type: 'int' | 'text'): [string, SqlValue] {
  return sql.dialect === 'sqlite'
    ? [`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(values)]
    : [`${column} = ANY(?::${type === 'int' ? 'integer' : 'text'}[])`, values];
}

/** A UNIQUE constraint of `table` refused the row (another writer got there first). */
export function isUniqueViolation(err: unknown, table: string): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; table?: string; constraint?: string };
  if (e.code === '23505') return e.table === table || (e.constraint ?? '').startsWith(`${table}_`);
  return new RegExp(`UNIQUE constraint failed: ${table}\\.`).test(e.message);
}
