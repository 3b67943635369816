/**
 * Option-argument parsers for commander: a bad value becomes commander's one-line usage error
 * (exit 2) naming the option, before any command runs.
 */
import { InvalidArgumentError } from 'commander';

export function integerArg(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `expected a whole number >= ${min}` : `expected a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

export function numberArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return n;
  };
}

/** The waiting period for new releases, in days (`outdated`, `update`; the Action's `minimum-release-age`). */
export const MINIMUM_RELEASE_AGE_HELP =
  'propose a release only once it has been public this many days ' +
  '(a release that fixes an advisory the current one has does not wait; a release of unknown publish time waits)';
export const minimumReleaseAgeArg = integerArg(0, 3650);

/**
 * `--ignore a,b --ignore c`: a repeatable single-value option split on commas (like the Action's
 * `ignore` input). Single-value, so it never swallows a positional argument after it as a
 * variadic option would.
 */
export function nameListArg(value: string, previous: string[] | undefined): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  for (const n of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(n)) throw new InvalidArgumentError(`"${n}" is not a plugin name`);
  }
  return [...(previous ?? []), ...names];
}
