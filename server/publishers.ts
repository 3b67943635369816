/**
 * Trusted publishing state, in the store's database (tables: migrations.ts): the trusted publishers of each plugin
 * (pending ones for names nobody has published yet), the OIDC token ids already exchanged (a jti
 * is accepted once, across restarts and server processes), and the short-lived publish tokens
 * the exchange hands out (stored as sha256 only, like API tokens).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  GITHUB_OIDC_ISSUER,
  TrustedProvenance,
  type TrustedPublisher,
  type TrustedPublisherRequest,
} from '../src/core/marketplace/schemas.ts';
import { HttpError } from './errors.ts';
import type { Sql, Store } from './store/index.ts';
import type { SqlValue } from './store/db.ts';
import { isoTimestamp } from './time.ts';

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
  }

  private all<T>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.store.db.all<T>(sql, ...params);
  }

  /** A publisher counts for its plugin while the plugin is unpublished (pending) or owned by the registrant. */
  private async view(row: PublisherRow, sql: Sql = this.store.db): Promise<TrustedPublisher & { valid: boolean }> {
    const plugin = await this.store.pluginRow(row.package, sql);
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
  add(pkg: string, owner: string, req: TrustedPublisherRequest): Promise<TrustedPublisher> {
    return this.store.transaction(async (tx) => {
      const plugin = await this.store.pluginRow(pkg, tx);
      if (plugin && plugin.owner !== owner) throw new HttpError(403, 'forbidden', `${pkg} belongs to another owner`);
      const environment = req.environment ?? null;
      const issuer = (req.issuer ?? GITHUB_OIDC_ISSUER).replace(/\/+$/, '');
      const same = (
        await tx.all<PublisherRow>(
          'SELECT * FROM trusted_publishers WHERE package = ? AND issuer = ? AND repository_id = ? AND workflow = ? AND environment IS NOT DISTINCT FROM ?',
          pkg,
          issuer,
          req.repository_id,
          req.workflow,
          environment,
        )
      )[0];
      if (same) throw new HttpError(409, 'conflict', `${pkg} already has this trusted publisher (id ${same.id})`);
      const row = (await tx.get<PublisherRow>(
        'INSERT INTO trusted_publishers (package, owner, issuer, repository, repository_id, repository_owner_id, workflow, environment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
        pkg,
        owner,
        issuer,
        req.repository,
        req.repository_id,
        req.repository_owner_id,
        req.workflow,
        environment,
        isoTimestamp(),
      ))!;
      return this.strip(await this.view(row, tx));
    });
  }

  private strip(p: TrustedPublisher & { valid: boolean }): TrustedPublisher {
    const { valid: _valid, ...rest } = p;
    return rest;
  }

  async list(pkg?: string): Promise<TrustedPublisher[]> {
    const rows = pkg
      ? await this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE package = ? ORDER BY id', pkg)
      : await this.all<PublisherRow>('SELECT * FROM trusted_publishers ORDER BY package, id');
    return Promise.all(rows.map(async (r) => this.strip(await this.view(r))));
  }

  async get(id: number): Promise<TrustedPublisher | null> {
    const row = (await this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE id = ?', id))[0];
    return row ? this.strip(await this.view(row)) : null;
  }

  async remove(id: number): Promise<boolean> {
    return (await this.store.transaction((tx) => tx.run('DELETE FROM trusted_publishers WHERE id = ?', id))).changes > 0;
  }

  /** The publishers an exchange may match: this issuer's, and only those still in force. */
  async candidates(issuer: string): Promise<TrustedPublisher[]> {
    const rows = await this.all<PublisherRow>('SELECT * FROM trusted_publishers WHERE issuer = ? ORDER BY id', issuer);
    return (await Promise.all(rows.map((r) => this.view(r)))).filter((p) => p.valid).map((p) => this.strip(p));
  }

  /**
   * Records the jti and creates the session in one transaction: a replayed token fails here even
   * when two exchanges of it race. `nowSeconds` comes from the server's clock.
   */
  async openSession(args: {
    issuer: string;
    jti: string;
    jtiExpiresAt: number;
    grants: Grant[];
    provenance: TrustedProvenance;
    nowSeconds: number;
  }): Promise<{ token: string; expiresAt: number }> {
    const token = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = args.nowSeconds + SESSION_SECONDS;
    await this.store.transaction(async (db) => {
      await db.run('DELETE FROM oidc_jti WHERE expires_at < ?', args.nowSeconds - 3600);
      await db.run('DELETE FROM publish_sessions WHERE expires_at < ?', args.nowSeconds - 3600);
      const seen = await db.get('SELECT 1 AS seen FROM oidc_jti WHERE issuer = ? AND jti = ?', args.issuer, args.jti);
      if (seen)
        throw new HttpError(
          401,
          'invalid_token',
          `jti: this OIDC token (jti ${args.jti.slice(0, 80)}) was already exchanged; each token is accepted once, request a new one`,
        );
      // Kept an hour past the token's own expiry so that the leeway cannot reopen it.
      await db.run('INSERT INTO oidc_jti (issuer, jti, expires_at) VALUES (?, ?, ?)', args.issuer, args.jti, args.jtiExpiresAt);
      await db.run(
        'INSERT INTO publish_sessions (token_hash, grants, provenance, expires_at) VALUES (?, ?, ?, ?)',
        hash(token),
        JSON.stringify(args.grants),
        JSON.stringify(args.provenance),
        expiresAt,
      );
    });
    return { token, expiresAt };
  }

  async session(token: string): Promise<Session | null> {
    if (!token.startsWith(SESSION_PREFIX)) return null;
    const row = await this.store.db.get<{ id: number; grants: string; provenance: string; expires_at: number }>(
      'SELECT * FROM publish_sessions WHERE token_hash = ?',
      hash(token),
    );
    if (!row) return null;
    return {
      id: Number(row.id),
      grants: JSON.parse(row.grants) as Grant[],
      provenance: TrustedProvenance.parse(JSON.parse(row.provenance)),
      expiresAt: Number(row.expires_at),
    };
  }
}
