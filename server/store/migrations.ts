/**
 * The schema, as numbered migrations applied in order (at start, and by `admin migrate`). Each
 * migration has a SQLite and a PostgreSQL text with the same meaning; `schema_migrations` records
 * the ones applied. A database whose newest migration is one this code does not know (a newer
 * server wrote it) is refused: running on it could lose what the newer schema holds.
 */
import type { SqliteDb } from './sqlite.ts';
import type { PooledClient, PostgresDb } from './postgres.ts';

export interface Migration {
  version: number;
  name: string;
  /** SQL, or a function for what SQL alone cannot say (a column that older data dirs may already have). */
  sqlite: string | ((db: SqliteDb) => void);
  postgres: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'plugins, releases, files, tokens, ratings, search, trusted publishing',
    // IF NOT EXISTS: data dirs from before migrations were numbered have these already.
    sqlite: `
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
-- AUTOINCREMENT: an id is never reused, so a session granted by a removed publisher cannot come
-- back to life when another publisher is registered later.
CREATE TABLE IF NOT EXISTS trusted_publishers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  package TEXT NOT NULL,
  owner TEXT NOT NULL,
  issuer TEXT NOT NULL,
  repository TEXT NOT NULL,
  repository_id TEXT NOT NULL,
  repository_owner_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  environment TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (package, issuer, repository_id, workflow, environment)
);
CREATE INDEX IF NOT EXISTS trusted_publishers_issuer ON trusted_publishers(issuer);
CREATE TABLE IF NOT EXISTS oidc_jti (
  issuer TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE TABLE IF NOT EXISTS publish_sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  grants TEXT NOT NULL,
  provenance TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`,
    // COLLATE "C" where the API orders by text: byte order, as SQLite's, whatever the database's locale.
    // search_text: the tokens of name, package, description and author as server/search.ts cuts
    // them (written by the store), so PostgreSQL matches exactly the words SQLite's FTS5 would.
    postgres: `
CREATE TABLE tokens (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  owner TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE plugins (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  package TEXT COLLATE "C" NOT NULL UNIQUE,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  author TEXT NOT NULL,
  plugin_type TEXT NOT NULL,
  license TEXT NOT NULL,
  homepage TEXT,
  repository TEXT,
  owner TEXT NOT NULL,
  created_at TEXT NOT NULL,
  search_text TEXT NOT NULL DEFAULT '',
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED
);
CREATE INDEX plugins_search ON plugins USING GIN (search);
CREATE TABLE releases (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  version TEXT NOT NULL,
  fapilog_compatibility TEXT NOT NULL,
  requires_python TEXT,
  dependencies TEXT NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  yanked_reason TEXT,
  published_at TEXT COLLATE "C" NOT NULL,
  readme TEXT NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0,
  UNIQUE (plugin_id, version)
);
CREATE TABLE files (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  release_id INTEGER NOT NULL REFERENCES releases(id),
  filename TEXT COLLATE "C" NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  package TEXT NOT NULL,
  UNIQUE (package, filename)
);
CREATE INDEX files_release_id ON files(release_id);
CREATE TABLE ratings (
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  rater TEXT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  PRIMARY KEY (plugin_id, rater)
);
CREATE TABLE fapilog_versions (version TEXT PRIMARY KEY);
CREATE VIEW plugin_stats AS
SELECT p.id AS id, p.name AS name, p.author AS author, p.plugin_type AS plugin_type,
  COALESCE((SELECT SUM(r.downloads) FROM releases r WHERE r.plugin_id = p.id), 0) AS downloads,
  COALESCE((SELECT AVG(g.stars) FROM ratings g WHERE g.plugin_id = p.id), 0) AS rating,
  (SELECT MAX(r.published_at) FROM releases r WHERE r.plugin_id = p.id) AS updated
FROM plugins p;
CREATE TABLE trusted_publishers (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  package TEXT NOT NULL,
  owner TEXT NOT NULL,
  issuer TEXT NOT NULL,
  repository TEXT NOT NULL,
  repository_id TEXT NOT NULL,
  repository_owner_id TEXT NOT NULL,
  workflow TEXT NOT NULL,
  environment TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (package, issuer, repository_id, workflow, environment)
);
CREATE INDEX trusted_publishers_issuer ON trusted_publishers(issuer);
CREATE TABLE oidc_jti (
  issuer TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, jti)
);
CREATE TABLE publish_sessions (
  id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  grants TEXT NOT NULL,
  provenance TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'release provenance (NULL: publisher unknown)',
    sqlite: (db) => {
      const cols = db.writer.allSync<{ name: string }>('PRAGMA table_info(releases)');
      if (!cols.some((c) => c.name === 'provenance')) db.exec('ALTER TABLE releases ADD COLUMN provenance TEXT');
    },
    postgres: 'ALTER TABLE releases ADD COLUMN provenance TEXT;',
  },
  {
    version: 3,
    name: 'several instances: shared state row, file bytes, rate-limit windows (PostgreSQL)',
    // SQLite is one file on one machine: its data_version, files dir and in-process limiter serve.
    sqlite: '',
    postgres: `
-- One row: write transactions bump it first (it serialises writers across instances and is the
-- generation response caches check); counter: commits that changed only download counts.
CREATE TABLE marketplace_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  content BIGINT NOT NULL DEFAULT 0,
  counter BIGINT NOT NULL DEFAULT 0
);
INSERT INTO marketplace_state (one) VALUES (1);
-- Release file bytes, when no shared files directory is configured.
CREATE TABLE file_data (
  file_id INTEGER PRIMARY KEY REFERENCES files(id),
  data BYTEA NOT NULL
);
-- Fixed rate-limit windows counted by every instance.
CREATE UNLOGGED TABLE rate_limits (
  key TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
`,
  },
  {
    version: 4,
    name: "tokens that expire and tokens scoped to plugins (NULL: never, all the owner's plugins)",
    // expires_at: ISO 8601 UTC, compared as text; plugins: package names, comma-separated.
    sqlite: (db) => {
      // A data dir without migration records (from before they were numbered) may have them.
      const cols = db.writer.allSync<{ name: string }>('PRAGMA table_info(tokens)');
      for (const col of ['expires_at', 'plugins'])
        if (!cols.some((c) => c.name === col)) db.exec(`ALTER TABLE tokens ADD COLUMN ${col} TEXT`);
    },
    postgres: 'ALTER TABLE tokens ADD COLUMN expires_at TEXT; ALTER TABLE tokens ADD COLUMN plugins TEXT;',
  },
  {
    version: 5,
    name: 'compatibility corrections (NULL: as the files declare) and admin tokens',
    // Column by column, as version 2: a data dir whose migration records were lost may have them.
    sqlite: (db) => {
      const has = (table: string, column: string) =>
        db.writer.allSync<{ name: string }>(`PRAGMA table_info(${table})`).some((c) => c.name === column);
      for (const c of ['corrected_compatibility', 'correction_reason', 'corrected_at', 'corrected_by']) {
        if (!has('releases', c)) db.exec(`ALTER TABLE releases ADD COLUMN ${c} TEXT`);
      }
      if (!has('tokens', 'admin')) db.exec('ALTER TABLE tokens ADD COLUMN admin INTEGER NOT NULL DEFAULT 0');
    },
    postgres: `
ALTER TABLE releases ADD COLUMN corrected_compatibility TEXT;
ALTER TABLE releases ADD COLUMN correction_reason TEXT;
ALTER TABLE releases ADD COLUMN corrected_at TEXT;
ALTER TABLE releases ADD COLUMN corrected_by TEXT;
ALTER TABLE tokens ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 6,
    name: 'downloads per release per UTC day; plugin_stats.recent (the last 30 days) for sort=downloads',
    // Kept for RETENTION_DAYS (server/stats.ts), pruned as counts are written; the lifetime total
    // stays in releases.downloads. day is text (YYYY-MM-DD): the same in both stores, ordered as text.
    sqlite: `
CREATE TABLE IF NOT EXISTS downloads_daily (
  release_id INTEGER NOT NULL REFERENCES releases(id),
  day TEXT NOT NULL,
  downloads INTEGER NOT NULL,
  PRIMARY KEY (release_id, day)
);
CREATE INDEX IF NOT EXISTS downloads_daily_day ON downloads_daily(day);
DROP VIEW IF EXISTS plugin_stats;
CREATE VIEW plugin_stats AS
SELECT p.id AS id, p.name AS name, p.author AS author, p.plugin_type AS plugin_type,
  COALESCE((SELECT SUM(r.downloads) FROM releases r WHERE r.plugin_id = p.id), 0) AS downloads,
  COALESCE((SELECT SUM(d.downloads) FROM downloads_daily d JOIN releases r ON r.id = d.release_id
    WHERE r.plugin_id = p.id AND d.day >= date('now', '-29 days')), 0) AS recent,
  COALESCE((SELECT AVG(g.stars) FROM ratings g WHERE g.plugin_id = p.id), 0) AS rating,
  (SELECT MAX(r.published_at) FROM releases r WHERE r.plugin_id = p.id) AS updated
FROM plugins p;
`,
    postgres: `
CREATE TABLE downloads_daily (
  release_id INTEGER NOT NULL REFERENCES releases(id),
  day TEXT COLLATE "C" NOT NULL,
  downloads INTEGER NOT NULL,
  PRIMARY KEY (release_id, day)
);
CREATE INDEX downloads_daily_day ON downloads_daily(day);
DROP VIEW plugin_stats;
CREATE VIEW plugin_stats AS
SELECT p.id AS id, p.name AS name, p.author AS author, p.plugin_type AS plugin_type,
  COALESCE((SELECT SUM(r.downloads) FROM releases r WHERE r.plugin_id = p.id), 0) AS downloads,
  COALESCE((SELECT SUM(d.downloads) FROM downloads_daily d JOIN releases r ON r.id = d.release_id
    WHERE r.plugin_id = p.id AND d.day >= to_char((now() AT TIME ZONE 'UTC')::date - 29, 'YYYY-MM-DD')), 0) AS recent,
  COALESCE((SELECT AVG(g.stars) FROM ratings g WHERE g.plugin_id = p.id), 0) AS rating,
  (SELECT MAX(r.published_at) FROM releases r WHERE r.plugin_id = p.id) AS updated
FROM plugins p;
`,
  },
  {
    version: 7,
    name: 'plugins mirrored from an upstream index (NULL: a local plugin)',
    // mirrored_from: the upstream index URL (without credentials) the plugin's releases come from.
    sqlite: (db) => {
      const cols = db.writer.allSync<{ name: string }>('PRAGMA table_info(plugins)');
      if (!cols.some((c) => c.name === 'mirrored_from')) db.exec('ALTER TABLE plugins ADD COLUMN mirrored_from TEXT');
    },
    postgres: 'ALTER TABLE plugins ADD COLUMN mirrored_from TEXT;',
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the database's schema is at version ${found}, newer than this server knows (${LATEST_VERSION}); ` +
        'run the fapilog-plugins release that wrote it (or newer), or restore a backup taken before it',
    );
  }
}

