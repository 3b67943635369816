/**
 * Reads a plugin project and its built files into a PublishPlan: the metadata and files the
 * marketplace will receive (each with size and sha256) and every finding. The CLI and the Action
 * both print a plan and send it with the same client call (execute.ts).
 */
import type { PluginType, PublishMetadataInput, Release, VersionsResponse } from '../marketplace/schemas.ts';
import { normalizeName, shortName } from '../names.ts';
import type { ProjectFiles } from '../files.ts';
import { isValid, normalize } from '../pep440/index.ts';
import { ArtifactError, parseEntryPoints, readDist, readSdist, readWheel, wheelRecordProblem, type ArtifactFile } from './artifacts.ts';
import { releaseDeclaration } from './declared.ts';
import { failingFindings, type Finding } from './findings.ts';
import { isExtraOnly, parseCoreMetadata, parseRequirement, type CoreMetadata } from './metadata.ts';
import { ProjectError, readProject, readProjectReadme, type PluginProject } from './project.ts';
import { extractReadme, type ExtractedReadme } from './readme.ts';
import { validate } from './rules.ts';
import {
  DEFAULT_MAX_FILE_SIZE,
  displaySpecifier,
  fapilogRequirement,
  findRelease,
  homepageUrl,
  licenseOf,
  pluginTypes,
  publishedIdentically,
  releaseIdentity,
  repositoryUrl,
  type MarketplaceFacts,
  type PublishFacts,
  type ReadSdist,
  type ReadWheel,
} from './validate.ts';

/** The marketplace calls publishing makes; MarketplaceClient has them all. */
export interface PublishLookups {
  versions(name: string): Promise<VersionsResponse | null>;
  fapilogVersions(): Promise<string[]>;
}

export interface PrepareOptions {
  /** The plugin project: pyproject.toml, the files it names, the LICENSE files at its root. */
  project: ProjectFiles;
  /** The built files (disk-plugin.ts: a dist directory). */
  dist: ProjectFiles;
  /** The tag being published (`v1.2.0` or `refs/tags/v1.2.0`); null/undefined when not from a tag. */
  tag?: string | null | undefined;
  /** Asked for published versions and known fapilog releases; null skips those checks. */
  client?: PublishLookups | null | undefined;
  maxFileSize?: number | undefined;
  /** Where the project sits inside its repository, for README links ('' = root). */
  subdirectory?: string | undefined;
}

export interface PlanFile {
  filename: string;
  kind: 'wheel' | 'sdist';
  size: number;
  sha256: string;
  data: Uint8Array;
}

export interface PublishPlan {
  /** The labels of the project and of its built files (on disk: their directories). */
  projectDir: string;
  distDir: string;
  /** The distribution name as built (`fapilog-stdout-json`), null when nothing names it. */
  package: string | null;
  /** The marketplace name (`stdout-json`). */
  name: string | null;
  version: string | null;
  /** The tag being published, or the tag to push (`v<version>`) when none was given. */
  tag: string | null;
  tagGiven: boolean;
  pluginType: PluginType | null;
  /** What client.publish receives; null when the files cannot describe a release at all. */
  metadata: PublishMetadataInput | null;
  files: PlanFile[];
  /** Files in the dist directory that are not published (not a wheel or sdist). */
  ignored: string[];
  findings: Finding[];
  readme: ExtractedReadme;
  /** The marketplace already has this version with exactly these files. */
  alreadyPublished: boolean;
  /** The marketplace's releases of this plugin, as asked before publishing ([] when not asked). */
  publishedVersions: string[];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice|authors)(\.|-|$)/i;

async function projectLicenseFiles(files: ProjectFiles): Promise<string[]> {
  return (await files.list())
    .map((e) => e.path)
    .filter((f) => !f.includes('/') && LICENSE_FILE.test(f))
    .sort();
}

async function marketplaceFacts(client: PublishLookups, name: string): Promise<MarketplaceFacts> {
  try {
    const [fapilogVersions, versions] = await Promise.all([client.fapilogVersions(), client.versions(name)]);
    return { unreachable: null, fapilogVersions, releases: versions?.releases ?? [] };
  } catch (err) {
    return { unreachable: `could not ask the marketplace: ${(err as Error).message.split('\n')[0]}`, fapilogVersions: null, releases: [] };
  }
}

function authorOf(meta: CoreMetadata | null, project: PluginProject | null): string {
  if (meta?.author?.trim()) return meta.author.trim();
  const fromEmail = meta?.authorEmail
    ?.split(',')
    .map((a) =>
      a
        .trim()
        .replace(/\s*<[^>]*>$/, '')
        .replace(/^"|"$/g, ''),
    )
    .filter((a) => a !== '' && !a.includes('@'));
  if (fromEmail && fromEmail.length > 0) return fromEmail.join(', ');
  const names = project?.project.authors.map((a) => a.name).filter((n): n is string => Boolean(n)) ?? [];
  return names.length > 0 ? names.join(', ') : 'Unknown';
}

function runtimeDependencies(requirements: readonly string[]): string[] {
  return requirements.filter((text) => {
    const req = parseRequirement(text);
    return req !== null && !isExtraOnly(req) && normalizeName(req.name) !== 'fapilog';
  });
}

