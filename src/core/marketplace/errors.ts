/**
 * The one error type of the marketplace client. Its message is meant for a user (one line,
 * naming the endpoint) and never carries the Bearer token: every message passes through
 * `redact` with the token before it is built into an error.
 */
import type { z } from 'zod';

export const ERROR_KINDS = [
  'http', // the server answered with an error status (its own code is in `code`)
  'network', // connection refused, reset, DNS, ...
  'timeout', // no answer within the per-request timeout
  'wait-limit', // retrying or rate-limit waiting would exceed the cap on total waiting
  'invalid-response', // the body is not JSON or does not match the contract
  'offline-miss', // offline mode and nothing cached
  'invalid-request', // the caller passed something the contract does not allow
  'too-large', // the response is over the size cap
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class MarketplaceError extends Error {
  readonly kind: ErrorKind;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** The server's `error.code` for HTTP errors, else the kind. */
  readonly code: string;
  /** `GET /plugins/loki`: the method and path below the API base URL. */
  readonly endpoint: string;
  constructor(
    kind: ErrorKind,
    endpoint: string,
    message: string,
    extra: { status?: number | undefined; code?: string | undefined; cause?: unknown; bare?: boolean } = {},
  ) {
    // `bare` messages name what they are about themselves.
    // No message carries the user:password@ of a URL, whoever built it.
    const text = stripCredentials(extra.bare ? message : `${endpoint}: ${message}`);
    super(text, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'MarketplaceError';
    this.kind = kind;
    this.status = extra.status;
    this.code = extra.code ?? kind;
    this.endpoint = endpoint;
  }

  /** Whether a cached copy may stand in for the answer (the marketplace could not be asked). */
  get unreachable(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      this.kind === 'wait-limit' ||
      (this.kind === 'http' && this.status !== undefined && (this.status >= 500 || this.status === 429))
    );
  }
}

/** Replaces every occurrence of the secret (and its URL-encoded form) with `***`, and URL credentials. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret) return stripCredentials(text);
  let out = stripCredentials(text).split(secret).join('***');
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join('***');
  return out;
}

/**
 * Every `scheme://user:password@host` in a text becomes `scheme://***@host`: URLs are printed in
 * errors, debug lines and reports, and a `--marketplace-url` may carry credentials for a proxy.
 */
export function stripCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@');
}

/** A URL without its userinfo, and that userinfo as a Basic credential (base64 of `user:password`). */
export function splitCredentials(url: string): { url: string; basic: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, basic: undefined };
  }
  if (!parsed.username && !parsed.password) return { url, basic: undefined };
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), basic: Buffer.from(pair, 'utf8').toString('base64') };
}

/** `plugins[0].downloads` from a zod issue path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line naming the first offending field: `response field "downloads": expected number, received string`. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'response does not match the contract';
  const where = issue.path.length > 0 ? `response field "${formatPath(issue.path)}"` : 'response';
  const what = issue.message.replace(/^Invalid input: /, '');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${where}: ${what}${more}`;
}
