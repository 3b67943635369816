/**
 * The web catalog: server-rendered pages over the same store and views as the JSON API, cached
 * like it (router CachePolicy), no script. `/` search, `/plugins/{name}`, `/fapilog/{version}`
 * (one segment: the per-fapilog simple index lives below it at `/fapilog/{version}/simple/`),
 * and the stylesheet. Templates, escaping, Markdown and the chart are in server/web/.
 */
import { deprecationView, isAffectedRelease, isMirrored } from '../store/views.ts';
import { ListQuery, type Deprecation, type Plugin } from '../../src/core/marketplace/schemas.ts';
import { isValid } from '../../src/core/pep440/index.ts';
import { HttpError, notFound } from '../errors.ts';
import type { Reply, RequestContext, Router } from '../router.ts';
import { currentRelease, pluginView, releaseView, type PluginRecord, type Store } from '../store/index.ts';
import { pluginPackage, printable, queryParams } from '../validation.ts';
import { defaultFapilog, newestWorking, type MatrixRelease } from '../web/compat.ts';
import { HTML_TYPE, PAGE_HEADERS } from '../web/layout.ts';
import { errorPage, fapilogPage, pluginPage, searchPage, type SearchForm, type SearchHit } from '../web/pages.ts';
import type { ReadmeRenderer } from '../web/readme.ts';
import { addDays, buildStats, dayOf, today } from '../stats.ts';
import { STYLESHEET, STYLESHEET_PATH } from '../web/style.ts';

/** Days the plugin page's downloads chart covers. */
export const CHART_DAYS = 90;

/** Cached like the API, per UTC day as well: the chart and "recent downloads" move with the day. */
const BY_DAY = { cache: { vary: () => today() } };

/** Plugins a "works with fapilog" search looks through (the filter runs over the other filters' matches). */
export const MAX_FILTER_CANDIDATES = 10_000;

const htmlReply = (body: string, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  contentType: HTML_TYPE,
  headers: { ...PAGE_HEADERS, ...headers },
});

/** An HttpError (bad parameter, unknown plugin, search budget) as an HTML page with its status. */
function asPage(handler: (ctx: RequestContext) => Promise<Reply>): (ctx: RequestContext) => Promise<Reply> {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const keep = Object.fromEntries(Object.entries(err.headers ?? {}).filter(([k]) => k === 'Retry-After' || k === 'Allow'));
      return htmlReply(errorPage(err.status, err.message), err.status, keep);
    }
  };
}

function fapilogParam(url: URL): string | undefined {
  const v = url.searchParams.get('fapilog');
  if (v === null || v === '') return undefined;
  if (v.length > 64 || !isValid(v))
    throw new HttpError(400, 'invalid_parameter', `invalid query parameter fapilog: ${printable(v.slice(0, 64))} is not a PEP 440 version`);
  return v;
}

/** The search form's parameters through the API's own ListQuery (same limits, same messages). */
function searchForm(url: URL): { form: SearchForm; list: ListQuery } {
  const list = queryParams(url, ListQuery);
  const fapilog = fapilogParam(url);
  const form: SearchForm = {
    page: list.page,
    per_page: list.per_page,
    ...(list.q !== undefined ? { q: list.q } : {}),
    ...(list.type !== undefined ? { type: list.type } : {}),
    ...(list.author !== undefined ? { author: list.author } : {}),
    ...(list.min_rating !== undefined ? { min_rating: list.min_rating } : {}),
    ...(list.sort !== undefined ? { sort: list.sort } : {}),
    ...(fapilog !== undefined ? { fapilog } : {}),
  };
  return { form, list };
}

interface CompatEntry {
  id: number;
  name: string;
  package: string;
  plugin_type: Plugin['plugin_type'];
  mirrored: boolean;
  deprecation: Deprecation | null;
  releases: MatrixRelease[];
}

/**
 * Every plugin's releases as the matrix reads them, rebuilt when content changes (a download
 * does not change compatibility): what "works with fapilog X" and /fapilog/{version} look through
 * (releases an advisory affects left out).
 */
class CompatIndex {
  #generation = '';
  #entries: CompatEntry[] = [];
  #building: Promise<CompatEntry[]> | null = null;

  async entries(store: Store): Promise<CompatEntry[]> {
    const generation = await store.generation('content');
    if (generation === this.#generation) return this.#entries;
    if (this.#building) return this.#building;
    this.#building = (async () => {
      try {
        const packages = await store.packages();
        const records = await store.recordsByPackage(packages);
        const entries = [...records.values()].map((r) => ({
          id: Number(r.row.id),
          name: r.row.name,
          package: r.row.package,
          plugin_type: r.row.plugin_type,
          mirrored: isMirrored(r.row),
          deprecation: deprecationView(r.row),
          // A release an advisory affects is never named as the one that works.
          releases: r.releases.filter((x) => !isAffectedRelease(r, x.row.version)).map((x) => matrixRelease(x)),
        }));
        this.#entries = entries;
        this.#generation = generation;
        return entries;
      } finally {
        this.#building = null;
      }
    })();
    return this.#building;
  }
}

