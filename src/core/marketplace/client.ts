/**
 * The marketplace client: the only code that speaks HTTP to the marketplace. Every answer is
 * parsed with the contract's zod schemas; GETs go through the on-disk cache (online, prefer-offline
 * or offline) and are de-duplicated per client, so one logical lookup costs at most one request
 * (a failed one is not remembered: asking again retries).
 */
import type { z } from 'zod';
import { ENV, type MarketplaceSettings } from '../config.ts';
import { compare, isValid, newestFinal } from '../pep440/index.ts';
import type { CacheEntry, MetadataStore } from './cache.ts';
import { MarketplaceError, describeSchemaError, redact } from './errors.ts';
import type { HttpResponse, HttpTransport } from './http.ts';
import { SourceClientBase, sourceIo, staleSince } from './source-io.ts';
import { cachedGet, type CachedGetPeer, type Served } from './cached-get.ts';
import { isValidProjectName } from '../names.ts';
import { checkVersionBounds } from '../pep440/limits.ts';
import type { Osv } from '../advisories/osv.ts';
import {
  AdvisoryList,
  AdvisorySaved,
  BatchResponse,
  DownloadInfo,
  ErrorBody,
  FapilogVersions,
  ListQuery,
  Plugin,
  PluginStats,
  PublishMetadata,
  PublishResponse,
  RatingResponse,
  Release,
  SearchResult,
  VersionsResponse,
  YankRequest,
  CompatibilityRequest,
  DeprecationRequest,
  type DeprecationRequestInput,
  RatingRequest,
  type BatchEntry,
  type PublishMetadataInput,
  type StatsQuery,
} from './schemas.ts';

export interface ClientOptions {
  /** Per request attempt (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests (default 3). */
  retries?: number;
  /** First backoff delay (default 250 ms), doubled per retry, with jitter. */
  backoffMs?: number;
  /** Cap on the time one request may spend waiting for retries and rate limits (default 60 s). */
  maxWaitMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** prefer-offline uses cache entries younger than this without asking (default 10 min). */
  ttlMs?: number;
  warn?: (message: string) => void;
  debug?: (message: string) => void;
  /** Where answers are cached; default: on disk in `settings.cacheDir`, in memory without one. */
  cache?: MetadataStore;
  /** How many answered URLs the client remembers for de-duplication (default 1000; oldest forgotten first). */
  remember?: number;
}

export { age, DEFAULT_REMEMBERED, DEFAULT_TTL_MS, staleSince } from './source-io.ts';
export const DEFAULT_CONCURRENCY = 4;
/** Names per batch request, to keep the URL well under common proxy limits. */
export const BATCH_CHUNK = 100;

export interface UpdateCheck {
  name: string;
  current: string;
  /** The newest non-yanked final release, or null when the marketplace does not know the plugin. */
  latest: string | null;
  updateAvailable: boolean;
  plugin: Plugin | null;
  /** Every release, so analysis can pick the newest one compatible with the project's fapilog. */
  releases: Release[];
}

export class MarketplaceClient extends SourceClientBase {
  readonly kind = 'marketplace' as const;
  readonly settings: MarketplaceSettings;
  readonly #base: string;

  constructor(settings: MarketplaceSettings, opts: ClientOptions = {}) {
    const token = settings.token;
    super(
      sourceIo(opts, {
        scrub: (m) => redact(m, token),
        token,
        cacheKey: token,
        cacheDir: settings.cacheDir,
        concurrency: DEFAULT_CONCURRENCY,
      }),
      'the marketplace',
    );
    this.settings = settings;
    this.#base = settings.url.replace(/\/+$/, '');
  }

  // ---- discovery -------------------------------------------------------------------------

  async search(query: Partial<ListQuery>): Promise<SearchResult> {
    return this.#getJson(`/plugins/search${queryString(query)}`, SearchResult, false);
  }

  async list(query: Partial<ListQuery> = {}): Promise<SearchResult> {
    return this.#getJson(`/plugins${queryString(query)}`, SearchResult, false);
  }

