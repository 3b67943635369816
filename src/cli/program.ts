/**
 * The `fapilog-plugins` program: global options, one module per command, and the mapping of
 * outcomes to exit codes (0 ok, 1 problems found, 2 usage or runtime error).
 */
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_INDEX_URL, ENV } from '../core/config.ts';
import { describeSource } from '../core/source.ts';
import { DEFAULT_TTL_MS } from '../core/marketplace/client.ts';
import { DEFAULT_HTTP_OPTIONS } from '../core/marketplace/http.ts';
import { MarketplaceError, redact } from '../core/marketplace/errors.ts';
import { TOOL_NAME, TOOL_VERSION } from '../core/version.ts';
import { commandContext, processIo, type Act, type CliIo, type CommandContext, type RegisterCommand } from './context.ts';
import { CliError, cliErrorFor, EXIT, type ExitCode } from './errors.ts';
import { integerArg, numberArg } from './options.ts';
import { terminalStream } from './output/sanitize.ts';
import { commandsFor, loadCommands } from './commands/index.ts';

/**
 * The program with the given commands (`loadCommands()`: all of them, as `--help` and the
 * generated reference show them).
 */
export function buildProgram(io: CliIo, outcome: { code: ExitCode }, commands: readonly RegisterCommand[]): Command {
  return registerCommands(globalProgram(io), io, outcome, commands);
}

/** The flags of a command's options that take a value (`--token <token>`): the next word is theirs. */
export function valueOptionsOf(command: Command): Set<string> {
  return new Set(
    command.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
  );
}

/** The program's name, version and global options, without commands. */
function globalProgram(io: CliIo): Command {
  return (
    new Command(TOOL_NAME)
      .description('Find, check, update and publish fapilog plugins')
      // `--version` (an option) and `version <bump>` (the plugin-version command) coexist in commander.
      .version(TOOL_VERSION, '-V, --version', 'print the version of fapilog-plugins')
      .addOption(new Option('--marketplace-url <url>', 'marketplace API base URL').env(ENV.url))
      .addOption(
        new Option(
          '--index-url <url>',
          `Python package index (simple API) to read plugins from instead of a marketplace; default ` +
            `${DEFAULT_INDEX_URL} when no marketplace is set`,
        ).env(ENV.index),
      )
      .addOption(new Option('--token <token>', 'marketplace Bearer token').env(ENV.token))
      .addOption(new Option('--cache-dir <dir>', 'metadata cache directory').env(ENV.cache))
      .option('--offline', 'use the cache only; a miss is an error')
      .option('--prefer-offline', `use cache entries younger than ${DEFAULT_TTL_MS / 60_000} minutes without asking the marketplace`)
      .option('--json', 'machine output on stdout, messages on stderr')
      .option('--debug', 'print stack traces and HTTP debugging on stderr')
      .addOption(
        new Option('--timeout <seconds>', 'seconds to wait for each marketplace request')
          .argParser(numberArg(0.1, 3600))
          .default(DEFAULT_HTTP_OPTIONS.timeoutMs / 1000),
      )
      .addOption(
        new Option('--retries <n>', 'extra attempts of a failed marketplace read (network errors, 5xx)')
          .argParser(integerArg(0, 10))
          .default(DEFAULT_HTTP_OPTIONS.retries),
      )
      .configureOutput({
        writeOut: (s) => io.stdout(s),
        writeErr: (s) => io.stderr(s),
        outputError: (s, write) => write(s),
      })
      .exitOverride()
  );
}

function registerCommands(program: Command, io: CliIo, outcome: { code: ExitCode }, commands: readonly RegisterCommand[]): Command {
  const act: Act =
    (fn) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const ctx = commandContext(io, command);
      // Commander passes the positional arguments, then the command's options, then the command.
      try {
        outcome.code = await (fn as (c: typeof ctx, ...a: unknown[]) => Promise<ExitCode>)(ctx, ...args.slice(0, -1));
      } catch (err) {
        throw withSourceHint(withUrlHint(err, ctx), ctx);
      }
    };
  for (const register of commands) register(program, act);
  return program;
}

