/**
 * `version major|minor|patch|pre|<version> [path]`: rewrites the plugin's version where the build
 * backend reads it ([project] version, or hatchling's version file), byte for byte elsewhere, and
 * prints the tag to push.
 */
import path from 'node:path';
import { BumpError, isDowngrade } from '../../core/publish/bump.ts';
import { applyBump, bumpFilePath, planBumpOnDisk } from '../../core/publish/disk-plugin.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { writeJson } from '../output/index.ts';
import { chosenPath, resolveProject } from '../project-path.ts';

export const register: RegisterCommand = (program, act) => {
  program
    .command('version')
    .argument('<bump>', 'major, minor, patch, pre or a PEP 440 version')
    .argument('[path]', 'plugin project directory (default: the current directory)')
    .option('--path <path>', 'same as the `[path]` argument')
    .description('set the plugin version: major, minor, patch, pre (next release candidate) or an explicit PEP 440 version')
    .option('--dry-run', 'show the change without writing it')
    .addHelpText(
      'after',
      `
Examples:
  fapilog-plugins version patch          1.2.3 -> 1.2.4
  fapilog-plugins version minor          1.2.3 -> 1.3.0
  fapilog-plugins version pre            1.2.3 -> 1.2.4rc1, 1.2.4rc1 -> 1.2.4rc2
  fapilog-plugins version patch          1.2.4rc2 -> 1.2.4 (finishes the pre-release)
  fapilog-plugins version 2.0.0b1 ./my-plugin
`,
    )
    .action(
      act(async (ctx, bump: string, projectArg: string | undefined, opts: { dryRun?: boolean; path?: string }) => {
        const projectDir = resolveProject(ctx.io.cwd, chosenPath(projectArg, opts.path));
        let plan;
        try {
          plan = await planBumpOnDisk(projectDir, bump);
        } catch (err) {
          if (err instanceof BumpError) throw new CliError(err.message);
          throw err;
        }
        const changed = plan.from !== plan.to;
        if (changed && !opts.dryRun) await applyBump(plan);
        const files = plan.edits.map((e) => path.relative(ctx.io.cwd, bumpFilePath(plan, e.file)) || bumpFilePath(plan, e.file));
        const downgrade = changed && isDowngrade(plan);
        const downgradeWarning =
          `${plan.to} is lower than the current ${plan.from}; if ${plan.from} is ` +
          `published, ${plan.to} is a backport, not the latest release`;
        if (ctx.globals.json) {
          if (downgrade) ctx.warn(downgradeWarning);
          writeJson(ctx.io, { from: plan.from, to: plan.to, tag: plan.tag, files, written: changed && !opts.dryRun });
          return EXIT.ok;
        }
        if (!changed) {
          ctx.io.stdout(`version is already ${plan.to} (${files.join(', ')}); nothing changed\ntag to push: ${plan.tag}\n`);
          return EXIT.ok;
        }
        ctx.io.stdout(`${opts.dryRun ? 'would change' : 'changed'} version ${plan.from} -> ${plan.to} in ${files.join(', ')}\n`);
        // Said between the change and the next steps, where it reads as a caveat on tagging.
        if (downgrade) ctx.warn(downgradeWarning);
        ctx.io.stdout(`tag to push: ${plan.tag}\n`);
        if (!opts.dryRun) {
          ctx.io.stdout(`next: commit the change, then  git tag ${plan.tag} && git push origin ${plan.tag}\n`);
        }
        return EXIT.ok;
      }),
    );
};
