/**
 * Publish validation as a table of rules over plain facts about the plugin. `pluginFacts` derives
 * the facts once from what was read (project, built files, README, tag, marketplace answers);
 * each rule looks at them and says its findings, so a rule is tested from a hand-written
 * PluginFacts, without building anything (test/core/publish/rules.test.ts), and the real builds
 * (findings.test.ts) check the derivation. Findings come out in table order, errors first.
 */
import type { Release } from '../marketplace/schemas.ts';
import { isPluginPackage, normalizeName } from '../names.ts';
import { compare, isValid, isValidSpecifier, normalize, sameVersion, satisfies, sortVersions } from '../pep440/index.ts';
import { formatSize } from '../size.ts';
import type { ArtifactKind, EntryPoint } from './artifacts.ts';
import { releaseDeclaration, unusableSpecifier, type ReleaseDeclaration } from './declared.ts';
import { finding, type Finding } from './findings.ts';
import { insecureImages, templateMarkers, type ExtractedReadme } from './readme.ts';
import {
  displaySpecifier,
  fapilogRequirement,
  findRelease,
  hasUpperBound,
  LEGACY_GROUP,
  pluginTypes,
  primaryMetadata,
  publishedIdentically,
  releaseName,
  releaseVersion,
  repositoryUrl,
  tagVersion,
  type FapilogRequirement,
  type MarketplaceFacts,
  type PublishFacts,
} from './validate.ts';

/** A name or version and where it was read: a built file's name, `pyproject.toml` or `the hatch version file`. */
export interface Stated<T extends string> {
  where: string;
  /** From a built file's metadata, or from the project itself. */
  from: 'built' | 'project';
  value: T;
}

export interface PluginFacts {
  projectError: string | null;
  /** One message per built file whose metadata cannot be read. */
  unreadable: string[];
  files: Array<{ filename: string; kind: ArtifactKind; size: number; sha256: string }>;
  maxFileSize: number;
  /** One message per wheel whose RECORD does not match its contents. */
  recordProblems: string[];
  /** What the marketplace will read from the built files (declared.ts); null when none was read. */
  declaration: ReleaseDeclaration | null;
  /** Something describes the release: a built file's metadata or pyproject.toml. */
  described: boolean;
  /** That description is a built file's metadata (else pyproject.toml); messages name which. */
  fromMetadata: boolean;
  /** The release's name (the metadata's, else the project's). */
  name: string | null;
  names: Array<Stated<string>>;
  versions: Array<Stated<string>>;
  /** The version being released (validate.ts releaseVersion). */
  version: string | null;
  /** The tag being published, null when not publishing from a tag. */
  tag: string | null;
  /** The runtime fapilog requirement; null when there is none. */
  fapilog: FapilogRequirement | null;
  /** The entry points (the first wheel's, else the project's); null when neither a wheel nor a project says. */
  entryPoints: EntryPoint[] | null;
  readme: ExtractedReadme;
  licenseDeclared: boolean;
  repository: string | null;
  marketplace: MarketplaceFacts | null;
}