  /** By short name (`loki`) or package name (`fapilog-loki`); null when the marketplace has no such plugin. */
  async getPlugin(name: string): Promise<Plugin | null> {
    return this.#getJson(`/plugins/${segment(name)}`, Plugin, true);
  }

  async versions(name: string): Promise<VersionsResponse | null> {
    return this.#getJson(`/plugins/${segment(name)}/versions`, VersionsResponse, true);
  }

  async release(name: string, version: string): Promise<Release | null> {
    checkVersion(`GET /plugins/${segment(name)}/versions/${segment(version)}`, version);
    return this.#getJson(`/plugins/${segment(name)}/versions/${segment(version)}`, Release, true);
  }

  /** Where to fetch a release's file. Not cached on disk: the server counts each download. */
  async download(name: string, version: string): Promise<DownloadInfo> {
    checkVersion(`GET /plugins/${segment(name)}/versions/${segment(version)}/download`, version);
    return this.#getJson(`/plugins/${segment(name)}/versions/${segment(version)}/download`, DownloadInfo, false, { cache: false });
  }

  /** Downloads per release and per day over a range (default: the last 30 days); null when the plugin is unknown. */
  async stats(name: string, range: StatsQuery = {}): Promise<PluginStats | null> {
    const params = new URLSearchParams();
    if (range.from) params.set('from', range.from);
    if (range.to) params.set('to', range.to);
    const q = params.toString();
    return this.#getJson(`/plugins/${segment(name)}/stats${q ? `?${q}` : ''}`, PluginStats, true);
  }

  /**
   * Plugins and their releases for many names in one round trip (one request per 100 names).
   * Keys are the names exactly as given; unknown names map to null.
   */
  async batch(names: string[]): Promise<Record<string, BatchEntry | null>> {
    // A name outside the PEP 508 grammar (`__proto__`) is in no marketplace; it is not sent, and
    // the null-prototype map keeps it an own key (a JSON object parsed by zod would drop it).
    const out: Record<string, BatchEntry | null> = Object.create(null) as Record<string, BatchEntry | null>;
    for (const name of names) if (!isValidProjectName(name)) out[name] = null;
    const unique = [...new Set(names)].filter(isValidProjectName).sort();
    if (unique.length === 0) return out;
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_CHUNK) chunks.push(unique.slice(i, i + BATCH_CHUNK));
    const answers = await Promise.all(chunks.map((chunk) => this.#batchChunk(chunk)));
    answers.forEach((answer, i) => {
      for (const name of chunks[i] ?? []) {
        if (!Object.hasOwn(answer.plugins, name)) {
          throw new MarketplaceError(
            'invalid-response',
            `GET /plugins/batch`,
            `response field "plugins.${name}": missing (every requested name must be a key)`,
          );
        }
        out[name] = answer.plugins[name] ?? null;
      }
    });
    return out;
  }

  /**
   * One batch request. Its answer is also remembered per plugin (under the URL of a batch of that
   * one name), so that a later batch of another set of names can still be answered from the cache
   * when the marketplace cannot be asked (offline, or unreachable): from what is cached per plugin,
   * naming what is not.
   */
  async #batchChunk(chunk: string[]): Promise<BatchResponse> {
    const path = (names: string[]) => `/plugins/batch?names=${names.map(encodeURIComponent).join(',')}`;
    const remember = async (answer: BatchResponse): Promise<void> => {
      if (chunk.length < 2) return;
      const fetchedAt = Date.now();
      for (const name of chunk) {
        if (!Object.hasOwn(answer.plugins, name)) continue;
        await this.io.cache.put(this.#base + path([name]), {
          status: 200,
          etag: null,
          fetchedAt,
          body: JSON.stringify({ plugins: { [name]: answer.plugins[name] ?? null } }),
        });
      }
    };
    try {
      return await this.#getJson(path(chunk), BatchResponse, false, { onNetwork: remember });
    } catch (err) {
      if (chunk.length < 2 || !(err instanceof MarketplaceError) || !(err.kind === 'offline-miss' || err.unreachable)) throw err;
      const plugins: BatchResponse['plugins'] = Object.create(null) as BatchResponse['plugins'];
      const missing: string[] = [];
      let oldest = Infinity;
      for (const name of chunk) {
        const entry = await this.io.cache.get(this.#base + path([name]));
        const parsed = entry?.status === 200 ? BatchResponse.safeParse(JSON.parse(entry.body)) : undefined;
        if (!entry || !parsed?.success || !Object.hasOwn(parsed.data.plugins, name)) {
          missing.push(name);
          continue;
        }
        plugins[name] = parsed.data.plugins[name] ?? null;
        oldest = Math.min(oldest, entry.fetchedAt);
      }
      if (missing.length === chunk.length) throw err;
      const why = err.kind === 'offline-miss' ? 'offline mode' : err.message;
      if (err.kind !== 'offline-miss') {
        if (!this.stale)
          this.io.warn(`the marketplace could not be reached (${why}); showing cached data from ${staleSince(oldest)} (stale)`);
        this.stale = true;
      }
      if (missing.length > 0) {
        // Answered from what is cached; the rest is named, and shows as unknown.
        this.io.warn(
          `not in the cache (${why}): ${missing.join(', ')}; answered for the other ` +
            `${chunk.length - missing.length} of ${chunk.length} plugins from the cache (run once online to ` +
            `cache the rest)`,
        );
        for (const name of missing) plugins[name] = null;
      }
      return { plugins };
    }
  }

