/**
 * `install <name>[==version]` as a pure planner: the change that adds a plugin to the project's
 * main manifest (or a group) with a specifier that admits a release compatible with the
 * project's fapilog, or a refusal (InstallRefused) that says why.
 *
 * What is written, like the tools users compare us with (`uv add`, `poetry add`): `>=X` (Poetry
 * `^X`) for the newest compatible release, `==X` when a version was asked for, and `==X` plus
 * every file's `--hash` in a requirements file that already uses hashes (pip's hash mode needs
 * exact pins). When a newer release already needs another fapilog than the project's, the range
 * gets an upper bound below it (`>=2.1.0,<3`, or `<2.1.0` when it is not a major bump). Where it
 * goes is `chooseTarget` (python/insert.ts), what is written there the target syntax's `install`
 * (SPECIFIER_SYNTAXES), how it is added the format's `add` (MANIFEST_FORMATS); which release is
 * `chooseRelease` (analysis/choose-release.ts).
 */
import { chooseRelease, parseInstallRequest, upperCap, type UpperCap } from '../analysis/choose-release.ts';
import type { FapilogInfo } from '../analysis/fapilog-version.ts';
import { installPublisherChange, publisherWarning } from '../analysis/publisher.ts';
import type { ReportPublisherChange } from '../analysis/report.ts';
import { compareVersions } from '../analysis/versions.ts';
import { CoreError, InstallRefused } from '../errors.ts';
import type { Release } from '../marketplace/schemas.ts';
import { isPluginPackage } from '../names.ts';
import { manifestFormat } from '../python/formats.ts';
import { chooseTarget, type InstallTarget } from '../python/insert.ts';
import { SPECIFIER_SYNTAXES } from '../python/strategies.ts';
import { scanFiles } from '../python/scan.ts';
import { scanEnvironments } from '../analysis/environments.ts';
import { TomlSyntaxError } from '../python/toml.ts';
import { verifyManifestEdit } from '../python/verify.ts';
import { fileChange } from './changes.ts';
import type { FileChange, ProjectFiles } from '../files.ts';
import type { PluginLookup } from './lookup.ts';
import { lockPlans, type LockPlan } from './plan-update.ts';

export interface PlanInstallOptions {
  files: ProjectFiles;
  lookup: PluginLookup;
  /** `loki`, `fapilog-loki` or `fapilog-loki==1.4.0`. */
  requirement: string;
  group?: string | undefined;
  fapilogVersion?: string | null | undefined;
  /** Where the answers come from, so a refusal names it (absent: "the marketplace"). */
  source?: { url: string; kind?: 'marketplace' | 'index' | undefined } | undefined;
}

export interface InstallPlan {
  package: string;
  version: string;
  fapilog: FapilogInfo;
  /** Manifest path relative to the project root, and the table or file section written. */
  file: string;
  section: string;
  /** Exactly what was added (a requirements line may carry `--hash` continuation lines). */
  added: string;
  /** The one verified change (also as `changes`, the shape every writer takes). */
  change: FileChange;
  changes: FileChange[];
  /** Lock tools that refresh the project's lockfiles (never hand-edited). */
  lock: LockPlan[];
  /** The upper bound added to the range, and why; null when the range is open or a pin was written. */
  cap: UpperCap | null;
  /** The chosen release has another publisher than the release before it (also in `warnings`). */
  publisherChange: ReportPublisherChange | null;
  warnings: string[];
}

function invalidManifest(file: string, err: unknown): never {
  throw new CoreError('invalid-manifest', `${file}: ${(err as Error).message}`, { files: [file], cause: err });
}