export function pluginFacts(facts: PublishFacts): PluginFacts {
  const meta = primaryMetadata(facts);
  const project = facts.project;
  const projectEntryPoints = () =>
    Object.entries(project?.project['entry-points'] ?? {}).flatMap(([group, eps]) =>
      Object.entries(eps).map(([n, value]) => ({ group, name: n, value })),
    );
  return {
    projectError: facts.projectError,
    unreadable: facts.unreadable.map((u) => u.message),
    files: facts.files.map((f) => ({ filename: f.filename, kind: f.kind, size: f.size, sha256: f.sha256 })),
    maxFileSize: facts.maxFileSize,
    recordProblems: facts.wheels.flatMap((w) => (w.recordProblem ? [w.recordProblem] : [])),
    declaration:
      facts.wheels.length + facts.sdists.length > 0
        ? releaseDeclaration(
            facts.wheels.map((w) => ({ filename: w.file.filename, metadata: w.metadata })),
            facts.sdists.map((s) => ({ filename: s.file.filename, metadata: s.metadata })),
          )
        : null,
    described: meta !== null || project !== null,
    fromMetadata: meta !== null,
    name: releaseName(facts),
    names: [
      ...[...facts.wheels, ...facts.sdists].map((a) => ({ where: a.file.filename, from: 'built' as const, value: a.metadata.name })),
      ...(project ? [{ where: 'pyproject.toml', from: 'project' as const, value: project.project.name }] : []),
    ],
    versions: [
      ...[...facts.wheels, ...facts.sdists].map((a) => ({ where: a.file.filename, from: 'built' as const, value: a.metadata.version })),
      ...(project?.version != null
        ? [
            {
              where: project.versionSource.kind === 'hatch-file' ? 'the hatch version file' : 'pyproject.toml',
              from: 'project' as const,
              value: project.version,
            },
          ]
        : []),
    ],
    version: releaseVersion(facts),
    tag: facts.tag,
    fapilog: fapilogRequirement(meta ? meta.requiresDist : (project?.project.dependencies ?? [])),
    entryPoints: facts.wheels[0] ? facts.wheels[0].entryPoints : project ? projectEntryPoints() : null,
    readme: facts.readme,
    licenseDeclared: meta
      ? Boolean(
          meta.licenseExpression?.trim() ||
            meta.license?.trim() ||
            meta.licenseFiles.length > 0 ||
            meta.classifiers.some((c) => c.startsWith('License :: ')),
        )
      : Boolean(project?.project.license !== undefined || facts.projectLicenseFiles.length > 0),
    repository: repositoryUrl(meta, project),
    marketplace: facts.marketplace,
  };
}

/**
 * Files of several versions (usually an old build left in dist/: python -m build adds, never
 * removes): judging the tag or the marketplace by one of them would report false mismatches.
 */
function mixedVersions(f: PluginFacts): boolean {
  return new Set(f.versions.filter((v) => isValid(v.value)).map((v) => normalize(v.value))).size > 1;
}

/** The version the tag and the marketplace are judged by: valid, and the files agree on it. */
function judgedVersion(f: PluginFacts): string | null {
  return f.version !== null && isValid(f.version) && !mixedVersions(f) ? f.version : null;
}

export interface Rule {
  /** What the rule looks at, for reading the table. */
  about: string;
  check: (f: PluginFacts) => Finding[];
}

const when = (cond: boolean, make: () => Finding): Finding[] => (cond ? [make()] : []);

