/**
 * Advisories and deprecation over the API: `GET /advisories` (all, or `?plugin=`), `GET
 * /plugins/{name}/advisories`, `POST /advisories` (one OSV record, by the owner of every plugin
 * it names or an admin token), and `PUT`/`DELETE /plugins/{name}/deprecation` (owner or admin).
 */
import { Osv, osvProblem } from '../../src/core/advisories/osv.ts';
import { DeprecationRequest, type AdvisoryList } from '../../src/core/marketplace/schemas.ts';
import { deprecate, importAdvisory } from '../advisories.ts';
import { parseJsonBody, readJsonBody } from '../body.ts';
import { HttpError, notFound } from '../errors.ts';
import type { Reply, RequestContext, Router } from '../router.ts';
import { listAdvisories } from '../store/advisories.ts';
import { pluginView } from '../store/index.ts';
import { pluginPackage, printable } from '../validation.ts';
import { API } from './plugins.ts';

/** An OSV record's `details` may be long (64 KiB of text): a body of its own size, not the API's usual one. */
const MAX_ADVISORY_BODY = 256 * 1024;
/** The most records one list answer holds (newest first). */
const MAX_LIST = 1000;

const CACHED = { cache: { showsCounts: false } };

async function rowOf(ctx: RequestContext, raw: string) {
  const row = await ctx.store.pluginRow(pluginPackage(raw));
  if (!row) throw notFound(`plugin ${printable(raw)}`);
  return row;
}

async function list(ctx: RequestContext, raw: string | null): Promise<Reply> {
  const row = raw === null ? null : await rowOf(ctx, raw);
  const body: AdvisoryList = { advisories: await listAdvisories(ctx.store.db, row ? Number(row.id) : null, MAX_LIST) };
  return { status: 200, json: body };
}

export function registerAdvisoryRoutes(router: Router): void {
  router.add('GET', `${API}/advisories`, (ctx) => list(ctx, ctx.url.searchParams.get('plugin')), CACHED);
  router.add('GET', `${API}/plugins/{name}/advisories`, (ctx) => list(ctx, ctx.params['name']!), CACHED);

  router.add('POST', `${API}/advisories`, async (ctx) => {
    const who = ctx.requireOwner();
    const parsed = Osv.safeParse(await readJsonBody(ctx, MAX_ADVISORY_BODY));
    if (!parsed.success) throw new HttpError(400, 'invalid_body', osvProblem(parsed.error));
    const saved = await importAdvisory(ctx.store, parsed.data, { owner: who.owner, admin: who.admin });
    return { status: saved.status === 'created' ? 201 : 200, json: saved };
  });

  const setDeprecation = async (ctx: RequestContext, clear: boolean): Promise<Reply> => {
    const row = await rowOf(ctx, ctx.params['name']!);
    const who = ctx.requireOwner();
    const request = clear ? null : await parseJsonBody(ctx, DeprecationRequest);
    await deprecate(ctx.store, row, request, { owner: who.owner, admin: who.admin });
    const fresh = (await ctx.store.recordsById([Number(row.id)])).get(Number(row.id))!;
    return { status: 200, json: pluginView(fresh, fresh.rating) };
  };
  router.add('PUT', `${API}/plugins/{name}/deprecation`, (ctx) => setDeprecation(ctx, false));
  router.add('DELETE', `${API}/plugins/{name}/deprecation`, (ctx) => setDeprecation(ctx, true));
}
