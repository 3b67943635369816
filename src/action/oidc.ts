/**
 * Trusted publishing in the Action: with no `token` and an OIDC request URL (the job has
 * `permissions: id-token: write`), get a GitHub OIDC token for the marketplace's audience,
 * exchange it for a 15-minute publish token and mask that. No @actions imports: the runner
 * passes core.getIDToken and core.setSecret. When the exchange fails, the summary section shows
 * what the token claimed, the marketplace's reason, and the registration that would let it pass.
 */
import { readFileSync, statSync } from 'node:fs';
import type { TrustedProvenance } from '../core/marketplace/schemas.ts';
import { describePublisher } from '../core/publish/provenance.ts';
import { exchangeOidcToken, fetchAudience, registrationCommand, tokenClaims, type TokenClaims } from '../core/publish/trusted.ts';
import { cell as markdownCell, codeCell } from '../core/render/markdown.ts';

export interface OidcEnvironment {
  /** ACTIONS_ID_TOKEN_REQUEST_URL is set: the job may request an OIDC token. */
  available: boolean;
  /** The run is for a pull request from a fork (GitHub never gives those an OIDC token). */
  forkPullRequest: string | null;
}

export interface OidcDeps extends OidcEnvironment {
  getIDToken(audience: string): Promise<string>;
  setSecret(value: string): void;
}

const MAX_EVENT_BYTES = 10 * 1024 * 1024;

/** Reads the runner's environment; a missing or unreadable event file just means "not a fork". */
export function oidcEnvironment(env: NodeJS.ProcessEnv): OidcEnvironment {
  const available = Boolean(env['ACTIONS_ID_TOKEN_REQUEST_URL']);
  let forkPullRequest: string | null = null;
  const event = env['GITHUB_EVENT_NAME'];
  const file = env['GITHUB_EVENT_PATH'];
  if ((event === 'pull_request' || event === 'pull_request_review' || event === 'pull_request_review_comment') && file) {
    try {
      if (statSync(file).size <= MAX_EVENT_BYTES) {
        const payload = JSON.parse(readFileSync(file, 'utf8')) as {
          pull_request?: { head?: { repo?: { full_name?: unknown; fork?: unknown } | null }; base?: { repo?: { full_name?: unknown } } };
        };
        const head = payload.pull_request?.head?.repo;
        const base = payload.pull_request?.base?.repo?.full_name;
        const headName = typeof head?.full_name === 'string' ? head.full_name : null;
        if (head === null || head?.fork === true || (headName !== null && typeof base === 'string' && headName !== base))
          forkPullRequest = headName ?? 'a deleted fork';
      }
    } catch {
      forkPullRequest = null;
    }
  }
  return { available, forkPullRequest };
}

export type TrustedToken =
  | { ok: true; token: string; publisher: TrustedProvenance; plugins: string[]; expiresAt: string }
  | { ok: false; message: string; markdown: string };

// Claims and the refusal come from the token and the marketplace: escaped (markdown.ts).
const cell = markdownCell;
const code = codeCell;

export function renderTrustedFailure(args: {
  pkg: string | null;
  claims: TokenClaims | null;
  reason: string;
  audience: string | null;
}): string {
  const { pkg, claims, reason, audience } = args;
  const out: string[] = ['### Trusted publishing', ''];
  out.push(`**The marketplace refused the OIDC token:** ${cell(reason)}`, '');
  if (claims) {
    out.push('What the token says about this job (claims are not secret; the token itself is masked):', '');
    out.push('| Claim | Value |', '|---|---|');
    const rows: Array<[string, string | undefined]> = [
      ['repository', claims.repository],
      ['repository_id', claims.repository_id],
      ['repository_owner_id', claims.repository_owner_id],
      ['job_workflow_ref', claims.job_workflow_ref],
      ['workflow_ref', claims.workflow_ref],
      ['ref', claims.ref],
      ['environment', claims.environment ?? '(none)'],
      ['aud', Array.isArray(claims.aud) ? claims.aud.join(', ') : (claims.aud ?? audience ?? undefined)],
      ['iss', claims.iss],
    ];
    for (const [k, v] of rows) if (v !== undefined) out.push(`| ${code(k)} | ${code(v)} |`);
    out.push('');
    const command = pkg ? registrationCommand(pkg, claims) : null;
    if (command) {
      out.push(
        'To let exactly this job publish, the marketplace admin runs (add `--owner NAME` when the plugin has ' +
          'never been published; the plugin owner can `POST /api/v1/plugins/{name}/publishers` with the same ' +
          'values instead):',
        '',
        '```sh',
        command.replace(/`/g, "'"),
        '```',
        '',
      );
    }
  }
  return out.join('\n');
}

/** Gets, exchanges and masks a publish token; on failure, a message and a summary section. */
export async function trustedPublishToken(apiUrl: string, pkg: string | null, deps: OidcDeps): Promise<TrustedToken> {
  const fail = (message: string, claims: TokenClaims | null, reason: string, audience: string | null): TrustedToken => ({
    ok: false,
    message,
    markdown: renderTrustedFailure({ pkg, claims, reason, audience }),
  });
  let audience: string;
  try {
    audience = await fetchAudience(apiUrl);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail(`trusted publishing: ${why}`, null, why, null);
  }
  let idToken: string;
  try {
    idToken = await deps.getIDToken(audience);
  } catch (err) {
    const why =
      `could not get an OIDC token from GitHub: ${err instanceof Error ? err.message : String(err)}; ` +
      `the publish job needs \`permissions: id-token: write\``;
    return fail(`trusted publishing: ${why}`, null, why, audience);
  }
  deps.setSecret(idToken);
  const claims = tokenClaims(idToken);
  const result = await exchangeOidcToken(apiUrl, idToken);
  if (!result.ok) {
    const status = result.status === null ? '' : ` (HTTP ${result.status} ${result.code})`;
    return fail(`trusted publishing: the marketplace refused the OIDC token${status}: ${result.message}`, claims, result.message, audience);
  }
  deps.setSecret(result.response.token);
  return {
    ok: true,
    token: result.response.token,
    publisher: result.response.publisher,
    plugins: result.response.plugins,
    expiresAt: result.response.expires_at,
  };
}

export function trustedLine(publisher: TrustedProvenance, expiresAt: string): string {
  return (
    `trusted publishing: exchanged the OIDC token of ` +
    `${describePublisher(publisher).replace(/^trusted publisher /, '')} for a publish token valid until ` +
    `${expiresAt}`
  );
}

export function forkMessage(fork: string): string {
  return (
    `publishing needs a token, and trusted publishing is unavailable here: GitHub gives no OIDC token to a ` +
    `workflow run for a pull request from a fork (${fork}); publish from a tag push in the upstream repository`
  );
}
