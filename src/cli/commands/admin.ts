/** `admin`: manage a private marketplace's data dir (tokens, trusted publishers, known fapilog versions). */
import fs from 'node:fs';
import path from 'node:path';
import { TrustedPublisherRequest, type TrustedPublisher } from '../../core/marketplace/schemas.ts';
import { isValidProjectName, normalizeName, packageName } from '../../core/names.ts';
import type { RegisterCommand } from '../context.ts';
import { InvalidArgumentError, type Command } from 'commander';
import type { Store } from '../../../server/store/index.ts';
import { CliError, EXIT } from '../errors.ts';
import { advisoryColumns, columns } from '../output/columns.ts';

interface DataDirOption {
  dataDir?: string;
  databaseUrl?: string;
  filesDir?: string;
  create?: boolean;
}

type Ctx = { io: { env: NodeJS.ProcessEnv; cwd: string } };

/** Where the marketplace lives: a PostgreSQL URL (flag, then env), else a SQLite data dir. */
async function storeTarget(ctx: Ctx, opts: DataDirOption): Promise<{ databaseUrl: string; filesDir?: string } | { dataDir: string }> {
  const { resolveDataDir, resolveDatabaseUrl, resolveFilesDir } = await import('../../../server/settings.ts');
  const databaseUrl = resolveDatabaseUrl(opts.databaseUrl, ctx.io.env);
  if (databaseUrl) {
    const filesDir = resolveFilesDir(opts.filesDir, ctx.io.env, ctx.io.cwd);
    return { databaseUrl, ...(filesDir ? { filesDir } : {}) };
  }
  const dir = resolveDataDir(opts.dataDir, ctx.io.env, ctx.io.cwd);
  // A typo in --data-dir would otherwise make a new, empty marketplace and report success in it.
  if (!opts.create && !fs.existsSync(dir)) {
    throw new CliError(
      `data directory ${dir} does not exist; check --data-dir (or FAPILOG_MARKETPLACE_DATA_DIR), or pass ` +
        `--create to start a new marketplace there`,
    );
  }
  return { dataDir: dir };
}

