/**
 * The pages as pure functions of their data (routes/web.ts reads the store): search, plugin,
 * fapilog version, and the error page. Everything shown from the data goes through `html`, which
 * escapes it; the README arrives rendered and sanitised by readme.ts.
 */
import type { Osv } from '../../src/core/advisories/osv.ts';
import type { Deprecation, Plugin, Provenance, Release } from '../../src/core/marketplace/schemas.ts';
import { PLUGIN_TYPES, SORT_KEYS } from '../../src/core/marketplace/schemas.ts';
import { isPrerelease } from '../../src/core/pep440/index.ts';
import { downloadsChart, type DayCount } from './chart.ts';
import { CELL_LABEL, cell, newestWorking, type MatrixRelease } from './compat.ts';
import { html, query, safeHttpUrl, trusted, type Html } from './html.ts';
import { page } from './layout.ts';
import type { ReadmeHtml } from './readme.ts';

/** The search form's fields as the page reads them back (all optional). */
export interface SearchForm {
  q?: string;
  type?: string;
  author?: string;
  min_rating?: number;
  fapilog?: string;
  sort?: string;
  page: number;
  per_page: number;
}

export interface SearchHit {
  plugin: Plugin;
  /** With a fapilog filter: the newest release that works with it. */
  working?: string | null;
}

export interface SearchPageData {
  form: SearchForm;
  hits: SearchHit[];
  total: number;
  fapilogVersions: string[];
  /** Said above the results (e.g. that a filter looked at the first N matches only). */
  note?: string;
}

function formParams(f: SearchForm, pageNo: number): string {
  return query({
    q: f.q,
    type: f.type,
    author: f.author,
    min_rating: f.min_rating,
    fapilog: f.fapilog,
    sort: f.sort,
    page: pageNo > 1 ? pageNo : undefined,
    per_page: f.per_page !== 20 ? f.per_page : undefined,
  });
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;
}

function stars(rating: number, count: number): string {
  return count > 0 ? `${rating.toFixed(1)} of 5 (${count} rating${count === 1 ? '' : 's'})` : 'not rated';
}

export function searchPage(d: SearchPageData): string {
  const f = d.form;
  const pages = Math.max(1, Math.ceil(d.total / f.per_page));
  const searching = Boolean(f.q || f.type || f.author || f.min_rating !== undefined || f.fapilog);
  const heading = f.q ? `${d.total} plugin${d.total === 1 ? '' : 's'} matching “${f.q}”` : `${d.total} plugin${d.total === 1 ? '' : 's'}`;
  const results = d.hits.map(
    ({ plugin: p, working }) => html`<li>
<h3><a href="/plugins/${encodeURIComponent(p.name)}${f.fapilog ? query({ fapilog: f.fapilog }) : ''}">${p.package}</a> <span class="meta">${p.version}</span></h3>
<p>${p.description}</p>
<p class="meta">${pluginBadges(p)} by ${p.author} · ${stars(p.rating, p.rating_count)} · ${p.downloads} downloads · fapilog ${p.fapilog_compatibility}${
      f.fapilog ? html` · <strong>${working ?? p.version}</strong> works with fapilog ${f.fapilog}` : ''
    }</p>
</li>`,
  );
  const pager =
    pages > 1
      ? html`<nav class="pages" aria-label="Result pages"><ul>
${f.page > 1 ? html`<li><a rel="prev" href="/${formParams(f, f.page - 1)}">Previous page</a></li>` : ''}
<li aria-current="page">Page ${f.page} of ${pages}</li>
${f.page < pages ? html`<li><a rel="next" href="/${formParams(f, f.page + 1)}">Next page</a></li>` : ''}
</ul></nav>`
      : '';
  const main = html`<h1>Find fapilog plugins</h1>
<form class="search" method="get" action="/" role="search" aria-label="Plugins">
<div class="wide"><label for="q">Search by name, description or author</label>
<input id="q" name="q" type="search" value="${f.q ?? ''}" maxlength="256" autocomplete="off"></div>
<div><label for="type">Type</label>
<select id="type" name="type">${option('', 'any type', f.type ?? '')}${PLUGIN_TYPES.map((t) => option(t, t, f.type))}</select></div>
<div><label for="author">Author</label>
<input id="author" name="author" value="${f.author ?? ''}" maxlength="200"></div>
<div><label for="min_rating">Minimum rating</label>
<select id="min_rating" name="min_rating">${option('', 'any rating', f.min_rating === undefined ? '' : undefined)}${[1, 2, 3, 4, 5].map((n) => option(String(n), `${n} or more`, f.min_rating === undefined ? undefined : String(f.min_rating)))}</select></div>
<div><label for="fapilog">Works with fapilog</label>
<select id="fapilog" name="fapilog">${option('', 'any version', f.fapilog ?? '')}${[...d.fapilogVersions].reverse().map((v) => option(v, v, f.fapilog))}</select></div>
<div><label for="sort">Sort by</label>
<select id="sort" name="sort">${option('', f.q ? 'relevance' : 'name', f.sort ?? '')}${SORT_KEYS.map((s) => option(s, s === 'downloads' ? 'downloads (last 30 days)' : s, f.sort))}</select></div>
<div><button type="submit">Search</button></div>
</form>
<section aria-labelledby="results-heading">
<h2 id="results-heading">${searching || f.page > 1 ? heading : `All ${heading}`}</h2>
${d.note ? html`<p class="note">${d.note}</p>` : ''}
${d.hits.length > 0 ? html`<ol class="results" id="results">${results}</ol>` : html`<p>No plugin matches. Try fewer words or filters.</p>`}
${pager}
</section>
<section aria-labelledby="by-fapilog">
<h2 id="by-fapilog">Plugins by fapilog release</h2>
<ul>${[...d.fapilogVersions].reverse().map((v) => html`<li><a href="/fapilog/${encodeURIComponent(v)}">fapilog ${v}</a></li>`)}</ul>
</section>`;
  return page({ title: f.q ? `Search: ${f.q}` : 'Search', main, description: 'Search the fapilog plugin marketplace' });
}

