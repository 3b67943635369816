/**
 * Search whose cost is bounded by design. SQLite runs on the event loop, so one expensive query
 * stalls every other request; three things keep a query cheap:
 * - caps on the query (terms and characters), enforced before any SQL (400 naming the limit);
 * - ranking computed here, linear in the query and in the matched rows' text. FTS5's bm25() was
 *   quadratic in the number of terms (on a plugin with a 20,000-word description 80 terms took
 *   0.4 s, 2,000 terms minutes), so FTS5 only filters and this module orders;
 * - a time budget per query, checked by a SQL function SQLite calls for every candidate row (the
 *   progress handler node:sqlite does not offer): over budget, the statement aborts and the
 *   request gets a 503.
 */
import { HttpError } from './errors.ts';

/** Distinct terms a query may have (a real search has one to five). */
export const MAX_QUERY_TERMS = 16;
/** Characters of `q` accepted. */
export const MAX_QUERY_LENGTH = 256;
/** Longest single term (a prefix longer than any name is pointless). */
export const MAX_TERM_LENGTH = 64;
/** Time one search may spend in SQLite and ranking before it is cut off with a 503. */
export const DEFAULT_SEARCH_BUDGET_MS = 2_000;
/** Text of a description that ranking reads (matching still sees all of it). */
export const RANK_TEXT_CHARS = 2048;

/** What SQLite raises when the budget function aborts a statement. */
export const BUDGET_SENTINEL = 'fapilog: search budget exhausted';

/** Folds text as FTS5's unicode61 tokenizer does (case and diacritics), then splits it into tokens. */
export function tokens(text: string): string[] {
  // ASCII (nearly every name and description) needs neither normalisation nor Unicode classes.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** The query's distinct terms, or a 400 naming the limit that was exceeded. */
export function queryTerms(q: string | undefined): string[] {
  if (q === undefined) return [];
  if (q.length > MAX_QUERY_LENGTH) {
    throw new HttpError(400, 'query_too_long', `invalid query parameter q: at most ${MAX_QUERY_LENGTH} characters (got ${q.length})`);
  }
  const terms = [...new Set(tokens(q))];
  if (terms.length > MAX_QUERY_TERMS) {
    throw new HttpError(
      400,
      'query_too_long',
      `invalid query parameter q: at most ${MAX_QUERY_TERMS} distinct terms (got ${terms.length})`,
    );
  }
  const long = terms.find((t) => t.length > MAX_TERM_LENGTH);
  if (long) throw new HttpError(400, 'query_too_long', `invalid query parameter q: terms are at most ${MAX_TERM_LENGTH} characters`);
  return terms;
}

/** Every term must match, each as a prefix (`lok` finds loki); quoting keeps FTS syntax out. */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"*`).join(' ');
}

export interface RankFields {
  name: string;
  package: string;
  author: string;
  description: string;
}

const WEIGHTS: Array<[keyof RankFields, number]> = [
  ['name', 8],
  ['package', 4],
  ['author', 2],
  ['description', 1],
];

/**
 * Relevance of a matched row: per term, the weight of the best field holding a token that starts
 * with it (doubled for a whole-token match). Cost: tokens x distinct term lengths, so linear in
 * the row's text and in the (capped) query. The query's part is prepared once per search.
 */
export function scorer(terms: readonly string[]): (fields: RankFields) => number {
  const wanted = new Set(terms);
  const lengths = [...new Set(terms.map((t) => t.length))];
  return (fields) => {
    if (wanted.size === 0) return 0;
    const best = new Map<string, number>();
    for (const [field, weight] of WEIGHTS) {
      const text = fields[field];
      for (const token of tokens(text.length > RANK_TEXT_CHARS ? text.slice(0, RANK_TEXT_CHARS) : text)) {
        for (const len of lengths) {
          if (len > token.length) continue;
          const whole = len === token.length;
          const prefix = whole ? token : token.slice(0, len);
          if (!wanted.has(prefix)) continue;
          const w = whole ? weight * 2 : weight;
          if ((best.get(prefix) ?? 0) < w) best.set(prefix, w);
        }
      }
    }
    let total = 0;
    for (const w of best.values()) total += w;
    return total;
  };
}

export function score(terms: readonly string[], fields: RankFields): number {
  return scorer(terms)(fields);
}

/** A deadline the budget SQL function reads; `arm` before a statement, `disarm` after. */
export class SearchBudget {
  readonly budgetMs: number;
  #deadline = Infinity;
  constructor(budgetMs: number = DEFAULT_SEARCH_BUDGET_MS) {
    this.budgetMs = budgetMs;
  }
  arm(): void {
    this.#deadline = performance.now() + this.budgetMs;
  }
  disarm(): void {
    this.#deadline = Infinity;
  }
  /** Throws when the budget is spent: from inside SQLite, this aborts the running statement. */
  check(): 1 {
    if (performance.now() >= this.#deadline) throw new Error(BUDGET_SENTINEL);
    return 1;
  }
  /** Runs `fn` under the budget; a spent budget becomes the 503 the client sees. */
  run<T>(fn: () => T): T {
    this.arm();
    try {
      return fn();
    } catch (err) {
      if (err instanceof Error && err.message.includes(BUDGET_SENTINEL)) {
        throw new HttpError(503, 'search_timeout', `the search was cut off after ${this.budgetMs} ms; use fewer or longer terms`, {
          'Retry-After': '1',
        });
      }
      throw err;
    } finally {
      this.disarm();
    }
  }
}
