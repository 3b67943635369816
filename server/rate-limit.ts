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

export class RateLimiter {
  readonly opts: RateLimitOptions;
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly now: () => number;

  constructor(opts: RateLimitOptions, now: () => number = Date.now) {
    if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new Error('rate limit must be a positive integer');
    if (!(opts.windowSeconds > 0)) throw new Error('rate limit window must be positive');
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
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(this.opts.limit),
      'X-RateLimit-Remaining': String(Math.max(0, this.opts.limit - w.count)),
      'X-RateLimit-Reset': String(Math.ceil(w.resetAt / 1000)),
    };
    if (!allowed) headers['Retry-After'] = String(Math.max(1, Math.ceil((w.resetAt - now) / 1000)));
    return { allowed, headers };
  }
}