  /** The fapilog releases the marketplace knows, PEP 440 ascending. */
  async fapilogVersions(): Promise<string[]> {
    return (await this.#getJson('/fapilog/versions', FapilogVersions, false)).versions;
  }

  /**
   * Where answers come from, for reports: the API URL (without any user:password@, which a report
   * must never show), and whether a stale cached copy stood in.
   */
  status(): { url: string; stale: boolean; kind: 'marketplace' } {
    return { url: withoutCredentials(this.settings.url), stale: this.stale, kind: 'marketplace' };
  }

  /** Current and latest version of each installed plugin, from one batch lookup. */
  async checkUpdates(installed: Array<{ name: string; version: string }>): Promise<UpdateCheck[]> {
    const found = await this.batch(installed.map((p) => p.name));
    return installed.map(({ name, version }) => {
      const entry = found[name] ?? null;
      const latest = entry ? (newestFinal(entry.releases.filter((r) => !r.yanked).map((r) => r.version)) ?? entry.plugin.version) : null;
      return {
        name,
        current: version,
        latest,
        updateAvailable: latest !== null && isValid(version) && isValid(latest) && compare(latest, version) > 0,
        plugin: entry?.plugin ?? null,
        releases: entry?.releases ?? [],
      };
    });
  }

  // ---- publishing ------------------------------------------------------------------------

  /** Uploads a release: multipart with a `metadata` JSON part and one `files` part per file. */
  async publish(
    name: string,
    metadata: PublishMetadataInput,
    files: Array<{ filename: string; data: Uint8Array }>,
  ): Promise<PublishResponse> {
    const endpoint = `POST /plugins/${segment(name)}/versions`;
    const meta = PublishMetadata.safeParse(metadata);
    if (!meta.success)
      throw new MarketplaceError('invalid-request', endpoint, describeSchemaError(meta.error).replace(/^response/, 'metadata'));
    if (files.length === 0) throw new MarketplaceError('invalid-request', endpoint, 'no files to upload');
    const form = new FormData();
    form.append('metadata', JSON.stringify(meta.data));
    for (const file of files)
      form.append('files', new Blob([file.data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), file.filename);
    return this.#write('POST', `/plugins/${segment(name)}/versions`, form, PublishResponse);
  }

  async yank(name: string, version: string, reason: string): Promise<Release> {
    const body = YankRequest.parse({ reason });
    return this.#write('POST', `/plugins/${segment(name)}/versions/${segment(version)}/yank`, JSON.stringify(body), Release);
  }

  /** Takes a yank back (owner's token): the release installs again as any other. */
  async unyank(name: string, version: string): Promise<Release> {
    return this.#write('DELETE', `/plugins/${segment(name)}/versions/${segment(version)}/yank`, null, Release);
  }

  /** Narrows a published release's fapilog range (owner or admin token); the declared one stays visible. */
  async correctCompatibility(name: string, version: string, fapilogCompatibility: string, reason: string): Promise<Release> {
    const body = CompatibilityRequest.parse({ fapilog_compatibility: fapilogCompatibility, reason });
    return this.#write('PUT', `/plugins/${segment(name)}/versions/${segment(version)}/compatibility`, JSON.stringify(body), Release);
  }

  /** Marks a plugin deprecated or archived (owner or admin token); null: neither any more. */
  async deprecate(name: string, request: DeprecationRequestInput | null): Promise<Plugin> {
    const path = `/plugins/${segment(name)}/deprecation`;
    if (request === null) return this.#write('DELETE', path, null, Plugin);
    return this.#write('PUT', path, JSON.stringify(DeprecationRequest.parse(request)), Plugin);
  }

  /** The advisories of one plugin (null: no such plugin), or of every plugin; newest first. */
  async advisories(name?: string): Promise<AdvisoryList | null> {
    return this.#getJson(name === undefined ? '/advisories' : `/plugins/${segment(name)}/advisories`, AdvisoryList, true);
  }

  /** Stores one OSV record (the owner of every plugin it names, or an admin token); the same id again replaces it. */
  async publishAdvisory(osv: Osv): Promise<AdvisorySaved> {
    return this.#write('POST', '/advisories', JSON.stringify(osv), AdvisorySaved);
  }

  async rate(name: string, stars: number): Promise<RatingResponse> {
    const body = RatingRequest.parse({ stars });
    return this.#write('PUT', `/plugins/${segment(name)}/rating`, JSON.stringify(body), RatingResponse);
  }

  // ---- plumbing --------------------------------------------------------------------------

  async #write<S extends z.ZodType>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: string | FormData | null,
    schema: S,
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${path}`;
    if (!this.settings.token) {
      throw new MarketplaceError('invalid-request', endpoint, `needs a token (${ENV.token})`, { code: 'unauthenticated' });
    }
    if (this.settings.cacheMode === 'offline') {
      throw new MarketplaceError('invalid-request', endpoint, 'cannot be sent in offline mode', { code: 'offline' });
    }
    const headers: Record<string, string> = typeof body === 'string' ? { 'Content-Type': 'application/json' } : {};
    const res = await this.sendLimited({ method, url: this.#base + path, endpoint, headers, ...(body === null ? {} : { body }) });
    if (res.status >= 200 && res.status < 300) return this.#parse(endpoint, res.body, schema);
    throw this.#httpError(endpoint, res);
  }

  /** GET, through the cache and the per-client de-duplication. */
  async #getJson<S extends z.ZodType, N extends boolean>(
    path: string,
    schema: S,
    nullOn404: N,
    opts: { cache?: boolean; onNetwork?: (answer: z.infer<S>) => Promise<void> } = {},
  ): Promise<N extends true ? z.infer<S> | null : z.infer<S>> {
    const url = this.#base + path;
    let pending = this.io.inflight.get(url);
    if (!pending) {
      const lookup = this.#lookup(url, `GET ${path}`, schema, nullOn404, opts.cache ?? true, opts.onNetwork);
      this.io.inflight.set(url, lookup);
      // Callers sharing this promise still see the rejection; only the map forgets it.
      lookup.catch(() => {
        if (this.io.inflight.get(url) === lookup) this.io.inflight.delete(url);
      });
      pending = lookup;
    }
    return pending as Promise<N extends true ? z.infer<S> | null : z.infer<S>>;
  }

  async #lookup<S extends z.ZodType>(
    url: string,
    endpoint: string,
    schema: S,
    nullOn404: boolean,
    useCache: boolean,
    onNetwork?: (answer: z.infer<S>) => Promise<void>,
  ): Promise<z.infer<S> | null> {
    const served = await this.#serve(url, endpoint, useCache);
    if (served.status === 404) {
      if (nullOn404) return null;
      throw this.#httpError(endpoint, { status: 404, body: served.body });
    }
    try {
      const answer = this.#parse(endpoint, served.body, schema);
      if (served.source === 'network' && onNetwork) await onNetwork(answer);
      return answer;
    } catch (err) {
      // A cached copy that no longer matches the contract is dropped and fetched again.
      if (served.source === 'cache' && this.settings.cacheMode !== 'offline') {
        this.io.debug(`cache: ${endpoint} no longer matches the contract; refetching`);
        await this.io.cache.delete(url);
        const fresh = await this.#serve(url, endpoint, useCache, { ignoreCache: true });
        if (fresh.status === 404) {
          if (nullOn404) return null;
          throw this.#httpError(endpoint, { status: 404, body: fresh.body });
        }
        return this.#parse(endpoint, fresh.body, schema);
      }
      if (served.source === 'cache') await this.io.cache.delete(url);
      throw err;
    }
  }

  #serve(url: string, endpoint: string, useCache: boolean, opts: { ignoreCache?: boolean } = {}): Promise<Served> {
    return cachedGet(this.#peer, { url, endpoint, useCache, ...opts });
  }

  /** What the shared cached GET needs of this client. */
  get #peer(): CachedGetPeer {
    return {
      cache: this.io.cache,
      mode: this.settings.cacheMode,
      ttlMs: this.io.ttlMs,
      send: (req) => this.sendLimited(req),
      httpError: (endpoint, res) => this.#httpError(endpoint, res),
      staleCopy: (entry, why) => this.staleCopy(entry, why),
      debug: this.io.debug,
    };
  }

  #parse<S extends z.ZodType>(endpoint: string, body: string, schema: S): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new MarketplaceError('invalid-response', endpoint, `response is not JSON (starts with ${JSON.stringify(body.slice(0, 40))})`);
    }
    // jitless: zod would compile a parser for each object schema (new Function) at its first
    // parse; an answer's shapes are parsed once or twice per process, where compiling costs more
    // than it saves (one-service `outdated`: ~6 % fewer instructions). Same result, same errors.
    const parsed = schema.safeParse(json, { jitless: true });
    if (!parsed.success) throw new MarketplaceError('invalid-response', endpoint, describeSchemaError(parsed.error));
    return parsed.data;
  }

  #httpError(endpoint: string, res: { status: number; body: string; attempts?: number }): MarketplaceError {
    let code = `http-${res.status}`;
    let message = `the marketplace answered HTTP ${res.status}`;
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(res.body));
      if (parsed.success) {
        code = parsed.data.error.code;
        message = `${parsed.data.error.message} (HTTP ${res.status} ${code})`;
      }
    } catch {
      // Not JSON (a proxy's error page): the status alone says enough.
    }
    if (res.attempts !== undefined && res.attempts > 1) message += ` after ${res.attempts} attempts`;
    return new MarketplaceError('http', endpoint, redact(message, this.settings.token), { status: res.status, code });
  }
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** A version the server could not store exactly is refused before it is sent (the same bounds as the server's). */
function checkVersion(endpoint: string, version: string): void {
  const problem = checkVersionBounds(version);
  if (problem)
    throw new MarketplaceError('invalid-request', endpoint, `version ${JSON.stringify(version.slice(0, 80))} ${problem}`, {
      code: 'invalid-version',
    });
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

/** `?q=..&type=..` with only the fields given, in the contract's order. */
export function queryString(query: Partial<ListQuery>): string {
  const checked = ListQuery.partial().safeParse(query);
  if (!checked.success)
    throw new MarketplaceError(
      'invalid-request',
      'GET /plugins',
      describeSchemaError(checked.error).replace(/^response field/, 'query parameter'),
    );
  const params = new URLSearchParams();
  for (const key of ['q', 'type', 'author', 'min_rating', 'sort', 'page', 'per_page'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
