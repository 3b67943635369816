/**
 * The store's queries: one class over the Db interface (db.ts), the same SQL for both dialects
 * except where the dialects differ (search; where release file bytes live). Every write is a
 * transaction; every decision a write depends on is read inside it.
 *
 * Release files live in a directory (`filesDir`: SQLite's data dir, or a directory every
 * PostgreSQL instance shares) or, with PostgreSQL and no directory, in the database (`file_data`).
 * In a directory, a publish writes its files under temporary names first and renames them inside
 * the transaction that inserts the rows, so a crash leaves either the whole release or nothing the
 * API can see; leftovers are removed when the server starts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListQuery, Provenance } from '../../src/core/marketplace/schemas.ts';
import { shortName } from '../../src/core/names.ts';
import { HttpError } from '../errors.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { compareVersions, sameVersion } from '../validation.ts';
import { isoTimestamp } from '../time.ts';
import { SearchBudget, tokens } from '../search.ts';
import { inList, isUniqueViolation, type Db, type Sql, type WriteKind } from './db.ts';
import { searchPostgres, searchSqlite } from './search.ts';
import { advisoriesByPlugin } from './advisories.ts';
import type { CountBatch } from '../downloads.ts';
import type { DailyRow } from '../stats.ts';
import type { SqliteDb } from './sqlite.ts';
import type { PostgresDb } from './postgres.ts';
import type {
  CompatibilityFix,
  FileRow,
  NewRelease,
  PluginRecord,
  PluginRow,
  Rating,
  ReleaseRow,
  SimpleFile,
  TokenListing,
  TokenOwner,
} from './types.ts';

const TEMP_PREFIX = '.tmp-';
/** Names of files that are not (yet) a release file: removed when the server starts. */
export const TEMP_FILE_PREFIX = TEMP_PREFIX;

/** The per-plugin file reads (named so a test can check their query plans use files_release_id). */
export const FILE_QUERIES = {
  ofPlugin: 'SELECT f.* FROM files f JOIN releases r ON r.id = f.release_id WHERE r.plugin_id = ? ORDER BY f.filename',
  simpleOfPlugin: `SELECT f.filename, f.sha256, r.version, COALESCE(r.corrected_compatibility, r.fapilog_compatibility) AS fapilog_compatibility, r.requires_python, r.yanked, r.yanked_reason
       FROM files f JOIN releases r ON r.id = f.release_id WHERE r.plugin_id = ? ORDER BY f.filename`,
} as const;

export interface StoreOptions {
  /** Where release files live; null: in the database (PostgreSQL only). */
  filesDir: string | null;
  searchBudgetMs?: number;
  /** Where a data dir lives (SQLite), for backups and messages. */
  dataDir?: string;
}

/** A stored file, and how to read its bytes. */
export type StoredFile = FileRow & ({ path: string } | { load: () => Promise<Uint8Array> });

export class Store {
  readonly db: Db;
  readonly dialect: Db['dialect'];
  readonly filesDir: string | null;
  readonly dataDir: string | undefined;
  readonly budget: SearchBudget;
  /** Uploads are streamed here before the store takes them (a private temp dir when files live in the database). */
  readonly #staging: string | null;

  constructor(db: Db, opts: StoreOptions) {
    this.db = db;
    this.dialect = db.dialect;
    this.filesDir = opts.filesDir ? path.resolve(opts.filesDir) : null;
    this.dataDir = opts.dataDir;
    this.budget = new SearchBudget(opts.searchBudgetMs);
    this.#staging = this.filesDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-staging-'));
    if (this.filesDir) makeDirs(this.filesDir);
    if (db.dialect === 'sqlite') {
      // Called by SQLite for every candidate row of a search: its only way to stop a statement early.
      (db as SqliteDb).reader.db.function('within_budget', { deterministic: false, varargs: false }, () => this.budget.check());
    }
  }

  get sqlite(): SqliteDb | null {
    return this.dialect === 'sqlite' ? (this.db as SqliteDb) : null;
  }

  get postgres(): PostgresDb | null {
    return this.dialect === 'postgres' ? (this.db as PostgresDb) : null;
  }

