/**
 * `update` as a pure planner: move plugin dependencies to the newest release that works with the
 * project's fapilog (the report's `latestCompatible`), editing only the specifier (and `--hash`
 * values) of each requirement. The answer is a set of verified FileChanges, what each one does,
 * what was left alone and why, and the lock commands that refresh the lockfiles. Writing them
 * (disk-writer.ts, or the bot's git tree) and running the lock tools are the caller's business.
 *
 * What gets updated is `isUpdatable` (analysis/updatable.ts), the same rule the summary's "how
 * to fix" and the annotations use. With names, only those plugins, and asking for one that needs
 * nothing is said, not an error.
 */
import {
  entryEnvironments,
  entryFapilog,
  type PluginEntry,
  type Report,
  type ReportPublisherChange,
  type Status,
} from '../analysis/report.ts';
import { notUpdatable } from '../analysis/updatable.ts';
import { compareVersions, sameVersion } from '../analysis/versions.ts';
import { CoreError } from '../errors.ts';
import type { BatchEntry } from '../marketplace/schemas.ts';
import { packageName } from '../names.ts';
import { lockCommand } from '../python/formats.ts';
import { applyEdits, planHashes, planSpecifier, type Edit } from '../python/rewrite.ts';
import type { RangeStrategy } from '../python/strategies.ts';
import type { Dependency, Environment, ManifestKind, ProjectScan } from '../python/types.ts';
import { environmentsByFile, scanEnvironments } from '../analysis/environments.ts';
import { verifyManifestEdit, type Expectation } from '../python/verify.ts';
import { fileChange } from './changes.ts';
import { checkProject, type CheckOptions, type CheckResult } from './check.ts';
import type { ScannedProject } from '../python/scan.ts';
import type { FileChange, ProjectFiles } from '../files.ts';
import type { PluginLookup } from './lookup.ts';

export interface PlannedChange {
  package: string;
  file: string;
  line: number;
  section: string;
  status: Status;
  current: string | null;
  target: string;
  /** The constraint as written before and after (equal when it already admits the target: only the lockfile moves). */
  from: string;
  to: string;
  /** `--hash` values were replaced with the target release's sha256 values. */
  hashesReplaced: boolean;
  /** The target was published by someone else than the current release (the pull request body warns). */
  publisherChange?: ReportPublisherChange | null;
  /** The target is older than the current release: only to leave an incompatible or yanked one (said so). */
  downgrade?: boolean | undefined;
  /** The environments that install the requirement (report.environments[].dir). */
  environments?: string[] | undefined;
}

export interface SkippedChange {
  package: string;
  file: string;
  line: number;
  reason: string;
}

/** A lock tool to run after the manifests changed (lockfiles are never edited by hand). */
export interface LockPlan {
  /** Project-relative lockfile path. */
  lockfile: string;
  /** Project-relative folder to run it in ('' for the root). */
  directory: string;
  command: string;
  args: string[];
  /** The command line as shown to a user. */
  display: string;
}

export interface UpdatePlan {
  report: Report;
  strategy: RangeStrategy;
  /** One verified change per edited manifest, in project order. */
  changes: FileChange[];
  planned: PlannedChange[];
  skipped: SkippedChange[];
  lock: LockPlan[];
}

interface Scope {
  /** Plugins to update (short or package names); empty or absent: every updatable one. */
  names?: readonly string[] | undefined;
  /**
   * Only requirements installed into exactly these environments (their directories, comma-joined
   * as `environmentKey` gives them): the bot's pull request per service.
   */
  environment?: string | undefined;
  strategy?: RangeStrategy | undefined;
}

/** The plan over a check already made, or over one it makes with these options. */
export type PlanUpdateOptions = Scope & ({ check: CheckResult } | CheckOptions);

/** The environments of an entry as one key (`services/api`, or `services/a,services/b` for a shared file). */
export function environmentKey(entry: Pick<PluginEntry, 'environments'>): string {
  return entryEnvironments(entry as PluginEntry).join(',');
}

/** The lock commands for these lockfiles (one environment's) after these packages changed: one per lockfile. */
export function lockPlans(lockfiles: readonly string[], packages: readonly string[]): LockPlan[] {
  const names = [...new Set(packages)];
  if (names.length === 0) return [];
  return [...new Set(lockfiles)].map((lockfile) => {
    const slash = lockfile.lastIndexOf('/');
    return { lockfile, directory: slash < 0 ? '' : lockfile.slice(0, slash), ...lockCommand(lockfile, names) };
  });
}

