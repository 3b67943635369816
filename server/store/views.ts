/** Rows to contract objects (src/core/marketplace/schemas.ts): the same for both stores. */
import { affects, releaseAdvisory } from '../../src/core/advisories/affects.ts';
import {
  Deprecation,
  Provenance,
  type ReleaseAdvisory,
  type CompatibilityCorrection,
  type Plugin,
  type Release,
  type ReleaseFile,
} from '../../src/core/marketplace/schemas.ts';
import { isPrerelease } from '../../src/core/pep440/index.ts';
import type { FileRow, PluginRecord, Rating, ReleaseRow } from './types.ts';

export function releaseView(record: PluginRecord, r: PluginRecord['releases'][number], baseUrl: string): Release {
  return {
    name: record.row.name,
    package: record.row.package,
    version: r.row.version,
    fapilog_compatibility: effectiveCompatibility(r.row),
    requires_python: r.row.requires_python,
    dependencies: JSON.parse(r.row.dependencies) as string[],
    yanked: Boolean(r.row.yanked),
    yanked_reason: r.row.yanked_reason,
    published_at: r.row.published_at,
    readme: r.row.readme,
    files: r.files.map((f) => fileView(f, baseUrl)),
    provenance: r.row.provenance ? Provenance.parse(JSON.parse(r.row.provenance)) : null,
    compatibility_correction: correctionView(r.row),
    ...advisoriesField(record, r.row.version),
  };
}

/** The advisories affecting one release, as it carries them (the key left out when none do, as older servers). */
function advisoriesField(record: PluginRecord, version: string): { advisories?: ReleaseAdvisory[] } {
  const hits = (record.advisories ?? []).filter((a) => affects(a, record.row.package, version)).map(releaseAdvisory);
  return hits.length > 0 ? { advisories: hits } : {};
}

/** Is this release affected by any advisory of its plugin (the per-fapilog index leaves such releases out)? */
export function isAffectedRelease(record: PluginRecord, version: string): boolean {
  return (record.advisories ?? []).some((a) => affects(a, record.row.package, version));
}

/** The plugin's deprecation, as its row keeps it (null: none). */
/** Mirrored from an upstream index (`serve --upstream`), not published here. */
export function isMirrored(row: PluginRecord['row']): boolean {
  return row.mirrored_from !== null && row.mirrored_from !== undefined;
}

export function deprecationView(row: PluginRecord['row']): Deprecation | null {
  return row.deprecation ? Deprecation.parse(JSON.parse(row.deprecation)) : null;
}

/** The range every answer uses: the correction when there is one, else what the files declare. */
export function effectiveCompatibility(row: ReleaseRow): string {
  return row.corrected_compatibility ?? row.fapilog_compatibility;
}

export function correctionView(row: ReleaseRow): CompatibilityCorrection | null {
  if (row.corrected_compatibility === null || row.corrected_compatibility === undefined) return null;
  return {
    declared: row.fapilog_compatibility,
    reason: row.correction_reason ?? '',
    corrected_at: row.corrected_at ?? '',
    corrected_by: row.corrected_by ?? '',
  };
}

export function fileView(f: FileRow, baseUrl: string): ReleaseFile {
  return { filename: f.filename, sha256: f.sha256, size: Number(f.size), url: fileUrl(baseUrl, f.package, f.filename) };
}

export function fileUrl(baseUrl: string, pkg: string, filename: string): string {
  return `${baseUrl}/files/${encodeURIComponent(pkg)}/${encodeURIComponent(filename)}`;
}

/** The release a plugin is shown as: newest non-yanked final, else newest non-yanked, else newest. */
export function currentRelease(record: PluginRecord): PluginRecord['releases'][number] {
  const rs = record.releases;
  const pick =
    [...rs].reverse().find((r) => !r.row.yanked && !isPrerelease(r.row.version)) ??
    [...rs].reverse().find((r) => !r.row.yanked) ??
    rs[rs.length - 1];
  if (!pick) throw new Error(`plugin ${record.row.package} has no releases`);
  return pick;
}

/** `rating`: the plugin's rating (Store.rating, or recordsById's). */
export function pluginView(record: PluginRecord, { rating, rating_count }: Rating): Plugin {
  const cur = currentRelease(record);
  const wheel = cur.files.find((f) => f.filename.endsWith('.whl')) ?? cur.files[0];
  return {
    name: record.row.name,
    package: record.row.package,
    version: cur.row.version,
    description: record.row.description,
    author: record.row.author,
    plugin_type: record.row.plugin_type,
    downloads: record.releases.reduce((n, r) => n + Number(r.row.downloads), 0),
    rating,
    rating_count,
    homepage: record.row.homepage,
    repository: record.row.repository,
    license: record.row.license,
    fapilog_compatibility: effectiveCompatibility(cur.row),
    compatibility_correction: correctionView(cur.row),
    dependencies: JSON.parse(cur.row.dependencies) as string[],
    published_at: cur.row.published_at,
    checksum: wheel ? wheel.sha256 : null,
    mirrored: isMirrored(record.row),
    ...(record.row.deprecation ? { deprecation: deprecationView(record.row) } : {}),
  };
}
