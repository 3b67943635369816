/**
 * The Octokit the bot runs on: Probot's (throttling, retries, pagination, REST methods), plus
 * - rate limits waited out: primary and secondary (403/429 with Retry-After) limits are retried
 *   after the time GitHub names, a few times, unless that is longer than `maxWaitSeconds`;
 * - writes strictly one at a time in the process, and spaced (GitHub asks for about a second
 *   between content-creating requests); with REDIS_URL, Probot gives the throttler a shared Redis
 *   connection and the spacing groups use it too, so every instance shares one view;
 * - conditional requests: repository GETs remember their ETag and send If-None-Match; GitHub
 *   answers 304, which does not count against the rate limit, and the remembered answer is used.
 */
import Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';
import { LruMap } from '../src/core/lru.ts';

export type Octokit = InstanceType<typeof ProbotOctokit>;

export interface OctokitLimits {
  /** Milliseconds between two writes (GitHub's guidance: 1000); notifications (PRs, issues, comments) wait 3x. */
  writeSpacingMs: number;
  /** Rate-limit waits longer than this fail the request instead of holding the sweep. */
  maxWaitSeconds: number;
  /** How often one request is retried after a rate limit. */
  retries: number;
  /** Deadline of one attempt (a hung connection must not hold a sweep forever). */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: OctokitLimits = { writeSpacingMs: 1000, maxWaitSeconds: 900, retries: 3, requestTimeoutMs: 60_000 };

interface Cached {
  etag: string;
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown };
}

/** Remembered answers for conditional requests, keyed by the full URL. */
export class EtagCache extends LruMap<string, Cached> {
  constructor() {
    super(5000, 32 * 1024 * 1024);
  }
}

/**
 * Repository-scoped reads whose answer may change. Blobs, and trees asked for by SHA, are
 * immutable and cached by SHA elsewhere; a tree asked for by branch name follows the branch.
 */
function conditional(pathname: string): boolean {
  if (!/^\/repos\/[^/]+\/[^/]+\//.test(pathname) || /\/git\/blobs\//.test(pathname)) return false;
  return !/\/git\/trees\/[0-9a-f]{40}$/.test(pathname);
}

type Throttle = {
  Bottleneck?: typeof Bottleneck;
  connection?: Bottleneck.IORedisConnection;
  [key: string]: unknown;
};

const groupsByConnection = new Map<unknown, { write: Bottleneck.Group; notifications: Bottleneck.Group }>();

/** One set of write groups per connection (or per process without Redis), shared by every Octokit. */
function writeGroups(throttle: Throttle, spacing: number) {
  const key = `${spacing}`;
  const conn = throttle.connection ?? null;
  const cacheKey = conn ?? key;
  let groups = groupsByConnection.get(cacheKey);
  if (!groups) {
    const B = throttle.Bottleneck ?? Bottleneck;
    const common = { timeout: 2 * 60_000, ...(conn ? { connection: conn } : {}) };
    groups = {
      write: new B.Group({ id: 'octokit-write', maxConcurrent: 1, minTime: spacing, ...common }),
      notifications: new B.Group({ id: 'octokit-notifications', maxConcurrent: 1, minTime: spacing * 3, ...common }),
    };
    groupsByConnection.set(cacheKey, groups);
  }
  return groups;
}

export function createBotOctokit(limits: OctokitLimits, etags: EtagCache): typeof ProbotOctokit {
  const onLimit =
    (kind: string) => (retryAfter: number, options: { method: string; url: string }, octokit: Octokit, retryCount: number) => {
      if (retryCount >= limits.retries || retryAfter > limits.maxWaitSeconds) {
        octokit.log.warn(`${kind} rate limit on ${options.method} ${options.url}: giving up (retry after ${retryAfter} s)`);
        return false;
      }
      octokit.log.info(`${kind} rate limit on ${options.method} ${options.url}: retrying after ${retryAfter} s`);
      return true;
    };

  // The throttler spaces the start of writes; this makes them strictly one at a time in the
  // process (a write held by a rate-limit wait holds the others back too).
  let writeTail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = writeTail.then(fn, fn);
    writeTail = run.catch(() => undefined);
    return run;
  };

  const WithCache = ProbotOctokit.plugin((octokit) => {
    octokit.hook.wrap('request', async (request, options) => {
      if (options.method !== 'GET') {
        const token = /\/access_tokens$/.test(String(options.url));
        return token ? request(options) : oneAtATime(async () => request(options));
      }
      const url = octokit.request.endpoint.parse(options).url;
      const pathname = new URL(url).pathname.replace(/^\/api\/v3/, '');
      if (!conditional(pathname)) return request(options);
      const hit = etags.get(url);
      if (hit) options.headers = { ...options.headers, 'if-none-match': hit.etag };
      try {
        const res = await request(options);
        const etag = res.headers.etag;
        if (typeof etag === 'string') {
          const size = Number(res.headers['content-length'] ?? 0) || JSON.stringify(res.data).length;
          etags.set(
            url,
            { etag, response: { status: res.status, url: res.url, headers: res.headers as Record<string, unknown>, data: res.data } },
            size,
          );
        }
        return res;
      } catch (err) {
        if (hit && (err as { status?: number }).status === 304)
          return { ...hit.response, status: 200 } as Awaited<ReturnType<typeof request>>;
        throw err;
      }
    });
  });

  return WithCache.defaults((instance: Record<string, unknown> & { throttle?: Throttle; retry?: Record<string, unknown> }) => {
    const throttle: Throttle = { ...(instance.throttle ?? {}) };
    const spaced = limits.writeSpacingMs === DEFAULT_LIMITS.writeSpacingMs ? {} : writeGroups(throttle, limits.writeSpacingMs);
    const request = (instance.request ?? {}) as { fetch?: typeof fetch; [key: string]: unknown };
    const inner = request.fetch ?? fetch;
    return {
      ...instance,
      request: {
        ...request,
        // Each attempt gets its own deadline (retries and rate-limit waits happen between attempts).
        fetch: (url: string | URL | Request, init: RequestInit = {}) =>
          inner(url, { ...init, signal: init.signal ?? AbortSignal.timeout(limits.requestTimeoutMs) }),
      },
      throttle: { ...throttle, ...spaced, onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
      // 429 is the throttler's to wait out (with Retry-After), not a blind retry's.
      retry: { ...(instance.retry ?? {}), doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    };
  }) as unknown as typeof ProbotOctokit;
}
