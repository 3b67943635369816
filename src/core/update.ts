/**
 * `update`: move plugin dependencies to the newest release that works with the project's fapilog
 * (the report's `latestCompatible`), editing only the specifier (and `--hash` values) of each
 * requirement, writing each manifest atomically, and saying which lock command refreshes the
 * lockfiles, or running it with `lock`.
 *
 * What gets updated: dependencies whose status is outdated, incompatible or yanked and that have
 * a compatible release to move to. Held-back ones are already on their newest compatible release;
 * unknown ones have nothing to move to. With names, only those plugins (and asking for one that
 * needs nothing is said, not an error).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pluginDependencies } from './analysis/build-report.ts';
import { unifiedDiff } from './analysis/diff.ts';
import type { PluginEntry, Report, Status } from './analysis/report.ts';
import { sameVersion } from './analysis/versions.ts';
import { checkProjectDetailed } from './check.ts';
import type { MarketplaceClient } from './marketplace/client.ts';
import type { BatchEntry } from './marketplace/schemas.ts';
import { normalizeName, packageName } from './names.ts';
import { writeManifestAtomically, expectSpecifier, type ManifestVerifier } from './python/atomic.ts';
import { lockCommand } from './python/lockfiles.ts';
import { applyEdits, planHashes, planSpecifier, type Edit } from './python/rewrite.ts';
import type { RangeStrategy } from './python/strategies.ts';
import type { Dependency } from './python/types.ts';

/** Statuses that `update` acts on. */
export const UPDATABLE: readonly Status[] = ['outdated', 'incompatible', 'yanked'];

export interface UpdateOptions {
  root: string;
  client: MarketplaceClient;
  /** Plugins to update (short or package names); empty or absent: every updatable one. */
  names?: string[] | undefined;
  strategy?: RangeStrategy | undefined;
  dryRun?: boolean | undefined;
  /** Run the lock tools (when on PATH) after writing. */
  lock?: boolean | undefined;
  fapilogVersion?: string | undefined;
  ignore?: string[] | undefined;
  /** Environment for finding and running the lock tools (PATH). */
  env?: NodeJS.ProcessEnv | undefined;
}

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
}

export interface SkippedChange {
  package: string;
  file: string;
  line: number;
  reason: string;
}

export interface LockStep {
  lockfile: string;
  command: string;
  /** Whether it was run (only with `lock`, not in a dry run, and when the tool is on PATH). */
  ran: boolean;
  ok: boolean | null;
  /** Why it did not run, or the tool's output when it failed. */
  message: string | null;
}

export interface UpdateResult {
  report: Report;
  strategy: RangeStrategy;
  changes: PlannedChange[];
  skipped: SkippedChange[];
  /** One unified diff per changed manifest. */
  files: Array<{ file: string; diff: string }>;
  written: boolean;
  lock: LockStep[];
}

/** A name the user asked for that the project does not use as a plugin dependency. */
export class UpdateNameError extends Error {
  override name = 'UpdateNameError';
}

interface FileWork {
  file: string;
  edits: Edit[];
  verifiers: ManifestVerifier[];
}

function sameDependency(dep: Dependency, entry: PluginEntry): boolean {
  return (
    dep.location.file === entry.location.file &&
    dep.location.line === entry.location.line &&
    dep.location.column === entry.location.column &&
    normalizeName(dep.name) === entry.package
  );
}

function hashesVerifier(name: string, section: string, expected: readonly string[]): ManifestVerifier {
  return (_text, reread) => {
    const dep = reread.dependencies.find((d) => d.name === name && d.section === section && d.hashes.length > 0);
    if (!dep) return `${name} has no --hash values after the edit`;
    const got = [...dep.hashes].map((h) => h.replace(/^sha256:/, '').toLowerCase()).sort();
    const want = [...expected].map((h) => h.toLowerCase()).sort();
    return got.join(',') === want.join(',') ? null : `${name} hashes read back as ${got.join(', ')}`;
  };
}

