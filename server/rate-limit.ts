/**
 * Fixed-window rate limiting per key: the caller keys by a valid token's id, else by client address.
 * Every response carries X-RateLimit-Limit/Remaining/Reset (Reset in epoch seconds, as GitHub
 * does); a request over the limit gets 429 with Retry-After.
 */
export interface RateLimitOptions {
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Where windows are counted: this process (RateLimiter) or the database every instance shares. */
export interface Limiter {
  readonly opts: RateLimitOptions;
  take(key: string): RateDecision | Promise<RateDecision>;
}

function headersOf(opts: RateLimitOptions, count: number, resetAt: number, now: number, allowed: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(opts.limit),
    'X-RateLimit-Remaining': String(Math.max(0, opts.limit - count)),
    'X-RateLimit-Reset': String(Math.ceil(resetAt / 1000)),
  };
  if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((resetAt - now) / 1000)));
  return headers;
}

function checkOptions(opts: RateLimitOptions): void {
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new Error('rate limit must be a positive integer');
  if (!(opts.windowSeconds > 0)) throw new Error('rate limit window must be positive');
}

export class RateLimiter implements Limiter {
  readonly opts: RateLimitOptions;
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;

  constructor(opts: RateLimitOptions, now: () => number = Date.now) {
    checkOptions(opts);
    this.opts = opts;
    this.now = now;
  }

  take(key: string): RateDecision {
    const now = this.now();
    if (this.windows.size > 10_000) {
      for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    }
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + this.opts.windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    const allowed = w.count < this.opts.limit;
    if (allowed) w.count++;
    return { allowed, headers: headersOf(this.opts, w.count, w.resetAt, now, allowed) };
  }
}

/** What the shared limiter needs of the store: one statement. */
export interface CounterSql {
  get<T>(sql: string, ...params: Array<string | number>): Promise<T | undefined>;
  run(sql: string, ...params: Array<string | number>): Promise<{ changes: number }>;
}

/**
 * Windows counted in the database (table rate_limits), so that N per window holds for all
 * instances together. Windows are aligned to multiples of the window length; one upsert per request.
 */
export class SharedRateLimiter implements Limiter {
  readonly opts: RateLimitOptions;
  private readonly sql: CounterSql;
  private readonly now: () => number;
  private sweptWindow = 0;

  constructor(opts: RateLimitOptions, sql: CounterSql, now: () => number = Date.now) {
    checkOptions(opts);
    this.opts = opts;
    this.sql = sql;
    this.now = now;
  }

  async take(key: string): Promise<RateDecision> {
    const now = this.now();
    const length = this.opts.windowSeconds * 1000;
    const start = Math.floor(now / length) * length;
    if (this.sweptWindow !== start) {
      // Once per window per instance: windows that ended are dropped (not awaited: no request waits on it).
      this.sweptWindow = start;
      this.sql.run('DELETE FROM rate_limits WHERE window_start < ?', start - length).catch(() => undefined);
    }
    const row = await this.sql.get<{ count: number }>(
      'INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1) ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count',
      key,
      start,
    );
    const count = Number(row?.count ?? 1);
    const allowed = count <= this.opts.limit;
    return { allowed, headers: headersOf(this.opts, Math.min(count, this.opts.limit), start + length, now, allowed) };
  }
}
