/**
 * The marketplace API contract as zod schemas: the single source of the types that the
 * client parses, the reference server emits, and openapi.yaml documents (a test keeps
 * the three in step). Field names follow the design story in shared/seed so that the
 * story's own Python client works unchanged.
 */
import { z } from 'zod';

export const PLUGIN_TYPES = ['sink', 'processor', 'enricher', 'redactor', 'filter'] as const;
export const PluginType = z.enum(PLUGIN_TYPES);
export type PluginType = z.infer<typeof PluginType>;

/** ISO 8601 with an explicit offset (`+00:00`), which Python's datetime.fromisoformat reads on every version. */
export const Timestamp = z.iso.datetime({ offset: true });

export const ReleaseFile = z.object({
  filename: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256'),
  size: z.number().int().nonnegative(),
  url: z.string().min(1),
});
export type ReleaseFile = z.infer<typeof ReleaseFile>;

export const Release = z.object({
  name: z.string(),
  package: z.string(),
  version: z.string(),
  fapilog_compatibility: z.string(),
  requires_python: z.string().nullable(),
  dependencies: z.array(z.string()),
  yanked: z.boolean(),
  yanked_reason: z.string().nullable(),
  published_at: Timestamp,
  readme: z.string(),
  files: z.array(ReleaseFile),
});
export type Release = z.infer<typeof Release>;

/** A plugin as the story's `MarketplacePlugin`, describing its newest non-yanked final release. */
export const Plugin = z.object({
  name: z.string(),
  package: z.string(),
  version: z.string(),
  description: z.string(),
  author: z.string(),
  plugin_type: PluginType,
  downloads: z.number().int().nonnegative(),
  rating: z.number().min(0).max(5),
  rating_count: z.number().int().nonnegative(),
  homepage: z.string().nullable(),
  repository: z.string().nullable(),
  license: z.string(),
  fapilog_compatibility: z.string(),
  dependencies: z.array(z.string()),
  published_at: Timestamp,
  checksum: z.string().nullable(),
});
export type Plugin = z.infer<typeof Plugin>;

export const SORT_KEYS = ['downloads', 'rating', 'name', 'updated'] as const;
export const SortKey = z.enum(SORT_KEYS);
export type SortKey = z.infer<typeof SortKey>;
export const MAX_PER_PAGE = 100;

/** Query of `GET /plugins` and `GET /plugins/search`. */
export const ListQuery = z.object({
  q: z.string().optional(),
  type: PluginType.optional(),
  author: z.string().optional(),
  min_rating: z.coerce.number().min(0).max(5).optional(),
  sort: SortKey.optional(),
  page: z.coerce.number().int().min(1).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(20),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const SearchResult = z.object({
  plugins: z.array(Plugin),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  per_page: z.number().int().min(1),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const VersionsResponse = z.object({
  versions: z.array(z.string()),
  releases: z.array(Release),
});
export type VersionsResponse = z.infer<typeof VersionsResponse>;

export const DownloadInfo = z.object({
  url: z.string().min(1),
  filename: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DownloadInfo = z.infer<typeof DownloadInfo>;

export const BatchEntry = z.object({ plugin: Plugin, releases: z.array(Release) });
export type BatchEntry = z.infer<typeof BatchEntry>;
/** Keys are the names exactly as requested; unknown names map to null. */
export const BatchResponse = z.object({ plugins: z.record(z.string(), BatchEntry.nullable()) });
export type BatchResponse = z.infer<typeof BatchResponse>;

export const FapilogVersions = z.object({ versions: z.array(z.string()) });
export type FapilogVersions = z.infer<typeof FapilogVersions>;

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The `metadata` part of a publish request (multipart), next to one part per file. */
export const PublishMetadata = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().default(''),
  author: z.string().default('Unknown'),
  plugin_type: PluginType,
  license: z.string().default('Unknown'),
  homepage: z.string().nullable().default(null),
  repository: z.string().nullable().default(null),
  fapilog_compatibility: z.string().min(1),
  requires_python: z.string().nullable().default(null),
  dependencies: z.array(z.string()).default([]),
  readme: z.string().default(''),
  files: z.array(z.object({ filename: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
});
export type PublishMetadata = z.infer<typeof PublishMetadata>;
export type PublishMetadataInput = z.input<typeof PublishMetadata>;

export const PUBLISH_STATUSES = ['published', 'unchanged'] as const;
export const PublishResponse = Release.extend({ status: z.enum(PUBLISH_STATUSES) });
export type PublishResponse = z.infer<typeof PublishResponse>;

export const YankRequest = z.object({ reason: z.string().min(1) });
export type YankRequest = z.infer<typeof YankRequest>;

export const RatingRequest = z.object({ stars: z.number().int().min(1).max(5) });
export type RatingRequest = z.infer<typeof RatingRequest>;
export const RatingResponse = z.object({
  name: z.string(),
  rating: z.number().min(0).max(5),
  rating_count: z.number().int().nonnegative(),
});
export type RatingResponse = z.infer<typeof RatingResponse>;

/** PEP 691 JSON simple index, project page. */
export const SimpleProject = z.object({
  meta: z.object({ 'api-version': z.string() }),
  name: z.string(),
  files: z.array(
    z.object({
      filename: z.string(),
      url: z.string(),
      hashes: z.object({ sha256: z.string() }),
      'requires-python': z.string().optional(),
      yanked: z.union([z.boolean(), z.string()]).optional(),
    }),
  ),
});
export type SimpleProject = z.infer<typeof SimpleProject>;
