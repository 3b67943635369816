/**
 * What the operations need from the marketplace: one batch lookup and the fapilog release list.
 * The MarketplaceClient fits as it is; a test or a long-running bot may pass anything that
 * answers these two (a recorded answer, a shared client with its own cache).
 */
import type { BatchEntry } from '../marketplace/schemas.ts';

export interface PluginLookup {
  /** `POST /plugins/batch`-shaped answer: by requested name, null for a plugin the marketplace does not know. */
  batch(names: string[]): Promise<Record<string, BatchEntry | null>>;
  /** `GET /fapilog/versions`. */
  fapilogVersions(): Promise<string[]>;
  /** Where the answers came from, for the report (the client: its URL, and whether a stale cache copy stood in). */
  status?(): { url: string; stale: boolean; kind?: 'marketplace' | 'index' };
}

export function lookupStatus(lookup: PluginLookup): { url: string; stale: boolean; kind?: 'marketplace' | 'index' } {
  return lookup.status?.() ?? { url: '(no marketplace)', stale: false };
}