export const RULES: readonly Rule[] = [
  {
    about: 'pyproject.toml reads',
    check: (f) => when(f.projectError !== null, () => finding('pyproject-invalid', f.projectError as string)),
  },
  { about: 'built files read', check: (f) => f.unreadable.map((m) => finding('artifact-unreadable', m)) },
  {
    about: 'a wheel',
    check: (f) =>
      when(
        f.files.every((x) => x.kind !== 'wheel'),
        () =>
          finding(
            'wheel-missing',
            f.files.length === 0
              ? 'no wheel or sdist found in the dist directory'
              : `no wheel among ${f.files.map((x) => x.filename).join(', ')}`,
          ),
      ),
  },
  {
    about: 'an sdist',
    check: (f) =>
      when(f.files.length > 0 && f.files.every((x) => x.kind !== 'sdist'), () =>
        finding('sdist-missing', 'no sdist (.tar.gz) next to the wheel'),
      ),
  },
  {
    about: 'file sizes',
    check: (f) =>
      f.files
        .filter((x) => x.size > f.maxFileSize)
        .map((x) => finding('file-too-large', `${x.filename} is ${formatSize(x.size)}, over the ${formatSize(f.maxFileSize)} limit`)),
  },
  { about: 'wheel RECORDs match', check: (f) => f.recordProblems.map((m) => finding('record-mismatch', m)) },
  {
    about: 'a fapilog-* name',
    check: ({ name }) =>
      when(name !== null && !isPluginPackage(name), () =>
        finding(
          'name-not-plugin',
          `"${name}" (normalised "${normalizeName(name as string)}") does not start with "fapilog-"`,
          `Rename the project to "fapilog-${normalizeName(name as string).replace(/^fapilog-?/, '') || 'name'}" ` +
            `in pyproject.toml [project] name.`,
        ),
      ),
  },
  {
    about: 'one name',
    check: (f) =>
      when(new Set(f.names.map((n) => normalizeName(n.value))).size > 1, () =>
        finding('name-mismatch', `different names: ${f.names.map((n) => `${n.where} says "${n.value}"`).join(', ')}`),
      ),
  },
  {
    about: 'PEP 440 versions',
    check: (f) =>
      f.versions
        .filter((v) => !isValid(v.value))
        .map((v) => finding('version-invalid', `${v.where}: "${v.value}" is not a PEP 440 version`)),
  },
  {
    about: 'one version',
    check: (f) => {
      if (!mixedVersions(f)) return [];
      const valid = f.versions.filter((v) => isValid(v.value));
      const own = f.versions.find((v) => v.from === 'project' && isValid(v.value))?.value ?? null;
      const built = valid.filter((v) => v.from === 'built');
      const stale = own === null ? [] : built.filter((v) => !sameVersion(v.value, own));
      // Some files are of the project's version and some not: leftovers (none of it: the project was bumped after the build).
      return [
        stale.length > 0 && stale.length < built.length && own !== null
          ? finding(
              'version-mismatch',
              `the dist directory holds files of another version, left by an older build: ` +
                `${stale.map((v) => `${v.where} (${v.value})`).join(', ')}; the project's version is ${own}`,
              'Clean the dist directory (`rm -rf dist`) and rebuild with `python -m build`: a build adds its files next to the old ones.',
            )
          : finding('version-mismatch', `different versions: ${valid.map((v) => `${v.where} says ${v.value}`).join(', ')}`),
      ];
    },
  },
  {
    about: 'the tag names the version',
    check: (f) => {
      const version = judgedVersion(f);
      if (f.tag === null || version === null) return [];
      const wanted = tagVersion(f.tag);
      if (sameVersion(wanted, version)) return [];
      const fix = isValid(wanted)
        ? `Run \`fapilog-plugins version ${normalize(wanted)}\`, commit, rebuild and move the tag; or tag the ` +
          `project's version as v${version}.`
        : `Push a tag named after the version, e.g. v${version}.`;
      return [
        finding(
          'tag-mismatch',
          `tag ${f.tag} names version ${isValid(wanted) ? normalize(wanted) : `"${wanted}" (not PEP 440)`}, but ` +
            `the project's version is ${version}`,
          fix,
        ),
      ];
    },
  },
  {
    about: 'a fapilog requirement with a PEP 440 range',
    check: ({ described, fapilog: req }) => {
      if (!described) return [];
      if (!req)
        return [finding('fapilog-requirement-missing', 'no runtime requirement on "fapilog" in Requires-Dist / [project] dependencies')];
      const why = unusableSpecifier(req.specifier);
      if (why === null) return [];
      return [finding('fapilog-specifier-invalid', `"${req.text}": ${why}`)];
    },
  },
  {
    about: 'an upper bound on fapilog',
    check: ({ fapilog: req }) => {
      const spec = usableSpecifier(req);
      return when(spec !== null && !hasUpperBound(spec), () =>
        finding('fapilog-specifier-unbounded', `"fapilog${displaySpecifier(spec as string)}" has no upper bound`),
      );
    },
  },
  {
    about: 'a released fapilog admitted',
    check: ({ fapilog: req, marketplace }) => {
      const spec = usableSpecifier(req);
      const known = marketplace?.fapilogVersions;
      if (spec === null || !known || known.length === 0 || known.some((v) => satisfies(v, spec, { prereleases: true }))) return [];
      const newest = sortVersions(known).at(-1);
      return [
        finding(
          'fapilog-specifier-unsatisfiable',
          `"fapilog${displaySpecifier(spec)}" admits none of the ${known.length} known fapilog releases (newest ${newest})`,
          `Widen the requirement to admit a released fapilog, e.g. "fapilog>=${newest}".`,
        ),
      ];
    },
  },
  {
    // What the marketplace will read from the files (the same check the server makes); a missing
    // or unusable fapilog requirement is said above already, unless the files disagree.
    about: 'the files declare one set of requirements',
    check: (f) => {
      const d = f.declaration;
      if (d === null || d.ok || mixedVersions(f)) return [];
      const said = f.described && usableSpecifier(f.fapilog) === null;
      return when(d.code === 'metadata_mismatch' || !said, () => finding('metadata-mismatch', d.message));
    },
  },
  {
    about: 'entry points in the fapilog groups',
    check: ({ entryPoints }) => {
      if (entryPoints === null) return [];
      const legacy = entryPoints.filter((e) => e.group === LEGACY_GROUP);
      const out = legacy.map((e) =>
        finding('entry-point-legacy-group', `entry point "${e.name} = ${e.value}" is in the legacy "${LEGACY_GROUP}" group`),
      );
      if (pluginTypes(entryPoints).length === 0) {
        const groups = [...new Set(entryPoints.map((e) => e.group))];
        out.push(
          finding(
            'entry-point-missing',
            groups.length === 0 ? 'the wheel has no entry points' : `no entry point in a fapilog group (found: ${groups.join(', ')})`,
            legacy[0]
              ? `Move "${legacy[0].name}" to [project.entry-points."fapilog.sinks"] (or processors, enrichers, redactors, filters).`
              : undefined,
          ),
        );
      }
      return out;
    },
  },
  {
    about: 'a README of its own',
    check: ({ described, fromMetadata, readme }) => {
      if (!described) return [];
      if (readme.from === 'none') {
        return [
          finding(
            'readme-missing',
            fromMetadata ? 'the wheel has no long description and the project has no README' : 'the project has no README',
          ),
        ];
      }
      const markers = templateMarkers(readme.original);
      return [
        ...when(markers.length > 0, () =>
          finding('readme-template', `the README still contains ${markers.map((m) => `"${m}"`).join(' and ')}`),
        ),
        ...insecureImages(readme.original).map((url) =>
          finding(
            'readme-insecure-image',
            `image over plain http: ${url}`,
            `Use ${url.replace(/^http:/i, 'https:')} (if the host serves https) or a relative path.`,
          ),
        ),
      ];
    },
  },
  {
    about: 'a license',
    check: (f) =>
      when(f.described && !f.licenseDeclared, () =>
        finding(
          'license-missing',
          f.fromMetadata
            ? 'the metadata has no License-Expression, License, License-File or license classifier'
            : 'pyproject.toml declares no license',
        ),
      ),
  },
  {
    about: 'a repository URL',
    check: (f) =>
      when(f.described && f.repository === null, () => finding('repository-url-missing', 'no Repository/Source URL in [project.urls]')),
  },
  {
    about: 'the marketplace answered',
    check: ({ marketplace }) =>
      when(Boolean(marketplace?.unreachable), () => finding('marketplace-unreachable', marketplace?.unreachable as string)),
  },
  {
    about: 'a published version never changes',
    check: (f) => {
      const version = judgedVersion(f);
      if (!f.marketplace || f.marketplace.unreachable || version === null) return [];
      const same = findRelease(f.marketplace.releases, version);
      if (!same || publishedIdentically(same, f.files)) return [];
      const theirs = same.files.map((x) => `${x.filename} ${x.sha256.slice(0, 12)}`).join(', ') || 'no files';
      return [
        finding(
          'version-taken',
          `${f.name} ${same.version} is already published with different files (${theirs}); a published version ` +
            `never changes, publish a new version`,
          `Run \`fapilog-plugins version patch\` (or minor/major), rebuild, tag and publish again.`,
        ),
      ];
    },
  },
  {
    about: 'newer than what is published',
    check: (f) => {
      const version = judgedVersion(f);
      if (!f.marketplace || f.marketplace.unreachable || version === null || findRelease(f.marketplace.releases, version)) return [];
      const newest = sortVersions(f.marketplace.releases.map((r: Release) => r.version)).at(-1);
      return when(newest !== undefined && compare(version, newest) < 0, () =>
        finding('version-backport', `${version} is lower than the newest published version ${newest}`),
      );
    },
  },
];

/** The fapilog requirement's specifier when it is a usable PEP 440 range, else null. */
function usableSpecifier(req: FapilogRequirement | null): string | null {
  return req && unusableSpecifier(req.specifier) === null ? req.specifier : null;
}

/** Every rule's findings in table order, errors first (they are what stops the publish). */
export function applyRules(f: PluginFacts, rules: readonly Rule[] = RULES): Finding[] {
  const out = rules.flatMap((r) => r.check(f));
  return out.filter((x) => x.severity === 'error').concat(out.filter((x) => x.severity !== 'error'));
}

/** The findings for what publishing read. */
export function validate(facts: PublishFacts): Finding[] {
  return applyRules(pluginFacts(facts));
}
