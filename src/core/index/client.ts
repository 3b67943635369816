/**
 * A Python package index as a plugin source: PyPI, devpi, Artifactory, CodeArtifact, a static
 * directory or our own server's /simple/. Releases and yanks come from the simple API (PEP 691
 * JSON, PEP 503 HTML as the fallback); each release's `fapilog` requirement from its core
 * metadata file (PEP 658/714), else from the METADATA inside its wheel (a bounded download).
 *
 * It shares the marketplace client's pieces: the HTTP transport (timeouts, retries, no retry of
 * DNS failures and refused connections), the ETag cache on disk or in memory and its online /
 * prefer-offline / offline modes, with a stale copy standing in when the index cannot be asked.
 * A release's metadata never changes once published, so it is fetched once and then read from
 * the cache without asking again.
 */
import type { IndexSettings } from '../config.ts';
import type { CacheEntry } from '../marketplace/cache.ts';
import { MarketplaceError, redact, splitCredentials, stripCredentials } from '../marketplace/errors.ts';
import type { HttpResponse, HttpTransport } from '../marketplace/http.ts';
import { SourceClientBase, sourceIo } from '../marketplace/source-io.ts';
import { cachedGet, type Served } from '../marketplace/cached-get.ts';
import type { ClientOptions } from '../marketplace/client.ts';
import {
  MAX_PER_PAGE,
  type BatchEntry,
  type ListQuery,
  type Plugin,
  type Release,
  type SearchResult,
  type VersionsResponse,
} from '../marketplace/schemas.ts';
import { isPluginPackage, isValidProjectName, normalizeName, packageName } from '../names.ts';
import { compare } from '../pep440/index.ts';
import { parseCoreMetadata, parseHeaders, type CoreMetadata } from '../publish/metadata.ts';
import { sha256Hex } from '../sha256.ts';
import { describedRelease, groupReleases, metadataFile, toPlugin, toRelease, type IndexRelease } from './releases.ts';
import { parseProjectList, parseProjectPage, SIMPLE_ACCEPT, SimpleParseError, type IndexFile, type IndexProject } from './simple.ts';

/** A wheel read for its METADATA (no metadata file offered) is refused above this size. */
export const MAX_WHEEL_BYTES = 32 * 1024 * 1024;
/** Requests in flight at once: a first run reads one metadata file per release. */
export const INDEX_CONCURRENCY = 8;

interface Entry {
  plugin: Plugin;
  releases: Release[];
}

export class IndexClient extends SourceClientBase {
  readonly kind = 'index' as const;
  readonly settings: IndexSettings;
  readonly #base: string;
  /** Per host: how the first request to it ended (its error when the host cannot be reached at all). */
  readonly #contact = new Map<string, Promise<MarketplaceError | null>>();

  constructor(settings: IndexSettings, opts: ClientOptions = {}) {
    const base = settings.url.endsWith('/') ? settings.url : `${settings.url}/`;
    super(
      sourceIo(opts, {
        scrub: stripCredentials,
        // user:password@ in the index URL (a private index) keeps its answers apart in the cache, as a token does.
        cacheKey: splitCredentials(base).basic,
        cacheDir: settings.cacheDir,
        concurrency: INDEX_CONCURRENCY,
      }),
      'the package index',
    );
    this.settings = settings;
    this.#base = base;
  }

