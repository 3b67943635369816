/**
 * The `fapilog-plugins` program: global options, one module per command, and the mapping of
 * outcomes to exit codes (0 ok, 1 problems found, 2 usage or runtime error).
 */
import { Command, CommanderError, Option } from 'commander';
import { ENV } from '../core/config.ts';
import { DEFAULT_TTL_MS } from '../core/marketplace/client.ts';
import { DEFAULT_HTTP_OPTIONS } from '../core/marketplace/http.ts';
import { redact } from '../core/marketplace/errors.ts';
import { TOOL_NAME, TOOL_VERSION } from '../core/version.ts';
import { commandContext, processIo, type Act, type CliIo, type RegisterCommand } from './context.ts';
import { CliError, cliErrorFor, EXIT, type ExitCode } from './errors.ts';
import { integerArg, numberArg } from './options.ts';
import { terminalStream } from './output/sanitize.ts';
import { COMMANDS } from './commands/index.ts';

export function buildProgram(io: CliIo, outcome: { code: ExitCode }): Command {
  const program = new Command(TOOL_NAME)
    .description('Find, check, update and publish fapilog plugins')
    // `--version` (an option) and `version <bump>` (the plugin-version command) coexist in commander.
    .version(TOOL_VERSION, '-V, --version', 'print the version of fapilog-plugins')
    .addOption(new Option('--marketplace-url <url>', 'marketplace API base URL').env(ENV.url))
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
    .exitOverride();

  const act: Act =
    (fn) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const ctx = commandContext(io, command);
      // Commander passes the positional arguments, then the command's options, then the command.
      outcome.code = await (fn as (c: typeof ctx, ...a: unknown[]) => Promise<ExitCode>)(ctx, ...args.slice(0, -1));
    };
  for (const register of COMMANDS as RegisterCommand[]) register(program, act);
  return program;
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
  const safeIo: CliIo = { ...io, stdout: (text) => io.stdout(terminalStream(text)), stderr: (text) => io.stderr(terminalStream(redact(text, secret))) };
  const program = buildProgram(safeIo, outcome);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end in a CommanderError with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    const debug = argv.includes('--debug');
    const mapped = cliErrorFor(err);
    if (mapped) {
      safeIo.stderr(`error: ${mapped.message}\n`);
      if (debug && err instanceof Error && err.stack) safeIo.stderr(`${err.stack}\n`);
      return mapped.exitCode;
    }
    if (err instanceof CliError) {
      safeIo.stderr(`error: ${err.message}\n`);
      if (debug && err.stack) safeIo.stderr(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    safeIo.stderr(`error: ${message.split('\n')[0]}\n`);
    if (debug && err instanceof Error && err.stack) safeIo.stderr(`${err.stack}\n`);
    return EXIT.error;
  }
}
