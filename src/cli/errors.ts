/** Exit codes shared by every command, and the one place core errors get the CLI's wording. */
import { ENV } from '../core/config.ts';
import { CoreError } from '../core/errors.ts';
import { MarketplaceError } from '../core/marketplace/errors.ts';

export const EXIT = { ok: 0, problems: 1, error: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for the user: printed as one line, no stack trace unless --debug. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  /** Stable code of the `--json` error object (`{"error": {"code", "message"}}`). */
  readonly code: string;
  constructor(message: string, exitCode: ExitCode = EXIT.error, code?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = code ?? (exitCode === EXIT.problems ? 'problems' : 'error');
  }
}

/** Install refusals that are findings about the plugin (exit 1), not failures to run (exit 2). */
const PROBLEM_REFUSALS: readonly string[] = ['incompatible', 'yanked', 'conflict'];

/** A core error as the CLI says it (flags by their names, exit codes by kind); null for anything else. */
export function cliErrorFor(err: unknown): CliError | null {
  if (err instanceof MarketplaceError) {
    if (err.code === 'unauthenticated')
      return new CliError(`${err.endpoint}: needs a token: pass --token or set ${ENV.token}`, EXIT.error, err.code);
    return new CliError(err.message, EXIT.error, err.code);
  }
  if (!(err instanceof CoreError)) return null;
  switch (err.code) {
    case 'invalid-fapilog-version':
      return new CliError(`--fapilog-version ${JSON.stringify(err.subject ?? '')} is not a PEP 440 version`, EXIT.error, err.code);
    case 'install-refused':
      return new CliError(
        `not installed: ${err.message}`,
        PROBLEM_REFUSALS.includes(err.subject ?? '') ? EXIT.problems : EXIT.error,
        err.code,
      );
    case 'invalid-manifest':
      return new CliError(`${err.message}; fix the manifest and run the command again (nothing was changed)`, EXIT.error, err.code);
    default:
      return new CliError(err.message, EXIT.error, err.code);
  }
}
