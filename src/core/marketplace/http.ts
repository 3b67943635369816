/**
 * One HTTP exchange with the marketplace, made patient but bounded: a timeout per attempt, retries
 * with exponential backoff and jitter for idempotent requests, the server's Retry-After and
 * rate-limit headers honoured, a cap on the time spent waiting, one overall deadline for the whole
 * call (attempts and waits together) and a cap on the size of a response. Returns the final
 * response whatever its status; the caller decides what a status means.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { USER_AGENT } from '../version.ts';
import { MarketplaceError, redact, splitCredentials } from './errors.ts';

export interface HttpOptions {
  /** Per attempt, including reading the body. */
  timeoutMs: number;
  /** Extra attempts after the first one. */
  retries: number;
  /** First backoff delay; doubles per attempt, with jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Cap on the time one request spends waiting (backoff, Retry-After, rate-limit reset). */
  maxWaitMs: number;
  /** The whole call, every attempt and every wait together: past it, the call fails. */
  deadlineMs: number;
  /** Largest response body accepted; a larger one is cut off with a `too-large` error. */
  maxResponseBytes: number;
  token?: string | undefined;
  userAgent?: string;
  debug?: ((message: string) => void) | undefined;
}

export const DEFAULT_HTTP_OPTIONS = {
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 250,
  maxBackoffMs: 8_000,
  maxWaitMs: 60_000,
  deadlineMs: 60_000,
  maxResponseBytes: 64 * 1024 * 1024,
} as const;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** `GET /plugins/loki`, for messages. */
  endpoint: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  /** Keep the body as bytes (`HttpResponse.bytes`; `body` is then ''): a wheel, not text. */
  binary?: boolean;
  /** A smaller cap than `maxResponseBytes` for this request. */
  maxBytes?: number;
}

/** What callers read of a response's headers (a fetch `Headers` has it too). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
  /** The body as bytes, for a `binary` request. */
  bytes?: Uint8Array;
  /** How many attempts it took. */
  attempts: number;
}

/**
 * Network failures that another attempt a moment later will not fix: the name does not resolve, or
 * nothing listens there. Waiting seconds of backoff for them only delays the one line that says
 * which source was asked and how to choose another.
 */
export const FINAL_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_NODATA',
  'EAI_FAIL',
  'ECONNREFUSED',
]);

/** Statuses worth another try of an idempotent request: the server or a proxy in front of it failed. */
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  // Only the three HTTP-date forms: Date.parse alone reads `-5` or `5.5` as dates (in 2001), which
  // turned garbage into "retry now" and four attempts in 0.4 s.
  if (!HTTP_DATE.some((re) => re.test(text))) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const HTTP_DATE = [
  /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, // IMF-fixdate
  /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/, // RFC 850
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/, // asctime
];

/**
 * `X-RateLimit-Reset` as the epoch milliseconds when the window reopens. Servers disagree on its
 * unit: large values are epoch seconds (GitHub style), small ones seconds from now.
 */
