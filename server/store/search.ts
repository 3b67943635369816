/**
 * List and search queries of each dialect (the caps, the ranking and the budget are server/search.ts's).
 * SQLite: FTS5 filters, `within_budget()` aborts a statement whose budget is spent.
 * PostgreSQL: a tsvector column (GIN index) filters; statement_timeout is the budget.
 * Both rank the matched rows with the same JS scorer, so both answer a search in the same order.
 */
import type { ListQuery } from '../../src/core/marketplace/schemas.ts';
import { HttpError } from '../errors.ts';
import { BUDGET_SENTINEL, RANK_TEXT_CHARS, SearchBudget, matchExpression, queryTerms, scorer } from '../search.ts';
import type { SqlValue } from './db.ts';
import type { SqliteDb } from './sqlite.ts';
import type { PostgresDb } from './postgres.ts';

interface Candidate {
  id: number;
  name: string;
  package: string;
  author: string;
  description: string;
}

const ORDER: Record<NonNullable<ListQuery['sort']> | 'name', string> = {
  // Recent downloads (plugin_stats.recent: the last 30 days), then lifetime ones.
  downloads: 's.recent DESC, s.downloads DESC, s.name',
  rating: 's.rating DESC, s.name',
  updated: 's.updated DESC, s.name',
  name: 's.name',
};

/** Filters every dialect writes alike. */
function filters(q: ListQuery, dialect: 'sqlite' | 'postgres'): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (q.type) {
    where.push('s.plugin_type = ?');
    params.push(q.type);
  }
  if (q.author) {
    // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE does the same.
    where.push(`s.author ${dialect === 'sqlite' ? 'LIKE' : 'ILIKE'} ? ESCAPE '\\'`);
    params.push(`%${q.author.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (q.min_rating !== undefined) {
    where.push('s.rating >= ?');
    params.push(q.min_rating);
  }
  return { where, params };
}

function rank(rows: Candidate[], terms: string[], q: ListQuery, budget: SearchBudget): { ids: number[]; total: number } {
  const score = scorer(terms);
  const ranked: Array<{ id: number; name: string; score: number }> = [];
  for (const r of rows) {
    budget.check();
    ranked.push({ id: Number(r.id), name: r.name, score: score(r) });
  }
  ranked.sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const offset = (q.page - 1) * q.per_page;
  return { ids: ranked.slice(offset, offset + q.per_page).map((r) => r.id), total: ranked.length };
}

export function searchSqlite(db: SqliteDb, budget: SearchBudget, q: ListQuery): { ids: number[]; total: number } {
  const { where, params } = filters(q, 'sqlite');
  where.unshift('within_budget()');
  let from = 'plugin_stats s';
  const terms = queryTerms(q.q);
  if (terms.length > 0) {
    from = 'plugins_fts f JOIN plugin_stats s ON s.id = f.rowid';
    where.push('plugins_fts MATCH ?');
    params.push(matchExpression(terms));
  }
  const clause = `WHERE ${where.join(' AND ')}`;
  const offset = (q.page - 1) * q.per_page;
  const conn = db.reader;
  return budget.run(() => {
    if (terms.length > 0 && q.sort === undefined) {
      // Relevance: every matching row is ranked (linear), then the page is cut.
      const rows = conn.allSync<Candidate>(
        `SELECT p.id AS id, p.name AS name, p.package AS package, p.author AS author, substr(p.description, 1, ${RANK_TEXT_CHARS}) AS description FROM ${from} JOIN plugins p ON p.id = s.id ${clause}`,
        ...params,
      );
      return rank(rows, terms, q, budget);
    }
    const total = Number(conn.allSync<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${clause}`, ...params)[0]?.n ?? 0);
    const ids = conn
      .allSync<{ id: number }>(
        `SELECT s.id AS id FROM ${from} ${clause} ORDER BY ${ORDER[q.sort ?? 'name']} LIMIT ? OFFSET ?`,
        ...params,
        q.per_page,
        offset,
      )
      .map((r) => Number(r.id));
    return { ids, total };
  });
}

/** Every term must match, each as a prefix; the terms are letters and digits only (queryTerms), quoted anyway. */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((t) => `'${t.replace(/'/g, "''")}':*`).join(' & ');
}

const QUERY_CANCELED = '57014';

export async function searchPostgres(db: PostgresDb, shared: SearchBudget, q: ListQuery): Promise<{ ids: number[]; total: number }> {
  const { where, params } = filters(q, 'postgres');
  const terms = queryTerms(q.q);
  if (terms.length > 0) {
    where.push("p.search @@ to_tsquery('simple', ?)");
    params.push(tsQuery(terms));
  }
  const from = 'plugin_stats s JOIN plugins p ON p.id = s.id';
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const offset = (q.page - 1) * q.per_page;
  // Searches overlap here (the driver is asynchronous): each has its own deadline.
  const budget = new SearchBudget(shared.budgetMs);
  budget.arm();
  try {
    return await db.withClient(async (client, sql) => {
      await client.query('BEGIN READ ONLY');
      try {
        // The server cancels a statement past the budget (integer ms; SET cannot take a parameter).
        await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(shared.budgetMs))}`);
        let result: { ids: number[]; total: number };
        if (terms.length > 0 && q.sort === undefined) {
          const rows = await sql.all<Candidate>(
            `SELECT p.id AS id, p.name AS name, p.package AS package, p.author AS author, substr(p.description, 1, ${RANK_TEXT_CHARS}) AS description FROM ${from} ${clause}`,
            ...params,
          );
          result = rank(rows, terms, q, budget);
        } else {
          const total = Number((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${clause}`, ...params))?.n ?? 0);
          const ids = (
            await sql.all<{ id: number }>(
              `SELECT s.id AS id FROM ${from} ${clause} ORDER BY ${ORDER[q.sort ?? 'name']} LIMIT ? OFFSET ?`,
              ...params,
              q.per_page,
              offset,
            )
          ).map((r) => Number(r.id));
          result = { ids, total };
        }
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === QUERY_CANCELED || e.message?.includes(BUDGET_SENTINEL)) {
      throw new HttpError(503, 'search_timeout', `the search was cut off after ${shared.budgetMs} ms; use fewer or longer terms`, {
        'Retry-After': '1',
      });
    }
    throw err;
  } finally {
    budget.disarm();
  }
}
