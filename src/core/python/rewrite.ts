/**
 * Minimal edits to manifests: a new specifier replaces exactly the old specifier's span (quotes,
 * extras, markers, comments and everything else stay byte for byte), new `--hash` values replace
 * exactly the old hash options, keeping their continuation layout.
 */
import { newSpecifierValue, StrategyError } from './strategies.ts';
import type { RangeStrategy } from './strategies.ts';
import type { Dependency } from './types.ts';

export interface Edit {
  /** UTF-16 offsets in the original text. */
  start: number;
  end: number;
  text: string;
}

export interface SpecifierPlan {
  /** The constraint as written before and after (in the dependency's own syntax). */
  from: string;
  to: string;
  /** null when nothing needs to change. */
  edit: Edit | null;
}

export { StrategyError };
export type { RangeStrategy };

export class EditError extends Error {
  override name = 'EditError';
}

/**
 * The specifier edit that makes `dep` admit `target` under `strategy`. Throws StrategyError when
 * it cannot or must not (ignored requirement, URL requirement, `!=` excluding the target, `===`,
 * an unreadable constraint).
 */
export function planSpecifier(dep: Dependency, target: string, strategy: RangeStrategy = 'auto'): SpecifierPlan {
  if (dep.ignored) {
    throw new StrategyError(`${dep.rawName} in ${dep.location.file}:${dep.location.line} is marked "# fapilog-plugins: ignore"`);
  }
  if (dep.specifierSpan === null) {
    throw new StrategyError(
      `${dep.rawName} in ${dep.location.file}:${dep.location.line} has no version specifier to change (${dep.url ?? 'no version field'})`,
    );
  }
  if (dep.problem !== null) throw new StrategyError(`${dep.rawName} in ${dep.location.file}:${dep.location.line}: ${dep.problem}`);
  const to = newSpecifierValue(dep.rawSpecifier, dep.syntax, target, strategy);
  if (to === dep.rawSpecifier) return { from: dep.rawSpecifier, to, edit: null };
  return {
    from: dep.rawSpecifier,
    to,
    edit: continuationAwareEdit(dep, to) ?? { start: dep.specifierSpan.start, end: dep.specifierSpan.end, text: to },
  };
}

const CONTINUATION = /\\(?:\r\n|\n|\r)/g;

/**
 * A requirements-file specifier written across a backslash continuation (`name==\` and the
 * version on the next line) is one logical string but several physical lines. Replacing the whole
 * span would join them; instead only the part that differs (common prefix and suffix kept) is
 * replaced, mapped back to file offsets, so the line breaks stay where they were. null when the
 * span has no continuation (the plain edit is already minimal) or the change itself crosses one.
 */
function continuationAwareEdit(dep: Dependency, to: string): Edit | null {
  const span = dep.specifierSpan;
  if (span === null || dep.kind !== 'requirements') return null;
  const raw = dep.location.text.slice(span.start - dep.location.start, span.end - dep.location.start);
  if (!CONTINUATION.test(raw)) return null;
  CONTINUATION.lastIndex = 0;
  // File offset of each logical character of the span.
  const map: number[] = [];
  let logical = '';
  for (let i = 0; i < raw.length; ) {
    CONTINUATION.lastIndex = i;
    const m = CONTINUATION.exec(raw);
    if (m && m.index === i) {
      i += m[0].length;
      continue;
    }
    logical += raw[i];
    map.push(span.start + i);
    i += 1;
  }
  CONTINUATION.lastIndex = 0;
  if (logical !== dep.rawSpecifier) return null;
  let p = 0;
  while (p < logical.length && p < to.length && logical[p] === to[p]) p += 1;
  let q = 0;
  while (q < logical.length - p && q < to.length - p && logical[logical.length - 1 - q] === to[to.length - 1 - q]) q += 1;
  const oldEnd = logical.length - q;
  const start = p < logical.length ? (map[p] as number) : span.end;
  const end = oldEnd > p ? (map[oldEnd - 1] as number) + 1 : start;
  // The replaced stretch must not swallow a continuation (that would join the lines after all).
  if (oldEnd > p && end - start !== oldEnd - p) return null;
  return { start, end, text: to.slice(p, to.length - q) };
}

/**
 * Replaces a requirement's `--hash` options with one `--hash=sha256:...` per value, reusing the
 * separator written between the first two (e.g. ` \\\n    `) or a space. null when the
 * requirement had no hashes (hashes are never added where there were none).
 */
export function planHashes(dep: Dependency, fileText: string, sha256: readonly string[]): Edit | null {
  if (dep.hashSpan === null) return null;
  if (sha256.length === 0) throw new EditError(`no sha256 values to write for ${dep.rawName}`);
  for (const h of sha256) if (!/^[0-9a-f]{64}$/i.test(h)) throw new EditError(`${JSON.stringify(h)} is not a sha256 hex digest`);
  const old = fileText.slice(dep.hashSpan.start, dep.hashSpan.end);
  const opts = [...old.matchAll(/--hash(=|\s+)([a-z0-9]+:[0-9a-f]+)/gi)];
  const form = opts[0]?.[1] === '=' || opts.length === 0 ? '=' : ' ';
  let sep = ' ';
  const a = opts[0];
  const b = opts[1];
  if (a && b && a.index !== undefined && b.index !== undefined) {
    sep = old.slice(a.index + a[0].length, b.index);
  } else {
    // One hash on its own continuation line: further hashes get continuation lines like it.
    const lineStart = fileText.lastIndexOf('\n', dep.hashSpan.start - 1) + 1;
    const indent = fileText.slice(lineStart, dep.hashSpan.start);
    if (lineStart > 0 && /^[ \t]*$/.test(indent) && /\\\r?\n$/.test(fileText.slice(0, lineStart))) {
      sep = ` \\${fileText[lineStart - 2] === '\r' ? '\r\n' : '\n'}${indent}`;
    }
  }
  const text = sha256.map((h) => `--hash${form}sha256:${h.toLowerCase()}`).join(sep);
  return text === old ? null : { start: dep.hashSpan.start, end: dep.hashSpan.end, text };
}

/** Applies non-overlapping edits; the text outside the edited spans is untouched. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  for (let i = 0; i < sorted.length; i += 1) {
    const e = sorted[i] as Edit;
    if (e.start < 0 || e.end < e.start || e.end > text.length)
      throw new EditError(`edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`);
    const prev = sorted[i - 1];
    if (prev && prev.end > e.start) throw new EditError(`edits [${prev.start}, ${prev.end}) and [${e.start}, ${e.end}) overlap`);
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