export function parseRateLimitReset(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 1_000_000_000 ? n * 1000 : now + n * 1000;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(full / 2 + random() * (full / 2));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

export class HttpTransport {
  readonly options: HttpOptions;
  /** Epoch ms before which no request should go out: the server said the rate-limit window is spent. */
  #gateUntil = 0;

  constructor(options: Partial<HttpOptions> = {}) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...stripUndefined(options) };
  }

  #debug(message: string): void {
    this.options.debug?.(redact(message, this.options.token));
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.method === 'GET';
    const { retries, maxWaitMs, deadlineMs } = this.options;
    let waited = 0;
    const begun = Date.now();
    const remaining = () => deadlineMs - (Date.now() - begun);
    const pastDeadline = (attempts: number, doing: string) =>
      new MarketplaceError(
        'timeout',
        req.endpoint,
        `gave up: no complete answer from ${safeOrigin(req.url)} within the ${seconds(deadlineMs)} deadline for ` +
          `one call (${attempts} attempt${attempts === 1 ? '' : 's'}, ${doing})`,
        { code: 'deadline' },
      );

    // Waits `ms` if the budget allows, else fails naming why it was asked to wait.
    const wait = async (ms: number, why: string, attempts: number) => {
      if (ms <= 0) return;
      if (waited + ms > maxWaitMs) {
        throw new MarketplaceError(
          'wait-limit',
          req.endpoint,
          `gave up: ${why} means waiting ${seconds(ms)} more, over the ${seconds(maxWaitMs)} limit on waiting ` +
            `(waited ${seconds(waited)} so far)`,
          { code: 'wait-limit' },
        );
      }
      if (ms >= remaining()) throw pastDeadline(attempts, `${why} asked for ${seconds(ms)} more`);
      this.#debug(`waiting ${seconds(ms)} before ${req.endpoint}: ${why}`);
      waited += ms;
      await sleep(ms);
    };

    for (let attempt = 0; ; attempt++) {
      const gate = this.#gateUntil - Date.now();
      if (gate > 0) await wait(gate, 'the rate limit is spent until X-RateLimit-Reset', attempt);
      if (remaining() <= 0) throw pastDeadline(attempt, 'no time left for another attempt');

      const lastAttempt = attempt >= retries;
      let res: { status: number; headers: ResponseHeaders };
      let body: string;
      let bytes: Uint8Array | undefined;
      const started = Date.now();
      const cutByDeadline = remaining() < this.options.timeoutMs;
      try {
        this.#debug(
          `-> ${req.method} ${req.url}${req.headers?.['If-None-Match'] ? ` (If-None-Match: ${req.headers['If-None-Match']})` : ''}`,
        );
        const signal = AbortSignal.timeout(Math.max(1, Math.min(this.options.timeoutMs, remaining())));
        const { url, basic } = splitCredentials(req.url);
        const max = Math.min(req.maxBytes ?? Infinity, this.options.maxResponseBytes);
        let raw: Buffer;
        if (req.body === undefined || typeof req.body === 'string') {
          ({ raw, ...res } = await exchange(url, {
            method: req.method,
            headers: this.#plainHeaders(req, basic),
            body: req.body,
            signal,
            max,
            endpoint: req.endpoint,
          }));
        } else {
          // A multipart upload (publish) goes through fetch, which encodes FormData; the read
          // path stays on node:http, whose start-up costs a fraction of fetch's.
          const fetched = await fetch(url, {
            method: req.method,
            headers: this.#headers(req, basic),
            body: req.body,
            signal,
            redirect: 'follow',
          });
          res = fetched;
          raw = await readCapped(fetched, max, req.endpoint);
        }
        if (req.binary) {
          bytes = raw;
          body = '';
        } else body = raw.toString('utf8');
      } catch (err) {
        if (err instanceof MarketplaceError) throw err; // too large: another attempt would be too
        if (cutByDeadline && err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
          throw pastDeadline(attempt + 1, 'the last one cut off');
        }
        const failure = this.#networkError(req, err, attempt + 1);
        this.#debug(`<- ${failure.message}`);
        if (!idempotent || lastAttempt || failure.final) throw failure;
        await wait(
          backoffDelay(attempt, this.options.backoffMs, this.options.maxBackoffMs),
          `${failure.kind} error (retry ${attempt + 1} of ${retries})`,
          attempt + 1,
        );
        continue;
      }

      this.#noteRateLimit(res.headers);
      this.#debug(
        `<- ${res.status} ${req.endpoint} in ${Date.now() - started}ms` +
          (res.headers.get('x-ratelimit-remaining') !== null ? ` (rate limit remaining ${res.headers.get('x-ratelimit-remaining')})` : ''),
      );

      const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
      // A 429 was refused before any work was done, so even a POST may be sent again.
      const retryable = res.status === 429 || (idempotent && RETRYABLE_STATUSES.has(res.status));
      if (!retryable || lastAttempt)
        return { status: res.status, headers: res.headers, body, ...(bytes ? { bytes } : {}), attempts: attempt + 1 };

      const delay =
        (res.status === 429 || res.status === 503) && retryAfter !== undefined
          ? retryAfter
          : backoffDelay(attempt, this.options.backoffMs, this.options.maxBackoffMs);
      await wait(
        delay,
        `HTTP ${res.status}${retryAfter !== undefined ? ' with Retry-After' : ''} (retry ${attempt + 1} of ${retries})`,
        attempt + 1,
      );
    }
  }

  #headers(req: HttpRequest, basic: string | undefined): Headers {
    const headers = new Headers(req.headers);
    headers.set('User-Agent', this.options.userAgent ?? USER_AGENT);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    // user:password@ in the URL (a proxy with basic auth) travels as a header, never in the URL.
    if (this.options.token) headers.set('Authorization', `Bearer ${this.options.token}`);
    else if (basic) headers.set('Authorization', `Basic ${basic}`);
    return headers;
  }

  /** The same headers as #headers, as a plain object for node:http (lower-case names, one of each). */
  #plainHeaders(req: HttpRequest, basic: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    headers['user-agent'] = this.options.userAgent ?? USER_AGENT;
    headers['accept'] ??= 'application/json';
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    else if (basic) headers['authorization'] = `Basic ${basic}`;
    return headers;
  }

  #noteRateLimit(headers: ResponseHeaders): void {
    if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return;
    const reset = parseRateLimitReset(headers.get('x-ratelimit-reset'));
    if (reset !== undefined && reset > this.#gateUntil) this.#gateUntil = reset;
  }

  #networkError(req: HttpRequest, err: unknown, attempts: number): MarketplaceError & { final?: boolean } {
    const origin = safeOrigin(req.url);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      return new MarketplaceError('timeout', req.endpoint, `no answer from ${origin} within ${seconds(this.options.timeoutMs)}${tries}`);
    }
    // fetch wraps the socket's error as its cause; node:http throws it as it is.
    type Failure = { code?: string; message?: string; errors?: Array<{ code?: string }> };
    const cause = err instanceof Error ? (err.cause as Failure | undefined) : undefined;
    const own = err instanceof Error ? (err as Failure) : undefined;
    // Happy eyeballs refuses on every address at once: an AggregateError of ECONNREFUSED.
    const code =
      cause?.code ?? cause?.errors?.find((e) => e.code)?.code ?? own?.code ?? own?.errors?.find((e) => e.code)?.code ?? undefined;
    const detail = code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    const error: MarketplaceError & { final?: boolean } = new MarketplaceError(
      'network',
      req.endpoint,
      redact(`cannot reach ${origin} (${detail})${tries}`, this.options.token),
      {
        code: 'network',
      },
    );
    error.final = code !== undefined && FINAL_NETWORK_CODES.has(code);
    return error;
  }
}

