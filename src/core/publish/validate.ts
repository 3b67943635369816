/**
 * What publishing read (PublishFacts: project, artifacts, README, tag, marketplace answers) and
 * the questions the plan and the rules (rules.ts) both ask of it: the release's name, version,
 * fapilog requirement, license, URLs, whether the marketplace already has it. No I/O here.
 */
import { PLUGIN_TYPES, type PluginType, type Release } from '../marketplace/schemas.ts';
import { normalizeName } from '../names.ts';
import { parseSpecifier, sameVersion } from '../pep440/index.ts';
import type { ArtifactFile, EntryPoint } from './artifacts.ts';
import { isExtraOnly, parseRequirement, type CoreMetadata } from './metadata.ts';
import type { PluginProject } from './project.ts';
import type { ExtractedReadme } from './readme.ts';

export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

/** Entry-point group -> plugin_type, in the order a plugin's type is chosen when it has several. */
export const ENTRY_POINT_GROUPS: Record<string, PluginType> = Object.fromEntries(PLUGIN_TYPES.map((t) => [`fapilog.${t}s`, t])) as Record<
  string,
  PluginType
>;
export const LEGACY_GROUP = 'fapilog.plugins';

export interface ReadWheel {
  file: ArtifactFile;
  metadata: CoreMetadata;
  entryPoints: EntryPoint[];
  /** Why RECORD does not match the wheel's contents; null when it does (absent: not checked). */
  recordProblem?: string | null;
}

export interface ReadSdist {
  file: ArtifactFile;
  metadata: CoreMetadata;
}

export interface MarketplaceFacts {
  /** Set when the marketplace could not be asked; the checks below are then skipped. */
  unreachable: string | null;
  fapilogVersions: string[] | null;
  /** Every release of this plugin; [] when the marketplace does not know it yet. */
  releases: Release[];
}

export interface PublishFacts {
  project: PluginProject | null;
  projectError: string | null;
  files: ArtifactFile[];
  wheels: ReadWheel[];
  sdists: ReadSdist[];
  unreadable: Array<{ filename: string; message: string }>;
  /** The tag being published (`v1.2.0`), null when not publishing from a tag. */
  tag: string | null;
  readme: ExtractedReadme;
  /** LICENSE*, COPYING*, NOTICE* files in the project directory. */
  projectLicenseFiles: string[];
  marketplace: MarketplaceFacts | null;
  maxFileSize: number;
}

/** The metadata that describes the release: the wheel's, else the sdist's. */
/** The project and what was built from it: all a release's name and version are read from. */
export type BuiltRelease = Pick<PublishFacts, 'project' | 'wheels' | 'sdists'>;

export function primaryMetadata(facts: BuiltRelease): CoreMetadata | null {
  return facts.wheels[0]?.metadata ?? facts.sdists[0]?.metadata ?? null;
}

export function releaseName(facts: BuiltRelease): string | null {
  return primaryMetadata(facts)?.name ?? facts.project?.project.name ?? null;
}

/** The metadata a release is described by, its name and its version. */
export function releaseIdentity(facts: BuiltRelease): { meta: CoreMetadata | null; name: string | null; version: string | null } {
  return { meta: primaryMetadata(facts), name: releaseName(facts), version: releaseVersion(facts) };
}

/**
 * The version being released: the project's when a built file carries it (files of an older
 * build left next to it are stale, not the release), else the wheel's or sdist's.
 */
export function releaseVersion(facts: BuiltRelease): string | null {
  const own = facts.project?.version ?? null;
  const built = [...facts.wheels, ...facts.sdists].map((a) => a.metadata.version);
  if (own !== null && built.some((v) => sameVersion(v, own))) return own;
  return primaryMetadata(facts)?.version ?? own;
}

