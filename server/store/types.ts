/** Row shapes of the store's tables (as both dialects return them) and what a publish stores. */
import type { Osv } from '../../src/core/advisories/osv.ts';
import type { PluginType, Provenance } from '../../src/core/marketplace/schemas.ts';

/** A plugin's own metadata: what each publish gives and the plugins row keeps (newest publish wins). */
export interface PluginFields {
  package: string;
  description: string;
  author: string;
  plugin_type: PluginType;
  license: string;
  homepage: string | null;
  repository: string | null;
}

export interface PluginRow extends PluginFields {
  id: number;
  name: string;
  owner: string;
  created_at: string;
  /** The upstream index the plugin is mirrored from (server/upstream.ts); null: a local plugin. */
  mirrored_from: string | null;
  /** JSON of a Deprecation; null (or absent, before migration 8): neither deprecated nor archived. */
  deprecation?: string | null;
}

export interface ReleaseRow {
  id: number;
  plugin_id: number;
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  dependencies: string;
  yanked: number;
  yanked_reason: string | null;
  published_at: string;
  readme: string;
  downloads: number;
  /** JSON of a Provenance; null for releases published before it was recorded (and seeded ones). */
  provenance: string | null;
  /** The fapilog range as corrected after publishing; null: as the files declare (fapilog_compatibility). */
  corrected_compatibility: string | null;
  correction_reason: string | null;
  corrected_at: string | null;
  corrected_by: string | null;
}

export interface FileRow {
  id: number;
  release_id: number;
  filename: string;
  sha256: string;
  size: number;
  package: string;
}

export interface TokenOwner {
  id: number;
  owner: string;
  /** ISO 8601 UTC; null: never expires. */
  expiresAt: string | null;
  /** The package names the token may act on; null: every plugin of its owner. */
  plugins: string[] | null;
  /** An admin token may also correct any plugin's fapilog compatibility. */
  admin: boolean;
}

export interface TokenListing {
  id: number;
  owner: string;
  created_at: string;
  expires_at: string | null;
  plugins: string[] | null;
}

/** A correction of a release's fapilog range (null removes it). */
export interface CompatibilityFix {
  fapilog_compatibility: string;
  reason: string;
  corrected_by: string;
  corrected_at: string;
}

/** What a publish stores: validated metadata plus the bytes of each file. */
export interface NewRelease extends PluginFields {
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  dependencies: string[];
  readme: string;
  published_at?: string;
  downloads?: number;
  yanked_reason?: string;
  /** The bytes, or a file already on disk in the staging directory (a streamed upload, moved in). */
  files: Array<{ filename: string; sha256: string } & ({ data: Uint8Array } | { stagedPath: string; size: number })>;
  provenance?: Provenance | null;
  /** Set by the upstream mirror: the index the release comes from (a local plugin of the name is never touched). */
  mirrored_from?: string;
}

export interface PluginRecord {
  row: PluginRow;
  releases: Array<{ row: ReleaseRow; files: FileRow[] }>;
  /** The OSV records naming this plugin (withdrawn ones included), newest first; absent: none loaded. */
  advisories?: Osv[];
}

export interface SimpleFile {
  filename: string;
  sha256: string;
  version: string;
  fapilog_compatibility: string;
  requires_python: string | null;
  yanked: boolean;
  yanked_reason: string | null;
}

export interface Rating {
  rating: number;
  rating_count: number;
}