/** The declared range, and the correction when the owner narrowed it (the matrix shows both). */
function matrixRelease(r: PluginRecord['releases'][number]): MatrixRelease {
  return {
    version: r.row.version,
    fapilog_compatibility: r.row.fapilog_compatibility,
    yanked: Boolean(r.row.yanked),
    correction: correctionOf(r),
  };
}

function correctionOf(r: PluginRecord['releases'][number]): MatrixRelease['correction'] {
  return r.row.corrected_compatibility ? { fapilog_compatibility: r.row.corrected_compatibility, reason: r.row.correction_reason } : null;
}

async function hitsOf(store: Store, ids: readonly number[], working?: Map<number, string>): Promise<SearchHit[]> {
  const records = await store.recordsById(ids);
  return ids.flatMap((id) => {
    const record = records.get(id);
    if (!record) return [];
    const hit: SearchHit = { plugin: pluginView(record, record.rating) };
    if (working) hit.working = working.get(id) ?? null;
    return [hit];
  });
}

export function registerWebRoutes(router: Router, readmes: ReadmeRenderer): void {
  const compat = new CompatIndex();

  router.add(
    'GET',
    STYLESHEET_PATH,
    () => ({
      status: 200,
      body: STYLESHEET,
      contentType: 'text/css; charset=utf-8',
      headers: { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=3600' },
    }),
    { cache: { showsCounts: false } },
  );

  router.add(
    'GET',
    '/',
    asPage(async (ctx) => {
      const { store } = ctx;
      const { form, list } = searchForm(ctx.url);
      const fapilogVersions = await store.fapilogVersions();
      if (!form.fapilog) {
        const { ids, total } = await store.query(list);
        return htmlReply(searchPage({ form, hits: await hitsOf(store, ids), total, fapilogVersions }));
      }
      // The other filters and the order come from the store; compatibility is judged here, over
      // every match (bounded), then the page is cut.
      const { ids } = await store.query({ ...list, page: 1, per_page: MAX_FILTER_CANDIDATES });
      const byId = new Map((await compat.entries(store)).map((e) => [e.id, e]));
      const working = new Map<number, string>();
      for (const id of ids) {
        const e = byId.get(id);
        const r = e ? newestWorking(e.releases, form.fapilog) : null;
        if (r) working.set(id, r.version);
      }
      const matching = ids.filter((id) => working.has(id));
      const start = (form.page - 1) * form.per_page;
      const hits = await hitsOf(store, matching.slice(start, start + form.per_page), working);
      const note =
        ids.length >= MAX_FILTER_CANDIDATES
          ? `Only the first ${MAX_FILTER_CANDIDATES} matches were checked against fapilog ${form.fapilog}; add words or filters to narrow the search.`
          : undefined;
      return htmlReply(searchPage({ form, hits, total: matching.length, fapilogVersions, ...(note ? { note } : {}) }));
    }),
    BY_DAY,
  );

  router.add(
    'GET',
    '/plugins/{name}',
    asPage(async (ctx) => {
      const { store } = ctx;
      const raw = ctx.params['name']!;
      const record = await store.record(pluginPackage(raw));
      if (!record) throw notFound(`plugin ${printable(raw)}`);
      const fapilogVersions = await store.fapilogVersions();
      const asked = fapilogParam(ctx.url);
      const fapilog = asked ?? defaultFapilog(fapilogVersions);
      const plugin = pluginView(record, await store.rating(record.row.id));
      const releases = record.releases.map((r) => ({
        ...releaseView(record, r, ctx.baseUrl),
        fapilog_compatibility: r.row.fapilog_compatibility,
        correction: correctionOf(r),
        downloads: Number(r.row.downloads),
      }));
      const shown = currentRelease(record);
      const readme = await readmes.render(shown.row.readme);
      const today = dayOf(new Date());
      const from = addDays(today, -(CHART_DAYS - 1));
      const daily = await store.dailyDownloads(Number(record.row.id), from, today);
      const downloadsByDay = buildStats(record.row, [], daily, { from, to: today }).days;
      return htmlReply(
        pluginPage({
          plugin,
          releases,
          fapilogVersions,
          fapilog,
          chosen: asked !== undefined,
          readme,
          readmeVersion: shown.row.version,
          baseUrl: ctx.baseUrl,
          downloadsByDay,
          advisories: record.advisories ?? [],
        }),
      );
    }),
    BY_DAY,
  );

  router.add(
    'GET',
    '/fapilog/{version}',
    asPage(async (ctx) => {
      const version = ctx.params['version']!;
      if (version.length > 64 || !isValid(version)) throw notFound(`fapilog ${printable(version.slice(0, 64))}: not a PEP 440 version`);
      const known = (await ctx.store.fapilogVersions()).includes(version);
      const rows = (await compat.entries(ctx.store))
        .map((e) => ({ e, r: newestWorking(e.releases, version) }))
        .filter((x) => x.r !== null)
        .sort((a, b) => (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0))
        .map(({ e, r }) => ({ plugin: e, release: r!.version }));
      return htmlReply(fapilogPage({ version, known, rows }));
    }),
    { cache: { showsCounts: false } },
  );
}