export interface MigrationReport {
  before: number;
  after: number;
  applied: Array<{ version: number; name: string }>;
}

const TABLE_SQLITE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

export function migrateSqlite(db: SqliteDb): MigrationReport {
  db.exec(TABLE_SQLITE);
  db.exec('BEGIN IMMEDIATE');
  try {
    const report = pending(db.writer.allSync<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')[0]?.v ?? 0);
    for (const m of report.todo) {
      if (typeof m.sqlite === 'function') m.sqlite(db);
      else if (m.sqlite) db.exec(m.sqlite);
      db.writer
        .stmt('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, new Date().toISOString());
    }
    db.exec('COMMIT');
    return report.result;
  } catch (err) {
    if (db.writer.db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

export async function migratePostgres(db: PostgresDb): Promise<MigrationReport> {
  const client: PooledClient = await db.connect();
  try {
    await client.query('BEGIN');
    // Instances starting together: one migrates, the others wait and then find nothing to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('fapilog-marketplace-migrate'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const found =
      ((await client.query('SELECT MAX(version) AS v FROM schema_migrations')).rows[0] as { v: number | null } | undefined)?.v ?? 0;
    const report = pending(Number(found));
    for (const m of report.todo) {
      await client.query(m.postgres);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
    return report.result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function pending(found: number): { todo: Migration[]; result: MigrationReport } {
  if (found > LATEST_VERSION) throw new SchemaTooNewError(found);
  const todo = MIGRATIONS.filter((m) => m.version > found);
  return { todo, result: { before: found, after: LATEST_VERSION, applied: todo.map((m) => ({ version: m.version, name: m.name })) } };
}