/**
 * Lock refreshes after planned changes: one command per environment lockfile, run in its
 * directory, naming only the packages that changed in that environment's manifests.
 */
export function environmentLockPlans(scan: ProjectScan, changed: ReadonlyArray<{ package: string; file: string }>): LockPlan[] {
  const envsOf = environmentsByFile(scanEnvironments(scan));
  const byEnv = new Map<Environment, string[]>();
  for (const c of changed) {
    for (const env of envsOf.get(c.file) ?? []) byEnv.set(env, [...(byEnv.get(env) ?? []), c.package]);
  }
  return [...byEnv].flatMap(([env, packages]) => lockPlans(env.lockfiles, packages));
}

interface FileWork {
  file: string;
  kind: ManifestKind;
  edits: Edit[];
  expect: Expectation[];
}

/** One requirement to move to one version: what the planner below turns into edits. */
export interface EditRequest {
  dependency: Dependency;
  target: string;
  strategy: RangeStrategy;
  /**
   * sha256 values of the target's files, for a requirement with `--hash` options; null when the
   * marketplace lists none (such a requirement is then skipped, not half-updated).
   */
  sha256?: readonly string[] | null | undefined;
  /** For the planned-change record (defaults: the dependency's name, `outdated`, no current version). */
  package?: string | undefined;
  status?: Status | undefined;
  current?: string | null | undefined;
  /** Carried to the planned change (the report entry's, when it is about this target). */
  publisherChange?: ReportPublisherChange | null | undefined;
  downgrade?: boolean | undefined;
  environments?: string[] | undefined;
}

/**
 * The specifier (and hash) edits for a set of requirements, grouped into one verified change per
 * manifest. Pure: the scanned project and the requests in. A request that cannot be done (an
 * ignored requirement, a URL, `!=` excluding the target, no hashes to write) is skipped with the
 * reason; a change that does not read back as planned throws `edit-rejected`.
 */
export function planEdits(scan: ScannedProject, requests: readonly EditRequest[]): Pick<UpdatePlan, 'changes' | 'planned' | 'skipped'> {
  const work = new Map<string, FileWork>();
  const planned: PlannedChange[] = [];
  const skipped: SkippedChange[] = [];
  for (const req of requests) {
    const dep = req.dependency;
    const pkg = req.package ?? dep.name;
    const at = { package: pkg, file: dep.location.file, line: dep.location.line };
    const source = scan.sources.get(dep.location.file);
    if (!source) {
      skipped.push({ ...at, reason: 'the manifest could not be read again' });
      continue;
    }
    let plan;
    try {
      plan = planSpecifier(dep, req.target, req.strategy);
    } catch (err) {
      skipped.push({ ...at, reason: (err as Error).message });
      continue;
    }
    const edits: Edit[] = plan.edit ? [plan.edit] : [];
    let hashes: string[] | undefined;
    // Any --hash option counts, sha512 or unreadable ones too: left beside a new version they
    // would make `pip install --require-hashes` fail; they are all replaced with sha256 values.
    if (dep.hashSpan !== null) {
      const sha = req.sha256 ?? [];
      if (sha.length === 0) {
        skipped.push({
          ...at,
          reason: `the marketplace lists no files (sha256) for ${pkg} ${req.target}, so its --hash lines cannot be replaced`,
        });
        continue;
      }
      let hashEdit;
      try {
        hashEdit = planHashes(dep, source.text, sha);
      } catch (err) {
        skipped.push({ ...at, reason: (err as Error).message });
        continue;
      }
      if (hashEdit) {
        edits.push(hashEdit);
        hashes = sha.map((h) => h.toLowerCase());
      }
    }
    const manifest = scan.manifests.find((m) => m.file === dep.location.file);
    const fileWork = work.get(dep.location.file) ?? { file: dep.location.file, kind: manifest?.kind ?? dep.kind, edits: [], expect: [] };
    fileWork.edits.push(...edits);
    // Re-read on its own, an included requirements file has the section `requirements`.
    const section = fileWork.kind === 'requirements' ? 'requirements' : dep.section;
    // `at` tells this entry from another of the same name in the section (split by markers).
    if (edits.length > 0) fileWork.expect.push({ name: dep.name, section, rawSpecifier: plan.to, hashes, at: dep.location.start });
    work.set(dep.location.file, fileWork);
    planned.push({
      ...at,
      section: dep.section,
      status: req.status ?? 'outdated',
      current: req.current ?? null,
      target: req.target,
      from: plan.from,
      to: plan.to,
      hashesReplaced: hashes !== undefined,
      publisherChange: req.publisherChange ?? null,
      ...(req.downgrade ? { downgrade: true } : {}),
      ...(req.environments ? { environments: req.environments } : {}),
    });
  }

  const changes: FileChange[] = [];
  for (const w of work.values()) {
    if (w.edits.length === 0) continue;
    const source = scan.sources.get(w.file);
    if (!source) continue;
    let after: string;
    try {
      after = applyEdits(source.text, w.edits);
    } catch (err) {
      throw new CoreError('edit-rejected', `refusing to change ${w.file}: ${(err as Error).message}`, { files: [w.file], cause: err });
    }
    const problem = verifyManifestEdit(w.file, w.kind, source.text, after, { changed: w.expect });
    if (problem !== null) {
      throw new CoreError('edit-rejected', `refusing to change ${w.file}: ${problem}`, { files: [w.file] });
    }
    changes.push(fileChange(source, after, w.edits));
  }
  return { changes, planned, skipped };
}

