/**
 * Storage: SQLite (node:sqlite) for metadata, files on disk under `<data-dir>/files/<package>/`.
 * Every write is a transaction. A publish writes its files under temporary names first and
 * renames them inside the transaction that inserts the rows, so a crash leaves either the whole
 * release or nothing the API can see; leftovers are removed when the store opens.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Provenance, type ListQuery, type Plugin, type PluginType, type Release, type ReleaseFile } from '../src/core/marketplace/schemas.ts';
import { shortName } from '../src/core/names.ts';
import { HttpError } from './errors.ts';
import { hashToken, newToken } from './auth/tokens.ts';
import { isPrerelease } from '../src/core/pep440/index.ts';
import { compareVersions, sameVersion } from './validation.ts';
import { isoTimestamp } from './time.ts';
import { RANK_TEXT_CHARS, SearchBudget, matchExpression, queryTerms, scorer } from './search.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (
  id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plugins (
  id INTEGER PRIMARY KEY,
  package TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  author TEXT NOT NULL,
  plugin_type TEXT NOT NULL,
  license TEXT NOT NULL,
  homepage TEXT,
  repository TEXT,
  owner TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS releases (
  id INTEGER PRIMARY KEY,
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  version TEXT NOT NULL,
  fapilog_compatibility TEXT NOT NULL,
  requires_python TEXT,
  dependencies TEXT NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  yanked_reason TEXT,
  published_at TEXT NOT NULL,
  readme TEXT NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0,
  UNIQUE (plugin_id, version)
);
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  release_id INTEGER NOT NULL REFERENCES releases(id),
  filename TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  package TEXT NOT NULL,
  UNIQUE (package, filename)
);
-- Every plugin read joins files to releases; without this each one scans the whole files table.
-- IF NOT EXISTS: data dirs created before the index get it the next time the store opens.
CREATE INDEX IF NOT EXISTS files_release_id ON files(release_id);
CREATE TABLE IF NOT EXISTS ratings (
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  rater TEXT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  PRIMARY KEY (plugin_id, rater)
);
CREATE TABLE IF NOT EXISTS fapilog_versions (version TEXT PRIMARY KEY);
CREATE VIRTUAL TABLE IF NOT EXISTS plugins_fts USING fts5(
  name, package, description, author, content='plugins', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER IF NOT EXISTS plugins_ai AFTER INSERT ON plugins BEGIN
  INSERT INTO plugins_fts(rowid, name, package, description, author)
  VALUES (new.id, new.name, new.package, new.description, new.author);
END;
CREATE TRIGGER IF NOT EXISTS plugins_ad AFTER DELETE ON plugins BEGIN
  INSERT INTO plugins_fts(plugins_fts, rowid, name, package, description, author)
  VALUES ('delete', old.id, old.name, old.package, old.description, old.author);
END;
CREATE TRIGGER IF NOT EXISTS plugins_au AFTER UPDATE ON plugins BEGIN
  INSERT INTO plugins_fts(plugins_fts, rowid, name, package, description, author)
  VALUES ('delete', old.id, old.name, old.package, old.description, old.author);
  INSERT INTO plugins_fts(rowid, name, package, description, author)
  VALUES (new.id, new.name, new.package, new.description, new.author);
END;
CREATE VIEW IF NOT EXISTS plugin_stats AS
SELECT p.id AS id, p.name AS name, p.author AS author, p.plugin_type AS plugin_type,
  COALESCE((SELECT SUM(r.downloads) FROM releases r WHERE r.plugin_id = p.id), 0) AS downloads,
  COALESCE((SELECT AVG(g.stars) FROM ratings g WHERE g.plugin_id = p.id), 0) AS rating,
  (SELECT MAX(r.published_at) FROM releases r WHERE r.plugin_id = p.id) AS updated
FROM plugins p;
`;

/** A plugin's own metadata: what each publish gives and the plugins row keeps (newest publish wins). */
interface PluginFields {
  package: string;
  description: string;
  author: string;
  plugin_type: PluginType;
  license: string;
  homepage: string | null;
  repository: string | null;
}