export async function preparePublish(opts: PrepareOptions): Promise<PublishPlan> {
  let project: PluginProject | null = null;
  let projectError: string | null = null;
  try {
    project = await readProject(opts.project);
  } catch (err) {
    if (!(err instanceof ProjectError)) throw err;
    projectError = err.message;
  }

  const { files, ignored } = await readDist(opts.dist);
  const wheels: ReadWheel[] = [];
  const sdists: ReadSdist[] = [];
  const unreadable: Array<{ filename: string; message: string }> = [];
  for (const file of files) {
    try {
      if (file.kind === 'wheel') {
        const w = readWheel(file.filename, file.data);
        wheels.push({
          file,
          metadata: parseCoreMetadata(w.metadataText),
          entryPoints: w.entryPointsText ? parseEntryPoints(w.entryPointsText) : [],
          recordProblem: wheelRecordProblem(file.filename, file.data),
        });
      } else {
        const s = await readSdist(file.filename, file.data);
        sdists.push({ file, metadata: parseCoreMetadata(s.pkgInfoText) });
      }
    } catch (err) {
      const message =
        err instanceof ArtifactError ? err.message : `${file.filename}: metadata is unreadable (${(err as Error).message.split('\n')[0]})`;
      unreadable.push({ filename: file.filename, message });
    }
  }

  const { meta, name: pkg, version } = releaseIdentity({ project, wheels, sdists });
  const givenTag = opts.tag ? opts.tag.replace(/^refs\/tags\//, '') : null;
  const tag = givenTag ?? (version !== null && isValid(version) ? `v${normalize(version)}` : null);
  const repository = repositoryUrl(meta, project);

  const readmeFile = meta?.description.trim() ? null : await readProjectReadme(project, opts.project);
  const readme = extractReadme(
    {
      metadataDescription: meta?.description ?? '',
      metadataContentType: meta?.descriptionContentType ?? null,
      file: readmeFile ? { text: readmeFile.text, contentType: readmeFile.contentType, name: readmeFile.file } : null,
    },
    repository && tag ? { repository, ref: tag, subdirectory: opts.subdirectory ?? '' } : null,
  );

  const marketplace = opts.client && pkg ? await marketplaceFacts(opts.client, shortName(pkg)) : null;
  const facts: PublishFacts = {
    project,
    projectError,
    files,
    wheels,
    sdists,
    unreadable,
    tag: givenTag,
    readme,
    projectLicenseFiles: await projectLicenseFiles(opts.project),
    marketplace,
    maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
  };
  const findings = validate(facts);

  const entryPoints = wheels[0]?.entryPoints ?? [];
  const pluginType = pluginTypes(entryPoints)[0] ?? null;
  const requirements = meta?.requiresDist ?? project?.project.dependencies ?? [];
  const fapilog = fapilogRequirement(requirements);
  const planFiles: PlanFile[] = files.map((f: ArtifactFile) => ({
    filename: f.filename,
    kind: f.kind,
    size: f.size,
    sha256: f.sha256,
    data: f.data,
  }));
  // What the marketplace reads from the files; the JSON says the same (the server compares).
  const truth = releaseDeclaration(
    wheels.map((w) => ({ filename: w.file.filename, metadata: w.metadata })),
    sdists.map((s) => ({ filename: s.file.filename, metadata: s.metadata })),
  );
  const canDescribe = pkg !== null && version !== null && pluginType !== null && fapilog?.specifier && planFiles.length > 0;
  const metadata: PublishMetadataInput | null = canDescribe
    ? {
        name: shortName(pkg),
        version,
        description: meta?.summary.trim() || readme.summary,
        author: authorOf(meta, project),
        plugin_type: pluginType,
        license: licenseOf(meta, project) ?? 'Unknown',
        homepage: homepageUrl(meta, project),
        repository,
        fapilog_compatibility:
          truth.ok && truth.value.fapilog_compatibility ? truth.value.fapilog_compatibility : displaySpecifier(fapilog.specifier as string),
        requires_python: truth.ok ? truth.value.requires_python : (meta?.requiresPython ?? project?.project['requires-python'] ?? null),
        dependencies: truth.ok ? truth.value.dependencies : runtimeDependencies(requirements),
        readme: readme.text,
        files: planFiles.map((f) => ({ filename: f.filename, sha256: f.sha256 })),
      }
    : null;

  const releases: Release[] = marketplace?.releases ?? [];
  return {
    projectDir: opts.project.label,
    distDir: opts.dist.label,
    package: pkg === null ? null : normalizeName(pkg),
    name: pkg === null ? null : shortName(pkg),
    version,
    tag,
    tagGiven: givenTag !== null,
    pluginType,
    metadata,
    files: planFiles,
    ignored,
    findings,
    readme,
    alreadyPublished: version !== null && publishedIdentically(findRelease(releases, version), files),
    publishedVersions: releases.map((r) => r.version),
  };
}

/** Findings that stop the publish: every error, and warnings too under strict. */
export function blockingFindings(plan: PublishPlan, strict: boolean): Finding[] {
  return failingFindings(plan.findings, strict);
}
