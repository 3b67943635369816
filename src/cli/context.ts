/**
 * What a command gets: the process's I/O (replaceable in tests, which run the CLI in-process),
 * the global options, the marketplace settings resolved from flags and environment, and a
 * marketplace client wired to them.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import {
  resolveMarketplaceSettings,
  resolveSourceSettings,
  type CacheMode,
  type MarketplaceSettings,
  type SourceSettings,
} from '../core/config.ts';
import { MarketplaceClient, type ClientOptions } from '../core/marketplace/client.ts';
import { openSource, type PluginSource } from '../core/source.ts';
import { formatPath, redact } from '../core/marketplace/errors.ts';
import { TOOL_NAME } from '../core/version.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';
import { startProgress, type Progress } from './output/progress.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal (colour and width apply). */
  isTTY: boolean;
  columns: number;
  /** stderr is a terminal: a progress line may be drawn there (and erased). Default false. */
  stderrIsTTY?: boolean;
}

/**
 * The directory the user called the CLI from. npm runs scripts in the package root, so under our
 * own `npm run cli -- ...` that is INIT_CWD, where npm was called; anywhere else (npx, the bin, a
 * script of another package that changes directory first) it is the process's own.
 */
export function callerCwd(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const ours = env['npm_lifecycle_event'] === 'cli' && env['npm_package_name'] === TOOL_NAME;
  return ours && env['INIT_CWD'] ? env['INIT_CWD'] : cwd;
}

/** Resolves once the process is asked to stop (Ctrl-C or a service manager's SIGTERM), saying so on stderr. */
export async function untilStopped(io: Pick<CliIo, 'stderr'>): Promise<void> {
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  io.stderr(`received ${signal}, shutting down\n`);
}

