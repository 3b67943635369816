/**
 * `deprecate <name> --reason TEXT [--replacement PKG] [--archive]` (the plugin owner's or an admin
 * token): the plugin is marked deprecated (or archived: no new releases are accepted) and every
 * front end says so, naming the replacement; `deprecate <name> --undo` takes the mark away.
 */
import { Option } from 'commander';
import { ENV } from '../../core/config.ts';
import { deprecationNote } from '../../core/analysis/statuses.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';

interface DeprecateFlags {
  reason?: string;
  replacement?: string;
  archive?: boolean;
  undo?: boolean;
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('deprecate')
    .argument('<name>', 'short name (loki) or package name (fapilog-loki)')
    .description("mark a plugin deprecated or archived, naming a replacement (the plugin owner's token, or an admin's)")
    .addOption(new Option('--reason <text>', 'why, shown by search, info, outdated and the web page'))
    .option('--replacement <package>', 'the plugin to move to instead')
    .option('--archive', 'archived rather than deprecated: the marketplace then takes no new releases of it')
    .addOption(new Option('--undo', 'neither deprecated nor archived any more').conflicts(['reason', 'replacement', 'archive']))
    .action(
      act(async (ctx, name: string, flags: DeprecateFlags) => {
        if (!ctx.settings().token) throw new CliError(`deprecating needs the plugin owner's token: pass --token or set ${ENV.token}`);
        const reason = flags.reason?.trim() ?? '';
        if (!flags.undo && !reason) throw new CliError('--reason must say why (or pass --undo to take the mark away)');
        const request = flags.undo
          ? null
          : { state: flags.archive ? ('archived' as const) : ('deprecated' as const), reason, replacement: flags.replacement ?? null };
        const plugin = await ctx.client().deprecate(name, request);
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ plugin })}\n`);
        else if (plugin.deprecation) ctx.io.stdout(`${deprecationNote(plugin.package, plugin.deprecation)}\n`);
        else ctx.io.stdout(`${plugin.package} is neither deprecated nor archived\n`);
        return EXIT.ok;
      }),
    );
};
