/**
 * `update [NAMES...]`: move plugin dependencies to the newest release compatible with the
 * project's fapilog, with minimal edits. `--dry-run` prints the unified diff and writes nothing.
 */
import { Option } from 'commander';
import { RANGE_STRATEGIES, type RangeStrategy } from '../../core/python/strategies.ts';
import { UpdateNameError, updatePlugins } from '../../core/update.ts';
import { writeJson } from '../output/index.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { describeFapilog, projectRoot } from './outdated.ts';

interface UpdateFlags {
  path?: string;
  strategy?: RangeStrategy;
  dryRun?: boolean;
  lock?: boolean;
  fapilogVersion?: string;
  ignore?: string[];
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('update [names...]')
    .description('update outdated, incompatible and yanked plugins to the newest release compatible with the project fapilog')
    .option('--path <path>', 'project directory', '.')
    .addOption(new Option('--strategy <strategy>', 'how to change version ranges (pep440 meanings, as Renovate)').choices([...RANGE_STRATEGIES]).default('auto'))
    .option('--dry-run', 'print a unified diff of the changes and write nothing')
    .option('--lock', 'run the lock tool (uv, poetry, pdm, pipenv) when it is on PATH')
    .addOption(new Option('--fapilog-version <version>', "target this fapilog version instead of the project's own"))
    .option('--ignore <names...>', 'plugins to leave alone (short or package names)')
    .action(
      act(async (ctx, names: string[], flags: UpdateFlags) => {
        const root = projectRoot(ctx, flags.path);
        let result;
        try {
          result = await updatePlugins({
            root,
            client: ctx.client(),
            names,
            strategy: flags.strategy,
            dryRun: flags.dryRun,
            lock: flags.lock,
            fapilogVersion: flags.fapilogVersion,
            ignore: flags.ignore,
            env: ctx.io.env,
          });
        } catch (err) {
          if (err instanceof UpdateNameError) throw new CliError(err.message, EXIT.error);
          throw err;
        }
        const failedLock = result.lock.some((l) => l.ran && l.ok === false);
        if (ctx.globals.json) {
          const { report, ...rest } = result;
          writeJson(ctx.io, { ...rest, fapilog: report.fapilog });
          return failedLock ? EXIT.error : EXIT.ok;
        }
        const out = ctx.io.stdout;
        out(`${describeFapilog(result.report)}\n`);
        if (flags.dryRun) for (const f of result.files) out(f.diff);
        if (result.changes.length === 0) out('Nothing to update.\n');
        for (const c of result.changes) {
          const verb = flags.dryRun ? 'would update' : 'updated';
          const spec = c.from === c.to ? `${c.to} (unchanged; it already admits ${c.target})` : `${c.from || '(any)'} -> ${c.to}`;
          out(`${c.package} ${c.current ?? '?'} -> ${c.target}: ${verb} ${c.file}:${c.line} ${spec}${c.hashesReplaced ? ', hashes replaced' : ''}\n`);
        }
        for (const s of result.skipped) out(`${s.package} (${s.file}:${s.line}) not updated: ${s.reason}\n`);
        if (flags.dryRun && result.files.length > 0) out('Dry run: nothing was written.\n');
        for (const l of result.lock) {
          if (l.ran) out(l.ok ? `Ran ${l.command} for ${l.lockfile}.\n` : `${l.command} failed for ${l.lockfile}: ${l.message}\n`);
          else out(`Refresh ${l.lockfile}: ${l.message ?? l.command}\n`);
        }
        if (failedLock) throw new CliError('the lock tool failed; the manifests were updated, the lockfile was not', EXIT.error);
        return EXIT.ok;
      }),
    );
};
