/**
 * The core's typed errors, modelled on MarketplaceError: a stable `code` a front end can map to
 * its own wording in one place, and a message that never names a front end's flag or input (the
 * CLI says `--fapilog-version`, the Action `fapilog-version`, the bot a config key).
 */

export const CORE_ERROR_CODES = [
  'invalid-fapilog-version', // the fapilog version to judge against is not PEP 440 (`subject` holds it)
  'unknown-plugin', // update was asked for plugins the project does not use (`subject`: the names)
  'invalid-manifest', // a manifest to be edited does not parse (TOML syntax error...)
  'edit-rejected', // a planned edit did not read back as intended; nothing was changed
  'install-refused', // install said no (see InstallRefused.reason)
  'write-conflict', // a file changed on disk since it was read
  'write-failed', // replacing the files failed; the ones already replaced were restored
  'project-not-found', // the project directory or file does not exist
] as const;
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  /** The files the error is about (project-relative), when there are any. */
  readonly files: readonly string[];
  /** The value the error is about (a version, names...), for a front end that rewords it. */
  readonly subject: string | null;
  constructor(code: CoreErrorCode, message: string, extra: { files?: readonly string[]; subject?: string | null; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'CoreError';
    this.code = code;
    this.files = extra.files ?? [];
    this.subject = extra.subject ?? null;
  }
}

export function isCoreError(err: unknown, code?: CoreErrorCode): err is CoreError {
  return err instanceof CoreError && (code === undefined || err.code === code);
}

export const REFUSALS = ['bad-request', 'not-found', 'yanked', 'incompatible', 'conflict', 'already-present', 'no-manifest'] as const;
export type RefusalReason = (typeof REFUSALS)[number];

/** A clear "no" from install that changed nothing; `reason` says which kind. */
export class InstallRefused extends CoreError {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super('install-refused', message, { subject: reason });
    this.name = 'InstallRefused';
    this.reason = reason;
  }
}
