/**
 * Trusted publishing as the server runs it: the OIDC exchange (verify, match, burn the jti, open
 * a 15-minute session scoped to the matched plugins) and the checks a publish with a session
 * token goes through. The clock is injected so that expiry is testable without waiting.
 */
import { GITHUB_OIDC_ISSUER, type OidcTokenResponse, type Provenance } from '../src/core/marketplace/schemas.ts';
import { matchPublishers, OidcVerifier, provenanceOf } from './auth/oidc.ts';
import { HttpError } from './errors.ts';
import { Publishers, SESSION_PREFIX, SESSION_SECONDS, type Grant } from './publishers.ts';
import type { Store } from './store/index.ts';
import { isoTimestamp } from './time.ts';

export interface TrustedPublishingOptions {
  /** Default GitHub's: https://token.actions.githubusercontent.com */
  issuer?: string;
  /** Default: discovered from `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** The `aud` tokens must carry. Default: the marketplace's public URL, else the URL it listens on. */
  audience?: string;
}

export interface PublishIdentity {
  owner: string;
  provenance: Provenance;
}

type StoredGrant = Grant & { publisher_id: number };

export class TrustedPublishing {
  readonly publishers: Publishers;
  readonly verifier: OidcVerifier;
  private readonly configuredAudience: string | undefined;
  private fallbackAudience: string;
  readonly now: () => Date;

  constructor(store: Store, opts: TrustedPublishingOptions, now: () => Date, fallbackAudience: string) {
    this.publishers = new Publishers(store);
    this.verifier = new OidcVerifier(
      { issuer: opts.issuer ?? GITHUB_OIDC_ISSUER, ...(opts.jwksUrl ? { jwksUrl: opts.jwksUrl } : {}) },
      now,
    );
    this.configuredAudience = opts.audience;
    this.fallbackAudience = fallbackAudience;
    this.now = now;
  }

  /**
   * Never the request's Host header: a token minted for another marketplace (whose operator could
   * replay it here with a forged Host) must not be accepted.
   */
  audience(): string {
    return this.configuredAudience ?? this.fallbackAudience;
  }

  setFallbackAudience(url: string): void {
    this.fallbackAudience = url;
  }

  async exchange(jwt: string): Promise<OidcTokenResponse> {
    const claims = await this.verifier.verify(jwt, this.audience());
    const matched = matchPublishers(claims, await this.publishers.candidates(this.verifier.issuer));
    const grants: StoredGrant[] = [];
    for (const p of matched)
      if (!grants.some((g) => g.package === p.package)) grants.push({ package: p.package, owner: p.owner, publisher_id: p.id });
    const provenance = provenanceOf(claims);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const { token, expiresAt } = await this.publishers.openSession({
      issuer: this.verifier.issuer,
      jti: claims.jti,
      jtiExpiresAt: Math.floor(claims.exp) + 3600,
      grants,
      provenance,
      nowSeconds,
    });
    return {
      token,
      expires_at: isoTimestamp(new Date(expiresAt * 1000)),
      expires_in: SESSION_SECONDS,
      plugins: grants.map((g) => g.package),
      publisher: provenance,
    };
  }

  isSessionToken(token: string): boolean {
    return token.startsWith(SESSION_PREFIX);
  }

  /** Who publishes `pkg` with this session token; 401 when unknown or expired, 403 for another plugin. */
  async identity(token: string, pkg: string): Promise<PublishIdentity> {
    const session = await this.publishers.session(token);
    if (!session)
      throw new HttpError(401, 'unauthorized', 'the Bearer token is not valid', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    const now = this.now();
    if (Math.floor(now.getTime() / 1000) >= session.expiresAt) {
      throw new HttpError(
        401,
        'token_expired',
        `this trusted-publishing token expired at ${isoTimestamp(new Date(session.expiresAt * 1000))} (it lives ${SESSION_SECONDS / 60} minutes); exchange a new OIDC token at POST /api/v1/oidc/token`,
        { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      );
    }
    const grants = session.grants as StoredGrant[];
    const grant = grants.find((g) => g.package === pkg);
    const from = `${session.provenance.repository} (${session.provenance.workflow_ref})`;
    if (!grant) {
      throw new HttpError(
        403,
        'forbidden',
        `this trusted-publishing token from ${from} may publish only ${grants.map((g) => g.package).join(', ') || 'nothing'}, not ${pkg}`,
      );
    }
    // The publisher may have been removed since the exchange: the right ends with it.
    const publisher = await this.publishers.get(grant.publisher_id);
    if (!publisher || (!publisher.pending && publisher.owner !== grant.owner)) {
      throw new HttpError(403, 'forbidden', `the trusted publisher that let ${from} publish ${pkg} was removed`);
    }
    return { owner: grant.owner, provenance: session.provenance };
  }
}
