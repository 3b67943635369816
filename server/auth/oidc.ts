/**
 * Verification of a GitHub Actions OIDC token (a JWT) with `jose`, and its match against the
 * registered trusted publishers. Every rejection says which claim failed, because the person
 * reading it is setting up a workflow and needs to know what to change.
 *
 * Checks, in order: the header's `alg` is an asymmetric one we allow (never `none`, never HS*:
 * an HMAC "signed" with the issuer's public key would otherwise verify); `iss` is the configured
 * issuer (checked on the unverified claims first only to reject early with a clear reason: nothing
 * is accepted before the signature verifies); the signature against the issuer's JWKS (fetched
 * and cached by jose); `aud`; `exp`, `nbf` and `iat` with a small leeway on the server's clock;
 * the GitHub claims' shapes. The jti is checked (and burnt) when the session is opened.
 */
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { Line, NumericId, type TrustedProvenance, type TrustedPublisher } from '../../src/core/marketplace/schemas.ts';
import { HttpError } from '../errors.ts';
import { isoTimestamp } from '../time.ts';

export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
/** Seconds of clock skew tolerated on exp, nbf and iat. */
export const LEEWAY_SECONDS = 30;
/** GitHub's tokens live minutes; an older one is refused even if its exp says otherwise. */
export const MAX_TOKEN_AGE = '1h';

export interface OidcOptions {
  issuer: string;
  /** Default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Milliseconds clock of the failure backoff (tests move it); not the clock tokens are judged by. */
  clock?: () => number;
}

/** Discovery and JWKS documents are small; a larger answer is cut off while it is read. */
export const MAX_DOCUMENT_BYTES = 64 * 1024;
export const FETCH_TIMEOUT_MS = 5000;
/** A failed fetch of the issuer's documents is not retried for 1 s, then 2 s, ... up to 60 s. */
export const FAILURE_BACKOFF_MS = { first: 1000, max: 60_000 } as const;

/** The issuer's documents could not be fetched, now or recently (then not retried yet). */
class IssuerUnavailable extends Error {}

/**
 * GET `url` and its body, at most `max` bytes: the count is kept while the body streams in, and
 * the request is aborted once it is over (a 300 MB answer is not read to learn it is too big).
 */
export async function fetchCapped(
  url: string | URL,
  max: number,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: Uint8Array }> {
  const abort = new AbortController();
  const signal = init.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal;
  const res = await fetch(url, { ...init, signal });
  const tooLarge = () => new Error(`the document is larger than ${Math.round(max / 1024)} KiB`);
  if (Number(res.headers.get('content-length') ?? 0) > max) {
    abort.abort();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > max) {
        abort.abort();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  }
  return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
}

/** Remembers the last failure for a while, doubling the while on each failure in a row. */
class Backoff {
  #delay = 0;
  #until = 0;
  #error: IssuerUnavailable | null = null;
  readonly clock: () => number;
  constructor(clock: () => number) {
    this.clock = clock;
  }
  /** The remembered failure, while it stands. */
  current(): IssuerUnavailable | null {
    return this.#error && this.clock() < this.#until ? this.#error : null;
  }
  failed(message: string): IssuerUnavailable {
    this.#delay = Math.min(FAILURE_BACKOFF_MS.max, this.#delay === 0 ? FAILURE_BACKOFF_MS.first : this.#delay * 2);
    this.#until = this.clock() + this.#delay;
    this.#error = new IssuerUnavailable(`${message} (not retried for ${Math.ceil(this.#delay / 1000)} s)`);
    return this.#error;
  }
  succeeded(): void {
    this.#delay = 0;
    this.#error = null;
  }
}

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url({ protocol: /^https?$/ }) });

/** The claims we rely on, as GitHub sends them (ids are strings). */
export const GithubClaims = z.object({
  iss: z.string(),
  jti: z.string().min(1).max(512),
  exp: z.number(),
  repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'expected OWNER/NAME'),
  repository_id: NumericId,
  repository_owner: z.string().max(200).optional(),
  repository_owner_id: NumericId,
  job_workflow_ref: Line.optional(),
  workflow_ref: Line.optional(),
  ref: Line.default(''),
  sha: Line.default(''),
  environment: Line.optional(),
});
export type GithubClaims = z.infer<typeof GithubClaims>;

