/**
 * SQLite through node:sqlite (synchronous; wrapped in promises to share the Db interface).
 * Two connections to one WAL file: reads go to `reader`, which sees only committed data, so a
 * request that runs while another request's transaction is open never sees half of it; writes go
 * to `writer`, one transaction at a time (a queue in this process, BEGIN IMMEDIATE across processes).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Db, Sql, SqlValue, WriteKind } from './db.ts';

class Connection implements Sql {
  readonly dialect = 'sqlite' as const;
  readonly db: DatabaseSync;
  /** One prepared statement per SQL text: preparing cost more than running most of them. */
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  stmt(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  allSync<T>(sql: string, ...params: SqlValue[]): T[] {
    return this.stmt(sql).all(...(params as SQLInputValue[])) as unknown as T[];
  }

  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return Promise.resolve(this.allSync<T>(sql, ...params));
  }

  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return Promise.resolve(this.stmt(sql).get(...(params as SQLInputValue[])) as unknown as T | undefined);
  }

  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return Promise.resolve({ changes: Number(this.stmt(sql).run(...(params as SQLInputValue[])).changes) });
  }
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  readonly file: string;
  readonly writer: Connection;
  readonly reader: Connection;
  /** Commits made through this store (other connections show up in PRAGMA data_version). */
  #writes = 0;
  /** Of those, the ones that changed only download counts (the simple index does not show them). */
  #counted = 0;
  #dataVersion: StatementSync;
  /** PRAGMA data_version as read in this turn of the event loop (see generationSync). */
  #turnVersion: number | undefined;
  /** The two generation strings of this turn (content, all), until a commit here or the turn ends. */
  #turnStrings: [string, string] | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
    const writer = new DatabaseSync(file);
    writer.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.writer = new Connection(writer);
    const reader = new DatabaseSync(file);
    reader.exec('PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.reader = new Connection(reader);
    // The writer's data_version moves only for other connections' commits; this store counts its own.
    this.#dataVersion = writer.prepare('PRAGMA data_version');
    this.#dataVersion.setReturnArrays(true);
  }

  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.reader.all<T>(sql, ...params);
  }

  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.reader.get<T>(sql, ...params);
  }

  /** Outside a transaction a write is a transaction of its own. */
  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return this.transaction((tx) => tx.run(sql, ...params));
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>, kind: WriteKind = 'content'): Promise<T> {
    const next = this.#queue.then(async () => {
      this.writer.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writer);
        this.writer.db.exec('COMMIT');
        if (kind === 'counter') this.#counted++;
        else this.#writes++;
        this.#turnStrings = undefined;
        return result;
      } catch (err) {
        if (this.writer.db.isTransaction) this.writer.db.exec('ROLLBACK');
        throw err;
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Several statements (migrations) in one go on the writer. */
  exec(sql: string): void {
    this.writer.db.exec(sql);
  }

  /**
   * Other connections' commits (PRAGMA data_version) are read once per turn of the event loop,
   * not per request: the reader's WAL lock made it most of a cached answer's cost. Cache lookups
   * run in the poll phase (socket callbacks and their promise continuations), and libuv collects
   * that phase's ready sockets before running any callback, so every request answered from the
   * value had arrived before it was read: none can have been sent after a commit it misses. The
   * value is dropped in the check phase that follows. This store's own commits count at once.
   */
  generationSync(scope: 'all' | 'content'): string {
    let strings = this.#turnStrings;
    if (strings === undefined) {
      let version = this.#turnVersion;
      if (version === undefined) {
        const v = this.#dataVersion.get() as unknown as [number] | undefined;
        version = this.#turnVersion = v ? v[0] : 0;
        setImmediate(() => {
          this.#turnVersion = undefined;
          this.#turnStrings = undefined;
        });
      }
      const base = `${this.#writes}:${version}`;
      strings = this.#turnStrings = [base, `${base}:${this.#counted}`];
    }
    return scope === 'content' ? strings[0] : strings[1];
  }

  generation(scope: 'all' | 'content'): Promise<string> {
    return Promise.resolve(this.generationSync(scope));
  }

  async ping(): Promise<void> {
    this.reader.stmt('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.#queue;
    if (this.reader.db.isOpen) this.reader.db.close();
    if (this.writer.db.isOpen) this.writer.db.close();
  }
}