/**
 * The body as text, refusing more than `max` bytes: a declared Content-Length over it is refused
 * before reading, and a stream that grows past it is cancelled (memory stays at `max`).
 */
async function readCapped(res: Response, max: number, endpoint: string): Promise<Buffer> {
  const tooLarge = (what: string) =>
    new MarketplaceError('too-large', endpoint, `response ${what} is larger than the limit of ${max} bytes (maxResponseBytes); not read`, {
      code: 'too-large',
    });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(`of ${declared} bytes`);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge('body');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/** A response's headers as node:http gives them (lower-case names), read like fetch's Headers. */
class NodeHeaders implements ResponseHeaders {
  readonly #headers: IncomingHttpHeaders;
  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * One request over node:http (or node:https), following redirects as fetch does (at most 20;
 * 303, and 301/302 of a POST, go on as a GET without the body; the Authorization header is not
 * sent to another origin), with the body capped at `max` bytes: a declared Content-Length over it
 * is refused before reading, a body that grows past it is cut off (the connection closes).
 * `signal` ends it wherever it is, rejecting with the signal's reason (a TimeoutError).
 */
/** One request as it goes out (a redirect may turn it into a GET without the body). */
interface Outgoing {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
  /** The body cap in bytes. */
  max: number;
  /** For messages: `GET /plugins/loki`. */
  endpoint: string;
}

async function exchange(url: string, out: Outgoing): Promise<{ status: number; headers: ResponseHeaders; raw: Buffer }> {
  let { method, headers, body } = out;
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const res = await exchangeOnce(target, { ...out, method, headers, body });
    const location = res.headers.location;
    if (!REDIRECTS.has(res.status) || location === undefined)
      return { status: res.status, headers: new NodeHeaders(res.headers), raw: res.raw };
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, target);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`a redirect to ${next.protocol} is not followed`);
    if (next.origin !== target.origin) {
      headers = { ...headers };
      delete headers['authorization'];
    }
    if ((res.status === 303 && method !== 'HEAD') || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = { ...headers };
      delete headers['content-type'];
      delete headers['content-length'];
    }
    target = next;
  }
}

async function exchangeOnce(
  url: URL,
  { method, headers, body, signal, max, endpoint }: Outgoing,
): Promise<{ status: number; headers: IncomingHttpHeaders; raw: Buffer }> {
  signal.throwIfAborted();
  // Loaded on first use (https only for https URLs), and not by `import`: the ES module namespace
  // of node:http reads every export, and its WebSocket getter loads undici, fetch's whole stack.
  const transport = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
  const tooLarge = (what: string) =>
    new MarketplaceError('too-large', endpoint, `response ${what} is larger than the limit of ${max} bytes (maxResponseBytes); not read`, {
      code: 'too-large',
    });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: unknown, value?: { status: number; headers: IncomingHttpHeaders; raw: Buffer }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve(value!);
      else reject(err);
    };
    const request = transport.request(url, { method, headers }, (res) => {
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > max) {
        finish(tooLarge(`of ${declared} bytes`));
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          // Settled first: destroying the socket reports its own error, which must not win.
          finish(tooLarge('body'));
          res.destroy();
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks, size) }));
      res.on('error', (err) => finish(signal.aborted ? signal.reason : err));
      res.on('aborted', () =>
        finish(signal.aborted ? signal.reason : Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' })),
      );
    });
    const onAbort = () => {
      request.destroy();
      finish(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', (err) => finish(signal.aborted ? signal.reason : err));
    request.end(body);
  });
}

/** The origin alone: never the path's query or any user:password@ part of a URL. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the marketplace';
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
