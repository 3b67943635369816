/** Read endpoints of /api/v1 (listing, search, plugin, versions, download, stats, batch) plus yank, un-yank and rating. */
import {
  ListQuery,
  RatingRequest,
  YankRequest,
  type BatchResponse,
  type DownloadInfo,
  type RatingResponse,
  type SearchResult,
  type VersionsResponse,
} from '../../src/core/marketplace/schemas.ts';
import { HttpError, notFound } from '../errors.ts';
import type { Reply, RequestContext, Router } from '../router.ts';
import { pluginView, releaseView, type PluginRecord } from '../store/index.ts';
import { canonicalVersion, pluginPackage, printable, queryParams, sameVersion } from '../validation.ts';
import { parseJsonBody } from '../body.ts';
import { buildStats, dayOf, statsRange, today } from '../stats.ts';

export const API = '/api/v1';
const MAX_BATCH = 200;

const ok = (json: unknown): Reply => ({ status: 200, json });
/**
 * Read-only, anonymous, no side effects: answered from the response cache when it can be. Kept
 * per UTC day too: "recent downloads" (sort=downloads) and the default stats range move with it.
 */
const CACHED = { cache: { vary: () => today() } };

async function recordOf(ctx: RequestContext): Promise<PluginRecord> {
  const raw = ctx.params['name']!;
  const record = await ctx.store.record(pluginPackage(raw));
  if (!record) throw notFound(`plugin ${printable(raw)}`);
  return record;
}

function releaseOf(ctx: RequestContext, record: PluginRecord): PluginRecord['releases'][number] {
  const raw = ctx.params['version']!;
  const version = canonicalVersion(raw);
  const r = record.releases.find((x) => sameVersion(x.row.version, version));
  if (!r) throw notFound(`version ${printable(raw)} of ${record.row.package}`);
  return r;
}

/** Query parameters as ListQuery, or a 400 naming the first bad parameter. */
function listQuery(url: URL, search: boolean): ListQuery {
  return search ? queryParams(url, ListQuery) : queryParams(url, ListQuery.omit({ q: true }));
}

async function searchResult(ctx: RequestContext, q: ListQuery): Promise<SearchResult> {
  const { ids, total } = await ctx.store.query(q);
  const records = await ctx.store.recordsById(ids);
  const plugins = ids.flatMap((id) => {
    const record = records.get(id);
    return record ? [pluginView(record, record.rating)] : [];
  });
  return { plugins, total, page: q.page, per_page: q.per_page };
}

function requireOwnerOf(ctx: RequestContext, record: PluginRecord): string {
  const owner = ctx.requireOwner(record.row.package);
  if (owner.owner !== record.row.owner) throw new HttpError(403, 'forbidden', `only the owner of ${record.row.package} may do this`);
  return owner.owner;
}

