/**
 * Shared settings of the property-based tests: a fixed seed (override with FC_SEED to explore),
 * a modest run count (FC_RUNS) so the suite stays fast. fast-check prints the seed and the
 * shrunk counterexample of a failure, so any failure replays with FC_SEED=<seed>.
 */
import fc from 'fast-check';

export const SEED = Number(process.env['FC_SEED'] ?? 20261201);
export const RUNS = Number(process.env['FC_RUNS'] ?? 0) || undefined;

export function params<T>(numRuns: number): fc.Parameters<T> {
  return { seed: SEED, numRuns: RUNS ?? numRuns, endOnFailure: false };
}

/** Characters that mean something to Markdown, HTML, terminals or workflow commands. */
export const HOSTILE_CHARS = [
  ...'|\\`*_{}[]()#+-.!<>&"\'~$^=:@%,;/ \t\n\r',
  '\u0000',
  '\u0007',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u009d',
  '\u00a0',
  '\u2028',
  '\u202e',
  '\u2066',
  '\ufeff',
  '::',
  '##[',
  '\u001b[31m',
  '\u001b]8;;https://evil\u0007',
  '\u001b[2J',
  '<img src=x>',
  '<b>',
  '</td>',
  '[x](http://e)',
  '![i](http://e)',
  'www.evil.com',
  'http://e.com',
  '&amp;',
  '&#60;',
  '```',
  '~~',
  '---',
  '1. ',
  '- ',
  '> ',
  '    ',
  '| --- |',
  '::error file=x,line=1::pwned',
  '%0A',
];

/** Strings rich in hostile fragments, mixed with arbitrary code points. */
export const hostileString = (maxLength = 24): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ unit: 'binary', maxLength: 3 }), fc.string({ maxLength: 4 })), {
      maxLength,
    })
    .map((parts) => parts.join(''));
