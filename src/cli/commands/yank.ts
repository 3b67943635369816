/**
 * `yank <name> <version> --reason TEXT`: mark a release as yanked (the plugin owner's token), as
 * PyPI does: pip skips it unless it is pinned exactly, and every front end reports it as `yanked`.
 * The API has no un-yank yet (POST .../yank only), so there is no `unyank` command.
 */
import { Option } from 'commander';
import { ENV } from '../../core/config.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';

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
        if (!ctx.settings().token) throw new CliError(`yanking needs the plugin owner's token: pass --token or set ${ENV.token}`);
        const release = await ctx.client().yank(name, version, reason);
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ release })}\n`);
        else ctx.io.stdout(`yanked ${release.package} ${release.version}: ${release.yanked_reason ?? reason}\n`);
        return EXIT.ok;
      }),
    );
};
