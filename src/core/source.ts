/**
 * Where plugin answers come from: a marketplace (its API) or a Python package index (its simple
 * API, PyPI when nothing is configured). Both answer the same questions; front ends open one with
 * `openSource` and never ask which it is, except to word a hint.
 */
import type { SourceSettings } from './config.ts';
import { MarketplaceClient, type ClientOptions } from './marketplace/client.ts';
import type { ListQuery, Plugin, Release, SearchResult, VersionsResponse } from './marketplace/schemas.ts';
import type { PluginLookup } from './project/lookup.ts';

export type SourceKind = 'marketplace' | 'index';

export interface PluginSource extends PluginLookup {
  readonly kind: SourceKind;
  readonly stale: boolean;
  readonly requests: number;
  search(query: Partial<ListQuery>): Promise<SearchResult>;
  list(query?: Partial<ListQuery>): Promise<SearchResult>;
  getPlugin(name: string): Promise<Plugin | null>;
  versions(name: string): Promise<VersionsResponse | null>;
  release(name: string, version: string): Promise<Release | null>;
  status(): { url: string; stale: boolean; kind?: SourceKind };
}

/** The index client (and the metadata readers it needs) is loaded only when an index is the source. */
export async function openSource(settings: SourceSettings, opts: ClientOptions = {}): Promise<PluginSource> {
  if (settings.kind === 'marketplace') return new MarketplaceClient(settings.marketplace, opts);
  const { IndexClient } = await import('./index/client.ts');
  return new IndexClient(settings.index, opts);
}

/** `the package index https://pypi.org/simple/` / `the marketplace https://…`: how errors and reports name a source. */
export function describeSource(kind: SourceKind, url: string): string {
  return kind === 'index' ? `the package index ${url}` : `the marketplace ${url}`;
}