export function registerPluginRoutes(router: Router): void {
  router.add('GET', `${API}/plugins`, async (ctx) => ok(await searchResult(ctx, listQuery(ctx.url, false))), CACHED);
  router.add('GET', `${API}/plugins/search`, async (ctx) => ok(await searchResult(ctx, listQuery(ctx.url, true))), CACHED);

  router.add(
    'GET',
    `${API}/plugins/batch`,
    async (ctx) => {
      const param = ctx.url.searchParams.get('names');
      const names = (param ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n.length > 0);
      if (names.length === 0)
        throw new HttpError(400, 'invalid_parameter', 'invalid query parameter names: a comma-separated list of plugin names is required');
      if (names.length > MAX_BATCH)
        throw new HttpError(400, 'invalid_parameter', `invalid query parameter names: at most ${MAX_BATCH} names per request`);
      // Names are keys as requested: a null-prototype object keeps `__proto__` (or `constructor`) an own key.
      const plugins: BatchResponse['plugins'] = Object.create(null) as BatchResponse['plugins'];
      const packageOf = new Map<string, string | null>();
      for (const name of names) {
        try {
          packageOf.set(name, pluginPackage(name));
        } catch (err) {
          if (!(err instanceof HttpError)) throw err; // an invalid name is simply not in the marketplace
          packageOf.set(name, null);
        }
      }
      const records = await ctx.store.recordsByPackage([...new Set([...packageOf.values()].filter((p) => p !== null))]);
      for (const name of names) {
        const pkg = packageOf.get(name);
        const record = pkg ? records.get(pkg) : undefined;
        plugins[name] = record
          ? { plugin: pluginView(record, record.rating), releases: record.releases.map((r) => releaseView(record, r, ctx.baseUrl)) }
          : null;
      }
      return ok({ plugins } satisfies BatchResponse);
    },
    CACHED,
  );

  router.add(
    'GET',
    `${API}/plugins/{name}`,
    async (ctx) => {
      const record = await recordOf(ctx);
      return ok(pluginView(record, await ctx.store.rating(record.row.id)));
    },
    CACHED,
  );

  router.add(
    'GET',
    `${API}/plugins/{name}/versions`,
    async (ctx) => {
      const record = await recordOf(ctx);
      const body: VersionsResponse = {
        versions: record.releases.map((r) => r.row.version),
        releases: record.releases.map((r) => releaseView(record, r, ctx.baseUrl)),
      };
      return ok(body);
    },
    CACHED,
  );

  router.add(
    'GET',
    `${API}/plugins/{name}/versions/{version}`,
    async (ctx) => {
      const record = await recordOf(ctx);
      return ok(releaseView(record, releaseOf(ctx, record), ctx.baseUrl));
    },
    CACHED,
  );

  router.add('GET', `${API}/plugins/{name}/versions/{version}/download`, async (ctx) => {
    const record = await recordOf(ctx);
    const release = releaseOf(ctx, record);
    const file = release.files.find((f) => f.filename.endsWith('.whl')) ?? release.files[0];
    if (!file) throw notFound(`files of ${record.row.package} ${release.row.version}`);
    const view = releaseView(record, release, ctx.baseUrl).files.find((f) => f.filename === file.filename)!;
    // A HEAD or a 304 (the client already had this answer) is not a download.
    return {
      ...ok({ url: view.url, filename: view.filename, sha256: view.sha256 } satisfies DownloadInfo),
      onDelivered: () => ctx.countDownload(Number(release.row.id)),
    };
  });

  // Yank (POST, with a reason) and un-yank (DELETE): the owner's token; the answer is the release as it is now.
  const changeYank = (change: (ctx: RequestContext, releaseId: number) => Promise<void>) => async (ctx: RequestContext) => {
    const record = await recordOf(ctx);
    const release = releaseOf(ctx, record);
    requireOwnerOf(ctx, record);
    await change(ctx, release.row.id);
    const fresh = (await ctx.store.record(record.row.package))!;
    return ok(releaseView(fresh, fresh.releases.find((r) => r.row.id === release.row.id)!, ctx.baseUrl));
  };
  router.add(
    'POST',
    `${API}/plugins/{name}/versions/{version}/yank`,
    changeYank(async (ctx, id) => ctx.store.yank(id, (await parseJsonBody(ctx, YankRequest)).reason)),
  );
  router.add(
    'DELETE',
    `${API}/plugins/{name}/versions/{version}/yank`,
    changeYank((ctx, id) => ctx.store.unyank(id)),
  );

  router.add('PUT', `${API}/plugins/{name}/rating`, async (ctx) => {
    const record = await recordOf(ctx);
    const owner = ctx.requireOwner();
    const { stars } = await parseJsonBody(ctx, RatingRequest);
    await ctx.store.rate(record.row.id, `token:${owner.id}`, stars);
    return ok({ name: record.row.name, ...(await ctx.store.rating(record.row.id)) } satisfies RatingResponse);
  });

  router.add(
    'GET',
    `${API}/plugins/{name}/stats`,
    async (ctx) => {
      const record = await recordOf(ctx);
      const range = statsRange(ctx.url, dayOf(new Date()));
      const rows = await ctx.store.dailyDownloads(Number(record.row.id), range.from, range.to);
      return ok(
        buildStats(
          record.row,
          record.releases.map((r) => ({ id: Number(r.row.id), version: r.row.version })),
          rows,
          range,
        ),
      );
    },
    CACHED,
  );

  router.add('GET', `${API}/fapilog/versions`, async (ctx) => ok({ versions: await ctx.store.fapilogVersions() }), {
    cache: { showsCounts: false },
  });
}