const invalid = (message: string) => new HttpError(401, 'invalid_token', message);
const mismatch = (message: string) => new HttpError(403, 'publisher_mismatch', message);
/** Claim values are the caller's text: control characters replaced, length capped. */
const show = (v: unknown) =>
  String(v)
    .replace(/[\u0000-\u001f\u007f]/g, '?')
    .slice(0, 200);

export class OidcVerifier {
  readonly issuer: string;
  private readonly jwksUrl: string | undefined;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  private readonly now: () => Date;
  // Junk tokens must not each cost an outbound fetch while the issuer is down.
  readonly #discoveryBackoff: Backoff;
  readonly #jwksBackoff: Backoff;

  constructor(opts: OidcOptions, now: () => Date) {
    this.issuer = opts.issuer.replace(/\/+$/, '');
    this.jwksUrl = opts.jwksUrl;
    this.now = now;
    this.#discoveryBackoff = new Backoff(opts.clock ?? Date.now);
    this.#jwksBackoff = new Backoff(opts.clock ?? Date.now);
  }

  private async keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    let url = this.jwksUrl;
    if (!url) {
      const where = `${this.issuer}/.well-known/openid-configuration`;
      const remembered = this.#discoveryBackoff.current();
      if (remembered) throw new HttpError(503, 'issuer_unavailable', remembered.message);
      let doc: z.infer<typeof Discovery>;
      try {
        const res = await fetchCapped(where, MAX_DOCUMENT_BYTES, {
          signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
          headers: { accept: 'application/json' },
        });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
        doc = Discovery.parse(JSON.parse(Buffer.from(res.body).toString('utf8')));
        if (doc.issuer.replace(/\/+$/, '') !== this.issuer) throw new Error(`it names another issuer (${show(doc.issuer)})`);
      } catch (err) {
        const failure = this.#discoveryBackoff.failed(
          `cannot read the OIDC discovery document ${where}: ${err instanceof Error ? err.message : String(err)}`,
        );
        throw new HttpError(503, 'issuer_unavailable', failure.message);
      }
      this.#discoveryBackoff.succeeded();
      url = doc.jwks_uri;
    }
    // jose caches the key set (10 minutes) and refetches on an unknown kid at most every 30 s;
    // its fetches go through the size cap and the failure backoff.
    this.jwks = createRemoteJWKSet(new URL(url), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      [customFetch]: (u: string, init: RequestInit) => this.fetchJwks(u, init),
    });
    return this.jwks;
  }

  private async fetchJwks(url: string, init: RequestInit): Promise<Response> {
    const remembered = this.#jwksBackoff.current();
    if (remembered) throw remembered;
    let res: Awaited<ReturnType<typeof fetchCapped>>;
    try {
      res = await fetchCapped(url, MAX_DOCUMENT_BYTES, init);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') {
        this.#jwksBackoff.failed('timed out');
        throw err; // jose words it (JWKSTimeout)
      }
      throw this.#jwksBackoff.failed(err instanceof Error ? err.message : String(err));
    }
    this.#jwksBackoff.succeeded();
    return new Response(res.body, { status: res.status, headers: res.headers });
  }

  /** The verified claims, or a 401 naming what is wrong with the token. */
  async verify(token: string, audience: string): Promise<GithubClaims> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch {
      throw invalid('token: not a JWT (expected a signed GitHub Actions OIDC token)');
    }
    const alg = header.alg;
    if (!alg || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
      const why =
        alg === 'none'
          ? ' (an unsigned token)'
          : alg?.startsWith('HS')
            ? ' (a symmetric algorithm: the issuer signs with a private key)'
            : '';
      throw invalid(`alg: ${show(alg ?? '(missing)')} is not allowed${why}; allowed: ${ALLOWED_ALGORITHMS.join(', ')}`);
    }
    if (unverified.iss !== this.issuer) {
      throw invalid(`iss: the token was issued by ${show(unverified.iss ?? '(missing)')}, this marketplace trusts ${this.issuer}`);
    }
    const keys = await this.keys();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: this.issuer,
        audience,
        clockTolerance: LEEWAY_SECONDS,
        maxTokenAge: MAX_TOKEN_AGE,
        currentDate: this.now(),
        requiredClaims: ['exp', 'iat', 'jti'],
      }));
    } catch (err) {
      throw this.explain(err, unverified, audience);
    }
    const claims = GithubClaims.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      const name = String(issue?.path[0] ?? 'claims');
      throw invalid(`${name}: ${payload[name] === undefined ? 'missing from the token' : (issue?.message ?? 'invalid')}`);
    }
    return claims.data;
  }

  private explain(err: unknown, claims: JWTPayload, audience: string): HttpError {
    const at = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? isoTimestamp(new Date(n * 1000)) : show(n));
    const now = isoTimestamp(this.now());
    if (err instanceof errors.JWTExpired) {
      if (err.claim === 'iat') return invalid(`iat: the token was issued at ${at(claims.iat)}, more than ${MAX_TOKEN_AGE} before ${now}`);
      return invalid(`exp: the token expired at ${at(claims.exp)} (now ${now}, leeway ${LEEWAY_SECONDS}s); request a new one`);
    }
    if (err instanceof errors.JWTClaimValidationFailed) {
      switch (err.claim) {
        case 'aud':
          return invalid(
            `aud: the token is for ${show(Array.isArray(claims.aud) ? claims.aud.join(', ') : (claims.aud ?? '(missing)'))}, this marketplace expects ${audience} (GET /api/v1/oidc/audience)`,
          );
        case 'nbf':
          return invalid(`nbf: the token is not valid before ${at(claims.nbf)} (now ${now}, leeway ${LEEWAY_SECONDS}s)`);
        case 'iat':
          return invalid(
            `iat: the token says it was issued at ${at(claims.iat)}, which is in the future (now ${now}, leeway ${LEEWAY_SECONDS}s)`,
          );
        case 'iss':
          return invalid(`iss: the token was issued by ${show(claims.iss)}, this marketplace trusts ${this.issuer}`);
        default:
          return invalid(`${show(err.claim)}: ${err.claim in claims ? err.reason : 'missing from the token'}`);
      }
    }
    if (err instanceof errors.JWSSignatureVerificationFailed)
      return invalid(`signature: the token's signature does not verify against the keys of ${this.issuer}`);
    if (err instanceof errors.JWKSNoMatchingKey) return invalid(`signature: no key of ${this.issuer} matches the token's kid and alg`);
    if (err instanceof errors.JOSEAlgNotAllowed) return invalid(`alg: not allowed; allowed: ${ALLOWED_ALGORITHMS.join(', ')}`);
    if (err instanceof IssuerUnavailable)
      return new HttpError(503, 'issuer_unavailable', `cannot fetch the keys of ${this.issuer}: ${err.message}`);
    if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
      return new HttpError(503, 'issuer_unavailable', `cannot fetch the keys of ${this.issuer}: ${err.message}`);
    }
    if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return invalid(`token: ${err.message}`);
    if (err instanceof TypeError || (err instanceof Error && /fetch/i.test(err.message))) {
      return new HttpError(503, 'issuer_unavailable', `cannot fetch the keys of ${this.issuer}: ${err.message}`);
    }
    return invalid(`token: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `job_workflow_ref` names the workflow that runs the job (a reusable one included); `workflow_ref` otherwise. */
export function workflowRefOf(claims: GithubClaims): { name: 'job_workflow_ref' | 'workflow_ref'; value: string } | null {
  if (claims.job_workflow_ref) return { name: 'job_workflow_ref', value: claims.job_workflow_ref };
  if (claims.workflow_ref) return { name: 'workflow_ref', value: claims.workflow_ref };
  return null;
}

const lower = (s: string) => s.toLowerCase();

/** The first claim of `p` the token does not satisfy, as a message; null when it matches. */
function failure(p: TrustedPublisher, c: GithubClaims): { rank: number; message: string } | null {
  const where = `trusted publisher #${p.id} of ${p.package}`;
  if (lower(c.repository) !== lower(p.repository)) {
    return { rank: 0, message: `repository: the token is from ${show(c.repository)}; ${where} names ${p.repository}` };
  }
  if (c.repository_id !== p.repository_id) {
    return {
      rank: 1,
      message: `repository_id: ${p.repository} is registered with repository id ${p.repository_id}, the token's is ${show(c.repository_id)} (a deleted and re-created repository does not inherit the right to publish)`,
    };
  }
  if (c.repository_owner_id !== p.repository_owner_id) {
    return {
      rank: 2,
      message: `repository_owner_id: ${p.repository} is registered with owner id ${p.repository_owner_id}, the token's is ${show(c.repository_owner_id)}`,
    };
  }
  const ref = workflowRefOf(c);
  const expected = `${lower(p.repository)}/.github/workflows/${p.workflow}`;
  if (!ref)
    return { rank: 3, message: `job_workflow_ref: missing from the token (expected ${p.repository}/.github/workflows/${p.workflow}@...)` };
  const at = ref.value.indexOf('@');
  const path = at >= 0 ? ref.value.slice(0, at) : ref.value;
  const [owner, repo, ...rest] = path.split('/');
  if (`${lower(owner ?? '')}/${lower(repo ?? '')}/${rest.join('/')}` !== expected) {
    return {
      rank: 3,
      message: `${ref.name}: the token's workflow is ${show(ref.value)}; ${where} allows only .github/workflows/${p.workflow} of ${p.repository}`,
    };
  }
  if (p.environment !== null && c.environment !== p.environment) {
    return {
      rank: 4,
      message: `environment: ${where} requires the environment ${p.environment}, the token's job ${c.environment === undefined ? 'runs in no environment' : `runs in ${show(c.environment)}`}`,
    };
  }
  return null;
}

