/**
 * Offsets to lines and columns, and the one place a Dependency is assembled, so every reader
 * reports positions the same way.
 */
import { normalizeName } from '../names.ts';
import { exactPin, type ParsedRequirement } from './pep508.ts';
import { isValidSpecifier } from '../pep440/index.ts';
import type { Dependency, Span } from './types.ts';

export const IGNORE_COMMENT = /#\s*fapilog-plugins:\s*ignore\b/i;

export class SourceText {
  readonly text: string;
  readonly file: string;
  private readonly lineStarts: number[];

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      if (ch === 10) this.lineStarts.push(i + 1);
      else if (ch === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    // A byte order mark is not a column anyone sees.
    const bom = lo === 0 && offset > 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 - bom };
  }

  /** Text of a 1-based line without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const raw = this.text.slice(start, next ?? this.text.length);
    return raw.replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/**
 * What a reader says about one dependency; `makeDependency` derives the rest (normalised name,
 * location, pin, problem) and defaults the optional fields. `span` is the whole requirement.
 */
export type DependencyParts = Pick<
  Dependency,
  'rawName' | 'extras' | 'alternatives' | 'rawSpecifier' | 'syntax' | 'markers' | 'kind' | 'section' | 'specifierSpan' | 'ignored'
> &
  Partial<Pick<Dependency, 'hashes' | 'hashSpan' | 'url' | 'editable' | 'optional' | 'group' | 'problem'>> & { span: Span };

/** The parts of a parsed PEP 508 string, taken the same way by every reader of one. */
export function pep508Parts(
  parsed: ParsedRequirement,
): Pick<DependencyParts, 'rawName' | 'extras' | 'alternatives' | 'rawSpecifier' | 'syntax' | 'markers' | 'url'> {
  return {
    rawName: parsed.name,
    extras: parsed.extras,
    alternatives: [parsed.specifier],
    rawSpecifier: parsed.specifier,
    syntax: 'pep508',
    markers: parsed.markers,
    url: parsed.url,
  };
}

export function makeDependency(src: SourceText, p: DependencyParts): Dependency {
  const startPos = src.position(p.span.start);
  const endPos = src.position(p.span.end);
  let problem = p.problem ?? null;
  if (problem === null) {
    const bad = p.alternatives.find((a) => a !== '' && !isValidSpecifier(a));
    if (bad !== undefined) problem = `${JSON.stringify(bad)} is not a valid PEP 440 specifier`;
  }
  const specifier = p.alternatives.length === 0 ? '' : p.alternatives.join(' || ');
  const single = p.alternatives.length === 1 ? (p.alternatives[0] as string) : '';
  return {
    name: normalizeName(p.rawName),
    rawName: p.rawName,
    extras: p.extras,
    specifier,
    alternatives: p.alternatives.length === 0 ? [''] : p.alternatives,
    rawSpecifier: p.rawSpecifier,
    syntax: p.syntax,
    markers: p.markers,
    kind: p.kind,
    section: p.section,
    location: {
      file: src.file,
      line: startPos.line,
      column: startPos.column,
      endLine: endPos.line,
      endColumn: endPos.column,
      text: src.text.slice(p.span.start, p.span.end),
      start: p.span.start,
      end: p.span.end,
    },
    specifierSpan: p.specifierSpan,
    hashes: p.hashes ?? [],
    hashSpan: p.hashSpan ?? null,
    pinned: problem === null ? exactPin(single) : null,
    url: p.url ?? null,
    editable: p.editable ?? false,
    optional: p.optional ?? false,
    group: p.group ?? null,
    ignored: p.ignored,
    problem,
  };
}
