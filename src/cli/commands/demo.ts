/**
 * `demo` (what `npm start` runs): the embedded reference marketplace with the demo catalog on a
 * free loopback port, `outdated` on examples/app against it, then everything is stopped and
 * removed. Exits 0 even though the sample app has problems: showing them is the point.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MarketplaceSettings } from '../../core/config.ts';
import { MarketplaceClient } from '../../core/marketplace/client.ts';
import type { RegisterCommand } from '../context.ts';
import { EXIT } from '../errors.ts';
import { packageFile } from '../package-files.ts';
import { runOutdated } from './outdated.ts';

/** The demo's catalog and sample app, shipped in the package. */
export const demoCatalog = (): string => packageFile('examples/catalog/catalog.json');
export const demoApp = (): string => packageFile('examples/app');

export const register: RegisterCommand = (program, act) => {
  program
    .command('demo [path]', { hidden: true })
    .description('run `outdated` on the sample app against an embedded demo marketplace (what `npm start` runs)')
    .action(
      act(async (ctx, given: string | undefined) => {
        const app = given ? path.resolve(ctx.io.cwd, given) : demoApp();
        // Loaded here, not at the top: every CLI run imports this module, and the server pulls in node:sqlite.
        const { createMarketplace } = await import('../../../server/index.ts');
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-demo-data-'));
        const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-demo-cache-'));
        const marketplace = await createMarketplace({ dataDir, seedFile: demoCatalog() });
        try {
          const base = await marketplace.listen(0, '127.0.0.1');
          const settings = MarketplaceSettings.parse({ url: `${base}/api/v1`, cacheDir, cacheMode: 'online' });
          const client = new MarketplaceClient(settings, { warn: ctx.warn });
          if (!ctx.globals.json) {
            const shown = path.relative(ctx.io.cwd, app) || '.';
            ctx.io.stdout(`Demo marketplace (examples/catalog) at ${base}\n$ fapilog-plugins outdated ${shown}\n\n`);
          }
          await runOutdated(ctx, app, {}, client);
        } finally {
          await marketplace.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
          fs.rmSync(cacheDir, { recursive: true, force: true });
        }
        return EXIT.ok;
      }),
    );
};
