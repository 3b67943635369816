/**
 * A progress line on stderr for work that takes longer than a second (a large scan, lookups that
 * wait for retries, an upload): drawn only on a terminal, only once the second has passed, redrawn
 * with the elapsed time, and erased when the work ends, so that nothing of it is left in the
 * output, and a pipe or a log file never sees it.
 */
export interface Progress {
  /** Erases the line (if drawn) before other text is written to stderr; `resume` draws it again. */
  clear(): void;
  resume(): void;
  done(): void;
}

const ERASE = '\r\x1b[2K';

export interface ProgressOptions {
  /** Only on a terminal. */
  tty: boolean;
  write(text: string): void;
  /** Default 1000 ms; the line appears only for work that lasts longer. */
  delayMs?: number;
  now?: () => number;
}

export function startProgress(label: string, opts: ProgressOptions): Progress {
  if (!opts.tty) return { clear() {}, resume() {}, done() {} };
  const now = opts.now ?? Date.now;
  const started = now();
  let drawn = false;
  let finished = false;
  const draw = () => {
    if (finished) return;
    const seconds = Math.floor((now() - started) / 1000);
    opts.write(`${ERASE}${label} (${seconds} s)`);
    drawn = true;
  };
  let interval: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    draw();
    interval = setInterval(draw, 1000);
    interval.unref();
  }, opts.delayMs ?? 1000);
  timer.unref();
  return {
    clear() {
      if (drawn) opts.write(ERASE);
    },
    resume() {
      if (drawn) draw();
    },
    done() {
      finished = true;
      clearTimeout(timer);
      if (interval) clearInterval(interval);
      if (drawn) opts.write(ERASE);
      drawn = false;
    },
  };
}