export interface PluginPageData {
  plugin: Plugin;
  /** Oldest first, as the API lists them, each with its downloads and a correction when the store has one. */
  releases: Array<Release & MatrixRelease & { downloads: number }>;
  fapilogVersions: string[];
  /** The fapilog version the install line is for. */
  fapilog: string | null;
  /** Whether `fapilog` came from the request (else it is the default). */
  chosen: boolean;
  readme: ReadmeHtml;
  /** The release whose README is shown. */
  readmeVersion: string;
  baseUrl: string;
  /** Downloads per day over a recent window, when the store counts them. */
  downloadsByDay?: DayCount[];
  /** The OSV records naming the plugin, newest first (withdrawn ones marked). */
  advisories?: Osv[];
}

function vulnerableBadge(r: Pick<Release, 'advisories'>): Html | '' {
  const ids = (r.advisories ?? []).map((a) => a.id);
  return ids.length > 0 ? html` <span class="badge vulnerable" title="${ids.join(', ')}">vulnerable</span>` : '';
}

/** What a plugin is wherever it is shown (search results, its page, a fapilog release's list): type, mirrored, deprecated or archived. */
function pluginBadges(p: Pick<Plugin, 'plugin_type' | 'mirrored' | 'deprecation'>): Html {
  const mirrored = p.mirrored ? html`<span class="badge mirrored" data-mirrored>mirrored</span>` : '';
  return html`<span class="badge">${p.plugin_type}</span>${mirrored}${p.deprecation ? deprecationBadge(p.deprecation) : ''}`;
}

function deprecationBadge(d: Deprecation): Html {
  return html`<span class="badge ${d.state}" data-deprecation="${d.state}">${d.state}</span>`;
}

/** `Deprecated since 2026-11-01: reason. Use fapilog-x instead.` */
function deprecationNotice(d: Deprecation): Html {
  const label = d.state === 'archived' ? 'Archived (no new releases)' : 'Deprecated';
  const instead = d.replacement
    ? html` Use <a href="/plugins/${encodeURIComponent(d.replacement)}" data-replacement="${d.replacement}">${d.replacement}</a> instead.`
    : '';
  return html`<p class="deprecation" id="deprecation"><strong>${label}</strong> since ${d.since.slice(0, 10)}: ${d.reason}${instead}</p>`;
}

/** The plugin's advisories: id, summary, the releases here each affects, and its references. */
function advisoriesSection(advisories: readonly Osv[], releases: ReadonlyArray<Pick<Release, 'version' | 'advisories'>>): Html | '' {
  if (advisories.length === 0) return '';
  const items = advisories.map((a) => {
    const hit = releases.filter((r) => (r.advisories ?? []).some((x) => x.id === a.id)).map((r) => r.version);
    const links = a.references.flatMap((ref) => {
      const url = safeHttpUrl(ref.url);
      return url ? [html`<a href="${url}" rel="nofollow ugc">${ref.type.toLowerCase()}</a>`] : [];
    });
    const aliases = a.aliases.length > 0 ? html` <span class="meta">(${a.aliases.join(', ')})</span>` : '';
    const withdrawn = a.withdrawn ? html` <span class="badge">withdrawn</span>` : '';
    const affects = `${a.withdrawn ? 'Affected' : 'Affects'}: ${hit.length > 0 ? hit.join(', ') : 'no release here'}`;
    return html`<li class="advisory" id="advisory-${a.id}" data-advisory="${a.id}">
<strong>${a.id}</strong>${aliases}${withdrawn}: ${a.summary || 'no summary'}
<br><span class="meta">${affects} · modified ${a.modified.slice(0, 10)}</span>${links.length > 0 ? html` · ${links}` : ''}
</li>`;
  });
  return html`<section aria-labelledby="advisories-h">
<h2 id="advisories-h">Security advisories</h2>
<ul class="advisories">${items}</ul>
</section>`;
}