interface PluginRow extends PluginFields {
  id: number;
  name: string;
  owner: string;
}

interface ReleaseRow {
  id: number;
  plugin_id: number;
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  dependencies: string;
  yanked: number;
  yanked_reason: string | null;
  published_at: string;
  readme: string;
  downloads: number;
  /** JSON of a Provenance; null for releases published before it was recorded (and seeded ones). */
  provenance: string | null;
}

interface FileRow {
  id: number;
  release_id: number;
  filename: string;
  sha256: string;
  size: number;
  package: string;
}

export interface TokenOwner {
  id: number;
  owner: string;
}

/** What a publish stores: validated metadata plus the bytes of each file. */
export interface NewRelease extends PluginFields {
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  dependencies: string[];
  readme: string;
  published_at?: string;
  downloads?: number;
  yanked_reason?: string;
  /** The bytes, or a file already on disk in this package's directory (a streamed upload, moved in). */
  files: Array<{ filename: string; sha256: string } & ({ data: Uint8Array } | { stagedPath: string; size: number })>;
  provenance?: Provenance | null;
}

export interface PluginRecord {
  row: PluginRow;
  releases: Array<{ row: ReleaseRow; files: FileRow[] }>;
}

export interface SimpleFile {
  filename: string;
  sha256: string;
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  yanked: boolean;
  yanked_reason: string | null;
}

const TEMP_PREFIX = '.tmp-';

/** The per-plugin file reads (named so a test can check their query plans use files_release_id). */
export const FILE_QUERIES = {
  ofPlugin: 'SELECT f.* FROM files f JOIN releases r ON r.id = f.release_id WHERE r.plugin_id = ? ORDER BY f.filename',
  simpleOfPlugin: `SELECT f.filename, f.sha256, r.version, r.fapilog_compatibility, r.requires_python, r.yanked, r.yanked_reason
       FROM files f JOIN releases r ON r.id = f.release_id WHERE r.plugin_id = ? ORDER BY f.filename`,
} as const;

/** Names of files that are not (yet) a release file: removed when the server starts. */
export const TEMP_FILE_PREFIX = TEMP_PREFIX;

export class Store {
  readonly dataDir: string;
  readonly filesDir: string;
  readonly db: DatabaseSync;

  /**
   * `removeLeftovers` is for the server at start only: another process (an `admin` command) must
   * not delete files of a publish the running server has in flight.
   */
  readonly #budget: SearchBudget;
  /** One prepared statement per SQL text: preparing cost more than running most of them. */
  readonly #statements = new Map<string, StatementSync>();
  /** Commits made through this connection (other connections show up in PRAGMA data_version). */
  #writes = 0;
  /** Of those, the ones that changed only download counts (the simple index does not show them). */
  #counted = 0;
  #dataVersion: StatementSync | null = null;

