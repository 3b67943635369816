/**
 * The fix command every hint prints, worded for someone who has never cloned this repository: an
 * `npx` command pinned to this release, so that it runs the same code that gave the advice
 * (`npx fapilog-plugins@0.1.0 update fapilog-otel`).
 *
 * The version is package.json's, by way of TOOL_VERSION (test/core/version.test.ts keeps the two
 * equal): the same constant in a checkout, in the npm package and in the Action's ncc bundle. A
 * JSON import of package.json would work in the first two too, but it puts a copy of package.json
 * into the bundle's build and our own package into dist/licenses.txt.
 */
import { TOOL_NAME, TOOL_VERSION } from '../version.ts';

/** `fapilog-plugins@0.1.0`: what `npx` is told to fetch and run. */
export const NPX_PACKAGE = `${TOOL_NAME}@${TOOL_VERSION}`;

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
