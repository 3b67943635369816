/**
 * `advisory add FILE.json` (the token of the owner of every plugin a record names, or an admin's):
 * publishes OSV records to the marketplace over its API, as `admin advisory import` stores them
 * into a store it opens; `advisory list [plugin]` shows what the marketplace has. Every record in
 * the file is checked before any is sent; the marketplace then checks each one's plugins and owner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENV } from '../../core/config.ts';
import type { Osv } from '../../core/advisories/osv.ts';
import type { AdvisorySaved } from '../../core/marketplace/schemas.ts';
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { advisoryColumns } from '../output/columns.ts';

export const register: RegisterCommand = (program, act) => {
  const advisory = program
    .command('advisory')
    .description("security advisories (OSV records) of plugins: publish them as the plugins' owner, or list them");
  advisory
    .command('add')
    .argument('<file>', 'an OSV JSON file: one record, a list, or {"advisories": [...]}')
    .description("publish the OSV records of a file (the token of the owner of every plugin they name, or an admin's)")
    .addHelpText('after', '\nExample:\n  fapilog-plugins advisory add GHSA-xxxx-xxxx-xxxx.json --token "$FAPILOG_MARKETPLACE_TOKEN"\n')
    .action(
      act(async (ctx, file: string) => {
        if (!ctx.settings().token)
          throw new CliError(`publishing an advisory needs the plugin owner's token: pass --token or set ${ENV.token}`);
        const records = await readOsvFile(ctx.io.cwd, file, 'nothing sent');
        const client = ctx.client();
        const saved: AdvisorySaved[] = [];
        for (const [i, osv] of records.entries()) {
          try {
            saved.push(await client.publishAdvisory(osv));
          } catch (err) {
            // One request a record: those before it are stored, and the marketplace keeps them.
            const which = records.length > 1 ? `record ${i + 1} of ${records.length} (${osv.id})` : osv.id;
            const before = saved.length > 0 ? `stored before it: ${saved.map((s) => s.advisory.id).join(', ')}` : 'nothing stored';
            ctx.io.stderr(`${file}: ${which} was refused; ${before}\n`);
            throw err;
          }
        }
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ advisories: saved })}\n`);
        else for (const s of saved) ctx.io.stdout(`${s.advisory.id}: ${s.status} (${s.plugins.join(', ')})\n`);
        return EXIT.ok;
      }),
    );
  advisory
    .command('list')
    .argument('[plugin]', "one plugin's (short or package name); all of them when left out")
    .description('list the advisories the marketplace has, newest first')
    .action(
      act(async (ctx, plugin: string | undefined) => {
        const found = await ctx.client().advisories(plugin);
        if (found === null) throw new CliError(`${plugin} is not a plugin of this marketplace`);
        ctx.io.stdout(ctx.globals.json ? `${JSON.stringify(found)}\n` : advisoryColumns(found.advisories));
        return EXIT.ok;
      }),
    );
};

/**
 * The OSV records of a file (one record, a list, or {"advisories": [...]}), every one checked; a
 * file that cannot be read or holds a bad record is refused whole, saying so (`nothing`).
 */
export async function readOsvFile(cwd: string, file: string, nothing: string): Promise<Osv[]> {
  const { osvRecords } = await import('../../core/advisories/osv.ts');
  try {
    return osvRecords(JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8')));
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}; ${nothing}`);
  }
}