  constructor(dataDir: string, opts: { removeLeftovers?: boolean; searchBudgetMs?: number } = {}) {
    this.dataDir = path.resolve(dataDir);
    this.filesDir = path.join(this.dataDir, 'files');
    makeDirs(this.filesDir);
    this.db = new DatabaseSync(path.join(this.dataDir, 'marketplace.sqlite'));
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    // Data dirs from before provenance was recorded get the column (NULL: publisher unknown).
    if (!this.all<{ name: string }>('PRAGMA table_info(releases)').some((c) => c.name === 'provenance')) {
      this.db.exec('ALTER TABLE releases ADD COLUMN provenance TEXT');
    }
    this.#budget = new SearchBudget(opts.searchBudgetMs);
    // Called by SQLite for every candidate row of a search: its only way to stop a statement early.
    this.db.function('within_budget', { deterministic: false, varargs: false }, () => this.#budget.check());
    if (opts.removeLeftovers) this.removeLeftovers();
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * Runs fn in one IMMEDIATE transaction (a second process, e.g. `admin token create`, waits).
   * `counter`: it changes download counts only (see `generation`).
   */
  transaction<T>(fn: () => T, kind: 'content' | 'counter' = 'content'): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      if (kind === 'counter') this.#counted++;
      else this.#writes++;
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The prepared statement for `sql`, prepared on first use (the set of SQL texts is fixed and small). */
  private stmt(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.stmt(sql).all(...params) as unknown as T[];
  }

  private get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as unknown as T | undefined;
  }

  /**
   * Changes whenever anything the API can show may have changed: a commit through this store, or
   * one by another connection (an `admin` command, a second server process on the same data dir).
   * Cached answers are valid only for the generation they were built at. `content` leaves out
   * this store's download-count commits, for answers that show no counts (the simple index).
   */
  generation(scope: 'all' | 'content' = 'all'): string {
    // Asked once per cacheable request: a dedicated statement returning an array is the cheapest read.
    if (!this.#dataVersion) {
      this.#dataVersion = this.db.prepare('PRAGMA data_version');
      this.#dataVersion.setReturnArrays(true);
    }
    const v = this.#dataVersion.get() as unknown as [number] | undefined;
    const base = `${this.#writes}:${v ? v[0] : 0}`;
    return scope === 'content' ? base : `${base}:${this.#counted}`;
  }

  /** Temp files of an interrupted publish, and files no committed row points at. */
  private removeLeftovers(): void {
    const known = new Set(this.all<{ package: string; filename: string }>('SELECT package, filename FROM files').map((f) => `${f.package}/${f.filename}`));
    for (const pkg of fs.readdirSync(this.filesDir)) {
      const dir = path.join(this.filesDir, pkg);
      if (!fs.statSync(dir).isDirectory()) {
        // Uploads and publishes stage their files here, beside the package directories.
        if (pkg.startsWith(TEMP_PREFIX)) fs.rmSync(dir, { force: true });
        continue;
      }
      for (const name of fs.readdirSync(dir)) {
        if (name.startsWith(TEMP_PREFIX) || !known.has(`${pkg}/${name}`)) fs.rmSync(path.join(dir, name), { force: true });
      }
      removeIfEmpty(dir);
    }
  }

  // ---- tokens ----

  createToken(owner: string): string {
    const token = newToken();
    this.transaction(() =>
      this.stmt('INSERT INTO tokens (owner, token_hash, created_at) VALUES (?, ?, ?)').run(owner, hashToken(token), isoTimestamp()),
    );
    return token;
  }

  tokenOwner(token: string): TokenOwner | null {
    return this.get<TokenOwner>('SELECT id, owner FROM tokens WHERE token_hash = ?', hashToken(token)) ?? null;
  }

  listTokens(): Array<{ id: number; owner: string; created_at: string }> {
    return this.all('SELECT id, owner, created_at FROM tokens ORDER BY id');
  }

  revokeToken(id: number): boolean {
    return this.transaction(() => Number(this.stmt('DELETE FROM tokens WHERE id = ?').run(id).changes) > 0);
  }

  // ---- fapilog versions ----

  addFapilogVersions(versions: string[]): void {
    this.transaction(() => {
      const stmt = this.stmt('INSERT OR IGNORE INTO fapilog_versions (version) VALUES (?)');
      for (const v of versions) stmt.run(v);
    });
  }

  fapilogVersions(): string[] {
    return this.all<{ version: string }>('SELECT version FROM fapilog_versions')
      .map((r) => r.version)
      .sort(compareVersions);
  }

  // ---- reads ----

  pluginRow(pkg: string): PluginRow | null {
    return this.get<PluginRow>('SELECT * FROM plugins WHERE package = ?', pkg) ?? null;
  }

  record(pkg: string): PluginRecord | null {
    const row = this.pluginRow(pkg);
    return row ? this.recordOf(row) : null;
  }

  private recordOf(row: PluginRow): PluginRecord {
    const releases = this.all<ReleaseRow>('SELECT * FROM releases WHERE plugin_id = ?', row.id).sort((a, b) =>
      compareVersions(a.version, b.version),
    );
    const files = this.all<FileRow>(FILE_QUERIES.ofPlugin, row.id);
    return {
      row,
      releases: releases.map((r) => ({ row: r, files: files.filter((f) => f.release_id === r.id) })),
    };
  }

  /**
   * Records of many plugins with four statements in all (plugins, releases, files, ratings), not
   * four per plugin: a search page or a batch. Keyed by plugin id; ids that do not exist are absent.
   */
  recordsById(ids: readonly number[]): Map<number, PluginRecord & { rating: Rating }> {
    const out = new Map<number, PluginRecord & { rating: Rating }>();
    if (ids.length === 0) return out;
    const list = JSON.stringify(ids);
    const rows = this.all<PluginRow>('SELECT * FROM plugins WHERE id IN (SELECT value FROM json_each(?))', list);
    return this.assemble(rows, list);
  }

  /** `recordsById` by package name (names not in the marketplace are absent). */
  recordsByPackage(packages: readonly string[]): Map<string, PluginRecord & { rating: Rating }> {
    const out = new Map<string, PluginRecord & { rating: Rating }>();
    if (packages.length === 0) return out;
    const rows = this.all<PluginRow>('SELECT * FROM plugins WHERE package IN (SELECT value FROM json_each(?))', JSON.stringify(packages));
    for (const r of this.assemble(rows, JSON.stringify(rows.map((r) => r.id))).values()) out.set(r.row.package, r);
    return out;
  }

  private assemble(rows: PluginRow[], idList: string): Map<number, PluginRecord & { rating: Rating }> {
    const out = new Map<number, PluginRecord & { rating: Rating }>();
    if (rows.length === 0) return out;
    const releases = this.all<ReleaseRow>('SELECT * FROM releases WHERE plugin_id IN (SELECT value FROM json_each(?))', idList);
    const files = this.all<FileRow>(
      'SELECT f.* FROM files f JOIN releases r ON r.id = f.release_id WHERE r.plugin_id IN (SELECT value FROM json_each(?)) ORDER BY f.filename',
      idList,
    );
    const ratings = this.all<{ plugin_id: number; avg: number | null; n: number }>(
      'SELECT plugin_id, AVG(stars) AS avg, COUNT(*) AS n FROM ratings WHERE plugin_id IN (SELECT value FROM json_each(?)) GROUP BY plugin_id',
      idList,
    );
    const filesOf = new Map<number, FileRow[]>();
    for (const f of files) {
      const list = filesOf.get(Number(f.release_id));
      if (list) list.push(f);
      else filesOf.set(Number(f.release_id), [f]);
    }
    const releasesOf = new Map<number, ReleaseRow[]>();
    for (const r of releases) {
      const list = releasesOf.get(Number(r.plugin_id));
      if (list) list.push(r);
      else releasesOf.set(Number(r.plugin_id), [r]);
    }
    const ratingOf = new Map(ratings.map((r) => [Number(r.plugin_id), ratingFrom(r)]));
    for (const row of rows) {
      const id = Number(row.id);
      const rs = (releasesOf.get(id) ?? []).sort((a, b) => compareVersions(a.version, b.version));
      out.set(id, {
        row,
        releases: rs.map((r) => ({ row: r, files: filesOf.get(Number(r.id)) ?? [] })),
        rating: ratingOf.get(id) ?? { rating: 0, rating_count: 0 },
      });
    }
    return out;
  }

  rating(pluginId: number): { rating: number; rating_count: number } {
    const r = this.get<{ avg: number | null; n: number }>('SELECT AVG(stars) AS avg, COUNT(*) AS n FROM ratings WHERE plugin_id = ?', pluginId);
    return r ? ratingFrom(r) : { rating: 0, rating_count: 0 };
  }

  /**
   * Ids of the plugins a list or search query selects, in order, and the total before paging.
   * Bounded (server/search.ts): capped terms, FTS5 only filters, relevance is ranked in JS, and
   * every statement runs under the search budget (503 when spent).
   */
  query(q: ListQuery): { ids: number[]; total: number } {
    const where: string[] = ['within_budget()'];
    const params: SQLInputValue[] = [];
    let from = 'plugin_stats s';
    const terms = queryTerms(q.q);
    if (terms.length > 0) {
      from = 'plugins_fts f JOIN plugin_stats s ON s.id = f.rowid';
      where.push('plugins_fts MATCH ?');
      params.push(matchExpression(terms));
    }
    if (q.type) {
      where.push('s.plugin_type = ?');
      params.push(q.type);
    }
    if (q.author) {
      where.push("s.author LIKE ? ESCAPE '\\'");
      params.push(`%${q.author.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (q.min_rating !== undefined) {
      where.push('s.rating >= ?');
      params.push(q.min_rating);
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const offset = (q.page - 1) * q.per_page;
    return this.#budget.run(() => {
      if (terms.length > 0 && q.sort === undefined) {
        // Relevance: every matching row is ranked (linear), then the page is cut.
        // within_budget() in the WHERE clause checks the budget for every candidate row.
        const rows = this.all<{ id: number; name: string; package: string; author: string; description: string }>(
          `SELECT p.id AS id, p.name AS name, p.package AS package, p.author AS author, substr(p.description, 1, ${RANK_TEXT_CHARS}) AS description FROM ${from} JOIN plugins p ON p.id = s.id ${clause}`,
          ...params,
        );
        const rank = scorer(terms);
        const ranked: Array<{ id: number; name: string; score: number }> = [];
        for (const r of rows) {
          this.#budget.check();
          ranked.push({ id: Number(r.id), name: r.name, score: rank(r) });
        }
        ranked.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { ids: ranked.slice(offset, offset + q.per_page).map((r) => r.id), total: ranked.length };
      }
      const order =
        q.sort === 'downloads'
          ? 's.downloads DESC, s.name'
          : q.sort === 'rating'
            ? 's.rating DESC, s.name'
            : q.sort === 'updated'
              ? 's.updated DESC, s.name'
              : 's.name';
      const total = Number(this.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${clause}`, ...params)?.n ?? 0);
      const ids = this.all<{ id: number }>(`SELECT s.id AS id FROM ${from} ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`, ...params, q.per_page, offset).map((r) =>
        Number(r.id),
      );
      return { ids, total };
    });
  }

  recordById(id: number): PluginRecord | null {
    const row = this.get<PluginRow>('SELECT * FROM plugins WHERE id = ?', id);
    return row ? this.recordOf(row) : null;
  }

  packages(): string[] {
    return this.all<{ package: string }>('SELECT package FROM plugins ORDER BY package').map((r) => r.package);
  }

  simpleFiles(pkg: string): SimpleFile[] | null {
    const plugin = this.pluginRow(pkg);
    if (!plugin) return null;
    return this.all<Omit<SimpleFile, 'yanked'> & { yanked: number }>(FILE_QUERIES.simpleOfPlugin, plugin.id).map((f) => ({ ...f, yanked: Boolean(f.yanked) }));
  }

  file(pkg: string, filename: string): (FileRow & { path: string }) | null {
    const row = this.get<FileRow>('SELECT * FROM files WHERE package = ? AND filename = ?', pkg, filename);
    return row ? { ...row, path: path.join(this.filesDir, pkg, filename) } : null;
  }

  // ---- writes ----

  countDownload(releaseId: number): void {
    this.transaction(() => this.stmt('UPDATE releases SET downloads = downloads + 1 WHERE id = ?').run(releaseId), 'counter');
  }

  yank(releaseId: number, reason: string): void {
    this.transaction(() => this.stmt('UPDATE releases SET yanked = 1, yanked_reason = ? WHERE id = ?').run(reason, releaseId));
  }

  rate(pluginId: number, rater: string, stars: number): void {
    this.transaction(() =>
      this.stmt('INSERT INTO ratings (plugin_id, rater, stars) VALUES (?, ?, ?) ON CONFLICT (plugin_id, rater) DO UPDATE SET stars = excluded.stars')
        .run(pluginId, rater, stars),
    );
  }

  /**
   * Stores a new release (and the plugin, on its first release, owned by `owner`).
   * 'unchanged' when the version exists with exactly these files; 409 when it exists with others.
   */
  publish(owner: string, rel: NewRelease): { status: 'published' | 'unchanged' } {
    // Staged outside the write lock (disk writes can be slow), beside the package directories: the
    // package's own directory is made only as its files are committed, so a refused first publish
    // of a name leaves nothing behind. Every decision is taken inside the lock.
    const dir = path.join(this.filesDir, rel.package);
    const staged: Array<NewRelease['files'][number] & { temp: string; final: string }> = [];
    const renamed: string[] = [];
    let madeDir = false;
    try {
      for (const f of rel.files) {
        const temp = path.join(this.filesDir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${f.filename}`);
        staged.push({ ...f, temp, final: path.join(dir, f.filename) });
        if ('stagedPath' in f) fs.renameSync(f.stagedPath, temp);
        else fs.writeFileSync(temp, f.data, { flush: true });
      }
      return this.transaction(() => {
        // Owner and existing version are read inside the IMMEDIATE transaction: another server
        // process or an `admin` command may have written the plugin since this request began.
        const existing = this.pluginRow(rel.package);
        if (existing && existing.owner !== owner) {
          throw new HttpError(403, 'forbidden', `${rel.package} belongs to another owner`);
        }
        if (existing) {
          const same = this.recordOf(existing).releases.find((r) => sameVersion(r.row.version, rel.version));
          if (same) {
            const have = same.files.map((f) => `${f.filename}:${f.sha256}`).sort().join('\n');
            const want = rel.files.map((f) => `${f.filename}:${f.sha256}`).sort().join('\n');
            if (have === want) return { status: 'unchanged' } as const;
            throw new HttpError(409, 'conflict', `${rel.package} ${same.row.version} is already published with different files; publish a new version`);
          }
        }
        const now = isoTimestamp();
        let pluginId: number;
        if (existing) {
          pluginId = existing.id;
          const newest = this.all<{ version: string }>('SELECT version FROM releases WHERE plugin_id = ?', pluginId).every(
            (r) => compareVersions(rel.version, r.version) > 0,
          );
          // The listing describes the plugin as its newest release does.
          if (newest) {
            this.stmt('UPDATE plugins SET description = ?, author = ?, plugin_type = ?, license = ?, homepage = ?, repository = ? WHERE id = ?')
              .run(rel.description, rel.author, rel.plugin_type, rel.license, rel.homepage, rel.repository, pluginId);
          }
        } else {
          pluginId = Number(
            this.stmt(
              'INSERT INTO plugins (package, name, description, author, plugin_type, license, homepage, repository, owner, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            ).run(rel.package, shortName(rel.package), rel.description, rel.author, rel.plugin_type, rel.license, rel.homepage, rel.repository, owner, now).lastInsertRowid,
          );
        }
        const releaseId = Number(
          this.stmt(
            'INSERT INTO releases (plugin_id, version, fapilog_compatibility, requires_python, dependencies, yanked, yanked_reason, published_at, readme, downloads, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          ).run(
            pluginId,
            rel.version,
            rel.fapilog_compatibility,
            rel.requires_python,
            JSON.stringify(rel.dependencies),
            rel.yanked_reason ? 1 : 0,
            rel.yanked_reason ?? null,
            rel.published_at ?? now,
            rel.readme,
            rel.downloads ?? 0,
            rel.provenance ? JSON.stringify(rel.provenance) : null,
          ).lastInsertRowid,
        );
        const insertFile = this.stmt('INSERT INTO files (release_id, filename, sha256, size, package) VALUES (?, ?, ?, ?, ?)');
        for (const f of staged) insertFile.run(releaseId, f.filename, f.sha256, 'data' in f ? f.data.length : f.size, rel.package);
        // Files become visible under their real names only as the rows commit.
        if (staged.length > 0 && !fs.existsSync(dir)) {
          fs.mkdirSync(dir);
          madeDir = true;
        }
        for (const f of staged) {
          fs.renameSync(f.temp, f.final);
          renamed.push(f.final);
        }
        return { status: 'published' } as const;
      });
    } catch (err) {
      for (const p of renamed) fs.rmSync(p, { force: true });
      if (madeDir) removeIfEmpty(dir);
      if (err instanceof Error && /UNIQUE constraint failed: files/.test(err.message)) {
        throw new HttpError(409, 'conflict', 'a file with this name already belongs to another release');
      }
      throw err;
    } finally {
      // Renamed ones are gone already; the rest ('unchanged', 403, 409, failures) are dropped.
      for (const f of staged) fs.rmSync(f.temp, { force: true });
    }
  }
}

/** Removes `dir` if nothing is in it (another writer's file keeps it). */
function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty, or gone already
  }
}

/**
 * `mkdir -p` that fails instead of spinning: Node's recursive mkdirSync loops forever where mkdir
 * answers ENOENT for a parent that exists (under /proc), which made `serve` hang silently.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing) fs.mkdirSync(d);
  if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`not a directory: ${dir}`), { code: 'ENOTDIR' });
}

export interface Rating {
  rating: number;
  rating_count: number;
}

function ratingFrom(r: { avg: number | null; n: number }): Rating {
  return { rating: r.avg !== null ? Math.round(r.avg * 100) / 100 : 0, rating_count: Number(r.n) };
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---- views (rows -> contract objects) ----

export function releaseView(record: PluginRecord, r: PluginRecord['releases'][number], baseUrl: string): Release {
  return {
    name: record.row.name,
    package: record.row.package,
    version: r.row.version,
    fapilog_compatibility: r.row.fapilog_compatibility,
    requires_python: r.row.requires_python,
    dependencies: JSON.parse(r.row.dependencies) as string[],
    yanked: Boolean(r.row.yanked),
    yanked_reason: r.row.yanked_reason,
    published_at: r.row.published_at,
    readme: r.row.readme,
    files: r.files.map((f) => fileView(f, baseUrl)),
    provenance: r.row.provenance ? Provenance.parse(JSON.parse(r.row.provenance)) : null,
  };
}

export function fileView(f: FileRow, baseUrl: string): ReleaseFile {
  return { filename: f.filename, sha256: f.sha256, size: Number(f.size), url: fileUrl(baseUrl, f.package, f.filename) };
}

export function fileUrl(baseUrl: string, pkg: string, filename: string): string {
  return `${baseUrl}/files/${encodeURIComponent(pkg)}/${encodeURIComponent(filename)}`;
}

/** The release a plugin is shown as: newest non-yanked final, else newest non-yanked, else newest. */
export function currentRelease(record: PluginRecord): PluginRecord['releases'][number] {
  const rs = record.releases;
  const pick =
    [...rs].reverse().find((r) => !r.row.yanked && !isPrerelease(r.row.version)) ??
    [...rs].reverse().find((r) => !r.row.yanked) ??
    rs[rs.length - 1];
  if (!pick) throw new Error(`plugin ${record.row.package} has no releases`);
  return pick;
}

/** `known`: the plugin's rating when the caller read it already (recordsById). */
export function pluginView(store: Store, record: PluginRecord, known?: Rating): Plugin {
  const cur = currentRelease(record);
  const wheel = cur.files.find((f) => f.filename.endsWith('.whl')) ?? cur.files[0];
  const { rating, rating_count } = known ?? store.rating(record.row.id);
  return {
    name: record.row.name,
    package: record.row.package,
    version: cur.row.version,
    description: record.row.description,
    author: record.row.author,
    plugin_type: record.row.plugin_type,
    downloads: record.releases.reduce((n, r) => n + Number(r.row.downloads), 0),
    rating,
    rating_count,
    homepage: record.row.homepage,
    repository: record.row.repository,
    license: record.row.license,
    fapilog_compatibility: cur.row.fapilog_compatibility,
    dependencies: JSON.parse(cur.row.dependencies) as string[],
    published_at: cur.row.published_at,
    checksum: wheel ? wheel.sha256 : null,
  };
}
