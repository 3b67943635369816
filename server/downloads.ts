/**
 * Download counting that never waits on the database: a download adds one to a map in memory
 * (release id x UTC day) and returns; a timer writes the map in one transaction every
 * `flushMs` (default 1 s), and `close()` writes what is left. So a download costs a map update,
 * and a busy hour costs one write per second, not one per download.
 *
 * What a crash can lose: the counts of the last flush interval (at most `flushMs` of downloads),
 * never more, and never a download of anything (counting happens after the answer is sent). A
 * failed flush (the database busy or gone) puts its counts back and is retried at the next tick;
 * the map is bounded (`maxPending` release-days), and past it further counts are dropped and
 * reported by `dropped` rather than growing without limit while the database is away.
 */

export interface CountBatch {
  releaseId: number;
  /** YYYY-MM-DD, UTC. */
  day: string;
  count: number;
}

export interface DownloadCounterOptions {
  /** How often pending counts are written (ms). */
  flushMs?: number;
  /** Distinct release-days held in memory at most. */
  maxPending?: number;
  now?: () => Date;
  /** Told when a flush fails (the counts stay pending). */
  onError?: (err: unknown) => void;
}

export const DEFAULT_FLUSH_MS = 1000;
export const DEFAULT_MAX_PENDING = 100_000;

export class DownloadCounter {
  readonly #write: (batch: CountBatch[]) => Promise<void>;
  readonly #opts: Required<Omit<DownloadCounterOptions, 'onError'>> & Pick<DownloadCounterOptions, 'onError'>;
  #pending = new Map<string, CountBatch>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #dropped = 0;
  #closed = false;

  constructor(write: (batch: CountBatch[]) => Promise<void>, opts: DownloadCounterOptions = {}) {
    this.#write = write;
    this.#opts = {
      flushMs: opts.flushMs ?? DEFAULT_FLUSH_MS,
      maxPending: opts.maxPending ?? DEFAULT_MAX_PENDING,
      now: opts.now ?? (() => new Date()),
      onError: opts.onError,
    };
  }

  /** Counts dropped because the pending map was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Release-days waiting to be written. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Counts not yet committed: pending, or taken by a write still in flight. A reader that must not
   * be behind this server's downloads awaits `flush()` while this holds (the map is empty as soon
   * as a write starts, so `pending` alone would let it read before that write commits).
   */
  get unsettled(): boolean {
    return this.#pending.size > 0 || this.#flushing !== null;
  }

  count(releaseId: number): void {
    if (this.#closed) return;
    const day = this.#opts.now().toISOString().slice(0, 10);
    this.#add({ releaseId, day, count: 1 });
    if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.flush();
      }, this.#opts.flushMs);
      this.#timer.unref();
    }
  }

  #add(c: CountBatch): void {
    const key = `${c.releaseId}:${c.day}`;
    const have = this.#pending.get(key);
    if (have) have.count += c.count;
    else if (this.#pending.size >= this.#opts.maxPending) this.#dropped += c.count;
    else this.#pending.set(key, { ...c });
  }

  /** Writes what is pending now (one transaction); resolves when it is written or put back. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#flushing = (async () => {
      try {
        await this.#write(batch);
      } catch (err) {
        for (const c of batch) this.#add(c);
        this.#opts.onError?.(err);
        if (!this.#closed && !this.#timer) {
          this.#timer = setTimeout(() => {
            this.#timer = null;
            void this.flush();
          }, this.#opts.flushMs);
          this.#timer.unref();
        }
      } finally {
        this.#flushing = null;
      }
    })();
    await this.#flushing;
  }

  /** Stops counting and writes what is pending (one attempt). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