/**
 * The publishers the token satisfies (one repository may publish several plugins), or a 403 with
 * the reason from the registered publisher that came closest, so that the message is about the
 * repository the user meant.
 */
export function matchPublishers(claims: GithubClaims, candidates: TrustedPublisher[]): TrustedPublisher[] {
  const matched: TrustedPublisher[] = [];
  let closest: { rank: number; message: string } | null = null;
  for (const p of candidates) {
    const f = failure(p, claims);
    if (f === null) matched.push(p);
    else if (!closest || f.rank > closest.rank) closest = f;
  }
  if (matched.length > 0) return matched;
  // A publisher of this repository name came closest: its first failing claim is the reason.
  if (closest && closest.rank > 0) throw mismatch(closest.message);
  const renamed = candidates.find((p) => p.repository_id === claims.repository_id);
  if (renamed) {
    throw mismatch(
      `repository: the token is from ${show(claims.repository)} (id ${claims.repository_id}); that repository id is registered as ${renamed.repository} for ${renamed.package}: a renamed repository needs its publisher registered again`,
    );
  }
  throw mismatch(
    `repository: no trusted publisher is registered for ${show(claims.repository)} (repository id ${claims.repository_id}) at ${show(claims.iss)}; register one with \`fapilog-plugins admin publisher add\` or POST /api/v1/plugins/{name}/publishers`,
  );
}

export function provenanceOf(claims: GithubClaims): TrustedProvenance {
  return {
    kind: 'trusted',
    issuer: claims.iss,
    repository: claims.repository,
    repository_id: claims.repository_id,
    repository_owner_id: claims.repository_owner_id,
    workflow_ref: workflowRefOf(claims)?.value ?? '',
    ref: claims.ref,
    sha: claims.sha,
    environment: claims.environment ?? null,
  };
}
