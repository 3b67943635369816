/**
 * One sync per repository at a time. Alone, an in-process queue per repository; with REDIS_URL, a
 * Redis key per repository (`SET key token NX PX ttl`, released only by its holder), so two
 * instances, or a sweep and a webhook, never both open a branch or a pull request for it.
 * A lock that is not released (a crashed instance) expires after its TTL.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

export interface RepoLock {
  /** Runs `fn` holding the repository's lock; waits for it up to `waitMs`, then throws LockBusyError. */
  withLock<T>(repo: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

export class LocalLock implements RepoLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async withLock<T>(repo: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(repo) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    this.#tails.set(repo, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(repo) === tail) this.#tails.delete(repo);
    }
  }

  async close(): Promise<void> {}
}

/** Deletes the key only if it still holds our token (never someone else's lock after our TTL). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** Extends the TTL only if we still hold it. */
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisLockOptions {
  /** Expiry of a lock (renewed while held). */
  ttlMs: number;
  /** How long to wait for another holder before giving up on the repository for this run. */
  waitMs: number;
  prefix?: string;
}

export class RedisLock implements RepoLock {
  readonly #redis: Redis;
  readonly #opts: Required<RedisLockOptions>;

  constructor(redis: Redis, opts: RedisLockOptions) {
    this.#redis = redis;
    this.#opts = { prefix: 'fapilog-plugins:lock:', ...opts };
  }

  async withLock<T>(repo: string, fn: () => Promise<T>): Promise<T> {
    const key = this.#opts.prefix + repo;
    const token = randomUUID();
    const deadline = Date.now() + this.#opts.waitMs;
    let delay = 50;
    for (;;) {
      const ok = await this.#redis.set(key, token, 'PX', this.#opts.ttlMs, 'NX');
      if (ok === 'OK') break;
      if (Date.now() >= deadline) throw new LockBusyError(`${repo} is being updated by another instance (lock ${key} held)`);
      await sleep(delay + Math.floor(Math.random() * delay));
      delay = Math.min(delay * 2, 1000);
    }
    const renew = setInterval(
      () => {
        this.#redis.eval(EXTEND, 1, key, token, String(this.#opts.ttlMs)).catch(() => undefined);
      },
      Math.max(1000, Math.floor(this.#opts.ttlMs / 3)),
    );
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.#redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}
