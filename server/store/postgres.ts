/**
 * PostgreSQL through `pg` (a pool). Several server instances may share one database: every write
 * transaction first bumps the single row of `marketplace_state` (migrations.ts), which both
 * serialises writers across instances (as SQLite's BEGIN IMMEDIATE does across processes) and is
 * the generation every instance's response cache is checked against.
 */
import pg from 'pg';
import type { Db, Sql, SqlValue, WriteKind } from './db.ts';

const INT8 = 20;
const NUMERIC = 1700;

/** `?` placeholders to `$n` (the SQL texts are ours and fixed: no `?` inside literals). */
const translated = new Map<string, string>();
function toPg(sql: string): string {
  let t = translated.get(sql);
  if (t === undefined) {
    let n = 0;
    t = sql.replace(/\?/g, () => `$${++n}`);
    translated.set(sql, t);
  }
  return t;
}

function values(params: SqlValue[]): unknown[] {
  return params.map((p) =>
    p instanceof Uint8Array && !Buffer.isBuffer(p)
      ? Buffer.from(p.buffer, p.byteOffset, p.byteLength)
      : typeof p === 'bigint'
        ? String(p)
        : p,
  );
}

class Client implements Sql {
  readonly dialect = 'postgres' as const;
  readonly #q: pg.Pool | pg.PoolClient;
  constructor(q: pg.Pool | pg.PoolClient) {
    this.#q = q;
  }
  async all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return (await this.#q.query(toPg(sql), values(params))).rows as T[];
  }
  async get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return (await this.#q.query(toPg(sql), values(params))).rows[0] as T | undefined;
  }
  async run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return { changes: (await this.#q.query(toPg(sql), values(params))).rowCount ?? 0 };
  }
}

/** A connection as this module hands it out (pg's own types stay out of the package's declarations). */
export interface QueryClient {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

export interface PooledClient extends QueryClient {
  release(destroy?: boolean): void;
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #sql: Client;
  /** This turn's read of the generation counters (see generation). */
  #turnState: Promise<{ content: number; counter: number } | undefined> | undefined;
  /** Set while the schema is being created (no state row yet): transactions skip the bump. */
  bootstrapping = false;

  constructor(url: string, opts: { max?: number } = {}) {
    this.#pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 10,
      connectionTimeoutMillis: 5000,
      // Counts and averages as numbers (the values stay far below 2^53).
      types: {
        getTypeParser: ((oid: number, format?: string) =>
          oid === INT8 || oid === NUMERIC
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the next query gets a fresh connection or a clear error.
    this.#pool.on('error', () => undefined);
    this.#sql = new Client(this.#pool);
  }

  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.#sql.all<T>(sql, ...params);
  }

  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.#sql.get<T>(sql, ...params);
  }

  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return this.#sql.run(sql, ...params);
  }

  /** A connection of the pool, to release when done. */
  connect(): Promise<PooledClient> {
    return this.#pool.connect();
  }

  /** Runs fn on one connection of the pool (its own transaction, SET LOCAL: see search). */
  async withClient<T>(fn: (c: QueryClient, sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      return await fn(client, new Client(client));
    } finally {
      client.release();
    }
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>, kind: WriteKind = 'content'): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      if (!this.bootstrapping)
        await client.query(
          kind === 'counter' ? 'UPDATE marketplace_state SET counter = counter + 1' : 'UPDATE marketplace_state SET content = content + 1',
        );
      const result = await fn(new Client(client));
      await client.query('COMMIT');
      this.#turnState = undefined;
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * One query per turn of the event loop, shared by every cache lookup of that turn (as the SQLite
   * store reads data_version, and for the same reason: the requests of one poll phase had all
   * arrived before the query was sent). A commit through this instance drops it at once.
   */
  generation(scope: 'all' | 'content'): Promise<string> {
    let state = this.#turnState;
    if (state === undefined) {
      state = this.#turnState = this.#sql.get<{ content: number; counter: number }>('SELECT content, counter FROM marketplace_state');
      // A failed read is not shared beyond the lookups already waiting on it.
      state.catch(() => undefined);
      setImmediate(() => {
        if (this.#turnState === state) this.#turnState = undefined;
      });
    }
    return state.then((row) => (scope === 'content' ? `${row?.content ?? 0}` : `${row?.content ?? 0}:${row?.counter ?? 0}`));
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
