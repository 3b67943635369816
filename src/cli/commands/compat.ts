/**
 * `compat set NAME VERSION 'SPEC' --reason TEXT`: narrows a published release's fapilog range
 * without re-releasing (the plugin's owner, or an admin token). Every answer of the marketplace
 * then uses the corrected range and shows the declared one, when and why.
 */
import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { writeJson } from '../output/index.ts';

export const register: RegisterCommand = (program, act) => {
  const compat = program.command('compat').description("correct a published release's fapilog compatibility (owner or admin token)");
  compat
    .command('set')
    .argument('<plugin>', 'short or package name (loki, fapilog-loki)')
    .argument('<version>', 'the published version to correct')
    .argument('<spec>', "the corrected fapilog range, e.g. '>=0.14,<0.17'; it may only narrow what the release's files declare")
    .addOption(new Option('--reason <text>', 'why (shown wherever the corrected range is)').makeOptionMandatory())
    .description("narrow a published release's fapilog range, with a reason; setting the declared range again removes the correction")
    .action(
      act(async (ctx, plugin: string, version: string, spec: string, flags: { reason: string }) => {
        const release = await ctx.client().correctCompatibility(plugin, version, spec, flags.reason);
        if (ctx.globals.json) {
          writeJson(ctx.io, release);
          return EXIT.ok;
        }
        const c = release.compatibility_correction;
        ctx.io.stdout(
          c
            ? `${release.package} ${release.version}: fapilog ${release.fapilog_compatibility} (corrected ` +
                `${c.corrected_at.slice(0, 10)} by ${c.corrected_by}: ${c.reason}; its files declare ` +
                `${c.declared})\n`
            : `${release.package} ${release.version}: fapilog ${release.fapilog_compatibility}, as its files declare (no correction)\n`,
        );
        return EXIT.ok;
      }),
    );
};
