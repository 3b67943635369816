/**
 * `install <name>[==version]`: add a plugin to the project's main manifest with a specifier that
 * works with the project's fapilog, or refuse (exit 1 when the plugin is incompatible, yanked or
 * conflicts with the project's pins; exit 2 for anything else that stops it).
 */
import { Option } from 'commander';
import { InstallRefused, installPlugin, type RefusalReason } from '../../core/install.ts';
import { writeJson } from '../output/index.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { projectRoot } from './outdated.ts';

const PROBLEM_REFUSALS: readonly RefusalReason[] = ['incompatible', 'yanked', 'conflict'];

interface InstallFlags {
  path?: string;
  group?: string;
  dryRun?: boolean;
  fapilogVersion?: string;
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('install <plugin>')
    .description("add a plugin (name or name==version) to the project's main manifest, with a specifier compatible with its fapilog")
    .option('--path <path>', 'project directory', '.')
    .option('--group <group>', 'dependency group or extra to add it to (PEP 735 / optional-dependencies / Poetry group)')
    .option('--dry-run', 'print the change as a unified diff and write nothing')
    .addOption(new Option('--fapilog-version <version>', "check compatibility against this fapilog version instead of the project's own"))
    .action(
      act(async (ctx, plugin: string, flags: InstallFlags) => {
        const root = projectRoot(ctx, flags.path);
        let result;
        try {
          result = await installPlugin({
            root,
            client: ctx.client(),
            requirement: plugin,
            group: flags.group,
            dryRun: flags.dryRun,
            fapilogVersion: flags.fapilogVersion,
          });
        } catch (err) {
          if (err instanceof InstallRefused) {
            throw new CliError(`not installed: ${err.message}`, PROBLEM_REFUSALS.includes(err.reason) ? EXIT.problems : EXIT.error);
          }
          throw err;
        }
        for (const w of result.warnings) ctx.io.stderr(`warning: ${w}\n`);
        if (ctx.globals.json) {
          writeJson(ctx.io, result);
          return EXIT.ok;
        }
        const first = result.added.split('\n')[0]?.replace(/ \\$/, '') ?? result.added;
        const where = `${result.file} [${result.section}]`;
        const works = result.fapilog.version ? ` (${result.package} ${result.version} works with fapilog ${result.fapilog.version})` : '';
        if (flags.dryRun) {
          ctx.io.stdout(result.diff);
          ctx.io.stdout(`Would add ${first} to ${where}${works}; nothing was written.\n`);
        } else {
          ctx.io.stdout(`Added ${first} to ${where}${works}.\n`);
        }
        if (result.cap) {
          ctx.io.stdout(
            `Capped below ${result.cap.below}: ${result.package} ${result.cap.release} needs fapilog ${result.cap.fapilogCompatibility}, ` +
              `and this project uses fapilog ${result.fapilog.version}; raise the bound when the project moves to a fapilog it supports.\n`,
          );
        }
        for (const c of result.lockCommands) ctx.io.stdout(`Refresh the lockfile: ${c}\n`);
        return EXIT.ok;
      }),
    );
};
