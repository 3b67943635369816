/** `serve`: run the reference marketplace server (what a private marketplace runs). */
import { InvalidArgumentError } from 'commander';
import { untilStopped, type RegisterCommand } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';

interface ServeOptions {
  host: string;
  port: number;
  dataDir?: string;
  databaseUrl?: string;
  filesDir?: string;
  logFormat?: 'text' | 'json';
  seed?: string;
  rateLimit?: number;
  publicUrl?: string;
  trustProxy?: string;
  maxConnections?: number;
  headersTimeout?: number;
  quiet?: boolean;
  oidcIssuer?: string;
  oidcJwksUrl?: string;
  oidcAudience?: string;
  upstream?: string;
  upstreamPrefix?: string;
  upstreamInterval?: number;
  upstreamMaxProjects?: number;
}

function httpUrl(flag: string) {
  return (value: string): string => {
    if (!/^https?:\/\/[^/\s]+\S*$/.test(value)) throw new InvalidArgumentError(`${flag} must be an http(s) URL`);
    return value;
  };
}

function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

export const register: RegisterCommand = (program, act) => {
  program
    .command('serve')
    .description('run the reference marketplace server (REST API, /simple/ index, files)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', intArg(0, 65535), 8080)
    .option('--data-dir <dir>', 'data directory: SQLite database and files (env FAPILOG_MARKETPLACE_DATA_DIR, default ./marketplace-data)')
    .option(
      '--database-url <url>',
      'run on PostgreSQL (postgres://user:password@host:port/db; env FAPILOG_MARKETPLACE_DATABASE_URL): several ' +
        'instances may share it; wins over --data-dir',
    )
    .option(
      '--files-dir <dir>',
      'with --database-url: a directory every instance shares for release files (env ' +
        'FAPILOG_MARKETPLACE_FILES_DIR; default: files in the database)',
    )
    .option(
      '--log-format <format>',
      'access log lines: text or json (one object per line)',
      (v: string) => {
        if (v !== 'text' && v !== 'json') throw new InvalidArgumentError('expected text or json');
        return v;
      },
      'text',
    )
    .option('--seed <file>', 'load a catalog at start (examples/catalog/catalog.json format; idempotent)')
    .option(
      '--rate-limit <n>',
      'requests per minute per valid token or client address (env FAPILOG_MARKETPLACE_RATE_LIMIT, default 600)',
      intArg(1, 1_000_000),
    )
    .option('--public-url <url>', 'base URL clients reach the server at, for links (env FAPILOG_MARKETPLACE_PUBLIC_URL)')
    .option(
      '--trust-proxy <list>',
      'addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed for the client ' +
        'address, comma-separated; also loopback, linklocal, uniquelocal (env FAPILOG_MARKETPLACE_TRUST_PROXY, ' +
        'default none)',
    )
    .option(
      '--max-connections <n>',
      'connections held at once; more are closed as they arrive (env FAPILOG_MARKETPLACE_MAX_CONNECTIONS, default 512)',
      intArg(1, 1_000_000),
    )
    .option(
      '--headers-timeout <seconds>',
      'a connection that has not sent a request head within this is closed (env FAPILOG_MARKETPLACE_HEADERS_TIMEOUT, default 10)',
      intArg(1, 600),
    )
    .option('--quiet', 'no access log on stderr')
    .option(
      '--oidc-issuer <url>',
      'OIDC issuer trusted for trusted publishing',
      httpUrl('--oidc-issuer'),
      'https://token.actions.githubusercontent.com',
    )
    .option(
      '--oidc-jwks-url <url>',
      "the issuer's JWKS (default: jwks_uri of <issuer>/.well-known/openid-configuration)",
      httpUrl('--oidc-jwks-url'),
    )
    .option('--oidc-audience <aud>', 'audience OIDC tokens must carry (default: --public-url, else the URL the server listens on)')
    .option(
      '--upstream <url>',
      "mirror a package index's plugin projects (its simple API, e.g. https://pypi.org/simple/; " +
        'env FAPILOG_MARKETPLACE_UPSTREAM_URL); a local plugin of the same name always wins',
    )
    .option(
      '--upstream-prefix <prefix>',
      'mirror only projects whose names start with this (env FAPILOG_MARKETPLACE_UPSTREAM_PREFIX, default fapilog-)',
    )
    .option(
      '--upstream-interval <minutes>',
      'refresh the mirror this often; 0: only at start and on `admin upstream sync` ' +
        '(env FAPILOG_MARKETPLACE_UPSTREAM_INTERVAL, default 60)',
      intArg(0, 7 * 24 * 60),
    )
    .option(
      '--upstream-max-projects <n>',
      'projects ingested per sync, in name order (env FAPILOG_MARKETPLACE_UPSTREAM_MAX_PROJECTS, default 200)',
      intArg(1, 100_000),
    )
    .addHelpText('after', '\nExample:\n  fapilog-plugins serve --data-dir ./marketplace-data --seed examples/catalog/catalog.json\n')
    .action(
      act(async (ctx, opts: ServeOptions) => {
        // Loaded on demand: only this command needs node:sqlite and the server modules.
        const { createMarketplace, DEFAULT_RATE_LIMIT } = await import('../../../server/index.ts');
        const { SERVER_ENV, resolveDataDir, resolveDatabaseUrl, resolveFilesDir, resolveUpstream } = await import(
          '../../../server/settings.ts'
        );
        const { redactUrl } = await import('../../../server/index.ts');
        const env = ctx.io.env;
        const envLimit = env[SERVER_ENV.rateLimit];
        const limit = opts.rateLimit ?? (envLimit ? intArg(1, 1_000_000)(envLimit) : DEFAULT_RATE_LIMIT.limit);
        const publicUrl = opts.publicUrl ?? env[SERVER_ENV.publicUrl];
        const { parseTrustedProxies } = await import('../../../server/proxy.ts');
        const trustProxy = opts.trustProxy ?? env[SERVER_ENV.trustProxy] ?? '';
        try {
          parseTrustedProxies(trustProxy);
        } catch (err) {
          const hint = /^\s*\d+\s*$/.test(trustProxy)
            ? " (it takes the proxies' addresses now, not a count: e.g. 10.0.0.5 or 10.0.0.0/8)"
            : '';
          throw new CliError(`--trust-proxy: ${(err as Error).message}${hint}`);
        }
        const envMax = env[SERVER_ENV.maxConnections];
        const maxConnections = opts.maxConnections ?? (envMax ? intArg(1, 1_000_000)(envMax) : undefined);
        const envHeaders = env[SERVER_ENV.headersTimeout];
        const headersTimeout = opts.headersTimeout ?? (envHeaders ? intArg(1, 600)(envHeaders) : undefined);
        if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new CliError(`--public-url must be an http(s) URL: ${publicUrl}`);
        const dataDir = resolveDataDir(opts.dataDir, env, ctx.io.cwd);
        const databaseUrl = resolveDatabaseUrl(opts.databaseUrl, env);
        const filesDir = resolveFilesDir(opts.filesDir, env, ctx.io.cwd);
        if (filesDir && !databaseUrl)
          throw new CliError('--files-dir is for PostgreSQL (--database-url); with SQLite the files live in --data-dir');
        let upstream;
        try {
          upstream = resolveUpstream(opts, env);
        } catch (err) {
          throw new CliError((err as Error).message);
        }
        let marketplace;
        try {
          marketplace = await createMarketplace({
            dataDir,
            ...(databaseUrl ? { databaseUrl } : {}),
            ...(filesDir ? { filesDir } : {}),
            logFormat: opts.logFormat ?? 'text',
            ...(opts.seed ? { seedFile: opts.seed } : {}),
            ...(publicUrl ? { publicUrl } : {}),
            rateLimit: { limit, windowSeconds: 60 },
            trustProxy,
            connections: {
              ...(maxConnections !== undefined ? { maxConnections } : {}),
              ...(headersTimeout !== undefined ? { headersTimeoutMs: headersTimeout * 1000 } : {}),
            },
            ...(upstream ? { upstream } : {}),
            ...(opts.quiet ? {} : { log: (line: string) => ctx.io.stderr(`${line}\n`) }),
            oidc: {
              ...(opts.oidcIssuer ? { issuer: opts.oidcIssuer } : {}),
              ...(opts.oidcJwksUrl ? { jwksUrl: opts.oidcJwksUrl } : {}),
              ...(opts.oidcAudience ? { audience: opts.oidcAudience } : {}),
            },
          });
        } catch (err) {
          throw new CliError(err instanceof Error ? err.message : String(err));
        }
        let url: string;
        try {
          url = await marketplace.listen(opts.port, opts.host);
        } catch (err) {
          await marketplace.close();
          throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const shown = publicUrl?.replace(/\/+$/, '') ?? url;
        ctx.io.stdout(
          `fapilog marketplace listening on ${url}\n` +
            `  API:          ${shown}/api/v1\n` +
            `  simple index: ${shown}/simple/\n` +
            (databaseUrl
              ? `  database:     ${redactUrl(databaseUrl)}\n  files:        ${filesDir ?? 'in the database'}\n`
              : `  data dir:     ${dataDir}\n`) +
            `  OIDC:         issuer ${opts.oidcIssuer}, audience ${opts.oidcAudience ?? shown}\n` +
            (upstream
              ? `  upstream:     ${redactUrl(upstream.url)} (projects ${upstream.prefix}*, ` +
                `refreshed every ${upstream.intervalMinutes ?? 60} min)\n`
              : ''),
        );
        await untilStopped(ctx.io);
        await marketplace.close();
        return EXIT.ok;
      }),
    );
};
