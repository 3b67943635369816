/**
 * The one cached GET both sources use (the marketplace client and the package index client):
 * the ETag cache, the online / prefer-offline / offline modes, revalidation with If-None-Match,
 * and a stale copy standing in when the peer cannot be reached. Each client keeps only what
 * differs: its transport, its error wording and its warning.
 */
import type { CacheMode } from '../config.ts';
import type { CacheEntry, MetadataStore } from './cache.ts';
import { MarketplaceError } from './errors.ts';
import type { HttpResponse, HttpTransport } from './http.ts';

export type Served = { status: 200 | 404; body: string; source: 'network' | 'cache' };

export interface CachedGetPeer {
  cache: MetadataStore;
  mode: CacheMode;
  /** prefer-offline answers from entries younger than this without asking. */
  ttlMs: number;
  send(req: Parameters<HttpTransport['send']>[0]): Promise<HttpResponse>;
  /** The answer an error status becomes (it says whether the peer counts as unreachable). */
  httpError(endpoint: string, res: HttpResponse): MarketplaceError;
  /** The cached entry stands in for a peer that cannot be reached (the client warns once). */
  staleCopy(entry: CacheEntry, why: string): Served;
  /** What an offline miss names after the endpoint's path (e.g. ` of the index URL`). */
  offlineWhere?: string;
  debug?: (message: string) => void;
}

export interface CachedGetRequest {
  url: string;
  endpoint: string;
  headers?: Record<string, string>;
  /** False: neither read nor written (answers that must be fresh, like a download URL). */
  useCache?: boolean;
  /** Skip the cached copy for this request (it no longer parsed), still writing the new one. */
  ignoreCache?: boolean;
  /** The answer never changes once given (a release's metadata): a cached 200 is used in every mode. */
  immutable?: boolean;
  /** What of a 200 body is kept and returned (the names of a huge project list). */
  keep?: (body: string) => string;
}

export async function cachedGet(peer: CachedGetPeer, req: CachedGetRequest): Promise<Served> {
  const useCache = req.useCache ?? true;
  const { url, endpoint } = req;
  const entry = useCache && !req.ignoreCache ? await peer.cache.get(url) : undefined;
  const fromEntry = (e: CacheEntry): Served => ({ status: e.status, body: e.body, source: 'cache' });
  if (entry && req.immutable && entry.status === 200) return fromEntry(entry);
  if (peer.mode === 'offline') {
    if (entry) return fromEntry(entry);
    throw new MarketplaceError(
      'offline-miss',
      endpoint,
      `not in the cache (offline mode): ${endpoint.replace(/^GET /, '')}${peer.offlineWhere ?? ''}`,
      { code: 'offline-miss', bare: true },
    );
  }
  if (peer.mode === 'prefer-offline' && entry && Date.now() - entry.fetchedAt < peer.ttlMs) {
    peer.debug?.(`cache: fresh entry for ${endpoint}, no request (prefer-offline)`);
    return fromEntry(entry);
  }

  let res: HttpResponse;
  try {
    const headers: Record<string, string> = { ...req.headers, ...(entry?.etag ? { 'If-None-Match': entry.etag } : {}) };
    res = await peer.send({ method: 'GET', url, endpoint, headers });
  } catch (err) {
    if (entry && err instanceof MarketplaceError && err.unreachable) return peer.staleCopy(entry, err.message);
    throw err;
  }
  if (res.status === 304) {
    if (!entry) throw new MarketplaceError('invalid-response', endpoint, 'answered 304 Not Modified to a request that was not conditional');
    await peer.cache.put(url, { ...entry, fetchedAt: Date.now() });
    return fromEntry(entry);
  }
  if (res.status === 200 || res.status === 404) {
    const body = res.status === 200 && req.keep ? req.keep(res.body) : res.body;
    if (useCache) await peer.cache.put(url, { status: res.status, etag: res.headers.get('etag'), fetchedAt: Date.now(), body });
    return { status: res.status, body, source: 'network' };
  }
  const error = peer.httpError(endpoint, res);
  if (entry && error.unreachable) return peer.staleCopy(entry, error.message);
  throw error;
}
