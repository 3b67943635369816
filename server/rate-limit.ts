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
 * instances together. Windows are aligned to multiples of the window length.
 *
 * Requests of one key that arrive while its upsert is in flight are counted together by the next
 * one (`count + n`), each taking its own place in the order the database gives: request i of a
 * batch of n that brought the count to c is number c - n + i + 1, allowed while that is within
 * the limit. The count and every decision are what n single upserts would have given, but one
 * client address under 50 parallel requests costs two round trips a request instead of a queue of
 * 50 updates serialised on its row (bench/server-pg-search.ts: that queue was the p99 of a cached
 * search on PostgreSQL). A lone request waits for nothing but its own upsert (one event-loop turn
 * later, so the requests of one turn go together).
 */
export class SharedRateLimiter implements Limiter {
  readonly opts: RateLimitOptions;
  private readonly sql: CounterSql;
  private readonly now: () => number;
  private sweptWindow = 0;
  /** Per key and window: the requests waiting for the next upsert, and whether one is in flight. */
  private readonly batches = new Map<string, { key: string; start: number; waiting: Waiter[]; running: boolean }>();

  constructor(opts: RateLimitOptions, sql: CounterSql, now: () => number = Date.now) {
    checkOptions(opts);
    this.opts = opts;
    this.sql = sql;
    this.now = now;
  }

  take(key: string): Promise<RateDecision> {
    const now = this.now();
    const length = this.opts.windowSeconds * 1000;
    const start = Math.floor(now / length) * length;
    if (this.sweptWindow !== start) {
      // Once per window per instance: windows that ended are dropped (not awaited: no request waits on it).
      this.sweptWindow = start;
      this.sql.run('DELETE FROM rate_limits WHERE window_start < ?', start - length).catch(() => undefined);
    }
    const id = `${start}\n${key}`;
    let batch = this.batches.get(id);
    if (!batch) {
      batch = { key, start, waiting: [], running: false };
      this.batches.set(id, batch);
    }
    const b = batch;
    const decided = new Promise<number>((resolve, reject) => b.waiting.push({ resolve, reject }));
    if (!b.running) {
      b.running = true;
      setImmediate(() => void this.#drain(id, b));
    }
    return decided.then((count) => {
      const allowed = count <= this.opts.limit;
      return { allowed, headers: headersOf(this.opts, Math.min(count, this.opts.limit), start + length, now, allowed) };
    });
  }

  /** Upserts for the batch's waiters until none are left, then forgets the batch. */
  async #drain(id: string, b: { key: string; start: number; waiting: Waiter[]; running: boolean }): Promise<void> {
    while (b.waiting.length > 0) {
      const taken = b.waiting;
      b.waiting = [];
      try {
        const row = await this.sql.get<{ count: number }>(
          'INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, ?) ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + EXCLUDED.count RETURNING count',
          b.key,
          b.start,
          taken.length,
        );
        const count = Number(row?.count ?? taken.length);
        taken.forEach((w, i) => w.resolve(count - taken.length + i + 1));
      } catch (err) {
        for (const w of taken) w.reject(err);
      }
    }
    b.running = false;
    this.batches.delete(id);
  }
}

interface Waiter {
  resolve: (count: number) => void;
  reject: (err: unknown) => void;
}