function provenanceText(p: Provenance | null | undefined): Html {
  if (!p) return html`not recorded`;
  if (p.kind === 'token') return html`API token of <strong>${p.owner}</strong>`;
  const repoUrl = `https://github.com/${p.repository}`;
  return html`trusted publishing from <a href="${repoUrl}">${p.repository}</a>, workflow <code>${p.workflow_ref}</code>, commit <code>${p.sha.slice(0, 12)}</code>`;
}

function cellMark(kind: ReturnType<typeof cell>): string {
  return kind === 'works' ? '✓' : kind === 'no' ? '✗' : kind === 'corrected-works' ? '✓*' : kind === 'corrected-no' ? '✗*' : '–';
}

const MIRROR_NOTE = "its files are kept here, checked against the upstream's sha256";

export function pluginPage(d: PluginPageData): string {
  const p = d.plugin;
  const newestFirst = [...d.releases].reverse();
  // The install line never names a release an advisory affects.
  const unaffected = d.releases.filter((r) => (r.advisories ?? []).length === 0);
  const target = d.fapilog ? newestWorking(unaffected, d.fapilog) : null;
  const noneWord = unaffected.length < d.releases.length ? 'that no advisory affects ' : '';
  const current = d.releases.find((r) => r.version === p.version);
  const homepage = safeHttpUrl(p.homepage);
  const repository = safeHttpUrl(p.repository);
  const installLine = target ? `pip install --index-url ${d.baseUrl}/simple/ "${p.package}==${target.version}"` : null;
  const matrixHead = d.fapilogVersions.map((v) => html`<th scope="col"><a href="/fapilog/${encodeURIComponent(v)}">${v}</a></th>`);
  const rows = newestFirst.map(
    (r) => html`<tr id="v-${r.version}">
<th scope="row">${r.version}${vulnerableBadge(r)}${r.yanked ? html` <span class="badge yanked">yanked</span>` : ''}${isPrerelease(r.version) ? html` <span class="badge pre">pre-release</span>` : ''}</th>
<td>${r.published_at ? r.published_at.slice(0, 10) : 'unknown'}</td>
<td><code>${r.fapilog_compatibility}</code>${r.correction ? html`<br>corrected: <code>${r.correction.fapilog_compatibility}</code>${r.correction.reason ? html` (${r.correction.reason})` : ''}` : ''}</td>
<td class="num" data-downloads="${r.version}">${r.downloads}</td>
${d.fapilogVersions.map((v) => {
  const kind = cell(r, v);
  return html`<td class="cell ${kind}" data-fapilog="${v}" data-cell="${kind}" title="${r.version} with fapilog ${v}: ${CELL_LABEL[kind]}"><span aria-hidden="true">${cellMark(kind)}</span> <span class="sr">${CELL_LABEL[kind]}</span></td>`;
})}
</tr>`,
  );
  const main = html`<nav aria-label="Breadcrumb" class="meta"><a href="/">All plugins</a> › ${p.package}</nav>
<h1>${p.package} <span class="meta">${p.version}</span></h1>
<p>${p.description}</p>
<p>${pluginBadges(p)}${current?.yanked ? html`<span class="badge yanked">yanked: ${current.yanked_reason ?? ''}</span>` : ''}${current ? vulnerableBadge(current) : ''}</p>
${p.deprecation ? deprecationNotice(p.deprecation) : ''}
<dl class="facts">
<dt>Author</dt><dd>${p.author}</dd>
<dt>Licence</dt><dd>${p.license}</dd>
${homepage ? html`<dt>Homepage</dt><dd><a href="${homepage}" rel="nofollow ugc">${homepage}</a></dd>` : ''}
${repository ? html`<dt>Repository</dt><dd><a href="${repository}" rel="nofollow ugc">${repository}</a></dd>` : ''}
<dt>Rating</dt><dd>${stars(p.rating, p.rating_count)}</dd>
<dt>Downloads</dt><dd><span data-total-downloads>${p.downloads}</span> in all${d.downloadsByDay ? html`, <span data-recent-downloads>${d.downloadsByDay.slice(-30).reduce((n, x) => n + x.downloads, 0)}</span> in the last 30 days` : ''}</dd>
${
  p.mirrored
    ? html`<dt>Source</dt><dd>mirrored from an upstream package index, not published here (${MIRROR_NOTE})</dd>`
    : html`<dt>Published by</dt><dd>${provenanceText(current?.provenance)} (${p.version})</dd>`
}
</dl>
<section aria-labelledby="install-h">
<h2 id="install-h">Install</h2>
<form class="inline" method="get" action="/plugins/${encodeURIComponent(p.name)}">
<label for="fapilog">Your fapilog version</label>
<select id="fapilog" name="fapilog">${[...d.fapilogVersions].reverse().map((v) => option(v, v, d.fapilog ?? undefined))}</select>
<button type="submit">Show install line</button>
</form>
${
  installLine
    ? html`<p>The newest release that works with fapilog ${d.fapilog}: <strong id="install-version">${target!.version}</strong></p><pre class="install"><code>${installLine}</code></pre>`
    : html`<p id="install-none">No release of ${p.package} ${noneWord}works with fapilog ${d.fapilog ?? '(none known)'}.</p>`
}
</section>
${advisoriesSection(d.advisories ?? [], d.releases)}
<section aria-labelledby="versions-h">
<h2 id="versions-h">Versions and compatibility</h2>
<p class="note">Each release against each fapilog release the marketplace knows: ✓ works, ✗ does not, * corrected after publishing, – yanked.</p>
<div class="table-wrap" role="region" aria-labelledby="versions-h" tabindex="0">
<table id="matrix">
<thead><tr><th scope="col">Release</th><th scope="col">Published</th><th scope="col">Declares fapilog</th><th scope="col">Downloads</th>${matrixHead}</tr></thead>
<tbody>${rows}</tbody>
</table>
</div>
</section>
${
  d.downloadsByDay
    ? html`<section aria-labelledby="downloads-h">
<h2 id="downloads-h">Downloads</h2>
${downloadsChart(d.downloadsByDay, `Downloads of ${p.package} per day, the last ${d.downloadsByDay.length} days`)}
<details><summary>Downloads per day as a table</summary>
<table><thead><tr><th scope="col">Day</th><th scope="col">Downloads</th></tr></thead>
<tbody>${d.downloadsByDay.filter((x) => x.downloads > 0).map((x) => html`<tr><td>${x.day}</td><td>${x.downloads}</td></tr>`)}</tbody></table>
</details>
</section>`
    : ''
}
<section aria-labelledby="readme-h" class="readme">
<h2 id="readme-h">README <span class="meta">(${d.readmeVersion})</span></h2>
${d.readme.as === 'text' ? html`<p class="note">Shown as plain text: it could not be rendered in time.</p>` : ''}
${d.readme.html.trim() ? trusted(d.readme.html) : html`<p class="note">This release has no README.</p>`}
${d.readme.omitted > 0 ? html`<p class="note">The README continues for ${d.readme.omitted} more characters, not shown here.</p>` : ''}
</section>`;
  return page({ title: p.package, main, description: p.description.slice(0, 200) });
}

