/**
 * From an index's files and core metadata to the records the analysis reads (the marketplace
 * contract's Release and Plugin), pure. What an index does not know (ratings, downloads, the
 * plugin type) gets the contract's neutral value; `index` in the report says where it came from.
 */
import { normalizeName, shortName } from '../names.ts';
import { compare, isPrerelease, isValid } from '../pep440/index.ts';
import { isExtraOnly, parseRequirement, type CoreMetadata } from '../publish/metadata.ts';
import { PLUGIN_TYPES, type Plugin, type PluginType, type Release } from '../marketplace/schemas.ts';
import type { IndexFile } from './simple.ts';

/** Which release a distribution file belongs to: `(name)-(version)` of a wheel or an sdist. */
export function fileVersion(filename: string, project: string): string | null {
  const wanted = normalizeName(project);
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length < 5 || parts.length > 6) return null;
    return normalizeName(parts[0] ?? '') === wanted && isValid(parts[1] ?? '') ? (parts[1] as string) : null;
  }
  const m = /^(.+)\.(tar\.gz|zip|tar\.bz2|tgz)$/.exec(filename);
  if (!m) return null;
  const stem = m[1] as string;
  // Older sdists keep `-` in the name (`fapilog-loki-1.0.0`): the version is after the `-` where the name ends.
  for (let i = stem.indexOf('-'); i >= 0; i = stem.indexOf('-', i + 1)) {
    const version = stem.slice(i + 1);
    if (normalizeName(stem.slice(0, i)) === wanted && isValid(version)) return version;
  }
  return null;
}

export interface IndexRelease {
  version: string;
  files: IndexFile[];
  /** PEP 592: a release is yanked when every one of its files is. */
  yanked: false | string;
}

/** Files grouped by release, PEP 440 ascending; files that name no release of this project are left out. */
export function groupReleases(files: readonly IndexFile[], project: string): IndexRelease[] {
  const byVersion = new Map<string, { version: string; files: IndexFile[] }>();
  for (const f of files) {
    const version = fileVersion(f.filename, project);
    if (version === null) continue;
    // `1.0` and `1.0.0` are one release: keyed by the first spelling seen.
    const key = [...byVersion.keys()].find((k) => compare(k, version) === 0) ?? version;
    const group = byVersion.get(key) ?? { version: key, files: [] };
    group.files.push(f);
    byVersion.set(key, group);
  }
  return [...byVersion.values()]
    .sort((a, b) => compare(a.version, b.version))
    .map((g) => ({
      ...g,
      yanked: g.files.every((f) => f.yanked !== false) ? (g.files.find((f) => f.yanked !== false)?.yanked ?? '') : false,
    }));
}

/**
 * The file whose metadata speaks for the release: a wheel with a metadata file, then any wheel
 * (its METADATA can be read from the archive), then an sdist with a metadata file.
 */
export function metadataFile(release: IndexRelease): IndexFile | null {
  const wheels = release.files.filter((f) => f.filename.endsWith('.whl'));
  return (
    wheels.find((f) => f.coreMetadata) ??
    wheels.find((f) => f.yanked === false) ??
    wheels[0] ??
    release.files.find((f) => f.coreMetadata) ??
    null
  );
}

/** The `fapilog` requirement's specifier ('' when the plugin does not name fapilog: every version admitted). */
export function fapilogCompatibility(meta: CoreMetadata): string {
  for (const line of meta.requiresDist) {
    const req = parseRequirement(line);
    if (req && normalizeName(req.name) === 'fapilog' && !isExtraOnly(req)) return req.specifier ?? '';
  }
  return '';
}

function runtimeDependencies(meta: CoreMetadata): string[] {
  return meta.requiresDist.filter((line) => {
    const req = parseRequirement(line);
    return req !== null && normalizeName(req.name) !== 'fapilog' && !isExtraOnly(req);
  });
}

/** The contract wants a sha256 per file: this stands for "the index listed none". */
export const NO_SHA256 = '0'.repeat(64);

/** PEP 700 upload time (the earliest of the release's files) as the contract's timestamp (explicit offset); null: the index did not say. */
function publishedAt(files: readonly IndexFile[]): string | null {
  const times = files.map((f) => f.uploadTime).filter((t): t is string => t !== null && !Number.isNaN(Date.parse(t)));
  if (times.length === 0) return null;
  const first = times.map((t) => Date.parse(t)).sort((a, b) => a - b)[0] as number;
  return new Date(first).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function toRelease(project: string, release: IndexRelease, meta: CoreMetadata | null): Release {
  const pkg = normalizeName(project);
  return {
    name: shortName(pkg),
    package: pkg,
    version: release.version,
    fapilog_compatibility: meta ? fapilogCompatibility(meta) : '',
    requires_python: meta?.requiresPython ?? release.files.find((f) => f.requiresPython)?.requiresPython ?? null,
    dependencies: meta ? runtimeDependencies(meta) : [],
    yanked: release.yanked !== false,
    yanked_reason: release.yanked === false || release.yanked === '' ? null : release.yanked,
    published_at: publishedAt(release.files),
    readme: '',
    files: release.files.map((f) => ({ filename: f.filename, sha256: f.sha256 ?? NO_SHA256, size: f.size ?? 0, url: f.url })),
  };
}

/** The release a plugin record describes: the newest final one that is not yanked, else the newest. */
export function describedRelease(releases: readonly Release[]): Release | null {
  const newest = (list: readonly Release[]) =>
    list.reduce<Release | null>((best, r) => (best === null || compare(r.version, best.version) > 0 ? r : best), null);
  return (
    newest(releases.filter((r) => !r.yanked && !isPrerelease(r.version))) ?? newest(releases.filter((r) => !r.yanked)) ?? newest(releases)
  );
}

/** A plugin type named in the metadata's keywords or classifiers (`fapilog sink`), else `sink`: the contract needs one. */
function pluginType(meta: CoreMetadata | null, keywords: string): PluginType {
  const words = `${keywords} ${meta?.classifiers.join(' ') ?? ''}`.toLowerCase();
  return PLUGIN_TYPES.find((t) => new RegExp(`\\b${t}s?\\b`).test(words)) ?? 'sink';
}

function repositoryUrl(meta: CoreMetadata): string | null {
  const labelled = meta.projectUrls.find((u) => /^(source|source code|repository|code|github)$/i.test(u.label));
  return labelled?.url ?? null;
}

export function toPlugin(release: Release, meta: CoreMetadata | null, keywords = ''): Plugin {
  const author = meta?.author ?? meta?.authorEmail?.replace(/\s*<[^>]*>\s*/g, '').trim() ?? '';
  return {
    name: release.name,
    package: release.package,
    version: release.version,
    description: meta?.summary ?? '',
    author: author || 'Unknown',
    plugin_type: pluginType(meta, keywords),
    downloads: 0,
    rating: 0,
    rating_count: 0,
    homepage: meta?.homePage ?? meta?.projectUrls.find((u) => /^(homepage|home|documentation)$/i.test(u.label))?.url ?? null,
    repository: meta ? repositoryUrl(meta) : null,
    license: meta?.licenseExpression ?? meta?.license?.split('\n')[0] ?? 'Unknown',
    fapilog_compatibility: release.fapilog_compatibility,
    dependencies: release.dependencies,
    published_at: release.published_at,
    checksum: release.files.find((f) => f.filename.endsWith('.whl'))?.sha256 ?? release.files[0]?.sha256 ?? null,
  };
}
