/**
 * TOML with source positions (toml-eslint-parser): lets the pyproject and Pipfile readers find
 * each dependency string's exact span, whichever way the table was written (`[a.b]` headers,
 * dotted keys, inline tables).
 */
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import { nonUtf8Position } from '../bytes.ts';
import { IGNORE_COMMENT } from './source.ts';
import type { Span } from './types.ts';

export type ContentNode = AST.TOMLContentNode;
export type StringNode = AST.TOMLStringValue;

export interface Entry {
  /** Full key path (table header keys + dotted keys), array indices as numbers. */
  path: Array<string | number>;
  node: ContentNode;
  /** The key-value the node belongs to (for array elements: the array's key-value), null for `[[table]]` rows. */
  keyValue: AST.TOMLKeyValue | null;
}

export interface TomlDocument {
  text: string;
  program: AST.TOMLProgram;
  /** Every content node reachable, keyed by its path joined with '\u0000'. */
  entries: Entry[];
  /** Comments by 1-based line. */
  commentsByLine: Map<number, string[]>;
}

export class TomlSyntaxError extends Error {
  override name = 'TomlSyntaxError';
}

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

export function parseTomlDocument(text: string): TomlDocument {
  const where = nonUtf8Position(text);
  if (where !== null) throw new TomlSyntaxError(`not valid UTF-8 (${where}); TOML files must be UTF-8`);
  let program: AST.TOMLProgram;
  try {
    // A byte order mark is one UTF-16 unit; a space in its place keeps every offset the same.
    program = parseTOML(text.startsWith('\uFEFF') ? ' ' + text.slice(1) : text);
  } catch (err) {
    const e = err as { message?: string; lineNumber?: number; column?: number };
    const where = e.lineNumber !== undefined ? ` at line ${e.lineNumber}, column ${e.column === undefined ? '?' : e.column + 1}` : '';
    throw new TomlSyntaxError(`invalid TOML${where}: ${e.message ?? String(err)}`);
  }
  const entries: Entry[] = [];
  const visit = (path: Array<string | number>, node: ContentNode, kv: AST.TOMLKeyValue | null): void => {
    entries.push({ path, node, keyValue: kv });
    if (node.type === 'TOMLArray') {
      node.elements.forEach((el, i) => visit([...path, i], el, kv));
    } else if (node.type === 'TOMLInlineTable') {
      for (const child of node.body) visit([...path, ...keyNames(child.key)], child.value, child);
    }
  };
  const top = program.body[0];
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') {
      visit(keyNames(item.key), item.value, item);
    } else {
      for (const kv of item.body) visit([...item.resolvedKey, ...keyNames(kv.key)], kv.value, kv);
    }
  }
  const commentsByLine = new Map<number, string[]>();
  for (const c of program.comments) {
    const list = commentsByLine.get(c.loc.start.line) ?? [];
    list.push(c.value);
    commentsByLine.set(c.loc.start.line, list);
  }
  return { text, program, entries, commentsByLine };
}

/** Entries whose path starts with `prefix` (strings must match exactly), one level below it. */
export function childrenOf(doc: TomlDocument, prefix: Array<string | number>): Entry[] {
  return doc.entries.filter((e) => e.path.length === prefix.length + 1 && prefix.every((p, i) => e.path[i] === p));
}

export function entryAt(doc: TomlDocument, path: Array<string | number>): Entry | undefined {
  return doc.entries.find((e) => e.path.length === path.length && path.every((p, i) => e.path[i] === p));
}

/** Table keys that exist under `prefix` (from headers, dotted keys or inline tables). */
export function keysUnder(doc: TomlDocument, prefix: Array<string | number>): string[] {
  const seen = new Set<string>();
  for (const e of doc.entries) {
    if (e.path.length > prefix.length && prefix.every((p, i) => e.path[i] === p)) {
      const k = e.path[prefix.length];
      if (typeof k === 'string') seen.add(k);
    }
  }
  return [...seen];
}

export function isString(node: ContentNode | undefined): node is StringNode {
  return node !== undefined && node.type === 'TOMLValue' && node.kind === 'string';
}

export interface StringContent {
  /** The decoded value. */
  value: string;
  /** File offsets of the raw content between the quotes. */
  span: Span;
  /** File offset of each decoded character (length value.length + 1, last = end). */
  map: number[];
}

/**
 * The raw span between the quotes and a map from decoded characters to file offsets, so that
 * a span found in the decoded value (the specifier inside `"fapilog-loki>=1.0"`) maps back to
 * the file even when the string has escapes.
 */
export function stringContent(text: string, node: StringNode): StringContent {
  const q = node.multiline ? 3 : 1;
  let start = node.range[0] + q;
  const end = node.range[1] - q;
  if (node.multiline) {
    // A newline right after the opening delimiter is trimmed by TOML.
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
  }
  const map: number[] = [];
  let value = '';
  if (node.style === 'literal') {
    for (let i = start; i < end; i += 1) {
      value += text[i];
      map.push(i);
    }
  } else {
    let i = start;
    while (i < end) {
      const ch = text[i] as string;
      if (ch !== '\\') {
        value += ch;
        map.push(i);
        i += 1;
        continue;
      }
      const next = text[i + 1] ?? '';
      const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\u001b' };
      if (next in simple) {
        value += simple[next];
        map.push(i);
        i += 2;
      } else if (next === 'u' || next === 'U' || next === 'x') {
        const len = next === 'u' ? 4 : next === 'U' ? 8 : 2;
        const cp = Number.parseInt(text.slice(i + 2, i + 2 + len), 16);
        const s = String.fromCodePoint(cp);
        for (const c of s) {
          value += c;
          map.push(i);
        }
        i += 2 + len;
      } else {
        // Line-ending backslash in a multi-line basic string: skip the newline and indentation.
        i += 1;
        while (i < end && /\s/.test(text[i] as string)) i += 1;
      }
    }
  }
  map.push(end);
  return { value, span: { start, end }, map };
}

/** Maps a span of the decoded value to file offsets. */
export function mapSpan(sc: StringContent, s: Span): Span {
  const start = sc.map[s.start] ?? sc.span.end;
  // The end is where the next decoded character starts, so an escape (`\"`) ending the span is kept whole.
  const end = s.end > s.start ? (sc.map[s.end] ?? sc.span.end) : start;
  return { start, end };
}

export function ignoredOnLines(doc: TomlDocument, lines: number[]): boolean {
  return lines.some((l) => (doc.commentsByLine.get(l) ?? []).some((c) => IGNORE_COMMENT.test('#' + c)));
}

/** 1-based line of the `[a.b.c]` header whose key is exactly `path`, if the table is written that way. */
export function tableHeaderLine(doc: TomlDocument, path: Array<string | number>): number | null {
  for (const item of doc.program.body[0].body) {
    if (item.type !== 'TOMLTable') continue;
    const k = item.resolvedKey;
    if (k.length === path.length && k.every((p, i) => p === path[i])) return item.loc.start.line;
  }
  return null;
}
