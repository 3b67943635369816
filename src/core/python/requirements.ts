/**
 * pip requirements files (`requirements*.txt`, `*.in`), read the way pip reads them: backslash
 * continuations are joined first, then comments (`#` at the start or after whitespace) are
 * stripped, then each logical line is an option (`-r`, `-c`, `-e`, `--index-url`...) or a
 * requirement followed by per-requirement options (`--hash`).
 */
import { parseRequirement, RequirementSyntaxError } from './pep508.ts';
import { IGNORE_COMMENT, makeDependency, pep508Parts, SourceText, type DependencyParts } from './source.ts';
import type { Dependency, Manifest, SkippedLine, Span } from './types.ts';

export interface RequirementsInclude {
  /** The path as written after -r / -c. */
  target: string;
  constraint: boolean;
  line: number;
}

export interface RequirementsRead {
  manifest: Manifest;
  includes: RequirementsInclude[];
}

interface LogicalLine {
  text: string;
  /** File offset of each character of `text`. */
  map: number[];
  /** File offset just past the last character of the logical line's content. */
  endOffset: number;
  firstLine: number;
}

function physicalLines(text: string): Array<{ start: number; content: string }> {
  const out: Array<{ start: number; content: string }> = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start, content: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ start, content: text.slice(start) });
  return out;
}

const COMMENT_LINE = /^(?:\s+)?#/;

/** pip's join_lines: a line ending in `\` continues onto the next, unless it is a comment line. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | null = null;
  const lines = physicalLines(text);
  lines.forEach(({ start, content }, idx) => {
    let offset = start;
    if (idx === 0 && content.startsWith('\uFEFF')) {
      content = content.slice(1);
      offset += 1;
    }
    const isComment = COMMENT_LINE.test(content);
    const continues = content.endsWith('\\') && !isComment;
    const body = continues ? content.slice(0, -1) : content;
    if (current === null) current = { text: '', map: [], endOffset: offset, firstLine: idx + 1 };
    if (isComment && current.text !== '') {
      // pip prefixes a comment line that ends a continuation with a space so it is still stripped.
      current.text += ' ';
      current.map.push(offset);
    }
    for (let i = 0; i < body.length; i += 1) {
      current.text += body[i];
      current.map.push(offset + i);
    }
    current.endOffset = offset + body.length;
    if (!continues) {
      out.push(current);
      current = null;
    }
  });
  if (current !== null) out.push(current);
  return out;
}

interface Token {
  value: string;
  start: number;
  end: number;
}

function tokens(s: string, from = 0): Token[] {
  const out: Token[] = [];
  const re = /[^ \t]+/g;
  re.lastIndex = from;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push({ value: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function commentStart(s: string): number {
  const m = /(^|\s)#/.exec(s);
  return m ? m.index + (m[1] as string).length : -1;
}

function looksLikeUrlOrPath(req: string): boolean {
  // `name @ url` is a PEP 508 requirement, whatever the URL ends with.
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@/.test(req)) return false;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(req) || /^(\.|\/|~|[a-z]:\\)/i.test(req) || /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(req);
}

function eggName(url: string): string | null {
  const m = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  return m ? (m[1] as string) : null;
}

/** A requirement named by its URL or path (`name @ url` style, or `-e url#egg=name`): no specifier to update. */
function urlDependency(
  src: SourceText,
  name: string,
  url: string,
  p: Pick<DependencyParts, 'section' | 'span' | 'ignored' | 'editable' | 'hashes' | 'hashSpan'>,
): Dependency {
  const parts = { rawName: name, extras: [], alternatives: [''], rawSpecifier: '', syntax: 'pep508' as const, markers: null };
  return makeDependency(src, { ...parts, kind: 'requirements', specifierSpan: null, url, ...p });
}

const OPTION_WITH_VALUE = new Map<string, string>([
  ['-r', 'requirement'],
  ['--requirement', 'requirement'],
  ['-c', 'constraint'],
  ['--constraint', 'constraint'],
  ['-e', 'editable'],
  ['--editable', 'editable'],
  ['-i', 'index'],
  ['--index-url', 'index'],
  ['--extra-index-url', 'index'],
  ['-f', 'other'],
  ['--find-links', 'other'],
  ['--trusted-host', 'other'],
  ['--no-binary', 'other'],
  ['--only-binary', 'other'],
  ['--use-feature', 'other'],
  ['--global-option', 'other'],
  ['--config-settings', 'other'],
]);

/** Splits `-rfile`, `--requirement=file`, `-r file` into option and value. */
function optionAndValue(toks: Token[]): { option: string; value: Token | null } | null {
  const first = toks[0];
  if (!first) return null;
  const eq = first.value.indexOf('=');
  if (first.value.startsWith('--') && eq > 0) {
    const option = first.value.slice(0, eq);
    return { option, value: { value: first.value.slice(eq + 1), start: first.start + eq + 1, end: first.end } };
  }
  if (/^-[rcefi].+/.test(first.value) && !first.value.startsWith('--')) {
    return { option: first.value.slice(0, 2), value: { value: first.value.slice(2), start: first.start + 2, end: first.end } };
  }
  return { option: first.value, value: toks[1] ?? null };
}

