/**
 * README rendering off the event loop, under a time budget, remembered per README text.
 * micromark is superlinear on some inputs (64 KB of `> > > ...` takes half a minute), so it runs
 * in one worker thread; a render over the budget terminates that worker (a fresh one takes the
 * next README) and the page shows the README as escaped plain text instead. Results, including
 * those fallbacks, are kept in a bounded map keyed by the text's hash, so each README is
 * rendered once, not per page view.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { escapeHtml } from './html.ts';
import { boundedReadme, type RenderedReadme } from './markdown.ts';

export const DEFAULT_RENDER_BUDGET_MS = 3_000;
/** Time a fresh worker may take to load micromark before it is given up on. */
const WORKER_START_MS = 30_000;
const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_BYTES = 32 * 1024 * 1024;

/**
 * Under `node -e '...'` (or -p) a worker inherits the eval and runs it instead of its file: then
 * it gets no Node options (Node 24 strips types by default). Otherwise it inherits the parent's,
 * as Node does by default (explicit lists are validated more strictly: the test runner's fail).
 */
function workerOptions(): { execArgv?: string[] } {
  return process.execArgv.some((a) => a === '-e' || a === '-p' || /^--(eval|print)(=|$)/.test(a)) ? { execArgv: [] } : {};
}

export interface ReadmeHtml extends RenderedReadme {
  /** 'markdown', or 'text' when it could not be rendered within the budget. */
  as: 'markdown' | 'text';
}

interface Pending {
  resolve(r: ReadmeHtml): void;
  text: string;
}

export class ReadmeRenderer {
  readonly budgetMs: number;
  #worker: { worker: Worker; ready: Promise<void> } | null = null;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  /** One render at a time: the budget timer measures that render alone, not a queue. */
  #chain: Promise<unknown> = Promise.resolve();
  #memo = new Map<string, ReadmeHtml>();
  #memoBytes = 0;
  #closed = false;

  constructor(budgetMs = DEFAULT_RENDER_BUDGET_MS) {
    this.budgetMs = budgetMs;
  }

  async render(markdown: string): Promise<ReadmeHtml> {
    const key = createHash('sha256').update(markdown).digest('base64');
    const hit = this.#memo.get(key);
    if (hit) {
      this.#memo.delete(key);
      this.#memo.set(key, hit);
      return hit;
    }
    const run = this.#chain.then(() => this.#renderNow(markdown));
    this.#chain = run.catch(() => undefined);
    const result = await run;
    this.#remember(key, result);
    return result;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.worker.terminate();
  }

  #remember(key: string, r: ReadmeHtml): void {
    const size = r.html.length * 2;
    if (size > MAX_REMEMBERED_BYTES) return;
    this.#memo.set(key, r);
    this.#memoBytes += size;
    for (const [k, v] of this.#memo) {
      if (this.#memo.size <= MAX_REMEMBERED && this.#memoBytes <= MAX_REMEMBERED_BYTES) break;
      this.#memo.delete(k);
      this.#memoBytes -= v.html.length * 2;
    }
  }

  #workerNow(): { worker: Worker; ready: Promise<void> } {
    if (this.#worker) return this.#worker;
    // The compiled package runs .js beside the sources; a checkout runs the .ts itself.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const w = new Worker(new URL(`./markdown-worker.${ext}`, import.meta.url), workerOptions());
    w.unref();
    let ready!: () => void;
    const whenReady = new Promise<void>((resolve) => (ready = resolve));
    // A worker that never says it is ready (it could not load) is dropped like a stuck one.
    const startTimer = setTimeout(() => void w.terminate(), WORKER_START_MS);
    startTimer.unref();
    void whenReady.then(() => clearTimeout(startTimer));
    w.on('message', (msg: { ready?: true; id: number; ok: boolean; result?: RenderedReadme; error?: string }) => {
      if (msg.ready) return ready();
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      p.resolve(msg.ok && msg.result ? { ...msg.result, as: 'markdown' } : plainText(p.text));
    });
    const fail = () => {
      ready();
      if (this.#worker?.worker === w) this.#worker = null;
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.resolve(plainText(p.text));
      }
    };
    w.on('error', fail);
    w.on('exit', fail);
    this.#worker = { worker: w, ready: whenReady };
    return this.#worker;
  }

  async #renderNow(markdown: string): Promise<ReadmeHtml> {
    if (this.#closed) return plainText(markdown);
    const { text, omitted } = boundedReadme(markdown);
    let slot: { worker: Worker; ready: Promise<void> };
    try {
      slot = this.#workerNow();
    } catch {
      // No worker at all (refused options, no threads left): the page still shows the README.
      return plainText(markdown);
    }
    await slot.ready;
    const w = slot.worker;
    const id = this.#nextId++;
    return new Promise<ReadmeHtml>((resolve) => {
      const timer = setTimeout(() => {
        // Over budget: this worker is stuck in micromark; drop it (its exit resolves the render
        // with the plain-text fallback) and let the next README start a fresh one.
        if (this.#worker?.worker === w) this.#worker = null;
        void w.terminate();
      }, this.budgetMs);
      timer.unref();
      this.#pending.set(id, {
        text: markdown,
        resolve: (r) => {
          clearTimeout(timer);
          // The worker saw the bounded text only; what was cut before it is said here.
          resolve(r.as === 'markdown' ? { ...r, omitted } : r);
        },
      });
      w.postMessage({ id, text });
    });
  }
}

/** The README as escaped text in a <pre>, bounded like a rendered one. */
export function plainText(markdown: string): ReadmeHtml {
  const { text, omitted } = boundedReadme(markdown);
  return { html: `<pre class="readme-text">${escapeHtml(text)}</pre>`, omitted, as: 'text' };
}
