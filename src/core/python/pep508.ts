/**
 * PEP 508 requirement strings (`name[extra1,extra2] (>=1.0,<2) ; markers`, `name @ url ; markers`),
 * parsed by hand because the rewriter needs the exact offsets of each part, which no maintained
 * JavaScript parser reports.
 */
import type { Span } from './types.ts';

export interface ParsedRequirement {
  name: string;
  nameSpan: Span;
  extras: string[];
  /** Trimmed specifier text without parentheses; '' when none. */
  specifier: string;
  /** Offsets of `specifier` in the input; zero-width insertion point when none is written; null for URL requirements. */
  specifierSpan: Span | null;
  url: string | null;
  markers: string | null;
  /** End of the requirement proper (after markers or specifier), trailing whitespace excluded. */
  end: number;
}

export class RequirementSyntaxError extends Error {
  override name = 'RequirementSyntaxError';
  /** What is wrong, without quoting the input: safe to show for a line of unknown content. */
  readonly reason: string;
  constructor(message: string, reason: string) {
    super(message);
    this.reason = reason;
  }
}

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const SPEC_CHARS = /[^;()\[\]@#]*/y;

function skipWs(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i += 1;
  return i;
}

function trimEnd(s: string, from: number, to: number): number {
  while (to > from && /\s/.test(s[to - 1] as string)) to -= 1;
  return to;
}

/** Parses one PEP 508 requirement; throws RequirementSyntaxError saying what is wrong. */
export function parseRequirement(input: string): ParsedRequirement {
  let i = skipWs(input, 0);
  NAME.lastIndex = i;
  const nm = NAME.exec(input);
  if (!nm)
    throw new RequirementSyntaxError(`expected a package name at ${JSON.stringify(input.slice(i, i + 20))}`, 'expected a package name');
  const name = nm[0];
  const nameSpan = { start: i, end: i + name.length };
  i = nameSpan.end;
  let insertAt = i;
  i = skipWs(input, i);

  const extras: string[] = [];
  if (input[i] === '[') {
    const close = input.indexOf(']', i);
    if (close < 0) throw new RequirementSyntaxError(`unclosed '[' in extras of ${name}`, "unclosed '[' in extras");
    for (const part of input.slice(i + 1, close).split(',')) {
      const e = part.trim();
      if (e === '') continue;
      if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))
        throw new RequirementSyntaxError(`invalid extra ${JSON.stringify(e)} in ${name}`, 'invalid extra name');
      // Extras are a set (as in packaging); the first spelling wins.
      if (!extras.some((x) => x.toLowerCase() === e.toLowerCase())) extras.push(e);
    }
    i = close + 1;
    insertAt = i;
    i = skipWs(input, i);
  }

  let specifier = '';
  let specifierSpan: Span | null = { start: insertAt, end: insertAt };
  let url: string | null = null;
  let end = insertAt;

  if (input[i] === '@') {
    i = skipWs(input, i + 1);
    const m = /[^\s]+/y;
    m.lastIndex = i;
    const u = m.exec(input);
    if (!u) throw new RequirementSyntaxError(`expected a URL after '@' in ${name}`, "expected a URL after '@'");
    url = u[0];
    // A URL may legitimately contain ';' only when not followed by whitespace-separated markers.
    if (url.endsWith(';')) url = url.slice(0, -1);
    i += url.length;
    end = i;
    specifierSpan = null;
    i = skipWs(input, i);
  } else if (input[i] === '(') {
    const close = input.indexOf(')', i);
    if (close < 0) throw new RequirementSyntaxError(`unclosed '(' in specifier of ${name}`, "unclosed '(' in the specifier");
    const innerStart = skipWs(input, i + 1);
    const innerEnd = trimEnd(input, innerStart, close);
    specifier = input.slice(innerStart, innerEnd);
    specifierSpan = { start: innerStart, end: innerEnd };
    if (specifier === '') specifierSpan = { start: innerStart, end: innerStart };
    i = close + 1;
    end = i;
    i = skipWs(input, i);
  } else if (i < input.length && input[i] !== ';') {
    SPEC_CHARS.lastIndex = i;
    const sm = SPEC_CHARS.exec(input);
    const raw = sm ? sm[0] : '';
    const specEnd = trimEnd(input, i, i + raw.length);
    if (specEnd > i && !/^[<>=!~]/.test(raw)) {
      throw new RequirementSyntaxError(
        `expected a version specifier, ';' or '@' after ${name}, found ${JSON.stringify(input.slice(i).trim())}`,
        "expected a version specifier, ';' or '@' after the name",
      );
    }
    if (specEnd > i) {
      specifier = input.slice(i, specEnd);
      specifierSpan = { start: i, end: specEnd };
      end = specEnd;
    }
    i = skipWs(input, i + raw.length);
  }

  let markers: string | null = null;
  if (input[i] === ';') {
    const mStart = skipWs(input, i + 1);
    const mEnd = trimEnd(input, mStart, input.length);
    markers = input.slice(mStart, mEnd);
    if (markers === '')
      throw new RequirementSyntaxError(`empty environment marker after ';' in ${name}`, "empty environment marker after ';'");
    end = mEnd;
    i = input.length;
  }
  i = skipWs(input, i);
  if (i < input.length && input.slice(i).trim() !== '') {
    throw new RequirementSyntaxError(
      `unexpected ${JSON.stringify(input.slice(i).trim())} after requirement ${name}`,
      'unexpected text after the requirement',
    );
  }
  return { name, nameSpan, extras, specifier, specifierSpan, url, markers, end };
}

/** `==1.2.3` alone (no wildcard, no other clause) -> `1.2.3`. */
export function exactPin(specifier: string): string | null {
  const m = /^\s*==\s*([^\s,*=]+)\s*$/.exec(specifier);
  return m ? (m[1] as string) : null;
}
