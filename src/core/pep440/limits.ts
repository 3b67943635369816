/**
 * Bounds on PEP 440 text that every front end applies before a version or specifier is parsed,
 * compared or stored. PEP 440 puts no limit on the size of a number, but the parser turns every
 * number into a JavaScript double: a 30-digit part becomes `1.111111111111111e+29` and 2^53 + 1
 * becomes 2^53, so two different versions would compare equal, print as something that is not
 * PEP 440, and collide in storage. Anything beyond what a double holds exactly is refused, and the
 * texts are kept short enough that parsing them costs nothing worth mentioning.
 */

/** Longest version text accepted (far beyond any real release; `1!2024.12.31.post12.dev3+local` is 30). */
export const MAX_VERSION_LENGTH = 64;
/** Longest specifier text accepted (`>=0.14,<0.17,!=0.15.2` is 21). */
export const MAX_SPECIFIER_LENGTH = 200;
/** Largest number in a version: the last integer a double (and so the parser) holds exactly. */
export const MAX_VERSION_NUMBER = Number.MAX_SAFE_INTEGER;

export type BoundKind = 'version' | 'specifier';

/** What a refused text broke: shown to the user, so it names the limit. */
export class VersionBoundsError extends Error {
  readonly kind: BoundKind;
  readonly text: string;
  constructor(kind: BoundKind, text: string, reason: string) {
    super(`${kind} ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} ${reason}`);
    this.name = 'VersionBoundsError';
    this.kind = kind;
    this.text = text;
  }
}

function numbersProblem(text: string): string | null {
  for (const run of text.match(/[0-9]+/g) ?? []) {
    // Leading zeros do not change the value (`1.01` is `1.1`), so they are not the problem.
    const digits = run.replace(/^0+(?=[0-9])/, '');
    if (digits.length > 16 || BigInt(digits) > BigInt(MAX_VERSION_NUMBER)) {
      return (
        `has a number (${digits.length > 24 ? `${digits.slice(0, 24)}…` : digits}) above ` +
        `${MAX_VERSION_NUMBER}, the largest one stored exactly`
      );
    }
  }
  return null;
}

/** Why a version text is out of bounds, or null when it is within them (validity is checked elsewhere). */
export function checkVersionBounds(version: string): string | null {
  if (version.length > MAX_VERSION_LENGTH) return `is longer than ${MAX_VERSION_LENGTH} characters`;
  return numbersProblem(version);
}

/** The same for a specifier set (`>=1.0,<2`): every number in every clause. */
export function checkSpecifierBounds(spec: string): string | null {
  if (spec.length > MAX_SPECIFIER_LENGTH) return `is longer than ${MAX_SPECIFIER_LENGTH} characters`;
  return numbersProblem(spec);
}

export function assertVersionBounds(version: string): void {
  const problem = checkVersionBounds(version);
  if (problem) throw new VersionBoundsError('version', version, problem);
}

export function assertSpecifierBounds(spec: string): void {
  const problem = checkSpecifierBounds(spec);
  if (problem) throw new VersionBoundsError('specifier', spec, problem);
}