/** COLUMNS when set (as `ls` does: a way to pick the width), else the terminal's, else 100. */
export function terminalColumns(env: NodeJS.ProcessEnv, tty: number | undefined): number {
  const fromEnv = Number(env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return tty || 100;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: callerCwd(process.env),
    isTTY: Boolean(process.stdout.isTTY),
    columns: terminalColumns(process.env, process.stdout.columns),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

export interface GlobalOptions {
  marketplaceUrl?: string;
  indexUrl?: string;
  token?: string;
  cacheDir?: string;
  offline?: boolean;
  preferOffline?: boolean;
  json?: boolean;
  debug?: boolean;
  /** Seconds per request attempt. */
  timeout?: number;
  /** Extra attempts of a failed idempotent request. */
  retries?: number;
}

export interface CommandContext {
  io: CliIo;
  globals: GlobalOptions;
  settings(): MarketplaceSettings;
  /** One marketplace client per command run (so its de-duplication spans the whole command): publishing. */
  client(options?: ClientOptions): MarketplaceClient;
  /** Where the reading commands ask: the marketplace or the package index (PyPI when nothing is configured). */
  sourceSettings(): SourceSettings;
  /** One source per command run: a marketplace client or an index client. */
  source(options?: ClientOptions): Promise<PluginSource>;
  /** The source this command opened, if it did (errors then say how to choose another). */
  openedSource(): PluginSource | undefined;
  /** Colour: FORCE_COLOR, else terminals without NO_COLOR (useColor); never under --json. */
  color: boolean;
  /**
   * Width tables fit into: the terminal's on a TTY; unlimited for a pipe or a file, which has no
   * width to fit, so nothing (a sha256, a long description) is cut short there.
   */
  width: number;
  /** `warning: ...` on stderr (also under --json). */
  warn(message: string): void;
  /** `debug: ...` on stderr under --debug only. */
  debug(message: string): void;
  /** Runs `work` with a progress line on stderr (a terminal only) once it has taken a second. */
  withProgress<T>(label: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Whether to colour: FORCE_COLOR first (as Node and most tools read it: `0` or `false` turns colour
 * off, any other value, empty included, turns it on even for a pipe), then NO_COLOR (off), then
 * whether stdout is a terminal. Machine output (`--json`) is never coloured.
 */
export function useColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  return isTTY && !noColor(env);
}

/** no-color.org: NO_COLOR disables colour when it is present and not empty (`NO_COLOR=` does not). */
export function noColor(env: NodeJS.ProcessEnv): boolean {
  const value = env['NO_COLOR'];
  return value !== undefined && value !== '';
}

/** Global options that commander may fill from the process environment; io.env is the one we honour. */
const ENV_BACKED = ['marketplaceUrl', 'indexUrl', 'token', 'cacheDir'] as const;

export function commandContext(io: CliIo, command: Command): CommandContext {
  const globals = { ...command.optsWithGlobals<GlobalOptions>() };
  // Commander reads process.env for .env() options; in-process runs pass their own environment in
  // io.env, which resolveMarketplaceSettings reads, so an env-sourced value is dropped here.
  for (const key of ENV_BACKED) {
    if (command.getOptionValueSourceWithGlobals(key) === 'env') delete globals[key];
  }
  if (globals.offline && globals.preferOffline) {
    throw new CliError('--offline and --prefer-offline cannot be used together', EXIT.error);
  }
  const cacheMode: CacheMode = globals.offline ? 'offline' : globals.preferOffline ? 'prefer-offline' : 'online';

  const settingsError = (err: unknown, urlFlag: string) => {
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      const field = issue ? formatPath(issue.path) : 'settings';
      const flag = { url: urlFlag, token: '--token', cacheDir: '--cache-dir' }[field] ?? field;
      return new CliError(
        redact(`invalid ${flag}: ${issue?.message ?? 'not accepted'}`, globals.token ?? io.env['FAPILOG_MARKETPLACE_TOKEN']),
      );
    }
    return err;
  };
  const overrides = {
    url: globals.marketplaceUrl,
    indexUrl: globals.indexUrl,
    token: globals.token,
    cacheDir: globals.cacheDir,
    cacheMode,
  };
  if (globals.marketplaceUrl && globals.indexUrl) {
    throw new CliError('--marketplace-url and --index-url cannot be used together: give the one source to ask', EXIT.error);
  }
  // Resolved on first use and once: a command that never reads a source never fails on its settings.
  const lazySettings = <T>(resolve: () => T, urlFlag: string) => {
    let value: T | undefined;
    return (): T => {
      if (value !== undefined) return value;
      try {
        value = resolve();
      } catch (err) {
        throw settingsError(err, urlFlag);
      }
      return value;
    };
  };
  const resolveSettings = lazySettings<MarketplaceSettings>(() => resolveMarketplaceSettings(overrides, io.env), '--marketplace-url');
  const resolveSource = lazySettings<SourceSettings>(
    () => resolveSourceSettings(overrides, io.env),
    globals.indexUrl || (!globals.marketplaceUrl && io.env['FAPILOG_INDEX_URL']) ? '--index-url' : '--marketplace-url',
  );
  const clientOptions = (options: ClientOptions): ClientOptions => ({
    ...(globals.timeout !== undefined ? { timeoutMs: globals.timeout * 1000 } : {}),
    ...(globals.retries !== undefined ? { retries: globals.retries } : {}),
    warn,
    ...(globals.debug ? { debug } : {}),
    ...options,
  });

  let progress: Progress | null = null;
  // A warning or debug line during a progress line: the line is erased first and drawn again after.
  const toStderr = (text: string) => {
    progress?.clear();
    io.stderr(text);
    progress?.resume();
  };
  const warn = (message: string) => toStderr(`warning: ${message}\n`);
  const debug = (message: string) => {
    if (globals.debug) toStderr(`debug: ${message}\n`);
  };
  let client: MarketplaceClient | undefined;
  let source: PluginSource | undefined;

  return {
    io,
    globals,
    color: useColor(io.env, io.isTTY) && !globals.json,
    width: io.isTTY ? Math.max(40, io.columns || 100) : Number.MAX_SAFE_INTEGER,
    settings: resolveSettings,
    warn,
    debug,
    async withProgress(label, work) {
      const own = startProgress(label, { tty: Boolean(io.stderrIsTTY), write: (t) => io.stderr(t) });
      progress = own;
      try {
        return await work();
      } finally {
        own.done();
        if (progress === own) progress = null;
      }
    },
    client: (options: ClientOptions = {}) => {
      client ??= new MarketplaceClient(resolveSettings(), clientOptions(options));
      return client;
    },
    sourceSettings: resolveSource,
    openedSource: () => source,
    source: async (options: ClientOptions = {}) => {
      source ??= await openSource(resolveSource(), clientOptions(options));
      return source;
    },
  };
}

/** The signature every command module exports. `act` wraps an action so its exit code reaches run(). */
export type Act = <A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<ExitCode>,
) => (...args: unknown[]) => Promise<void>;

export type RegisterCommand = (program: Command, act: Act) => void;
