/**
 * The client side of trusted publishing: ask the marketplace which audience to request the OIDC
 * token for, exchange the token for a short-lived publish token, and, when that fails, say what
 * the token claimed and which registration would make it pass. The token itself never appears
 * in a message; its claims (repository, workflow, ref, environment) are not secret.
 */
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { ErrorBody, GITHUB_OIDC_ISSUER, OidcAudience, OidcTokenResponse } from '../marketplace/schemas.ts';
import { workflowFile } from './provenance.ts';

const TIMEOUT_MS = 30_000;
const MAX_BODY = 256 * 1024;

export type ExchangeResult =
  | { ok: true; response: OidcTokenResponse }
  | { ok: false; status: number | null; code: string; message: string };

async function call(url: string, init: RequestInit): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    ...init,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { accept: 'application/json', ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  if (text.length > MAX_BODY) throw new Error(`${url}: the answer is larger than ${MAX_BODY} bytes`);
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`${url}: HTTP ${res.status}, not JSON`);
  }
  return { status: res.status, json };
}

/** `GET /oidc/audience`; an error names the marketplace and what it answered. */
export async function fetchAudience(apiUrl: string): Promise<string> {
  const url = `${apiUrl.replace(/\/+$/, '')}/oidc/audience`;
  const { status, json } = await call(url, { method: 'GET' });
  if (status === 404) throw new Error(`the marketplace at ${apiUrl} does not offer trusted publishing (GET /oidc/audience: HTTP 404)`);
  const parsed = OidcAudience.safeParse(json);
  if (status !== 200 || !parsed.success) throw new Error(`GET ${url}: HTTP ${status}, not an audience`);
  return parsed.data.audience;
}

export async function exchangeOidcToken(apiUrl: string, oidcToken: string): Promise<ExchangeResult> {
  const url = `${apiUrl.replace(/\/+$/, '')}/oidc/token`;
  let answer: { status: number; json: unknown };
  try {
    answer = await call(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: oidcToken }),
    });
  } catch (err) {
    return {
      ok: false,
      status: null,
      code: 'unreachable',
      message: `POST ${url} failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (answer.status === 200) {
    const parsed = OidcTokenResponse.safeParse(answer.json);
    if (parsed.success) return { ok: true, response: parsed.data };
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      status: 200,
      code: 'bad_response',
      message: `POST ${url}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
    };
  }
  const err = ErrorBody.safeParse(answer.json);
  return err.success
    ? { ok: false, status: answer.status, code: err.data.error.code, message: err.data.error.message }
    : { ok: false, status: answer.status, code: 'http_error', message: `POST ${url}: HTTP ${answer.status}` };
}

/** What an OIDC token says about the job, for the summary of a failed exchange. */
export const TokenClaims = z.object({
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  repository: z.string().optional(),
  repository_id: z.string().optional(),
  repository_owner_id: z.string().optional(),
  workflow_ref: z.string().optional(),
  job_workflow_ref: z.string().optional(),
  ref: z.string().optional(),
  environment: z.string().optional(),
  event_name: z.string().optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 500);

/** Decoded, not verified: only ever shown (control characters replaced), never trusted. */
export function tokenClaims(oidcToken: string): TokenClaims | null {
  try {
    const parsed = TokenClaims.safeParse(decodeJwt(oidcToken));
    if (!parsed.success) return null;
    return Object.fromEntries(
      Object.entries(parsed.data).map(([k, v]) => [k, Array.isArray(v) ? v.map(printable) : typeof v === 'string' ? printable(v) : v]),
    ) as TokenClaims;
  } catch {
    return null;
  }
}

const shellWord = (s: string) => (/^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `admin publisher add` command that registers exactly this job as `pkg`'s trusted publisher. */
export function registrationCommand(pkg: string, claims: TokenClaims): string | null {
  const ref = claims.job_workflow_ref ?? claims.workflow_ref;
  if (!claims.repository || !claims.repository_id || !claims.repository_owner_id || !ref) return null;
  const args = [
    'fapilog-plugins admin publisher add',
    shellWord(pkg),
    `--repository ${shellWord(claims.repository)}`,
    `--repository-id ${shellWord(claims.repository_id)}`,
    `--owner-id ${shellWord(claims.repository_owner_id)}`,
    `--workflow ${shellWord(workflowFile(ref))}`,
  ];
  if (claims.environment) args.push(`--environment ${shellWord(claims.environment)}`);
  if (claims.iss && claims.iss.replace(/\/+$/, '') !== GITHUB_OIDC_ISSUER) args.push(`--issuer ${shellWord(claims.iss)}`);
  return args.join(' ');
}
