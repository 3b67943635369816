/**
 * The seed catalog format (examples/catalog/catalog.json): the demo data a marketplace can be
 * started with (`serve --seed FILE`). Parsed with zod so that a typo in a hand-edited catalog is
 * an error naming the field rather than a half-seeded store.
 */
import { z } from 'zod';
import { PluginType, Timestamp } from '../src/core/marketplace/schemas.ts';
import { isValidProjectName } from '../src/core/names.ts';
import { isValidVersion, isValidSpecifier } from './validation.ts';

const Version = z.string().refine(isValidVersion, 'not a PEP 440 version');
const Specifier = z.string().refine(isValidSpecifier, 'not a PEP 440 specifier');

export const CatalogRelease = z.object({
  version: Version,
  fapilog_compatibility: Specifier,
  requires_python: Specifier.nullable().default(null),
  dependencies: z.array(z.string()).default([]),
  published_at: Timestamp,
  downloads: z.number().int().nonnegative().default(0),
  readme: z.string().optional(),
  yanked_reason: z.string().min(1).optional(),
});
export type CatalogRelease = z.infer<typeof CatalogRelease>;

export const CatalogPlugin = z.object({
  /** Short name (`loki`); the package is `fapilog-<name>`. */
  name: z.string().refine(isValidProjectName, 'not a valid project name'),
  description: z.string(),
  author: z.string(),
  /** The marketplace account that owns the plugin (tokens created for it may publish and yank). */
  owner: z.string().min(1),
  plugin_type: PluginType,
  license: z.string(),
  homepage: z.string().nullable().default(null),
  repository: z.string().nullable().default(null),
  /** Star ratings already given, one per (anonymous) rater. */
  ratings: z.array(z.number().int().min(1).max(5)).default([]),
  releases: z.array(CatalogRelease).min(1),
});
export type CatalogPlugin = z.infer<typeof CatalogPlugin>;

export const Catalog = z.object({
  fapilog_versions: z.array(Version),
  plugins: z.array(CatalogPlugin),
});
export type Catalog = z.infer<typeof Catalog>;
