/**
 * The checks, as a pure function of what was read (project, artifacts, README, tag, marketplace
 * answers): no I/O here, so every finding can be tested from constructed facts as well as from
 * really built projects.
 */
import { PLUGIN_TYPES, type PluginType, type Release } from '../marketplace/schemas.ts';
import { isPluginPackage, normalizeName } from '../names.ts';
import { compare, isValid, isValidSpecifier, normalize, parseSpecifier, sameVersion, satisfies, sortVersions } from '../pep440/index.ts';
import type { ArtifactFile, EntryPoint } from './artifacts.ts';
import { finding, type Finding } from './findings.ts';
import { formatSize } from '../size.ts';
import { isExtraOnly, parseRequirement, type CoreMetadata } from './metadata.ts';
import type { PluginProject } from './project.ts';
import { insecureImages, templateMarkers, type ExtractedReadme } from './readme.ts';

export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

/** Entry-point group -> plugin_type, in the order a plugin's type is chosen when it has several. */
export const ENTRY_POINT_GROUPS: Record<string, PluginType> = Object.fromEntries(
  PLUGIN_TYPES.map((t) => [`fapilog.${t}s`, t]),
) as Record<string, PluginType>;
export const LEGACY_GROUP = 'fapilog.plugins';

export interface ReadWheel {
  file: ArtifactFile;
  metadata: CoreMetadata;
  entryPoints: EntryPoint[];
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
export function primaryMetadata(facts: PublishFacts): CoreMetadata | null {
  return facts.wheels[0]?.metadata ?? facts.sdists[0]?.metadata ?? null;
}

export function releaseName(facts: PublishFacts): string | null {
  return primaryMetadata(facts)?.name ?? facts.project?.project.name ?? null;
}

/**
 * The version being released: the project's when a built file carries it (files of an older
 * build left next to it are stale, not the release), else the wheel's or sdist's.
 */
export function releaseVersion(facts: Pick<PublishFacts, 'project' | 'wheels' | 'sdists'>): string | null {
  const own = facts.project?.version ?? null;
  const built = [...facts.wheels, ...facts.sdists].map((a) => a.metadata.version);
  if (own !== null && built.some((v) => sameVersion(v, own))) return own;
  return primaryMetadata(facts as PublishFacts)?.version ?? own;
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

/** `<0.20,>=0.14` -> `>=0.14,<0.20`: lower bounds first, as authors write them. */
export function displaySpecifier(spec: string): string {
  const clauses = spec.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const rank = (c: string) => (c.startsWith('>') || c.startsWith('~=') ? 0 : c.startsWith('==') || c.startsWith('===') ? 1 : c.startsWith('!=') ? 3 : 2);
  return clauses.sort((a, b) => rank(a) - rank(b)).join(',');
}

export function hasUpperBound(spec: string): boolean {
  const clauses = parseSpecifier(spec) ?? [];
  return clauses.some((c) => c.operator === '<' || c.operator === '<=' || c.operator === '~=' || c.operator === '==' || c.operator === '===');
}

const REPOSITORY_LABELS = /^(repository|source|source[ _-]?code|code|github|gitlab|git)$/i;

/** The repository URL: a `Repository`-like project URL, else a GitHub/GitLab homepage. */
export function repositoryUrl(meta: CoreMetadata | null, project: PluginProject | null): string | null {
  const urls: Array<{ label: string; url: string }> = meta
    ? meta.projectUrls
    : Object.entries(project?.project.urls ?? {}).map(([label, url]) => ({ label, url }));
  const labelled = urls.find((u) => REPOSITORY_LABELS.test(u.label.trim()));
  if (labelled) return labelled.url;
  const hosted = [...urls.map((u) => u.url), meta?.homePage ?? ''].find((u) => /^https?:\/\/(www\.)?(github\.com|gitlab\.com)\/[^/]+\/[^/]+/.test(u));
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
export function publishedIdentically(release: Release | undefined, files: readonly ArtifactFile[]): boolean {
  return release !== undefined && filesSignature(release.files) === filesSignature(files);
}

export function findRelease(releases: readonly Release[], version: string): Release | undefined {
  return releases.find((r) => sameVersion(r.version, version));
}

export function validate(facts: PublishFacts): Finding[] {
  const out: Finding[] = [];
  const meta = primaryMetadata(facts);
  const project = facts.project;

  if (facts.projectError) out.push(finding('pyproject-invalid', facts.projectError));
  for (const u of facts.unreadable) out.push(finding('artifact-unreadable', u.message));

  // -- files --------------------------------------------------------------------------------------
  if (facts.files.every((f) => f.kind !== 'wheel')) {
    out.push(finding('wheel-missing', facts.files.length === 0 ? 'no wheel or sdist found in the dist directory' : `no wheel among ${facts.files.map((f) => f.filename).join(', ')}`));
  }
  if (facts.files.length > 0 && facts.files.every((f) => f.kind !== 'sdist')) {
    out.push(finding('sdist-missing', 'no sdist (.tar.gz) next to the wheel'));
  }
  for (const f of facts.files) {
    if (f.size > facts.maxFileSize) {
      out.push(finding('file-too-large', `${f.filename} is ${formatSize(f.size)}, over the ${formatSize(facts.maxFileSize)} limit`));
    }
  }

  // -- name -------------------------------------------------------------------------------------
  const names = [
    ...facts.wheels.map((w) => ({ where: w.file.filename, name: w.metadata.name })),
    ...facts.sdists.map((s) => ({ where: s.file.filename, name: s.metadata.name })),
    ...(project ? [{ where: 'pyproject.toml', name: project.project.name }] : []),
  ];
  const name = releaseName(facts);
  if (name !== null && !isPluginPackage(name)) {
    out.push(
      finding(
        'name-not-plugin',
        `"${name}" (normalised "${normalizeName(name)}") does not start with "fapilog-"`,
        `Rename the project to "fapilog-${normalizeName(name).replace(/^fapilog-?/, '') || 'name'}" in pyproject.toml [project] name.`,
      ),
    );
  }
  const distinctNames = new Set(names.map((n) => normalizeName(n.name)));
  if (distinctNames.size > 1) {
    out.push(finding('name-mismatch', `different names: ${names.map((n) => `${n.where} says "${n.name}"`).join(', ')}`));
  }

  // -- version ----------------------------------------------------------------------------------
  const versions = [
    ...facts.wheels.map((w) => ({ where: w.file.filename, version: w.metadata.version })),
    ...facts.sdists.map((s) => ({ where: s.file.filename, version: s.metadata.version })),
    ...(project?.version != null ? [{ where: project.versionSource.kind === 'hatch-file' ? 'the hatch version file' : 'pyproject.toml', version: project.version }] : []),
  ];
  const version = releaseVersion(facts);
  const invalid = versions.filter((v) => !isValid(v.version));
  for (const v of invalid) out.push(finding('version-invalid', `${v.where}: "${v.version}" is not a PEP 440 version`));
  const valid = versions.filter((v) => isValid(v.version));
  // Files of several versions: judging the tag or the marketplace by one of them would report
  // false mismatches, so only this is said. Usually an old build left in dist/ (python -m build adds, never removes).
  const mixed = new Set(valid.map((v) => normalize(v.version))).size > 1;
  if (mixed) {
    const own = project?.version != null && isValid(project.version) ? project.version : null;
    const built = valid.filter((v) => v.where !== 'pyproject.toml' && v.where !== 'the hatch version file');
    const stale = own === null ? [] : built.filter((v) => !sameVersion(v.version, own));
    // Some files are of the project's version and some not: leftovers (none of it: the project was bumped after the build).
    out.push(
      stale.length > 0 && stale.length < built.length && own !== null
        ? finding(
            'version-mismatch',
            `the dist directory holds files of another version, left by an older build: ${stale.map((v) => `${v.where} (${v.version})`).join(', ')}; the project's version is ${own}`,
            'Clean the dist directory (`rm -rf dist`) and rebuild with `python -m build`: a build adds its files next to the old ones.',
          )
        : finding('version-mismatch', `different versions: ${valid.map((v) => `${v.where} says ${v.version}`).join(', ')}`),
    );
  }
  if (!mixed && facts.tag !== null && version !== null && isValid(version)) {
    const wanted = tagVersion(facts.tag);
    if (!sameVersion(wanted, version)) {
      const fix = isValid(wanted)
        ? `Run \`fapilog-plugins version ${normalize(wanted)}\`, commit, rebuild and move the tag; or tag the project's version as v${version}.`
        : `Push a tag named after the version, e.g. v${version}.`;
      out.push(finding('tag-mismatch', `tag ${facts.tag} names version ${isValid(wanted) ? normalize(wanted) : `"${wanted}" (not PEP 440)`}, but the project's version is ${version}`, fix));
    }
  }

  // -- fapilog requirement ------------------------------------------------------------------------
  const requirements = meta ? meta.requiresDist : (project?.project.dependencies ?? []);
  const req = fapilogRequirement(requirements);
  if (meta || project) {
    if (!req) {
      out.push(finding('fapilog-requirement-missing', 'no runtime requirement on "fapilog" in Requires-Dist / [project] dependencies'));
    } else if (req.specifier === null || req.specifier.trim() === '' || !isValidSpecifier(req.specifier)) {
      const why = req.specifier === null ? 'a URL requirement' : req.specifier.trim() === '' ? 'no version specifier' : `"${req.specifier}" is not a PEP 440 specifier`;
      out.push(finding('fapilog-specifier-invalid', `"${req.text}": ${why}`));
    } else {
      const spec = displaySpecifier(req.specifier);
      if (!hasUpperBound(req.specifier)) {
        out.push(finding('fapilog-specifier-unbounded', `"fapilog${spec}" has no upper bound`));
      }
      const known = facts.marketplace?.fapilogVersions;
      if (known && known.length > 0) {
        const admitted = known.filter((v) => satisfies(v, req.specifier as string, { prereleases: true }));
        if (admitted.length === 0) {
          const newest = sortVersions(known).at(-1);
          out.push(
            finding(
              'fapilog-specifier-unsatisfiable',
              `"fapilog${spec}" admits none of the ${known.length} known fapilog releases (newest ${newest})`,
              `Widen the requirement to admit a released fapilog, e.g. "fapilog>=${newest}".`,
            ),
          );
        }
      }
    }
  }

  // -- entry points -----------------------------------------------------------------------------
  const entryPoints = facts.wheels.length > 0
    ? (facts.wheels[0] as ReadWheel).entryPoints
    : Object.entries(project?.project['entry-points'] ?? {}).flatMap(([group, eps]) => Object.entries(eps).map(([n, value]) => ({ group, name: n, value })));
  if (facts.wheels.length > 0 || project) {
    const legacy = entryPoints.filter((e) => e.group === LEGACY_GROUP);
    for (const e of legacy) {
      out.push(finding('entry-point-legacy-group', `entry point "${e.name} = ${e.value}" is in the legacy "${LEGACY_GROUP}" group`));
    }
    if (pluginTypes(entryPoints).length === 0) {
      const groups = [...new Set(entryPoints.map((e) => e.group))];
      out.push(
        finding(
          'entry-point-missing',
          groups.length === 0 ? 'the wheel has no entry points' : `no entry point in a fapilog group (found: ${groups.join(', ')})`,
          legacy[0] ? `Move "${legacy[0].name}" to [project.entry-points."fapilog.sinks"] (or processors, enrichers, redactors, filters).` : undefined,
        ),
      );
    }
  }

  // -- README -----------------------------------------------------------------------------------
  if (meta || project) {
    if (facts.readme.from === 'none') {
      out.push(finding('readme-missing', meta ? 'the wheel has no long description and the project has no README' : 'the project has no README'));
    } else {
      const markers = templateMarkers(facts.readme.original);
      if (markers.length > 0) out.push(finding('readme-template', `the README still contains ${markers.map((m) => `"${m}"`).join(' and ')}`));
      for (const url of insecureImages(facts.readme.original)) {
        out.push(finding('readme-insecure-image', `image over plain http: ${url}`, `Use ${url.replace(/^http:/i, 'https:')} (if the host serves https) or a relative path.`));
      }
    }
  }

  // -- license ----------------------------------------------------------------------------------
  if (meta || project) {
    const declared = meta
      ? Boolean(meta.licenseExpression?.trim() || meta.license?.trim() || meta.licenseFiles.length > 0 || meta.classifiers.some((c) => c.startsWith('License :: ')))
      : Boolean(project?.project.license !== undefined || facts.projectLicenseFiles.length > 0);
    if (!declared) out.push(finding('license-missing', meta ? 'the metadata has no License-Expression, License, License-File or license classifier' : 'pyproject.toml declares no license'));
  }

  // -- repository -------------------------------------------------------------------------------
  if ((meta || project) && repositoryUrl(meta, project) === null) {
    out.push(finding('repository-url-missing', 'no Repository/Source URL in [project.urls]'));
  }

  // -- the marketplace's view -------------------------------------------------------------------
  const market = facts.marketplace;
  if (market?.unreachable) {
    out.push(finding('marketplace-unreachable', market.unreachable));
  } else if (market && !mixed && version !== null && isValid(version)) {
    const same = findRelease(market.releases, version);
    if (same && !publishedIdentically(same, facts.files)) {
      const theirs = same.files.map((f) => `${f.filename} ${f.sha256.slice(0, 12)}`).join(', ') || 'no files';
      out.push(
        finding(
          'version-taken',
          `${name} ${same.version} is already published with different files (${theirs}); a published version never changes, publish a new version`,
          `Run \`fapilog-plugins version patch\` (or minor/major), rebuild, tag and publish again.`,
        ),
      );
    }
    const newest = sortVersions(market.releases.map((r) => r.version)).at(-1);
    if (!same && newest !== undefined && compare(version, newest) < 0) {
      out.push(finding('version-backport', `${version} is lower than the newest published version ${newest}`));
    }
  }
  // Errors first: they are what stops the publish.
  return out.filter((f) => f.severity === 'error').concat(out.filter((f) => f.severity !== 'error'));
}
