/**
 * `install <name>[==version]`: add a plugin to the project's main manifest with a specifier that
 * works with the project's fapilog, or refuse (exit 1 when the plugin is incompatible, yanked or
 * conflicts with the project's pins; exit 2 for anything else that stops it: errors.ts).
 */
import { Option } from 'commander';
import { DiskProjectFiles, planInstall, writeChangesToDisk } from '../../core/project/index.ts';
import { writeJson } from '../output/index.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { fapilogIndexUrl } from '../../core/marketplace/index-url.ts';
import { projectRoot } from './outdated.ts';
import { chosenPath, PATH_HELP } from '../project-path.ts';

interface InstallFlags {
  path?: string;
  group?: string;
  dryRun?: boolean;
  fapilogVersion?: string;
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('install')
    .argument('<plugin>', 'short or package name, optionally with ==version (loki, fapilog-loki==0.3.1)')
    .argument('[path]', PATH_HELP)
    .description("add a plugin (name or name==version) to the project's main manifest, with a specifier compatible with its fapilog")
    .option('--path <path>', 'same as the `[path]` argument')
    .option('--group <group>', 'dependency group or extra to add it to (PEP 735 / optional-dependencies / Poetry group)')
    .option('--dry-run', 'print the change as a unified diff and write nothing')
    .addOption(new Option('--fapilog-version <version>', "check compatibility against this fapilog version instead of the project's own"))
    .action(
      act(async (ctx, plugin: string, given: string | undefined, flags: InstallFlags) => {
        const root = projectRoot(ctx, chosenPath(given, flags.path));
        const files = new DiskProjectFiles(root);
        const lookup = await ctx.source();
        const plan = await ctx.withProgress('checking plugins', () =>
          planInstall({
            files,
            lookup,
            requirement: plugin,
            group: flags.group,
            fapilogVersion: flags.fapilogVersion,
            source: lookup.status(),
          }),
        );
        if (!flags.dryRun) await writeChangesToDisk(files.root, plan.changes);
        for (const w of plan.warnings) ctx.io.stderr(`warning: ${w}\n`);
        const lockCommands = plan.lock.map((l) => l.display);
        // The same choice without any tool of ours: the marketplace's index for this fapilog.
        const indexUrl = plan.fapilog.version ? fapilogIndexUrl(ctx.settings().url, plan.fapilog.version) : null;
        if (ctx.globals.json) {
          const { change, changes: _changes, lock: _lock, ...rest } = plan;
          writeJson(ctx.io, { ...rest, diff: change.diff, written: !flags.dryRun, lockCommands, indexUrl });
          return EXIT.ok;
        }
        const first = plan.added.split('\n')[0]?.replace(/ \\$/, '') ?? plan.added;
        const where = `${plan.file} [${plan.section}]`;
        const works = plan.fapilog.version ? ` (${plan.package} ${plan.version} works with fapilog ${plan.fapilog.version})` : '';
        if (flags.dryRun) {
          ctx.io.stdout(plan.change.diff);
          ctx.io.stdout(`Would add ${first} to ${where}${works}; nothing was written.\n`);
        } else {
          ctx.io.stdout(`Added ${first} to ${where}${works}.\n`);
        }
        if (plan.cap) {
          ctx.io.stdout(
            `Capped below ${plan.cap.below}: ${plan.package} ${plan.cap.release} needs fapilog ${plan.cap.fapilogCompatibility}, ` +
              `and this project uses fapilog ${plan.fapilog.version}; raise the bound when the project moves to a fapilog it supports.\n`,
          );
        }
        for (const c of lockCommands) ctx.io.stdout(`Refresh the lockfile: ${c}\n`);
        if (indexUrl) ctx.io.stdout(`With pip alone: pip install --index-url ${indexUrl} ${plan.package}\n`);
        return EXIT.ok;
      }),
    );
};
