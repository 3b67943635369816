/**
 * Trusted publishing state, in the store's SQLite database: the trusted publishers of each plugin
 * (pending ones for names nobody has published yet), the OIDC token ids already exchanged (a jti
 * is accepted once, across restarts and server processes), and the short-lived publish tokens
 * the exchange hands out (stored as sha256 only, like API tokens).
 */
import type { SQLInputValue } from 'node:sqlite';
import { createHash, randomBytes } from 'node:crypto';
import { GITHUB_OIDC_ISSUER, TrustedProvenance, type TrustedPublisher, type TrustedPublisherRequest } from '../src/core/marketplace/schemas.ts';
import { HttpError } from './errors.ts';
import type { Store } from './store.ts';
import { isoTimestamp } from './time.ts';

const SCHEMA = `
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
`;

/** Publish tokens from the exchange carry their own prefix, so logs and users can tell them apart. */
export const SESSION_PREFIX = 'fpo_';
export const SESSION_SECONDS = 15 * 60;

interface PublisherRow {
  id: number;
  package: string;
  owner: string;
  issuer: string;
  repository: string;
  repository_id: string;
  repository_owner_id: string;
  workflow: string;
  environment: string | null;
  created_at: string;
}

/** One plugin a session may publish, and the owner the release is published as. */
export interface Grant {
  package: string;
  owner: string;
}

export interface Session {
  id: number;
  grants: Grant[];
  provenance: TrustedProvenance;
  /** Epoch seconds. */
  expiresAt: number;
}

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export class Publishers {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
    store.db.exec(SCHEMA);
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.store.db.prepare(sql).all(...params) as unknown as T[];
  }

  /** A publisher counts for its plugin while the plugin is unpublished (pending) or owned by the registrant. */
  private view(row: PublisherRow): TrustedPublisher & { valid: boolean } {
    const plugin = this.store.pluginRow(row.package);
    return {
      id: Number(row.id),
      package: row.package,
      owner: row.owner,
      issuer: row.issuer,
      repository: row.repository,
      repository_id: row.repository_id,
      repository_owner_id: row.repository_owner_id,
      workflow: row.workflow,
      environment: row.environment,
      pending: plugin === null,
      created_at: row.created_at,
      valid: plugin === null || plugin.owner === row.owner,
    };
  }

  /**
   * Registers a publisher for `pkg` acting as `owner`. For a published plugin the owner must be its
   * owner; for a name nobody has published the publisher is pending, and the first publish through
   * it makes `owner` the plugin's owner.
   */
  add(pkg: string, owner: string, req: TrustedPublisherRequest): TrustedPublisher {
    return this.store.transaction(() => {
      const plugin = this.store.pluginRow(pkg);
      if (plugin && plugin.owner !== owner) throw new HttpError(403, 'forbidden', `${pkg} belongs to another owner`);
      const environment = req.environment ?? null;
      const issuer = (req.issuer ?? GITHUB_OIDC_ISSUER).replace(/\/+$/, '');
      const same = this.all<PublisherRow>(
        'SELECT * FROM trusted_publishers WHERE package = ? AND issuer = ? AND repository_id = ? AND workflow = ? AND environment IS ?',
        pkg,
        issuer,
        req.repository_id,
        req.workflow,
        environment,
      )[0];
      if (same) throw new HttpError(409, 'conflict', `${pkg} already has this trusted publisher (id ${same.id})`);
      const id = this.store.db
        .prepare(
          'INSERT INTO trusted_publishers (package, owner, issuer, repository, repository_id, repository_owner_id, workflow, environment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(pkg, owner, issuer, req.repository, req.repository_id, req.repository_owner_id, req.workflow, environment, isoTimestamp()).lastInsertRowid;
      return this.strip(this.view(this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE id = ?', id)[0]!));
    });
  }

  private strip(p: TrustedPublisher & { valid: boolean }): TrustedPublisher {
    const { valid: _valid, ...rest } = p;
    return rest;
  }

  list(pkg?: string): TrustedPublisher[] {
    const rows = pkg
      ? this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE package = ? ORDER BY id', pkg)
      : this.all<PublisherRow>('SELECT * FROM trusted_publishers ORDER BY package, id');
    return rows.map((r) => this.strip(this.view(r)));
  }

  get(id: number): TrustedPublisher | null {
    const row = this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE id = ?', id)[0];
    return row ? this.strip(this.view(row)) : null;
  }

  remove(id: number): boolean {
    return this.store.transaction(() => Number(this.store.db.prepare('DELETE FROM trusted_publishers WHERE id = ?').run(id).changes) > 0);
  }

  /** The publishers an exchange may match: this issuer's, and only those still in force. */
  candidates(issuer: string): TrustedPublisher[] {
    return this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE issuer = ? ORDER BY id', issuer)
      .map((r) => this.view(r))
      .filter((p) => p.valid)
      .map((p) => this.strip(p));
  }

  /**
   * Records the jti and creates the session in one transaction: a replayed token fails here even
   * when two exchanges of it race. `nowSeconds` comes from the server's clock.
   */
  openSession(args: { issuer: string; jti: string; jtiExpiresAt: number; grants: Grant[]; provenance: TrustedProvenance; nowSeconds: number }): { token: string; expiresAt: number } {
    const token = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = args.nowSeconds + SESSION_SECONDS;
    this.store.transaction(() => {
      const db = this.store.db;
      db.prepare('DELETE FROM oidc_jti WHERE expires_at < ?').run(args.nowSeconds - 3600);
      db.prepare('DELETE FROM publish_sessions WHERE expires_at < ?').run(args.nowSeconds - 3600);
      const seen = db.prepare('SELECT 1 FROM oidc_jti WHERE issuer = ? AND jti = ?').get(args.issuer, args.jti);
      if (seen) throw new HttpError(401, 'invalid_token', `jti: this OIDC token (jti ${args.jti.slice(0, 80)}) was already exchanged; each token is accepted once, request a new one`);
      // Kept an hour past the token's own expiry so that the leeway cannot reopen it.
      db.prepare('INSERT INTO oidc_jti (issuer, jti, expires_at) VALUES (?, ?, ?)').run(args.issuer, args.jti, args.jtiExpiresAt);
      db.prepare('INSERT INTO publish_sessions (token_hash, grants, provenance, expires_at) VALUES (?, ?, ?, ?)').run(
        hash(token),
        JSON.stringify(args.grants),
        JSON.stringify(args.provenance),
        expiresAt,
      );
    });
    return { token, expiresAt };
  }

  session(token: string): Session | null {
    if (!token.startsWith(SESSION_PREFIX)) return null;
    const row = this.store.db.prepare('SELECT * FROM publish_sessions WHERE token_hash = ?').get(hash(token)) as
      | { id: number; grants: string; provenance: string; expires_at: number }
      | undefined;
    if (!row) return null;
    return {
      id: Number(row.id),
      grants: JSON.parse(row.grants) as Grant[],
      provenance: TrustedProvenance.parse(JSON.parse(row.provenance)),
      expiresAt: Number(row.expires_at),
    };
  }
}
