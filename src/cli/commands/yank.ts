/**
 * `yank <name> <version> --reason TEXT`: mark a release as yanked (the plugin owner's token), as
 * PyPI does: pip skips it unless it is pinned exactly, and every front end reports it as `yanked`.
 * `unyank <name> <version>` takes it back (DELETE of the yank): the release installs again.
 */
import { Option } from 'commander';
import { ENV } from '../../core/config.ts';
import type { CommandContext, RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';

function requireToken(ctx: CommandContext, doing: string): void {
  if (!ctx.settings().token) throw new CliError(`${doing} needs the plugin owner's token: pass --token or set ${ENV.token}`);
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('yank')
    .argument('<name>', 'short name (loki) or package name (fapilog-loki)')
    .argument('<version>', 'the release to yank')
    .description("yank a release (the plugin owner's token): pip then skips it unless pinned exactly")
    .addOption(new Option('--reason <text>', 'why, shown to everyone who has it pinned').makeOptionMandatory())
    .action(
      act(async (ctx, name: string, version: string, opts: { reason: string }) => {
        const reason = opts.reason.trim();
        if (!reason) throw new CliError('--reason must say why the release is yanked');
        requireToken(ctx, 'yanking');
        const release = await ctx.client().yank(name, version, reason);
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ release })}\n`);
        else ctx.io.stdout(`yanked ${release.package} ${release.version}: ${release.yanked_reason ?? reason}\n`);
        return EXIT.ok;
      }),
    );
};

export const registerUnyank: RegisterCommand = (program, act) => {
  program
    .command('unyank')
    .argument('<name>', 'short name (loki) or package name (fapilog-loki)')
    .argument('<version>', 'the yanked release')
    .description("take a yank back (the plugin owner's token): the release installs again as any other")
    .action(
      act(async (ctx, name: string, version: string) => {
        requireToken(ctx, 'un-yanking');
        const release = await ctx.client().unyank(name, version);
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ release })}\n`);
        else ctx.io.stdout(`${release.package} ${release.version} is no longer yanked\n`);
        return EXIT.ok;
      }),
    );
};
