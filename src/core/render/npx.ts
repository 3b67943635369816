/**
 * The fix command every hint prints, worded for someone who has never cloned this repository: an
 * `npx` command pinned to this release, so that it runs the same code that gave the advice
 * (`npx fapilog-plugins@0.1.0 update fapilog-otel`).
 *
 * The version comes from package.json through a JSON import: the relative path is the same in a
 * checkout and in the npm package (which keeps the checkout's layout, see scripts/build.ts), and
 * the Action's ncc bundle inlines the value.
 */
import pkg from '../../../package.json' with { type: 'json' };

/** `fapilog-plugins@0.1.0`: what `npx` is told to fetch and run. */
export const NPX_PACKAGE = `${pkg.name}@${pkg.version}`;

/** Characters a POSIX shell takes literally, so that a word made of them needs no quotes. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: as it is when plain, else single-quoted (a `'` inside becomes `'\''`). */
export function shellWord(arg: string): string {
  return PLAIN_WORD.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `npx fapilog-plugins@VERSION ...args`, each argument quoted for a POSIX shell where needed. */
export function npxCommand(...args: string[]): string {
  return ['npx', NPX_PACKAGE, ...args.map(shellWord)].join(' ');
}