export interface FapilogPageData {
  version: string;
  known: boolean;
  rows: Array<{ plugin: Pick<Plugin, 'name' | 'package' | 'plugin_type' | 'mirrored' | 'deprecation'>; release: string }>;
}

export function fapilogPage(d: FapilogPageData): string {
  const main = html`<nav aria-label="Breadcrumb" class="meta"><a href="/">All plugins</a> › fapilog ${d.version}</nav>
<h1>Plugins that work with fapilog ${d.version}</h1>
${d.known ? '' : html`<p class="note">fapilog ${d.version} is not a release this marketplace knows; releases are judged by what they declare.</p>`}
<p>${d.rows.length} plugin${d.rows.length === 1 ? '' : 's'}, each with its newest release that works with fapilog ${d.version}.</p>
${
  d.rows.length > 0
    ? html`<div class="table-wrap" role="region" aria-label="Plugins" tabindex="0"><table id="working">
<thead><tr><th scope="col">Plugin</th><th scope="col">Release</th><th scope="col">Type</th><th scope="col">Install</th></tr></thead>
<tbody>${d.rows.map(
        ({ plugin: p, release }) => html`<tr>
<th scope="row"><a href="/plugins/${encodeURIComponent(p.name)}${query({ fapilog: d.version })}">${p.package}</a></th>
<td>${release}</td><td>${pluginBadges(p)}</td><td><code>${p.package}==${release}</code></td></tr>`,
      )}</tbody>
</table></div>`
    : ''
}`;
  return page({ title: `fapilog ${d.version}`, main });
}

export function errorPage(status: number, message: string): string {
  const title = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : status === 503 ? 'Busy' : 'Error';
  return page({ title, main: html`<div class="error"><h1>${title}</h1><p>${message}</p><p><a href="/">Search all plugins</a></p></div>` });
}
