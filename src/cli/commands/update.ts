/**
 * `update [NAMES...]`: move plugin dependencies to the newest release compatible with the
 * project's fapilog, with minimal edits. `--dry-run` prints the unified diff and writes nothing.
 * The plan is core's (planUpdate); this command writes it to disk, all files or none, and runs
 * the lock tools with `--lock`.
 */
import { Option } from 'commander';
import { sameVersion } from '../../core/analysis/versions.ts';
import { publisherWarning } from '../../core/analysis/publisher.ts';
import { checkProject, DiskProjectFiles, lockStepsNotRun, planUpdate, runLockTools, writeChangesToDisk } from '../../core/project/index.ts';
import { RANGE_STRATEGIES, type RangeStrategy } from '../../core/python/strategies.ts';
import { writeJson } from '../output/index.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { describeEnvironments, describeFapilog, projectRoot } from './outdated.ts';
import { MINIMUM_RELEASE_AGE_HELP, minimumReleaseAgeArg, nameListArg } from '../options.ts';
import { splitPathAndNames } from '../project-path.ts';

interface UpdateFlags {
  path?: string;
  strategy?: RangeStrategy;
  dryRun?: boolean;
  lock?: boolean;
  fapilogVersion?: string;
  ignore?: string[];
  minimumReleaseAge?: number;
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('update')
    .argument('[path]', 'project directory, when the first word is `.`, has a slash or names a directory (default: the current directory)')
    .argument('[names...]', 'plugins to update (default: every plugin that needs it)')
    .description(
      'update vulnerable, outdated, incompatible and yanked plugins to the newest release compatible with the project fapilog ' +
        'and not affected by an advisory',
    )
    .option('--path <path>', 'project directory; every argument is then a plugin name')
    .addOption(
      new Option('--strategy <strategy>', 'how to change version ranges (pep440 meanings, as Renovate)')
        .choices([...RANGE_STRATEGIES])
        .default('auto'),
    )
    .option('--dry-run', 'print a unified diff of the changes and write nothing')
    .option('--lock', 'run the lock tool (uv, poetry, pdm, pipenv) when it is on PATH')
    .addOption(new Option('--fapilog-version <version>', "target this fapilog version instead of the project's own"))
    .option('--ignore <names>', 'plugins to leave alone, comma-separated (short or package names); repeatable', nameListArg)
    .option('--minimum-release-age <days>', MINIMUM_RELEASE_AGE_HELP, minimumReleaseAgeArg)
    .action(
      act(async (ctx, first: string | undefined, rest: string[], flags: UpdateFlags) => {
        const words = first === undefined ? rest : [first, ...rest];
        const { path: given, names } = splitPathAndNames(ctx.io.cwd, words, flags.path);
        const root = projectRoot(ctx, given);
        const { files, only } = await DiskProjectFiles.open(root);
        const lookup = await ctx.source();
        // With --fapilog-version, the project's own fapilog too: updates that target another one
        // are said to need it. One client, so the second check asks the marketplace nothing new.
        const own =
          flags.fapilogVersion !== undefined
            ? await ctx.withProgress('checking plugins', () =>
                checkProject({ files, only, lookup, ignore: flags.ignore, minimumReleaseAge: flags.minimumReleaseAge }),
              )
            : null;
        const check = await ctx.withProgress('checking plugins', () =>
          checkProject({
            files,
            only,
            lookup,
            fapilogVersion: flags.fapilogVersion,
            ignore: flags.ignore,
            minimumReleaseAge: flags.minimumReleaseAge,
          }),
        );
        const plan = await planUpdate({ check, names, strategy: flags.strategy });
        const pinned = own?.report.fapilog;
        const target = plan.report.fapilog.version;
        if (
          pinned?.version &&
          ['locked', 'pinned', 'range'].includes(pinned.source) &&
          target &&
          !sameVersion(pinned.version, target) &&
          plan.planned.length > 0
        ) {
          ctx.warn(
            `the updates target fapilog ${target} (--fapilog-version), but the project uses fapilog ${pinned.version}` +
              `${pinned.from ? ` (${pinned.source} in ${pinned.from})` : ''}: move fapilog to ${target} too, or ` +
              `these releases may not work with it`,
          );
        }
        const dryRun = flags.dryRun ?? false;
        if (!dryRun) await writeChangesToDisk(files.root, plan.changes);
        const lock = flags.lock && !dryRun ? await runLockTools(files.root, plan.lock, ctx.io.env) : lockStepsNotRun(plan.lock);
        const diffs = plan.changes.map((c) => ({ file: c.path, diff: c.diff }));
        const failedLock = lock.some((l) => l.ran && l.ok === false);
        // Asked to lock, but a tool is missing: the lockfile is left stale, which a script must notice.
        const staleLock = Boolean(flags.lock) && !dryRun && lock.some((l) => !l.ran);
        const staleMessage =
          'a lock tool is not on PATH; the manifests were updated, the lockfile is stale until you run the command shown';
        if (ctx.globals.json) {
          writeJson(ctx.io, {
            strategy: plan.strategy,
            changes: plan.planned,
            skipped: plan.skipped,
            files: diffs,
            written: !dryRun && plan.changes.length > 0,
            lock,
            fapilog: plan.report.fapilog,
          });
          if (staleLock && !failedLock) ctx.warn(staleMessage);
          return failedLock ? EXIT.error : staleLock ? EXIT.problems : EXIT.ok;
        }
        const out = ctx.io.stdout;
        const envs = plan.report.environments ?? [];
        if (envs.length > 1) for (const line of describeEnvironments(plan.report)) out(`${line}\n`);
        else out(`${describeFapilog(plan.report)}\n`);
        if (dryRun) for (const f of diffs) out(f.diff);
        if (plan.planned.length === 0) out('Nothing to update.\n');
        for (const c of plan.planned) {
          const verb = dryRun ? 'would update' : 'updated';
          const spec = c.from === c.to ? `${c.to} (unchanged; it already admits ${c.target})` : `${c.from || '(any)'} -> ${c.to}`;
          const down = c.downgrade ? ` (a downgrade: ${c.current} is ${c.status}, ${c.target} is the newest release that works)` : '';
          out(
            `${c.package} ${c.current ?? '?'} -> ${c.target}: ${verb} ${c.file}:${c.line} ` +
              `${spec}${c.hashesReplaced ? ', hashes replaced' : ''}${down}\n`,
          );
        }
        for (const c of plan.planned) if (c.publisherChange) ctx.io.stderr(`warning: ${publisherWarning(c.package, c.publisherChange)}\n`);
        for (const s of plan.skipped) out(`${s.package} (${s.file}:${s.line}) not updated: ${s.reason}\n`);
        if (dryRun && diffs.length > 0) out('Dry run: nothing was written.\n');
        lock.forEach((l, i) => {
          // The tool runs in the lockfile's own folder (its environment's directory).
          const dir = plan.lock[i]?.directory;
          if (l.ran) out(l.ok ? `Ran ${l.command} for ${l.lockfile}.\n` : `${l.command} failed for ${l.lockfile}: ${l.message}\n`);
          else out(`Refresh ${l.lockfile}: ${l.message ?? `${l.command}${dir ? ` (in ${dir})` : ''}`}\n`);
        });
        if (failedLock) throw new CliError('the lock tool failed; the manifests were updated, the lockfile was not', EXIT.error);
        if (staleLock) throw new CliError(staleMessage, EXIT.problems, 'lockfile-stale');
        return EXIT.ok;
      }),
    );
};
