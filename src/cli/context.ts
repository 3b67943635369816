/**
 * What a command gets: the process's I/O (replaceable in tests, which run the CLI in-process),
 * the global options, and the marketplace settings resolved from flags and environment.
 */
import type { Command } from 'commander';
import { resolveMarketplaceSettings, type CacheMode, type MarketplaceSettings } from '../core/config.ts';
import { CliError, EXIT, type ExitCode } from './errors.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout is a terminal (colour and width apply). */
  isTTY: boolean;
  columns: number;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    columns: process.stdout.columns || 100,
  };
}

export interface GlobalOptions {
  marketplaceUrl?: string;
  token?: string;
  cacheDir?: string;
  offline?: boolean;
  preferOffline?: boolean;
  json?: boolean;
  debug?: boolean;
}

export interface CommandContext {
  io: CliIo;
  globals: GlobalOptions;
  settings(): MarketplaceSettings;
  /** Colour is for terminals only, and never with NO_COLOR. */
  color: boolean;
}

export function commandContext(io: CliIo, command: Command): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  if (globals.offline && globals.preferOffline) {
    throw new CliError('--offline and --prefer-offline cannot be used together', EXIT.error);
  }
  const cacheMode: CacheMode = globals.offline ? 'offline' : globals.preferOffline ? 'prefer-offline' : 'online';
  return {
    io,
    globals,
    color: io.isTTY && !('NO_COLOR' in io.env) && !globals.json,
    settings: () =>
      resolveMarketplaceSettings(
        { url: globals.marketplaceUrl, token: globals.token, cacheDir: globals.cacheDir, cacheMode },
        io.env,
      ),
  };
}

/** The signature every command module exports. `act` wraps an action so its exit code reaches run(). */
export type Act = <A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<ExitCode>,
) => (...args: unknown[]) => Promise<void>;

export type RegisterCommand = (program: Command, act: Act) => void;