async function openStore(ctx: Ctx, opts: DataDirOption) {
  // Loaded on demand: only admin commands need the store.
  const { openStore: open } = await import('../../../server/store/index.ts');
  const target = await storeTarget(ctx, opts);
  try {
    return await open(target);
  } catch (err) {
    throw new CliError(`cannot open the marketplace: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const DATA_DIR_HELP = 'data directory of the marketplace (env FAPILOG_MARKETPLACE_DATA_DIR, default ./marketplace-data); it must exist';
const DATABASE_URL_HELP =
  'PostgreSQL marketplace (postgres://user:password@host:port/db; env FAPILOG_MARKETPLACE_DATABASE_URL); wins over --data-dir';
const FILES_DIR_HELP =
  'with PostgreSQL: the directory the instances share for release files (env FAPILOG_MARKETPLACE_FILES_DIR; ' +
  'default: files in the database)';
const CREATE_HELP = 'create the data directory (a new, empty marketplace) when it does not exist';

/** A command that opens the marketplace's store: with the options that say where it is. */
function storeCommand(parent: Command, spec: string, description: string, opts: { create: boolean }): Command {
  return storeOptions(parent.command(spec).description(description), opts);
}

/** The options that say where the marketplace's store is, on every command that opens it. */
function storeOptions(command: Command, { create }: { create: boolean }): Command {
  command
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--database-url <url>', DATABASE_URL_HELP)
    .option('--files-dir <dir>', FILES_DIR_HELP);
  return create ? command.option('--create', CREATE_HELP) : command;
}

/** Opens the store, runs fn on it and closes it, whatever fn does. */
async function withStore<T>(ctx: Ctx, opts: DataDirOption, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(ctx, opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

type Transfer = typeof import('../../../server/store/transfer.ts');

/** A whole-store copy to or from `dir` (relative to the caller); a failure says what was not written. */
async function transfer<T>(
  ctx: Ctx,
  opts: DataDirOption,
  dir: string,
  failure: string,
  run: (t: Transfer, store: Store, dir: string) => Promise<T>,
): Promise<T> {
  return withStore(ctx, opts, async (store) => {
    const t = await import('../../../server/store/transfer.ts');
    return run(t, store, path.resolve(ctx.io.cwd, dir)).catch((err: unknown) => {
      throw new CliError(`${failure}: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
}

interface TransferCommand<T> {
  spec: string;
  description: string;
  /**
   * Where it writes: a new directory (backup, export: a failure leaves nothing written), or the
   * store itself (import, which may create it: a refusal leaves nothing stored).
   */
  into: 'directory' | 'store';
  run: (t: Transfer, store: Store, dir: string) => Promise<T>;
  /** What it says when done: the `--json` object and the line of text. */
  done: (dir: string, result: T) => { json: object; text: string };
}

// One type per entry, checked where it is written; the loop only passes each result back to its entry.
const transferCommand = <T>(c: TransferCommand<T>) => c as TransferCommand<unknown>;

const TRANSFERS = [
  transferCommand({
    spec: 'backup <dest>',
    description:
      'a consistent copy while the server runs: SQLite a new data dir usable as --data-dir; PostgreSQL an ' +
      'export (restore with admin import)',
    into: 'directory',
    run: (t, store, dir) => t.backupStore(store, dir),
    done: (dest, done) => ({
      json: { backup: dest, ...done },
      text: `backup written to ${dest} (${done.kind === 'data-dir' ? 'a data dir: serve --data-dir it' : 'an export: admin import it'})`,
    }),
  }),
  transferCommand({
    spec: 'export <dest>',
    description:
      'write the whole marketplace (rows and release files, one consistent snapshot) to a new directory, to import into another store',
    into: 'directory',
    run: (t, store, dir) => t.exportStore(store, dir),
    done: (dest, counts) => ({ json: { export: dest, counts }, text: `exported to ${dest}: ${countsLine(counts)}` }),
  }),
  transferCommand({
    spec: 'import <src>',
    description:
      'load an export (admin export) into an empty marketplace: ids, tokens, publishers, provenance and download counts as they were',
    into: 'store',
    run: (t, store, dir) => t.importInto(store, dir),
    done: (src, counts) => ({ json: { import: src, counts }, text: `imported ${src}: ${countsLine(counts)}` }),
  }),
];

interface PublisherAddOptions extends DataDirOption {
  repository: string;
  repositoryId: string;
  ownerId: string;
  workflow: string;
  environment?: string;
  owner?: string;
  issuer?: string;
}

/** Flag names for the request fields, so a zod issue names what the user typed. */
const PUBLISHER_FLAGS: Record<string, string> = {
  issuer: '--issuer',
  repository: '--repository',
  repository_id: '--repository-id',
  repository_owner_id: '--owner-id',
  workflow: '--workflow',
  environment: '--environment',
};

function pluginArg(raw: string): string {
  if (raw.length === 0 || raw.length > 100 || !isValidProjectName(raw))
    throw new CliError(`not a valid plugin name: ${JSON.stringify(raw)}`);
  return packageName(normalizeName(raw));
}

/** `30m`, `12h`, `90d`, `8w` -> milliseconds (at most ten years). */
export function durationArg(raw: string): number {
  const m = /^(\d{1,6})\s*(m|min|h|d|w)$/.exec(raw.trim());
  const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m?.[2] ?? ''];
  const ms = m && unit ? Number(m[1]) * unit : NaN;
  if (!(ms > 0) || ms > 3650 * 86_400_000)
    throw new InvalidArgumentError(`expected a duration such as 30m, 12h, 90d or 8w (at most ten years), got ${JSON.stringify(raw)}`);
  return ms;
}

function publisherLine(p: TrustedPublisher): string {
  const env = p.environment ? `  environment ${p.environment}` : '';
  return (
    `${p.id}\t${p.package}\t${p.repository} (repository id ${p.repository_id}, owner id ` +
    `${p.repository_owner_id})\t.github/workflows/${p.workflow}${env}\towner ` +
    `${p.owner}${p.pending ? ' (pending)' : ''}\t${p.issuer}`
  );
}

export const register: RegisterCommand = (program, act) => {
  const admin = program
    .command('admin')
    .description('administer a marketplace (tokens, trusted publishers, fapilog versions, schema, backups, moving between stores)');
  const token = admin.command('token').description('API tokens (stored as sha256 hashes only)');

  storeOptions(
    token
      .command('create')
      .description('create a token for an owner and print it once')
      .requiredOption('--owner <name>', 'owner account the token acts as (owns what it publishes first)')
      .option('--expires <duration>', 'the token stops working after this long: 30m, 12h, 90d, 8w (default: never)', durationArg)
      .option(
        '--plugin <name>',
        'the token may act only on this plugin (publish, yank, trusted publishers); repeatable (default: every plugin of the owner)',
        (v: string, prev: string[] = []) => [...prev, pluginArg(v)],
      )
      .option('--admin', "an admin token: may also correct any plugin's fapilog compatibility"),
    { create: true },
  ).action(
    act(async (ctx, opts: DataDirOption & { owner: string; expires?: number; plugin?: string[]; admin?: boolean }) => {
      const owner = opts.owner.trim();
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(owner)) {
        throw new CliError(`--owner must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(opts.owner)})`);
      }
      const expiresAt = opts.expires !== undefined ? new Date(Date.now() + opts.expires).toISOString() : null;
      const plugins = opts.plugin ? [...new Set(opts.plugin)] : null;
      await withStore(ctx, opts, async (store) => {
        const created = await store.createToken(owner, { expiresAt, plugins, admin: opts.admin === true });
        if (ctx.globals.json)
          ctx.io.stdout(`${JSON.stringify({ owner, token: created, expires_at: expiresAt, plugins, admin: opts.admin === true })}\n`);
        else {
          ctx.io.stdout(`${created}\n`);
          const scope = [expiresAt ? `expires ${expiresAt}` : '', plugins ? `only for ${plugins.join(', ')}` : '']
            .filter(Boolean)
            .join('; ');
          ctx.io.stderr(
            `${opts.admin ? 'admin ' : ''}token created for owner ${owner}${scope ? ` (${scope})` : ''}; it is ` +
              `shown only now, store it safely\n`,
          );
        }
      });
      return EXIT.ok;
    }),
  );

  storeOptions(token.command('list').description('list tokens (id, owner, created, expires, plugins) without their secrets'), {
    create: true,
  }).action(
    act(async (ctx, opts: DataDirOption) => {
      await withStore(ctx, opts, async (store) => {
        const tokens = await store.listTokens();
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ tokens })}\n`);
        else {
          const now = new Date().toISOString();
          const rows = tokens.map((t) => [
            String(t.id),
            t.owner,
            t.created_at,
            t.expires_at === null ? 'never' : `${t.expires_at}${t.expires_at <= now ? ' (expired)' : ''}`,
            t.plugins === null ? 'all' : t.plugins.join(','),
          ]);
          ctx.io.stdout(columns([['ID', 'OWNER', 'CREATED', 'EXPIRES', 'PLUGINS'], ...rows]));
        }
      });
      return EXIT.ok;
    }),
  );

  storeOptions(token.command('revoke <id>').description('revoke a token by its id (see `admin token list`)'), { create: true }).action(
    act(async (ctx, id: string, opts: DataDirOption) => {
      if (!/^\d+$/.test(id)) throw new CliError(`token id must be a number: ${id}`);
      await withStore(ctx, opts, async (store) => {
        if (!(await store.revokeToken(Number(id)))) throw new CliError(`no token with id ${id}`);
        ctx.io.stdout(`revoked token ${id}\n`);
      });
      return EXIT.ok;
    }),
  );

  const publisher = admin
    .command('publisher')
    .description('trusted publishers: GitHub workflows that may publish a plugin without a stored token');

  storeOptions(
    publisher
      .command('add <plugin>')
      .description('let a workflow of a repository publish <plugin> through GitHub OIDC (pending when <plugin> is not published yet)')
      .requiredOption('--repository <owner/name>', 'GitHub repository')
      .requiredOption(
        '--repository-id <n>',
        'its numeric id (gh api repos/OWNER/NAME --jq .id): a re-created repository of the same name gets another',
      )
      .requiredOption('--owner-id <n>', 'numeric id of the repository owner (gh api repos/OWNER/NAME --jq .owner.id)')
      .requiredOption('--workflow <file>', 'workflow file name in .github/workflows (release.yml)')
      .option('--environment <name>', 'only jobs in this GitHub environment may publish')
      .option('--owner <name>', 'owner the plugin gets on its first publish (required while the plugin is unpublished)')
      .option('--issuer <url>', 'OIDC issuer (default https://token.actions.githubusercontent.com)'),
    { create: true },
  )
    .addHelpText(
      'after',
      '\nExample:\n  fapilog-plugins admin publisher add fapilog-loki --repository acme/fapilog-loki ' +
        '--repository-id 700123 --owner-id 4501 --workflow release.yml\n',
    )
    .action(
      act(async (ctx, plugin: string, opts: PublisherAddOptions) => {
        const pkg = pluginArg(plugin);
        const parsed = TrustedPublisherRequest.safeParse({
          ...(opts.issuer ? { issuer: opts.issuer } : {}),
          repository: opts.repository,
          repository_id: opts.repositoryId,
          repository_owner_id: opts.ownerId,
          workflow: opts.workflow,
          ...(opts.environment ? { environment: opts.environment } : {}),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new CliError(`${PUBLISHER_FLAGS[String(issue?.path[0])] ?? 'publisher'}: ${issue?.message ?? 'invalid'}`);
        }
        await withStore(ctx, opts, async (store) => {
          const { Publishers } = await import('../../../server/publishers.ts');
          const existing = await store.pluginRow(pkg);
          const owner = existing?.owner ?? opts.owner?.trim();
          if (!owner)
            throw new CliError(`${pkg} is not published yet: give --owner, the owner it gets on its first publish through this publisher`);
          if (existing && opts.owner && opts.owner.trim() !== existing.owner)
            throw new CliError(`${pkg} is owned by ${existing.owner}, not ${opts.owner}`);
          let added: TrustedPublisher;
          try {
            added = await new Publishers(store).add(pkg, owner, parsed.data);
          } catch (err) {
            throw new CliError(err instanceof Error ? err.message : String(err));
          }
          if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify(added)}\n`);
          else ctx.io.stdout(`added trusted publisher ${publisherLine(added)}\n`);
        });
        return EXIT.ok;
      }),
    );

  storeOptions(publisher.command('list [plugin]').description('list trusted publishers (of one plugin, or all)'), { create: true }).action(
    act(async (ctx, plugin: string | undefined, opts: DataDirOption) => {
      const pkg = plugin === undefined ? undefined : pluginArg(plugin);
      await withStore(ctx, opts, async (store) => {
        const { Publishers } = await import('../../../server/publishers.ts');
        const publishers = await new Publishers(store).list(pkg);
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ publishers })}\n`);
        else for (const p of publishers) ctx.io.stdout(`${publisherLine(p)}\n`);
      });
      return EXIT.ok;
    }),
  );

  storeOptions(
    publisher
      .command('remove <id>')
      .description('remove a trusted publisher by its id (see `admin publisher list`); publish tokens it granted stop working'),
    { create: true },
  ).action(
    act(async (ctx, id: string, opts: DataDirOption) => {
      if (!/^[1-9]\d{0,15}$/.test(id)) throw new CliError(`publisher id must be a number: ${id}`);
      await withStore(ctx, opts, async (store) => {
        const { Publishers } = await import('../../../server/publishers.ts');
        if (!(await new Publishers(store).remove(Number(id)))) throw new CliError(`no trusted publisher with id ${id}`);
        ctx.io.stdout(`removed trusted publisher ${id}\n`);
      });
      return EXIT.ok;
    }),
  );

  storeOptions(
    admin
      .command('fapilog-versions')
      .description('list the fapilog releases the marketplace knows, or add some')
      .argument('[versions...]', 'PEP 440 versions to add'),
    { create: true },
  ).action(
    act(async (ctx, versions: string[], opts: DataDirOption) => {
      const { versionProblem, canonicalVersion } = await import('../../../server/validation.ts');
      // Every version is checked before the store opens: one bad one and nothing is stored.
      const problems = versions.map(versionProblem).filter((p) => p !== null);
      if (problems.length > 0) throw new CliError(`refused, nothing stored: ${problems.join('; ')}`);
      await withStore(ctx, opts, async (store) => {
        if (versions.length > 0) await store.addFapilogVersions(versions.map(canonicalVersion));
        const all = await store.fapilogVersions();
        ctx.io.stdout(ctx.globals.json ? `${JSON.stringify({ versions: all })}\n` : `${all.join('\n')}\n`);
      });
      return EXIT.ok;
    }),
  );

  storeOptions(
    admin
      .command('upstream')
      .description('the upstream package index the marketplace mirrors (serve --upstream)')
      .command('sync')
      .description(
        "sync the mirror now: new releases (files fetched and checked against the upstream's sha256), yanks; a local plugin always wins",
      )
      .option('--upstream <url>', "the package index's simple API (env FAPILOG_MARKETPLACE_UPSTREAM_URL)")
      .option('--upstream-prefix <prefix>', 'project-name prefix (env FAPILOG_MARKETPLACE_UPSTREAM_PREFIX, default fapilog-)')
      .option(
        '--upstream-max-projects <n>',
        'projects ingested (env FAPILOG_MARKETPLACE_UPSTREAM_MAX_PROJECTS, default 200)',
        (v: string) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('expected an integer from 1 to 100000');
          return n;
        },
      )
      .addHelpText(
        'after',
        '\nExample:\n  fapilog-plugins admin upstream sync --upstream https://pypi.org/simple/ --data-dir ./marketplace-data\n',
      ),
    { create: true },
  ).action(
    act(async (ctx, opts: DataDirOption & { upstream?: string; upstreamPrefix?: string; upstreamMaxProjects?: number }) => {
      const { resolveUpstream } = await import('../../../server/settings.ts');
      let upstream;
      try {
        upstream = resolveUpstream(opts, ctx.io.env);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (!upstream) throw new CliError('no upstream: give --upstream URL (or set FAPILOG_MARKETPLACE_UPSTREAM_URL)');
      const { UpstreamMirror, summaryLine } = await import('../../../server/upstream.ts');
      return withStore(ctx, opts, async (store) => {
        // The warnings go to stderr as they happen; the summary is the report.
        const mirror = new UpstreamMirror(store, upstream, (line) => {
          if (line.startsWith('upstream: warning: ')) ctx.io.stderr(`warning: ${line.slice('upstream: warning: '.length)}\n`);
        });
        let report;
        try {
          report = await mirror.sync();
        } catch (err) {
          throw new CliError(`cannot sync from the upstream: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify(report)}\n`);
        else if (report.busy) ctx.io.stdout('another instance is syncing this marketplace now; nothing done\n');
        else {
          for (const a of report.added) ctx.io.stdout(`mirrored ${a.package}: ${a.releases} new release${a.releases === 1 ? '' : 's'}\n`);
          ctx.io.stdout(`${summaryLine(report)}\n`);
        }
        return report.failed.length > 0 ? EXIT.problems : EXIT.ok;
      });
    }),
  );

  storeOptions(
    admin
      .command('migrate')
      .description('bring the database schema up to date (the server also does it at start); refused on a schema newer than this release'),
    { create: true },
  ).action(
    act(async (ctx, opts: DataDirOption) => {
      const { openStoreReport } = await import('../../../server/store/index.ts');
      let opened;
      try {
        opened = await openStoreReport(await storeTarget(ctx, opts));
      } catch (err) {
        throw new CliError(`cannot migrate: ${err instanceof Error ? err.message : String(err)}`);
      }
      const { store, migrations } = opened;
      try {
        if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ store: store.dialect, ...migrations })}\n`);
        else {
          for (const m of migrations.applied) ctx.io.stdout(`applied ${m.version}: ${m.name}\n`);
          ctx.io.stdout(`schema at version ${migrations.after} (${store.dialect}; was ${migrations.before})\n`);
        }
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }),
  );

  const advisory = admin.command('advisory').description("security advisories (OSV records) for the marketplace's plugins, as an admin");
  storeOptions(
    advisory
      .command('import <file>')
      .description(
        'store the OSV records in a JSON file (one record, a list, or {"advisories": [...]}): ' +
          'every record is checked first, and nothing is stored unless all are good',
      )
      .addHelpText('after', '\nExample:\n  fapilog-plugins admin advisory import GHSA-xxxx-xxxx-xxxx.json\n'),
    { create: false },
  ).action(
    act(async (ctx, file: string, opts: DataDirOption) => {
      const { readOsvFile } = await import('./advisory.ts');
      const { advisoryPackages } = await import('../../core/advisories/affects.ts');
      const records = await readOsvFile(ctx.io.cwd, file, 'nothing stored');
      const saved = await withStore(ctx, opts, async (store) => {
        // Every package every record names must be here before anything is stored.
        for (const [i, osv] of records.entries()) {
          for (const pkg of advisoryPackages(osv)) {
            if (await store.pluginRow(pkg)) continue;
            const at = osv.affected.findIndex((a) => normalizeName(a.package.name) === pkg);
            const prefix = records.length > 1 ? `record ${i + 1} (${osv.id}) ` : '';
            throw new CliError(
              `${file}: ${prefix}affected[${at}].package.name: ${pkg} is not a plugin of this marketplace; nothing stored`,
            );
          }
        }
        const { importAdvisory } = await import('../../../server/advisories.ts');
        const out = [];
        for (const osv of records) out.push(await importAdvisory(store, osv, { owner: 'admin', admin: true }));
        return out;
      });
      if (ctx.globals.json) ctx.io.stdout(`${JSON.stringify({ advisories: saved })}\n`);
      else for (const s of saved) ctx.io.stdout(`${s.advisory.id}: ${s.status} (${s.plugins.join(', ')})\n`);
      return EXIT.ok;
    }),
  );
  storeOptions(advisory.command('list [plugin]').description('list the stored advisories (of one plugin, or all), newest first'), {
    create: false,
  }).action(
    act(async (ctx, plugin: string | undefined, opts: DataDirOption) => {
      const { listAdvisories } = await import('../../../server/store/advisories.ts');
      const found = await withStore(ctx, opts, async (store) => {
        const row = plugin === undefined ? null : await store.pluginRow(pluginArg(plugin));
        if (plugin !== undefined && !row) throw new CliError(`${pluginArg(plugin)} is not a plugin of this marketplace`);
        return listAdvisories(store.db, row ? Number(row.id) : null, 10_000);
      });
      ctx.io.stdout(ctx.globals.json ? `${JSON.stringify({ advisories: found })}\n` : advisoryColumns(found));
      return EXIT.ok;
    }),
  );

  // backup, export, import: the whole store to or from a directory, all of it or nothing.
  for (const t of TRANSFERS) {
    const verb = t.spec.split(' ')[0];
    const failure = t.into === 'store' ? `${verb} refused, nothing stored` : `${verb} failed, nothing written`;
    storeCommand(admin, t.spec, t.description, { create: t.into === 'store' }).action(
      act(async (ctx, dir: string, opts: DataDirOption) => {
        const said = t.done(dir, await transfer(ctx, opts, dir, failure, t.run));
        ctx.io.stdout(ctx.globals.json ? `${JSON.stringify(said.json)}\n` : `${said.text}\n`);
        return EXIT.ok;
      }),
    );
  }
};

function countsLine(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
}