/** The tag's version: `v1.2.0`, `V1.2.0` and `1.2.0` all name 1.2.0; `refs/tags/` is stripped. */
export function tagVersion(tag: string): string {
  return tag.replace(/^refs\/tags\//, '').replace(/^[vV](?=\d)/, '');
}

export function pluginTypes(entryPoints: readonly EntryPoint[]): PluginType[] {
  const types = new Set(entryPoints.map((e) => ENTRY_POINT_GROUPS[e.group]).filter((t): t is PluginType => t !== undefined));
  return PLUGIN_TYPES.filter((t) => types.has(t));
}

export interface FapilogRequirement {
  text: string;
  specifier: string | null;
}

/** The runtime `fapilog` requirement among Requires-Dist (or pyproject dependencies). */
export function fapilogRequirement(requirements: readonly string[]): FapilogRequirement | null {
  for (const text of requirements) {
    const req = parseRequirement(text);
    if (req && normalizeName(req.name) === 'fapilog' && !isExtraOnly(req)) return { text, specifier: req.specifier };
  }
  return null;
}

export { displaySpecifier } from './declared.ts';

export function hasUpperBound(spec: string): boolean {
  const clauses = parseSpecifier(spec) ?? [];
  return clauses.some(
    (c) => c.operator === '<' || c.operator === '<=' || c.operator === '~=' || c.operator === '==' || c.operator === '===',
  );
}

const REPOSITORY_LABELS = /^(repository|source|source[ _-]?code|code|github|gitlab|git)$/i;

/** The repository URL: a `Repository`-like project URL, else a GitHub/GitLab homepage. */
export function repositoryUrl(meta: CoreMetadata | null, project: PluginProject | null): string | null {
  const urls: Array<{ label: string; url: string }> = meta
    ? meta.projectUrls
    : Object.entries(project?.project.urls ?? {}).map(([label, url]) => ({ label, url }));
  const labelled = urls.find((u) => REPOSITORY_LABELS.test(u.label.trim()));
  if (labelled) return labelled.url;
  const hosted = [...urls.map((u) => u.url), meta?.homePage ?? ''].find((u) =>
    /^https?:\/\/(www\.)?(github\.com|gitlab\.com)\/[^/]+\/[^/]+/.test(u),
  );
  return hosted ?? null;
}

export function homepageUrl(meta: CoreMetadata | null, project: PluginProject | null): string | null {
  const urls: Array<{ label: string; url: string }> = meta
    ? meta.projectUrls
    : Object.entries(project?.project.urls ?? {}).map(([label, url]) => ({ label, url }));
  return urls.find((u) => /^home[ _-]?page$/i.test(u.label.trim()))?.url ?? meta?.homePage ?? null;
}

/** License as the marketplace shows it: the SPDX expression, else a one-line License, else the classifier. */
export function licenseOf(meta: CoreMetadata | null, project: PluginProject | null): string | null {
  if (meta?.licenseExpression) return meta.licenseExpression;
  const text = meta?.license?.trim();
  if (text && !text.includes('\n') && text.length <= 100) return text;
  const classifier = meta?.classifiers.find((c) => c.startsWith('License :: ') && c !== 'License :: OSI Approved');
  if (classifier) return classifier.split(' :: ').pop() ?? null;
  const pl = project?.project.license;
  if (typeof pl === 'string' && pl.trim() !== '') return pl.trim();
  if (text) return (text.split('\n')[0] ?? '').trim() || null;
  return null;
}

function filesSignature(files: ReadonlyArray<{ filename: string; sha256: string }>): string {
  return files
    .map((f) => `${f.filename}:${f.sha256}`)
    .sort()
    .join('\n');
}

/** Whether the marketplace already has this version with exactly these files. */
export function publishedIdentically(release: Release | undefined, files: ReadonlyArray<{ filename: string; sha256: string }>): boolean {
  return release !== undefined && filesSignature(release.files) === filesSignature(files);
}

export function findRelease(releases: readonly Release[], version: string): Release | undefined {
  return releases.find((r) => sameVersion(r.version, version));
}