function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return dirs.some((d) =>
    exts.some((e) => {
      try {
        accessSync(path.join(d, command + e), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

const execFileAsync = promisify(execFile);

export async function updatePlugins(opts: UpdateOptions): Promise<UpdateResult> {
  const strategy = opts.strategy ?? 'auto';
  const root = path.resolve(opts.root);
  const baseDir = statSync(root).isFile() ? path.dirname(root) : root;
  const { report, scan, plugins } = await checkProjectDetailed({
    root,
    client: opts.client,
    fapilogVersion: opts.fapilogVersion,
    ignore: opts.ignore,
  });

  const wanted = new Set((opts.names ?? []).map((n) => packageName(n)));
  const present = new Set(report.plugins.map((p) => p.package));
  const missing = [...wanted].filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new UpdateNameError(`${missing.join(', ')} ${missing.length === 1 ? 'is not a plugin dependency' : 'are not plugin dependencies'} of this project (or ignored)`);
  }

  const byPackage = new Map<string, BatchEntry | null>();
  for (const [k, v] of Object.entries(plugins)) if (v || !byPackage.has(packageName(k))) byPackage.set(packageName(k), v);

  const deps = pluginDependencies(scan, opts.ignore ?? []).included;
  const texts = new Map<string, string>();
  const work = new Map<string, FileWork>();
  const changes: PlannedChange[] = [];
  const skipped: SkippedChange[] = [];

  for (const entry of report.plugins) {
    if (wanted.size > 0 && !wanted.has(entry.package)) continue;
    const at = { package: entry.package, file: entry.location.file, line: entry.location.line };
    if (!UPDATABLE.includes(entry.status)) {
      if (wanted.size > 0) skipped.push({ ...at, reason: `${entry.status}: ${entry.note}` });
      continue;
    }
    const target = entry.latestCompatible;
    if (target === null) {
      skipped.push({ ...at, reason: `no release works with fapilog ${report.fapilog.version ?? '(unknown)'}` });
      continue;
    }
    const dep = deps.find((d) => sameDependency(d, entry));
    if (!dep) {
      skipped.push({ ...at, reason: 'the requirement could not be found again in the scan' });
      continue;
    }
    let text = texts.get(dep.location.file);
    if (text === undefined) {
      text = await readFile(path.join(baseDir, dep.location.file), 'utf8');
      texts.set(dep.location.file, text);
    }
    let plan;
    try {
      plan = planSpecifier(dep, target, strategy);
    } catch (err) {
      skipped.push({ ...at, reason: (err as Error).message });
      continue;
    }
    const fileWork = work.get(dep.location.file) ?? { file: dep.location.file, edits: [], verifiers: [] };
    if (plan.edit) {
      fileWork.edits.push(plan.edit);
      fileWork.verifiers.push(expectSpecifier(dep.name, plan.to, dep.section));
    }
    let hashesReplaced = false;
    if (dep.hashes.length > 0) {
      const release = byPackage.get(entry.package)?.releases.find((r) => sameVersion(r.version, target));
      const sha = release?.files.map((f) => f.sha256) ?? [];
      if (sha.length === 0) {
        skipped.push({ ...at, reason: `the marketplace lists no files (sha256) for ${entry.package} ${target}, so its --hash lines cannot be replaced` });
        if (plan.edit) {
          fileWork.edits.pop();
          fileWork.verifiers.pop();
        }
        continue;
      }
      const hashEdit = planHashes(dep, text, sha);
      if (hashEdit) {
        fileWork.edits.push(hashEdit);
        fileWork.verifiers.push(hashesVerifier(dep.name, dep.section, sha));
        hashesReplaced = true;
      }
    }
    work.set(dep.location.file, fileWork);
    changes.push({
      ...at,
      section: dep.section,
      status: entry.status,
      current: entry.current,
      target,
      from: plan.from,
      to: plan.to,
      hashesReplaced,
    });
  }

  const files: Array<{ file: string; diff: string }> = [];
  const pending: Array<{ abs: string; text: string; verify: ManifestVerifier }> = [];
  for (const w of work.values()) {
    if (w.edits.length === 0) continue;
    const before = texts.get(w.file) ?? '';
    const after = applyEdits(before, w.edits);
    files.push({ file: w.file, diff: unifiedDiff(w.file, before, after) });
    const verifiers = w.verifiers;
    pending.push({
      abs: path.join(baseDir, w.file),
      text: after,
      verify: (t, reread) => verifiers.map((v) => v(t, reread)).find((p) => p !== null) ?? null,
    });
  }

  const dryRun = opts.dryRun ?? false;
  if (!dryRun) {
    // Each file is replaced whole or not at all; a failed check leaves that file as it was.
    for (const p of pending) await writeManifestAtomically(p.abs, p.text, p.verify);
  }

  const lock: LockStep[] = [];
  const changedPackages = [...new Set(changes.map((c) => c.package))];
  const seen = new Set<string>();
  for (const lockfile of changedPackages.length > 0 ? scan.lockfiles : []) {
    for (const pkg of changedPackages) {
      const cmd = lockCommand(lockfile, pkg);
      const key = `${lockfile}\u0000${cmd.display}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const step: LockStep = { lockfile, command: cmd.display, ran: false, ok: null, message: null };
      if (opts.lock && !dryRun) {
        if (!onPath(cmd.command, opts.env)) {
          step.message = `${cmd.command} is not on PATH; run \`${cmd.display}\` in ${path.dirname(lockfile) || '.'}`;
        } else {
          step.ran = true;
          try {
            await execFileAsync(cmd.command, cmd.args, { cwd: path.join(baseDir, path.dirname(lockfile)), env: opts.env ?? process.env, timeout: 10 * 60_000 });
            step.ok = true;
          } catch (err) {
            const e = err as { stderr?: string; message: string };
            step.ok = false;
            step.message = (e.stderr || e.message).trim().split('\n').slice(-5).join('\n');
          }
        }
      }
      lock.push(step);
    }
  }

  return { report, strategy, changes, skipped, files, written: !dryRun && pending.length > 0, lock };
}