export async function planUpdate(opts: PlanUpdateOptions): Promise<UpdatePlan> {
  const check = 'check' in opts ? opts.check : await checkProject(opts);
  const strategy = opts.strategy ?? 'auto';
  const { report, scan, entries } = check;

  if (scan.invalid.length > 0) {
    // Updating around a manifest that does not parse would say "nothing to update" and hide it.
    throw new CoreError('invalid-manifest', scan.invalid.map((i) => `${i.file}: ${i.reason}`).join('; '), {
      files: scan.invalid.map((i) => i.file),
    });
  }

  const wanted = new Set((opts.names ?? []).map((n) => packageName(n)));
  const present = new Set(report.plugins.map((p) => p.package));
  const missing = [...wanted].filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new CoreError(
      'unknown-plugin',
      `${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is not a plugin dependency' : 'are not plugin dependencies'} of this project ` +
        `(or ignored)`,
      { subject: missing.join(', ') },
    );
  }

  const byPackage = new Map<string, BatchEntry | null>();
  for (const [k, v] of Object.entries(check.plugins)) if (v || !byPackage.has(packageName(k))) byPackage.set(packageName(k), v);

  const skippedEarly: SkippedChange[] = [];
  const requests: EditRequest[] = [];
  for (const { entry, dependency } of entries) {
    if (wanted.size > 0 && !wanted.has(entry.package)) continue;
    if (opts.environment !== undefined && environmentKey(entry) !== opts.environment) continue;
    const at = { package: entry.package, file: entry.location.file, line: entry.location.line };
    const why = notUpdatable(entry, entryFapilog(report, entry).version);
    const target = entry.latestCompatible;
    if (why !== null || target === null) {
      if (why && (wanted.size > 0 || why.needsAttention)) skippedEarly.push({ ...at, reason: why.reason });
      continue;
    }
    // Never backwards from a release that works: only off an incompatible or yanked one.
    const downgrade = entry.current !== null && compareVersions(target, entry.current) < 0;
    if (downgrade && entry.status !== 'incompatible' && entry.status !== 'yanked' && entry.status !== 'vulnerable') {
      skippedEarly.push({ ...at, reason: `${target} is older than ${entry.current}, which works; not downgraded` });
      continue;
    }
    const release = byPackage.get(entry.package)?.releases.find((r) => sameVersion(r.version, target));
    requests.push({
      dependency,
      target,
      strategy,
      sha256: release?.files.map((f) => f.sha256) ?? null,
      package: entry.package,
      status: entry.status,
      current: entry.current,
      publisherChange: entry.publisherChange && sameVersion(entry.publisherChange.version, target) ? entry.publisherChange : null,
      downgrade,
      environments: entry.environments,
    });
  }
  const { changes, planned, skipped } = planEdits(scan, requests);
  const lock = environmentLockPlans(scan, planned);
  // Skips in report order, as the user reads the report.
  const order = new Map(entries.map((e, i) => [`${e.entry.location.file}:${e.entry.location.line}:${e.entry.package}`, i]));
  const allSkipped = [...skippedEarly, ...skipped].sort(
    (a, b) => (order.get(`${a.file}:${a.line}:${a.package}`) ?? 0) - (order.get(`${b.file}:${b.line}:${b.package}`) ?? 0),
  );
  return { report, strategy, changes, planned, skipped: allSkipped, lock };
}
