/** `admin`: manage a private marketplace's data dir (tokens, known fapilog versions). */
import type { RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';

interface DataDirOption {
  dataDir?: string;
}

async function openStore(ctx: { io: { env: NodeJS.ProcessEnv; cwd: string } }, opts: DataDirOption) {
  // Loaded on demand: only admin commands need node:sqlite.
  const { Store } = await import('../../../server/store.ts');
  const { resolveDataDir } = await import('../../../server/settings.ts');
  return new Store(resolveDataDir(opts.dataDir, ctx.io.env, ctx.io.cwd));
}

const DATA_DIR_HELP = 'data directory of the marketplace (env FAPILOG_MARKETPLACE_DATA_DIR, default ./marketplace-data)';

export const register: RegisterCommand = (program, act) => {
  const admin = program.command('admin').description('administer a marketplace data dir (tokens, fapilog versions)');
  const token = admin.command('token').description('API tokens (stored as sha256 hashes only)');

  token
    .command('create')
    .description('create a token for an owner and print it once')
    .requiredOption('--owner <name>', 'owner account the token acts as (owns what it publishes first)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(
      act(async (ctx, opts: DataDirOption & { owner: string }) => {
        const owner = opts.owner.trim();
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(owner)) {
          throw new CliError(`--owner must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(opts.owner)})`);
        }
        const store = await openStore(ctx, opts);
        try {
          const created = store.createToken(owner);
          if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ owner, token: created })}\n`);
          else {
            ctx.io.stdout(`${created}\n`);
            ctx.io.stderr(`token created for owner ${owner}; it is shown only now, store it safely\n`);
          }
        } finally {
          store.close();
        }
        return EXIT.ok;
      }),
    );

  token
    .command('list')
    .description('list tokens (id, owner, created) without their secrets')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(
      act(async (ctx, opts: DataDirOption) => {
        const store = await openStore(ctx, opts);
        try {
          const tokens = store.listTokens();
          if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ tokens })}\n`);
          else for (const t of tokens) ctx.io.stdout(`${t.id}\t${t.owner}\t${t.created_at}\n`);
        } finally {
          store.close();
        }
        return EXIT.ok;
      }),
    );

  token
    .command('revoke <id>')
    .description('revoke a token by its id (see `admin token list`)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(
      act(async (ctx, id: string, opts: DataDirOption) => {
        if (!/^\d+$/.test(id)) throw new CliError(`token id must be a number: ${id}`);
        const store = await openStore(ctx, opts);
        try {
          if (!store.revokeToken(Number(id))) throw new CliError(`no token with id ${id}`);
          ctx.io.stdout(`revoked token ${id}\n`);
        } finally {
          store.close();
        }
        return EXIT.ok;
      }),
    );

  admin
    .command('fapilog-versions')
    .description('list the fapilog releases the marketplace knows, or add some')
    .argument('[versions...]', 'PEP 440 versions to add')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(
      act(async (ctx, versions: string[], opts: DataDirOption) => {
        const { versionProblem, canonicalVersion } = await import('../../../server/validation.ts');
        // Every version is checked before the store opens: one bad one and nothing is stored.
        const problems = versions.map(versionProblem).filter((p) => p !== null);
        if (problems.length > 0) throw new CliError(`refused, nothing stored: ${problems.join('; ')}`);
        const store = await openStore(ctx, opts);
        try {
          if (versions.length > 0) store.addFapilogVersions(versions.map(canonicalVersion));
          const all = store.fapilogVersions();
          ctx.io.stdout(ctx.globals.json ? `${JSON.stringify({ versions: all })}\n` : `${all.join('\n')}\n`);
        } finally {
          store.close();
        }
        return EXIT.ok;
      }),
    );
};