  async close(): Promise<void> {
    await this.db.close();
    if (this.#staging) fs.rmSync(this.#staging, { recursive: true, force: true });
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>, kind: WriteKind = 'content'): Promise<T> {
    return this.db.transaction(fn, kind);
  }

  /**
   * Changes whenever anything the API can show may have changed: a commit through this store, or
   * one by another connection or instance. Cached answers are valid only for the generation they
   * were built at. `content` leaves out download-count commits, for answers that show no counts.
   */
  generation(scope: 'all' | 'content' = 'all'): Promise<string> {
    return this.db.generation(scope);
  }

  /** `generation` when the store can tell it without waiting, else undefined (db.ts). */
  generationSync(scope: 'all' | 'content' = 'all'): string | undefined {
    return this.db.generationSync?.(scope);
  }

  /**
   * Where uploads are streamed (temporary names; see TEMP_FILE_PREFIX): beside the package
   * directories, so that the rename into place stays on one file system and a refused first
   * publish leaves no package directory; a private temp dir when files live in the database.
   */
  stagingDir(): string {
    return this.filesDir ?? this.#staging!;
  }

  /**
   * Temp files of an interrupted publish, and files no committed row points at. `minAgeMs`: with
   * a directory other instances share, only what is older than any publish in flight.
   */
  async removeLeftovers(minAgeMs = 0): Promise<void> {
    if (!this.filesDir) return;
    const known = new Set(
      (await this.db.all<{ package: string; filename: string }>('SELECT package, filename FROM files')).map(
        (f) => `${f.package}/${f.filename}`,
      ),
    );
    const cutoff = Date.now() - minAgeMs;
    const old = (file: string) => minAgeMs === 0 || fs.statSync(file).mtimeMs <= cutoff;
    for (const pkg of fs.readdirSync(this.filesDir)) {
      const dir = path.join(this.filesDir, pkg);
      if (!fs.statSync(dir).isDirectory()) {
        // Uploads and publishes stage their files here, beside the package directories.
        if (pkg.startsWith(TEMP_PREFIX) && old(dir)) fs.rmSync(dir, { force: true });
        continue;
      }
      for (const name of fs.readdirSync(dir)) {
        if (!(name.startsWith(TEMP_PREFIX) || !known.has(`${pkg}/${name}`))) continue;
        const file = path.join(dir, name);
        if (old(file)) fs.rmSync(file, { force: true });
      }
      // Not with a shared directory: another instance may be about to commit into an empty one.
      if (minAgeMs === 0) removeIfEmpty(dir);
    }
  }

  // ---- tokens ----

  /** A new token, printed once; with `expiresAt` it stops working then, with `plugins` it may act only on those; `admin` may correct any plugin's compatibility. */
  async createToken(owner: string, opts: { expiresAt?: string | null; plugins?: string[] | null; admin?: boolean } = {}): Promise<string> {
    const token = newToken();
    const plugins = opts.plugins && opts.plugins.length > 0 ? opts.plugins.join(',') : null;
    await this.transaction((tx) =>
      tx.run(
        'INSERT INTO tokens (owner, token_hash, created_at, expires_at, plugins, admin) VALUES (?, ?, ?, ?, ?, ?)',
        owner,
        hashToken(token),
        isoTimestamp(),
        opts.expiresAt ?? null,
        plugins,
        opts.admin ? 1 : 0,
      ),
    );
    return token;
  }

  async tokenOwner(token: string): Promise<TokenOwner | null> {
    const row = await this.db.get<{ id: number; owner: string; expires_at: string | null; plugins: string | null; admin: number }>(
      'SELECT id, owner, expires_at, plugins, admin FROM tokens WHERE token_hash = ?',
      hashToken(token),
    );
    return row
      ? {
          id: row.id,
          owner: row.owner,
          expiresAt: row.expires_at,
          plugins: row.plugins ? row.plugins.split(',') : null,
          admin: Number(row.admin) === 1,
        }
      : null;
  }

  async listTokens(): Promise<TokenListing[]> {
    const rows = await this.db.all<{ id: number; owner: string; created_at: string; expires_at: string | null; plugins: string | null }>(
      'SELECT id, owner, created_at, expires_at, plugins FROM tokens ORDER BY id',
    );
    return rows.map((r) => ({ ...r, plugins: r.plugins ? r.plugins.split(',') : null }));
  }

  async revokeToken(id: number): Promise<boolean> {
    return (await this.transaction((tx) => tx.run('DELETE FROM tokens WHERE id = ?', id))).changes > 0;
  }

  // ---- fapilog versions ----

  async addFapilogVersions(versions: string[]): Promise<void> {
    await this.transaction(async (tx) => {
      for (const v of versions) await tx.run('INSERT INTO fapilog_versions (version) VALUES (?) ON CONFLICT DO NOTHING', v);
    });
  }

  async fapilogVersions(): Promise<string[]> {
    return (await this.db.all<{ version: string }>('SELECT version FROM fapilog_versions')).map((r) => r.version).sort(compareVersions);
  }

  // ---- reads ----

  async pluginRow(pkg: string, sql: Sql = this.db): Promise<PluginRow | null> {
    return (await sql.get<PluginRow>('SELECT * FROM plugins WHERE package = ?', pkg)) ?? null;
  }

  async record(pkg: string, sql: Sql = this.db): Promise<PluginRecord | null> {
    const row = await this.pluginRow(pkg, sql);
    return row ? this.recordOf(row, sql) : null;
  }

  async recordById(id: number): Promise<PluginRecord | null> {
    const row = await this.db.get<PluginRow>('SELECT * FROM plugins WHERE id = ?', id);
    return row ? this.recordOf(row) : null;
  }

  private async recordOf(row: PluginRow, sql: Sql = this.db): Promise<PluginRecord> {
    const releases = (await sql.all<ReleaseRow>('SELECT * FROM releases WHERE plugin_id = ?', row.id)).sort((a, b) =>
      compareVersions(a.version, b.version),
    );
    const files = await sql.all<FileRow>(FILE_QUERIES.ofPlugin, row.id);
    const advisories = (await advisoriesByPlugin(sql, [Number(row.id)])).get(Number(row.id)) ?? [];
    return {
      row,
      releases: releases.map((r) => ({ row: r, files: files.filter((f) => Number(f.release_id) === Number(r.id)) })),
      advisories,
    };
  }

  /**
   * Records of many plugins with four statements in all (plugins, releases, files, ratings), not
   * four per plugin: a search page or a batch. Keyed by plugin id; ids that do not exist are absent.
   */
  async recordsById(ids: readonly number[]): Promise<Map<number, PluginRecord & { rating: Rating }>> {
    if (ids.length === 0) return new Map();
    const [cond, param] = inList(this.db, 'id', ids, 'int');
    return this.assemble(await this.db.all<PluginRow>(`SELECT * FROM plugins WHERE ${cond}`, param));
  }

  /** `recordsById` by package name (names not in the marketplace are absent). */
  async recordsByPackage(packages: readonly string[]): Promise<Map<string, PluginRecord & { rating: Rating }>> {
    const out = new Map<string, PluginRecord & { rating: Rating }>();
    if (packages.length === 0) return out;
    const [cond, param] = inList(this.db, 'package', packages, 'text');
    for (const r of (await this.assemble(await this.db.all<PluginRow>(`SELECT * FROM plugins WHERE ${cond}`, param))).values())
      out.set(r.row.package, r);
    return out;
  }

  private async assemble(rows: PluginRow[]): Promise<Map<number, PluginRecord & { rating: Rating }>> {
    const out = new Map<number, PluginRecord & { rating: Rating }>();
    if (rows.length === 0) return out;
    const ids = rows.map((r) => Number(r.id));
    const [byPlugin, p1] = inList(this.db, 'plugin_id', ids, 'int');
    const [byJoined, p2] = inList(this.db, 'r.plugin_id', ids, 'int');
    const [releases, files, ratings, advisories] = await Promise.all([
      this.db.all<ReleaseRow>(`SELECT * FROM releases WHERE ${byPlugin}`, p1),
      this.db.all<FileRow>(`SELECT f.* FROM files f JOIN releases r ON r.id = f.release_id WHERE ${byJoined} ORDER BY f.filename`, p2),
      this.db.all<{ plugin_id: number; avg: number | null; n: number }>(
        `SELECT plugin_id, AVG(stars) AS avg, COUNT(*) AS n FROM ratings WHERE ${byPlugin} GROUP BY plugin_id`,
        p1,
      ),
      advisoriesByPlugin(this.db, ids),
    ]);
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
        advisories: advisories.get(id) ?? [],
        rating: ratingOf.get(id) ?? { rating: 0, rating_count: 0 },
      });
    }
    return out;
  }

  async rating(pluginId: number): Promise<Rating> {
    const r = await this.db.get<{ avg: number | null; n: number }>(
      'SELECT AVG(stars) AS avg, COUNT(*) AS n FROM ratings WHERE plugin_id = ?',
      pluginId,
    );
    return r ? ratingFrom(r) : { rating: 0, rating_count: 0 };
  }

  /**
   * Ids of the plugins a list or search query selects, in order, and the total before paging.
   * Bounded (server/search.ts): capped terms, full-text search only filters, relevance is ranked
   * in JS, and every statement runs under the search budget (503 when spent).
   */
  query(q: ListQuery): Promise<{ ids: number[]; total: number }> {
    return this.dialect === 'sqlite'
      ? Promise.resolve(searchSqlite(this.db as SqliteDb, this.budget, q))
      : searchPostgres(this.db as PostgresDb, this.budget, q);
  }

  async packages(): Promise<string[]> {
    return (await this.db.all<{ package: string }>('SELECT package FROM plugins ORDER BY package')).map((r) => r.package);
  }

  async simpleFiles(pkg: string): Promise<SimpleFile[] | null> {
    const plugin = await this.pluginRow(pkg);
    if (!plugin) return null;
    return (await this.db.all<Omit<SimpleFile, 'yanked'> & { yanked: number }>(FILE_QUERIES.simpleOfPlugin, plugin.id)).map((f) => ({
      ...f,
      yanked: Boolean(f.yanked),
    }));
  }

  async file(pkg: string, filename: string): Promise<StoredFile | null> {
    const row = await this.db.get<FileRow>('SELECT * FROM files WHERE package = ? AND filename = ?', pkg, filename);
    if (!row) return null;
    if (this.filesDir) return { ...row, path: path.join(this.filesDir, pkg, filename) };
    return {
      ...row,
      load: async () => {
        const blob = await this.db.get<{ data: Uint8Array }>('SELECT data FROM file_data WHERE file_id = ?', row.id);
        if (!blob) throw Object.assign(new Error('no stored bytes'), { code: 'ENOENT' });
        return blob.data;
      },
    };
  }

  /** The bytes of a stored file (export, backup). */
  async fileBytes(f: StoredFile): Promise<Uint8Array> {
    return 'path' in f ? fs.readFileSync(f.path) : f.load();
  }

  // ---- writes ----

  /**
   * Adds a batch of download counts (server/downloads.ts) in one transaction: per release and
   * day, and to each release's lifetime total; per-day rows older than `keepFrom` (a day) go.
   */
  async recordDownloads(batch: readonly CountBatch[], keepFrom: string): Promise<void> {
    if (batch.length === 0) return;
    await this.transaction(async (tx) => {
      for (const c of batch) {
        await tx.run(
          'INSERT INTO downloads_daily (release_id, day, downloads) VALUES (?, ?, ?) ON CONFLICT (release_id, day) DO UPDATE SET downloads = downloads_daily.downloads + excluded.downloads',
          c.releaseId,
          c.day,
          c.count,
        );
        await tx.run('UPDATE releases SET downloads = downloads + ? WHERE id = ?', c.count, c.releaseId);
      }
      await tx.run('DELETE FROM downloads_daily WHERE day < ?', keepFrom);
    }, 'counter');
  }

  /** A plugin's per-release per-day download rows in [from, to] (days as YYYY-MM-DD). */
  async dailyDownloads(pluginId: number, from: string, to: string): Promise<DailyRow[]> {
    const rows = await this.db.all<DailyRow>(
      'SELECT d.release_id AS release_id, d.day AS day, d.downloads AS downloads FROM downloads_daily d JOIN releases r ON r.id = d.release_id WHERE r.plugin_id = ? AND d.day >= ? AND d.day <= ? ORDER BY d.day',
      pluginId,
      from,
      to,
    );
    return rows.map((r) => ({ release_id: Number(r.release_id), day: r.day, downloads: Number(r.downloads) }));
  }

  /** Sets (or, with null, removes) a release's compatibility correction; the declared range stays. */
  async correctCompatibility(releaseId: number, fix: CompatibilityFix | null): Promise<void> {
    await this.transaction((tx) =>
      tx.run(
        'UPDATE releases SET corrected_compatibility = ?, correction_reason = ?, corrected_at = ?, corrected_by = ? WHERE id = ?',
        fix?.fapilog_compatibility ?? null,
        fix?.reason ?? null,
        fix?.corrected_at ?? null,
        fix?.corrected_by ?? null,
        releaseId,
      ),
    );
  }

  async yank(releaseId: number, reason: string): Promise<void> {
    await this.transaction((tx) => tx.run('UPDATE releases SET yanked = 1, yanked_reason = ? WHERE id = ?', reason, releaseId));
  }

  /**
   * A mirrored plugin's yanks as its upstream index shows them now (PEP 592 allows un-yanking);
   * releases of local plugins are never touched. The number of releases changed.
   */
  async mirrorYanks(pkg: string, yanks: ReadonlyArray<{ version: string; yanked: boolean; reason: string | null }>): Promise<number> {
    const differences = async (sql: Sql) => {
      const plugin = await this.pluginRow(pkg, sql);
      if (!plugin || plugin.mirrored_from === null) return [];
      const rows = await sql.all<{ id: number; version: string; yanked: number; yanked_reason: string | null }>(
        'SELECT id, version, yanked, yanked_reason FROM releases WHERE plugin_id = ?',
        plugin.id,
      );
      const out: Array<{ id: number; yanked: boolean; reason: string | null }> = [];
      for (const y of yanks) {
        const row = rows.find((r) => sameVersion(r.version, y.version));
        const reason = y.yanked ? y.reason : null;
        if (row && (Boolean(Number(row.yanked)) !== y.yanked || row.yanked_reason !== reason))
          out.push({ id: row.id, yanked: y.yanked, reason });
      }
      return out;
    };
    // Most refreshes change nothing: no write, so cached answers stay valid.
    if ((await differences(this.db)).length === 0) return 0;
    return this.transaction(async (tx) => {
      const changes = await differences(tx);
      for (const c of changes)
        await tx.run('UPDATE releases SET yanked = ?, yanked_reason = ? WHERE id = ?', c.yanked ? 1 : 0, c.reason, c.id);
      return changes.length;
    });
  }

  /** The release installs again as any other: the yank and its reason are gone (a release not yanked stays as it is). */
  async unyank(releaseId: number): Promise<void> {
    await this.transaction((tx) => tx.run('UPDATE releases SET yanked = 0, yanked_reason = NULL WHERE id = ?', releaseId));
  }

  async rate(pluginId: number, rater: string, stars: number): Promise<void> {
    await this.transaction((tx) =>
      tx.run(
        'INSERT INTO ratings (plugin_id, rater, stars) VALUES (?, ?, ?) ON CONFLICT (plugin_id, rater) DO UPDATE SET stars = excluded.stars',
        pluginId,
        rater,
        stars,
      ),
    );
  }

  /**
   * Stores a new release (and the plugin, on its first release, owned by `owner`).
   * 'unchanged' when the version exists with exactly these files; 409 when it exists with others.
   */
  async publish(owner: string, rel: NewRelease): Promise<{ status: 'published' | 'unchanged' }> {
    // Staged outside the write lock (disk writes can be slow), beside the package directories: the
    // package's own directory is made only as its files are committed, so a refused first publish
    // of a name leaves nothing behind. Every decision is taken inside the lock.
    const dir = this.filesDir ? path.join(this.filesDir, rel.package) : '';
    const staged: Array<NewRelease['files'][number] & { temp: string; final: string }> = [];
    const renamed: string[] = [];
    let madeDir = false;
    try {
      for (const f of rel.files) {
        const temp = path.join(this.stagingDir(), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${f.filename}`);
        staged.push({ ...f, temp, final: path.join(dir, f.filename) });
        if ('stagedPath' in f) fs.renameSync(f.stagedPath, temp);
        else fs.writeFileSync(temp, f.data, { flush: true });
      }
      return await this.transaction(async (tx) => {
        // Owner and existing version are read inside the write transaction: another process,
        // instance or `admin` command may have written the plugin since this request began.
        const existing = await this.pluginRow(rel.package, tx);
        // The dependency-confusion guard, decided inside the lock: a mirror never writes into a
        // local plugin, and a local publish never mixes its releases into a mirrored one.
        if (existing && existing.mirrored_from === null && rel.mirrored_from !== undefined) {
          throw new HttpError(403, 'local_plugin', `${rel.package} is a local plugin: the upstream project of that name is not mirrored`);
        }
        if (existing && existing.mirrored_from !== null && rel.mirrored_from === undefined) {
          throw new HttpError(
            403,
            'forbidden',
            `${rel.package} is mirrored from the upstream index ${existing.mirrored_from}; publish it there, or under another name`,
          );
        }
        if (existing && existing.owner !== owner) {
          throw new HttpError(403, 'forbidden', `${rel.package} belongs to another owner`);
        }
        if (existing) {
          const same = (await this.recordOf(existing, tx)).releases.find((r) => sameVersion(r.row.version, rel.version));
          if (same) {
            const have = same.files
              .map((f) => `${f.filename}:${f.sha256}`)
              .sort()
              .join('\n');
            const want = rel.files
              .map((f) => `${f.filename}:${f.sha256}`)
              .sort()
              .join('\n');
            if (have === want) return { status: 'unchanged' } as const;
            throw new HttpError(
              409,
              'conflict',
              `${rel.package} ${same.row.version} is already published with different files; publish a new version`,
            );
          }
        }
        const now = isoTimestamp();
        const searchText = searchTextOf(rel);
        // The plugin's columns its newest release describes: description through repository.
        const described = [rel.description, rel.author, rel.plugin_type, rel.license, rel.homepage, rel.repository];
        let pluginId: number;
        if (existing) {
          pluginId = Number(existing.id);
          const newest = (await tx.all<{ version: string }>('SELECT version FROM releases WHERE plugin_id = ?', pluginId)).every(
            (r) => compareVersions(rel.version, r.version) > 0,
          );
          // The listing describes the plugin as its newest release does.
          if (newest) {
            await tx.run(
              `UPDATE plugins SET description = ?, author = ?, plugin_type = ?, license = ?, homepage = ?, repository = ?${this.dialect === 'postgres' ? ', search_text = ?' : ''} WHERE id = ?`,
              ...[...described, ...(this.dialect === 'postgres' ? [searchText] : []), pluginId],
            );
          }
        } else {
          const pg = this.dialect === 'postgres';
          pluginId = Number(
            (await tx.get<{ id: number }>(
              `INSERT INTO plugins (package, name, description, author, plugin_type, license, homepage, repository, owner, created_at, mirrored_from${pg ? ', search_text' : ''}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${pg ? ', ?' : ''}) RETURNING id`,
              ...[rel.package, shortName(rel.package), ...described, owner, now, rel.mirrored_from ?? null, ...(pg ? [searchText] : [])],
            ))!.id,
          );
        }
        const releaseId = Number(
          (await tx.get<{ id: number }>(
            'INSERT INTO releases (plugin_id, version, fapilog_compatibility, requires_python, dependencies, yanked, yanked_reason, published_at, readme, downloads, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
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
          ))!.id,
        );
        for (const f of staged) {
          const size = 'data' in f ? f.data.length : f.size;
          const fileId = (await tx.get<{ id: number }>(
            'INSERT INTO files (release_id, filename, sha256, size, package) VALUES (?, ?, ?, ?, ?) RETURNING id',
            releaseId,
            f.filename,
            f.sha256,
            size,
            rel.package,
          ))!.id;
          if (!this.filesDir) await tx.run('INSERT INTO file_data (file_id, data) VALUES (?, ?)', fileId, fs.readFileSync(f.temp));
        }
        // Files become visible under their real names only as the rows commit.
        if (this.filesDir) {
          if (staged.length > 0 && !fs.existsSync(dir)) {
            fs.mkdirSync(dir);
            madeDir = true;
          }
          for (const f of staged) {
            fs.renameSync(f.temp, f.final);
            renamed.push(f.final);
          }
        }
        return { status: 'published' } as const;
      });
    } catch (err) {
      for (const p of renamed) fs.rmSync(p, { force: true });
      if (madeDir) removeIfEmpty(dir);
      if (isUniqueViolation(err, 'files')) throw new HttpError(409, 'conflict', 'a file with this name already belongs to another release');
      // Two instances inserting the same new plugin or version at once: the loser is told as a lone one would be.
      if (isUniqueViolation(err, 'releases'))
        throw new HttpError(409, 'conflict', `${rel.package} ${rel.version} is already published; publish a new version`);
      throw err;
    } finally {
      // Renamed ones are gone already; the rest ('unchanged', 403, 409, failures) are dropped.
      for (const f of staged) fs.rmSync(f.temp, { force: true });
    }
  }
}

/** What PostgreSQL's full-text index is built from: the words server/search.ts sees, space-separated. */
export function searchTextOf(p: { package: string; description: string; author: string; name?: string }): string {
  return [p.name ?? shortName(p.package), p.package, p.description, p.author].map((t) => tokens(t).join(' ')).join(' ');
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
export function makeDirs(dir: string): void {
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

function ratingFrom(r: { avg: number | null; n: number }): Rating {
  return { rating: r.avg !== null ? Math.round(Number(r.avg) * 100) / 100 : 0, rating_count: Number(r.n) };
}

export type { Provenance };