/**
 * A 404 from a marketplace URL that lacks the API prefix is almost always that: the server is
 * there, the API is one level down (`http://host` instead of `http://host/api/v1`).
 */
function withUrlHint(err: unknown, ctx: CommandContext): unknown {
  if (!(err instanceof MarketplaceError) || err.kind !== 'http' || err.status !== 404 || ctx.openedSource()?.kind === 'index') return err;
  let url: string;
  try {
    url = ctx.settings().url;
  } catch {
    return err;
  }
  if (/\/api\/v\d+\/?$/.test(new URL(url).pathname)) return err;
  const suggested = `${url.replace(/\/+$/, '')}/api/v1`;
  return new CliError(
    `${err.message} (the marketplace API is usually under /api/v1: try --marketplace-url ${suggested})`,
    EXIT.error,
    err.code,
  );
}

/**
 * A source that cannot be reached at all (no name, nothing listening, no answer) and left nothing
 * in the cache: one line naming the source, why it was the one asked, and how to choose another.
 */
function withSourceHint(err: unknown, ctx: CommandContext): unknown {
  const source = ctx.openedSource();
  if (!source || !(err instanceof MarketplaceError) || !(err.kind === 'network' || err.kind === 'timeout' || err.kind === 'wait-limit'))
    return err;
  const settings = ctx.sourceSettings();
  const status = source.status();
  const why =
    settings.chosenBy === 'default'
      ? ` (asked because neither --index-url nor --marketplace-url is set, nor ${ENV.index} / ${ENV.url})`
      : '';
  return new CliError(
    `${describeSource(source.kind, status.url)} could not be reached: ${err.message}${why}; choose another ` +
      `source with --index-url URL (a package index) or --marketplace-url URL (a marketplace), or set ` +
      `${ENV.index} / ${ENV.url}`,
    EXIT.error,
    err.code,
  );
}

/** The token given on the command line or in the environment, so that no error output shows it. */
function secretOf(argv: string[], io: CliIo): string | undefined {
  const i = argv.indexOf('--token');
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith('--token='));
  if (inline) return inline.slice('--token='.length);
  return io.env[ENV.token] || process.env[ENV.token] || undefined;
}

/** Runs the CLI and returns the exit code; never throws and never calls process.exit. */
export async function run(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  const outcome: { code: ExitCode } = { code: EXIT.ok };
  const secret = secretOf(argv, io);
  // Every byte for the terminal passes terminalStream: no control sequence from a manifest or a
  // marketplace answer reaches it, whichever command printed the text.
  const safeIo: CliIo = {
    ...io,
    stdout: (text) => io.stdout(terminalStream(text)),
    stderr: (text) => io.stderr(terminalStream(redact(text, secret))),
  };
  const program = globalProgram(safeIo);
  // Only the named command's module is loaded: for a small project, start-up is most of a run.
  const valueOptions = valueOptionsOf(program);
  // Under --json a script reads stdout: an error is a JSON object there too, as well as the line on stderr.
  const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json');
  const fail = (code: string, message: string, exitCode: ExitCode, err: unknown): ExitCode => {
    safeIo.stderr(`error: ${message}\n`);
    if (argv.includes('--debug') && err instanceof Error && err.stack) safeIo.stderr(`${err.stack}\n`);
    if (json) io.stdout(`${JSON.stringify({ error: { code, message: redact(message, secret) } })}\n`);
    return exitCode;
  };
  try {
    registerCommands(program, safeIo, outcome, await loadCommands(commandsFor(argv, valueOptions)));
    await program.parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0; commander has printed the usage error.
      if (err.exitCode === 0) return EXIT.ok;
      if (json)
        io.stdout(`${JSON.stringify({ error: { code: 'usage', message: redact(err.message.replace(/^error: /, ''), secret) } })}\n`);
      return EXIT.error;
    }
    const mapped = cliErrorFor(err) ?? (err instanceof CliError ? err : null);
    if (mapped) return fail(mapped.code, mapped.message, mapped.exitCode, err);
    const message = err instanceof Error ? err.message : String(err);
    return fail('internal', message.split('\n')[0] ?? message, EXIT.error, err);
  }
}