  /** The index URL for reports (never its user:password@), and whether a stale copy stood in. */
  status(): { url: string; stale: boolean; kind: 'index' } {
    return { url: withoutCredentials(this.#base), stale: this.stale, kind: 'index' };
  }

  // ---- what the check, update and install ask -------------------------------------------

  async batch(names: string[]): Promise<Record<string, BatchEntry | null>> {
    const out: Record<string, BatchEntry | null> = Object.create(null) as Record<string, BatchEntry | null>;
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        out[name] = isValidProjectName(name) ? await this.#entry(name) : null;
      }),
    );
    return out;
  }

  /** fapilog's own releases on the index (not yanked), PEP 440 ascending; [] when the index does not carry fapilog. */
  async fapilogVersions(): Promise<string[]> {
    const page = await this.#page('fapilog');
    if (!page) return [];
    return groupReleases(page.files, 'fapilog')
      .filter((r) => r.yanked === false)
      .map((r) => r.version);
  }

  // ---- info, search, list -----------------------------------------------------------------

  async getPlugin(name: string): Promise<Plugin | null> {
    return (await this.#entry(packageName(name)))?.plugin ?? null;
  }

  async versions(name: string): Promise<VersionsResponse | null> {
    const entry = await this.#entry(packageName(name));
    return entry ? { versions: entry.releases.map((r) => r.version), releases: entry.releases } : null;
  }

  async release(name: string, version: string): Promise<Release | null> {
    const entry = await this.#entry(packageName(name));
    return entry?.releases.find((r) => compare(r.version, version) === 0) ?? null;
  }

  /**
   * The index's `fapilog-*` projects whose names hold every word of the query. The simple API
   * lists names only: matching is by name, and the page shown is described from each plugin's
   * newest release (one project page and one metadata file per plugin, both cached).
   */
  async search(query: Partial<ListQuery>): Promise<SearchResult> {
    unsupported(query);
    const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const names = (await this.#pluginNames()).filter((n) => words.every((w) => n.includes(w)));
    return this.#pageOf(names, query);
  }

  async list(query: Partial<ListQuery> = {}): Promise<SearchResult> {
    unsupported(query);
    return this.#pageOf(await this.#pluginNames(), query);
  }

  /** Every `fapilog-*` project name on the index, normalised and sorted (the marketplace's upstream mirror reads these). */
  projectNames(): Promise<string[]> {
    return this.#pluginNames();
  }

  /**
   * A distribution file's bytes: a bounded download, refused unless it matches the sha256 the index
   * lists for it (a file the index gives no sha256 for is refused: nothing to check it against).
   */
  async fileBytes(file: { filename: string; url: string; sha256: string | null }, maxBytes = MAX_WHEEL_BYTES): Promise<Uint8Array> {
    if (!file.sha256 || !/^[0-9a-f]{64}$/.test(file.sha256)) {
      throw new MarketplaceError('invalid-response', `GET ${pathOf(file.url)}`, `the index lists no sha256 for ${file.filename}`);
    }
    return this.#download(file, maxBytes);
  }

  /** A bounded download, checked against the index's sha256 when it lists one. */
  async #download(file: { filename: string; url: string; sha256: string | null }, maxBytes: number): Promise<Uint8Array> {
    const endpoint = `GET ${pathOf(file.url)}`;
    const res = await this.#send({
      method: 'GET',
      url: withCredentialsOf(file.url, this.#base),
      endpoint,
      binary: true,
      maxBytes,
      headers: { Accept: '*/*' },
    });
    if (res.status !== 200 || !res.bytes) throw this.#httpError(endpoint, res);
    if (file.sha256 && sha256Hex(res.bytes) !== file.sha256) {
      throw new MarketplaceError('invalid-response', endpoint, `${file.filename} does not match the sha256 the index lists for it`);
    }
    return res.bytes;
  }

  async #pageOf(names: string[], query: Partial<ListQuery>): Promise<SearchResult> {
    const page = query.page ?? 1;
    const perPage = Math.min(query.per_page ?? 20, MAX_PER_PAGE);
    let candidates = names;
    if (query.author) {
      const author = query.author.toLowerCase();
      const described = await Promise.all(names.map((n) => this.getPlugin(n)));
      candidates = names.filter((_, i) => described[i]?.author.toLowerCase().includes(author));
    }
    const slice = candidates.slice((page - 1) * perPage, page * perPage);
    const plugins = (await Promise.all(slice.map((n) => this.getPlugin(n)))).filter((p): p is Plugin => p !== null);
    return { plugins, total: candidates.length, page, per_page: perPage };
  }

  /**
   * Every `fapilog-*` name on the index, sorted. On PyPI the root page lists every project (tens of
   * megabytes): it is read once, and only the plugin names are kept in the cache, with the ETag
   * that later revalidates them.
   */
  async #pluginNames(): Promise<string[]> {
    const served = await this.#get(this.#base, 'GET /', {
      accept: SIMPLE_ACCEPT,
      keep: (body) =>
        JSON.stringify({
          meta: { 'api-version': '1.0' },
          projects: this.#parse('GET /', () => parseProjectList(body))
            .filter(isPluginPackage)
            .map((name) => ({ name })),
        }),
    });
    if (served.status === 404)
      throw new MarketplaceError('http', 'GET /', `the index at ${withoutCredentials(this.#base)} has no project list (HTTP 404)`, {
        status: 404,
        code: 'http-404',
      });
    const names = this.#parse('GET /', () => parseProjectList(served.body));
    return [...new Set(names.filter(isPluginPackage).map(normalizeName))].sort();
  }

  // ---- plumbing -------------------------------------------------------------------------

  #entry(name: string): Promise<Entry | null> {
    const project = normalizeName(name);
    return this.#once(`entry:${project}`, async () => {
      const page = await this.#page(project);
      if (!page) return null;
      const releases = groupReleases(page.files, project);
      if (releases.length === 0) return null;
      const read = await Promise.all(releases.map(async (r) => ({ r, meta: await this.#metadata(project, r) })));
      const records = read.map(({ r, meta }) => toRelease(project, r, meta?.meta ?? null));
      const described = describedRelease(records) as Release;
      const meta = read.find(({ r }) => compare(r.version, described.version) === 0)?.meta ?? null;
      return { plugin: toPlugin(described, meta?.meta ?? null, meta?.keywords ?? ''), releases: records };
    });
  }

  async #page(project: string): Promise<IndexProject | null> {
    const url = `${this.#base}${encodeURIComponent(project)}/`;
    const endpoint = `GET /${project}/`;
    const served = await this.#get(url, endpoint, { accept: SIMPLE_ACCEPT });
    if (served.status === 404) return null;
    return this.#parse(endpoint, () => parseProjectPage(served.body, splitCredentials(url).url, project));
  }

  /** One release's core metadata: its metadata file, else the METADATA in its wheel; null when it has neither. */
  async #metadata(project: string, release: IndexRelease): Promise<{ meta: CoreMetadata; keywords: string } | null> {
    const file = metadataFile(release);
    if (!file) return null;
    // The URL of the metadata file (PEP 658), also the cache key of METADATA read from the wheel.
    const url = `${withCredentialsOf(file.url, this.#base)}.metadata`;
    const endpoint = `GET ${pathOf(file.url)}.metadata`;
    let text: string | null = null;
    if (file.coreMetadata) {
      const served = await this.#get(url, endpoint, { accept: '*/*', immutable: true });
      if (served.status === 200) text = served.body;
    }
    text ??= await this.#wheelMetadata(file, url);
    if (text === null) return null;
    const parsed = this.#parse(endpoint, () => parseCoreMetadata(text));
    if (normalizeName(parsed.name) !== project) {
      throw new MarketplaceError(
        'invalid-response',
        endpoint,
        `the metadata names ${JSON.stringify(parsed.name.slice(0, 80))}, not ${project}`,
      );
    }
    return { meta: parsed, keywords: parseHeaders(text).headers.get('keywords')?.join(' ') ?? '' };
  }

  /**
   * METADATA from inside the wheel (a bounded download, checked against the index's sha256), kept
   * in the cache under the metadata file's URL.
   */
  async #wheelMetadata(file: IndexFile, key: string): Promise<string | null> {
    if (!file.filename.endsWith('.whl')) return null;
    const endpoint = `GET ${pathOf(file.url)}`;
    const cached = await this.io.cache.get(key);
    if (cached?.status === 200) return cached.body;
    if (this.settings.cacheMode === 'offline') {
      throw new MarketplaceError('offline-miss', endpoint, `not in the cache (offline mode): the metadata of ${file.filename}`, {
        code: 'offline-miss',
        bare: true,
      });
    }
    const bytes = await this.#download(file, MAX_WHEEL_BYTES);
    const { readWheel, ArtifactError } = await import('../publish/artifacts.ts');
    let text: string;
    try {
      text = readWheel(file.filename, bytes).metadataText;
    } catch (err) {
      if (err instanceof ArtifactError) throw new MarketplaceError('invalid-response', endpoint, err.message);
      throw err;
    }
    await this.io.cache.put(key, { status: 200, etag: null, fetchedAt: Date.now(), body: text });
    return text;
  }

  #parse<T>(endpoint: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SimpleParseError) throw new MarketplaceError('invalid-response', endpoint, err.message);
      if (err instanceof Error && err.name === 'ZodError') {
        throw new MarketplaceError(
          'invalid-response',
          endpoint,
          `the core metadata is not readable (${err.message.split('\n')[0]?.slice(0, 200)})`,
        );
      }
      throw err;
    }
  }

  /** Within one command every key costs at most one successful lookup; a failure is forgotten. */
  #once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let pending = this.io.inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      const started = fn();
      this.io.inflight.set(key, started);
      started.catch(() => {
        if (this.io.inflight.get(key) === started) this.io.inflight.delete(key);
      });
      pending = started;
    }
    return pending;
  }

  #get(url: string, endpoint: string, opts: { accept: string; immutable?: boolean; keep?: (body: string) => string }): Promise<Served> {
    return this.#once(`get:${url}`, () => this.#serve(url, endpoint, opts));
  }

  #serve(url: string, endpoint: string, opts: { accept: string; immutable?: boolean; keep?: (body: string) => string }): Promise<Served> {
    return cachedGet(
      {
        cache: this.io.cache,
        mode: this.settings.cacheMode,
        ttlMs: this.io.ttlMs,
        send: (req) => this.#send(req),
        httpError: (e, res) => this.#httpError(e, res),
        staleCopy: (entry, why) => this.staleCopy(entry, why),
        offlineWhere: ` of the index ${withoutCredentials(this.#base)}`,
      },
      {
        url,
        endpoint,
        headers: { Accept: opts.accept },
        ...(opts.immutable ? { immutable: true } : {}),
        ...(opts.keep ? { keep: opts.keep } : {}),
      },
    );
  }

  /**
   * The first request to a host goes alone; the rest wait for it. When it cannot reach the host at
   * all (no such name, connection refused) they fail at once with its error, instead of a dozen
   * lookups of a name that does not resolve queueing behind each other.
   */
  async #send(req: Parameters<HttpTransport['send']>[0]): Promise<HttpResponse> {
    const origin = originOf(req.url);
    const first = this.#contact.get(origin);
    if (first) {
      const failure = await first;
      if (failure) throw failure;
    }
    const attempt = this.sendLimited(req);
    if (!first) {
      this.#contact.set(
        origin,
        attempt.then(
          () => null,
          (err: unknown) => (err instanceof MarketplaceError && (err as { final?: boolean }).final ? err : null),
        ),
      );
    }
    return attempt;
  }

  #httpError(endpoint: string, res: { status: number; attempts?: number }): MarketplaceError {
    let message = `the package index answered HTTP ${res.status}`;
    if (res.attempts !== undefined && res.attempts > 1) message += ` after ${res.attempts} attempts`;
    return new MarketplaceError('http', endpoint, redact(message, undefined), { status: res.status, code: `http-${res.status}` });
  }
}

/** Marketplace-only query features, refused by name rather than silently ignored. */
function unsupported(query: Partial<ListQuery>): void {
  const refused: string[] = [];
  if (query.type) refused.push('--type');
  if (query.min_rating !== undefined) refused.push('--min-rating');
  if (query.sort && query.sort !== 'name') refused.push(`--sort ${query.sort}`);
  if (refused.length > 0) {
    throw new MarketplaceError(
      'invalid-request',
      'GET /',
      `${refused.join(', ')}: a package index knows no plugin types, ratings, downloads or update times (a ` +
        `marketplace does: --marketplace-url)`,
      {
        code: 'unsupported',
        bare: true,
      },
    );
  }
}

function withoutCredentials(url: string): string {
  return splitCredentials(url).url;
}

/** A file on the index's own host gets the index's user:password@ (a private index); other hosts never do. */
function withCredentialsOf(fileUrl: string, base: string): string {
  try {
    const b = new URL(base);
    const f = new URL(fileUrl);
    if (!b.username || f.origin !== b.origin || f.username) return fileUrl;
    f.username = b.username;
    f.password = b.password;
    return f.toString();
  } catch {
    return fileUrl;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