export async function planInstall(opts: PlanInstallOptions): Promise<InstallPlan> {
  const request = parseInstallRequest(opts.requirement);
  if (!isPluginPackage(request.package)) throw new InstallRefused('bad-request', `${request.package} is not a fapilog plugin name`);
  const scan = await scanFiles(opts.files);
  const pyprojectSource = scan.sources.get('pyproject.toml');
  const existing = new Set(scan.manifests.map((m) => m.file));
  let target: InstallTarget;
  try {
    target = chooseTarget({ pyproject: pyprojectSource?.text, existing }, opts.group);
  } catch (err) {
    if (err instanceof TomlSyntaxError) invalidManifest('pyproject.toml', err);
    throw err;
  }

  const manifest = scan.manifests.find((m) => m.file === target.file);
  const source = scan.sources.get(target.file);
  if (!manifest || !source) invalidManifest(target.file, new Error('was found but could not be read'));
  const present = manifest.dependencies.find(
    (d) => d.name === request.package && (target.kind === 'requirements' || d.section === target.section),
  );
  if (present) {
    throw new InstallRefused(
      'already-present',
      `${request.package} is already in ${present.location.file}:${present.location.line} ` +
        `(${present.location.text.trim()}); use \`update\` to change its version`,
    );
  }

  const [plugins, fapilogVersions] = await Promise.all([opts.lookup.batch([request.package]), opts.lookup.fapilogVersions()]);
  const entry = plugins[request.package] ?? Object.values(plugins).find((v) => v !== null) ?? null;
  // Judged in the environment the manifest installs into: its fapilog, its pins, its lockfiles.
  const env = scanEnvironments(scan).find((e) => e.manifests.includes(target.file));
  const envScan = env
    ? {
        ...scan,
        manifests: scan.manifests.filter((m) => env.manifests.includes(m.file)),
        locked: env.locked,
        lockfiles: env.lockfiles,
        environments: [env],
      }
    : scan;
  const { release, fapilog, warnings } = chooseRelease(
    request,
    entry,
    envScan,
    fapilogVersions,
    opts.fapilogVersion ?? undefined,
    opts.source,
  );

  const before = source.text;
  // pip's hash-checking mode (only requirements files carry hashes): a new line needs them too.
  const hashMode = manifest.dependencies.some((d) => d.hashes.length > 0);
  // Not for an unknown fapilog (not a dependency): the resolver is free to pick fapilog too.
  const wantedCap = fapilog.source === 'unknown' ? null : upperCap(entry?.releases ?? [], release, fapilog.version);
  const written = SPECIFIER_SYNTAXES[target.syntax].install!({
    package: request.package,
    version: release.version,
    pin: request.version !== null,
    below: wantedCap?.below ?? null,
    hashes: hashMode ? release.files.map((f) => f.sha256) : null,
  });
  const added = written.text;
  const cap = written.capped ? wantedCap : null;
  let after: string;
  try {
    after = manifestFormat(manifest.kind).add!(before, target, request.package, added);
  } catch (err) {
    if (err instanceof TomlSyntaxError) invalidManifest(target.file, err);
    throw new CoreError('edit-rejected', `cannot add ${request.package} to ${target.file}: ${(err as Error).message}`, {
      files: [target.file],
      cause: err,
    });
  }

  // Re-read the new text the way `scan` would: the plugin is now in the chosen section with the
  // written specifier, and every other requirement reads back as before.
  const problem = verifyManifestEdit(target.file, manifest.kind, before, after, {
    added: [
      {
        name: request.package,
        section: target.section,
        rawSpecifier: written.specifier,
        hashes: hashMode ? release.files.map((f) => f.sha256.toLowerCase()) : undefined,
      },
    ],
  });
  if (problem) throw new CoreError('edit-rejected', `refusing to change ${target.file}: ${problem}`, { files: [target.file] });

  const change = fileChange(source, after);
  const publisherChange = installPublisherChange(release, entry?.releases ?? []);
  return {
    package: request.package,
    version: release.version,
    fapilog,
    file: target.file,
    section: target.section,
    added,
    change,
    changes: [change],
    lock: lockPlans(envScan.lockfiles, [request.package]),
    cap,
    publisherChange,
    warnings: publisherChange ? [publisherWarning(request.package, publisherChange, 'install'), ...warnings] : warnings,
  };
}
