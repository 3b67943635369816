/**
 * A local OIDC issuer on 127.0.0.1 that behaves like GitHub's for Actions: an RS256 key pair
 * made here with jose, the discovery document and JWKS under /.well-known/, and a token endpoint
 * like ACTIONS_ID_TOKEN_REQUEST_URL (bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, `&audience=` in the
 * query, answer `{"value": "<jwt>"}`). `mint` makes any token a test needs, including broken ones.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload, type CryptoKey } from 'jose';

export interface JobClaims {
  repository: string;
  repository_id: string;
  repository_owner: string;
  repository_owner_id: string;
  workflow: string;
  ref: string;
  sha: string;
  environment?: string;
  event_name: string;
}

export interface MintOptions {
  claims?: Record<string, unknown>;
  /** Claims to drop (`['nbf']`). */
  omit?: string[];
  /** `none`, `HS256-public` (HMAC keyed with the public key's PEM), `other-key` (same kid, another key), or an asymmetric alg. */
  alg?: 'RS256' | 'none' | 'HS256-public' | 'other-key';
  /** Seconds since the epoch the token's iat, nbf and exp are relative to. */
  now?: number;
  lifetime?: number;
}

export interface TestIssuer {
  url: string;
  /** The URL a runner finds in ACTIONS_ID_TOKEN_REQUEST_URL. */
  requestUrl: string;
  requestToken: string;
  /** The job the token endpoint mints for; tests change it. */
  job: JobClaims;
  /** Audiences the token endpoint was asked for, in order. */
  audiences: string[];
  mint(audience: string, opts?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_JOB: JobClaims = {
  repository: 'acme/fapilog-stdout-json',
  repository_id: '700123',
  repository_owner: 'acme',
  repository_owner_id: '4501',
  workflow: 'release.yml',
  ref: 'refs/tags/v1.0.0',
  sha: '8f4e2b9c1d3a5e7f90123456789abcdef0123456',
  event_name: 'push',
};

export function jobClaims(job: JobClaims): Record<string, unknown> {
  const workflowRef = `${job.repository}/.github/workflows/${job.workflow}@${job.ref}`;
  return {
    sub: `repo:${job.repository}:ref:${job.ref}`,
    repository: job.repository,
    repository_id: job.repository_id,
    repository_owner: job.repository_owner,
    repository_owner_id: job.repository_owner_id,
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
    ref: job.ref,
    ref_type: job.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: job.sha,
    event_name: job.event_name,
    ...(job.environment ? { environment: job.environment } : {}),
  };
}

export async function startIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  const requestToken = `req-${randomUUID()}`;
  let url = '';
  const audiences: string[] = [];

  const issuer: TestIssuer = {
    url: '',
    requestUrl: '',
    requestToken,
    job: { ...DEFAULT_JOB },
    audiences,
    async mint(audience, opts = {}) {
      const now = opts.now ?? Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        jti: randomUUID(),
        ...jobClaims(issuer.job),
        iss: url,
        aud: audience,
        iat: now,
        nbf: now - 5,
        exp: now + (opts.lifetime ?? 300),
        ...opts.claims,
      };
      for (const k of opts.omit ?? []) delete payload[k];
      switch (opts.alg ?? 'RS256') {
        case 'none':
          return new UnsecuredJWT(payload).encode();
        case 'HS256-public':
          return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(new TextEncoder().encode(publicPem));
        case 'other-key':
          return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(other.privateKey as CryptoKey);
        default:
          return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey);
      }
    },
    close: async () => {},
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (u.pathname === '/.well-known/openid-configuration')
      return json(200, { issuer: url, jwks_uri: `${url}/.well-known/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    if (u.pathname === '/.well-known/jwks') return json(200, { keys: [jwk] });
    if (u.pathname === '/token') {
      if (req.headers.authorization !== `Bearer ${requestToken}`) return json(401, { message: 'bad request token' });
      const audience = u.searchParams.get('audience');
      if (!audience) return json(400, { message: 'audience missing' });
      audiences.push(audience);
      void issuer.mint(audience).then((value) => json(200, { count: 1, value }));
      return;
    }
    json(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.url = url;
  // Like GitHub's: the runner appends `&audience=...` to a URL that already has a query.
  issuer.requestUrl = `${url}/token?api-version=2.0`;
  issuer.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return issuer;
}