export function readRequirements(file: string, text: string, section = 'requirements'): RequirementsRead {
  const src = new SourceText(file, text);
  const dependencies: Dependency[] = [];
  const warnings: string[] = [];
  const skipped: SkippedLine[] = [];
  const includes: RequirementsInclude[] = [];
  const indexUrls: string[] = [];

  const toFile = (ll: LogicalLine, s: number, e: number): Span => ({
    start: ll.map[s] ?? ll.endOffset,
    end: e > s ? (ll.map[e - 1] as number) + 1 : (ll.map[s] ?? ll.endOffset),
  });

  for (const ll of logicalLines(text)) {
    const cut = commentStart(ll.text);
    const comment = cut >= 0 ? ll.text.slice(cut) : '';
    const content = cut >= 0 ? ll.text.slice(0, cut) : ll.text;
    if (content.trim() === '') continue;
    const ignored = IGNORE_COMMENT.test(comment);
    const toks = tokens(content);
    const line = src.position(ll.map[toks[0]?.start ?? 0] ?? ll.endOffset).line;

    if (toks[0]?.value.startsWith('-')) {
      const ov = optionAndValue(toks);
      const kindOfOption = ov ? OPTION_WITH_VALUE.get(ov.option) : undefined;
      const value = ov?.value?.value ?? '';
      if (kindOfOption === 'requirement' || kindOfOption === 'constraint') {
        if (value === '') warnings.push(`${file}:${line}: ${ov?.option} needs a file name`);
        else includes.push({ target: value, constraint: kindOfOption === 'constraint', line });
        continue;
      }
      if (kindOfOption === 'index') {
        if (value !== '') indexUrls.push(value);
        continue;
      }
      if (kindOfOption === 'editable' && ov?.value) {
        const name = value.startsWith('.') || value.startsWith('/') ? null : eggName(value);
        const t = ov.value;
        if (name === null) {
          skipped.push({ line, text: content.trim(), reason: 'editable requirement without a package name' });
          continue;
        }
        dependencies.push(urlDependency(src, name, value, { section, span: toFile(ll, toks[0].start, t.end), editable: true, ignored }));
        continue;
      }
      skipped.push({ line, text: content.trim(), reason: 'option' });
      continue;
    }

    // pip's break_args_options: the requirement ends at the first token starting with '-'.
    const optIdx = toks.findIndex((t) => t.value.startsWith('-'));
    const reqEndTok = optIdx < 0 ? toks[toks.length - 1] : toks[optIdx - 1];
    const reqStart = toks[0]?.start ?? 0;
    const reqEnd = reqEndTok ? reqEndTok.end : reqStart;
    const reqText = content.slice(reqStart, reqEnd);
    const optionToks = optIdx < 0 ? [] : toks.slice(optIdx);

    const hashes: string[] = [];
    let hashFirst = -1;
    let hashLast = -1;
    for (let k = 0; k < optionToks.length; k += 1) {
      const t = optionToks[k] as Token;
      let val: Token | undefined;
      if (t.value.startsWith('--hash=')) val = { value: t.value.slice(7), start: t.start + 7, end: t.end };
      else if (t.value === '--hash') {
        val = optionToks[k + 1];
        k += 1;
      } else continue;
      if (!val) {
        warnings.push(`${file}:${line}: --hash needs a value`);
        continue;
      }
      const hm = /^([a-z0-9]+):([0-9a-f]+)$/i.exec(val.value);
      if (!hm) {
        warnings.push(`${file}:${line}: unrecognised hash ${JSON.stringify(val.value)}`);
      } else if ((hm[1] as string).toLowerCase() === 'sha256') {
        hashes.push((hm[2] as string).toLowerCase());
      }
      if (hashFirst < 0) hashFirst = t.start;
      hashLast = val.end;
    }
    const hashSpan = hashFirst >= 0 ? toFile(ll, hashFirst, hashLast) : null;

    if (looksLikeUrlOrPath(reqText)) {
      const name = eggName(reqText);
      if (name === null) {
        skipped.push({ line, text: reqText, reason: 'URL or path requirement without a package name' });
        continue;
      }
      dependencies.push(urlDependency(src, name, reqText, { section, span: toFile(ll, reqStart, reqEnd), hashes, hashSpan, ignored }));
      continue;
    }

    let parsed;
    try {
      parsed = parseRequirement(reqText);
    } catch (err) {
      const why = err instanceof RequirementSyntaxError ? err.message : String(err);
      // The reason only: a line that is not a requirement may hold anything (a token, a secret).
      warnings.push(`${file}:${line}: not a requirement (${err instanceof RequirementSyntaxError ? err.reason : 'unreadable'})`);
      skipped.push({ line, text: reqText, reason: why });
      continue;
    }
    const spanOf = (s: Span): Span => toFile(ll, reqStart + s.start, reqStart + s.end);
    const specSpan = parsed.specifierSpan
      ? parsed.specifierSpan.end > parsed.specifierSpan.start
        ? spanOf(parsed.specifierSpan)
        : (() => {
            const at = (ll.map[reqStart + parsed.specifierSpan.start - 1] ?? ll.map[reqStart] ?? 0) + 1;
            return { start: at, end: at };
          })()
      : null;
    dependencies.push(
      makeDependency(src, {
        ...pep508Parts(parsed),
        kind: 'requirements',
        section,
        span: toFile(ll, reqStart, reqEnd),
        specifierSpan: specSpan,
        hashes,
        hashSpan,
        ignored,
      }),
    );
  }

  return {
    manifest: {
      file,
      kind: 'requirements',
      dependencies,
      warnings,
      includes: [],
      includedFrom: null,
      skipped,
      indexUrls,
      groupIncludes: {},
    },
    includes,
  };
}
