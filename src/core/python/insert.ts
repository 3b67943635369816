/**
 * Adding a requirement to a manifest, byte-exact outside the inserted text: where a new plugin
 * dependency goes (`chooseTarget`), and the inserters for requirements files, PEP 621 / PEP 735
 * arrays and Poetry tables, beside the rewriter that edits existing requirements.
 *
 * Where it goes: `pyproject.toml` `[project] dependencies` (PEP 621), else
 * `[tool.poetry.dependencies]`, else `requirements.in` / `requirements.txt`. With a group G:
 * an existing `[project.optional-dependencies] G` or `[dependency-groups] G`, else a new PEP 735
 * `[dependency-groups] G`; Poetry `[tool.poetry.group.G.dependencies]`; `requirements-G.in` /
 * `requirements-G.txt` for requirements-only projects.
 */
import type { AST } from 'toml-eslint-parser';
import { InstallRefused } from '../errors.ts';
import { entryAt, parseTomlDocument, type TomlDocument } from './toml.ts';

/** Where a new dependency goes: the file, its place in it, and the specifier syntax written there. */
export type InstallTarget =
  | { kind: 'requirements'; syntax: 'pep508'; file: string; section: 'requirements'; table?: undefined; key?: undefined }
  | { kind: 'pep508-array'; syntax: 'pep508'; file: string; table: string[]; key: string; section: string }
  | { kind: 'poetry'; syntax: 'poetry'; file: string; table: string[]; key?: undefined; section: string };

function hasTable(doc: TomlDocument, prefix: string[]): boolean {
  return doc.entries.some((e) => prefix.every((p, i) => e.path[i] === p)) || tableNode(doc, prefix) !== undefined;
}

function tableNode(doc: TomlDocument, key: readonly (string | number)[]): AST.TOMLTable | undefined {
  const top = doc.program.body[0];
  return top.body.find(
    (n): n is AST.TOMLTable =>
      n.type === 'TOMLTable' && n.kind === 'standard' && n.resolvedKey.length === key.length && key.every((k, i) => n.resolvedKey[i] === k),
  );
}

/** `key = [...]` of PEP 508 strings in `table` of pyproject.toml; the section is the dotted path, as the reader names it. */
function pep508Array(table: string[], key: string): InstallTarget {
  return { kind: 'pep508-array', syntax: 'pep508', file: 'pyproject.toml', table, key, section: [...table, key].join('.') };
}

/** A Poetry dependency table of pyproject.toml. */
function poetryTable(table: string[]): InstallTarget {
  return { kind: 'poetry', syntax: 'poetry', file: 'pyproject.toml', table, section: table.join('.') };
}

/** Picks the manifest and table a new plugin dependency belongs in (see the module comment). */
export function chooseTarget(files: { pyproject?: string | undefined; existing: ReadonlySet<string> }, group?: string): InstallTarget {
  if (files.pyproject !== undefined) {
    const doc = parseTomlDocument(files.pyproject);
    const dynamic = entryAt(doc, ['project', 'dynamic'])?.node;
    const dynamicDeps = dynamic?.type === 'TOMLArray' && dynamic.elements.some((e) => e.type === 'TOMLValue' && e.value === 'dependencies');
    // `dynamic = ["dependencies"]`: the build backend reads them elsewhere (usually requirements.txt).
    if (hasTable(doc, ['project']) && !(dynamicDeps && !group)) {
      if (!group) return pep508Array(['project'], 'dependencies');
      if (entryAt(doc, ['project', 'optional-dependencies', group])) return pep508Array(['project', 'optional-dependencies'], group);
      return pep508Array(['dependency-groups'], group);
    }
    if (hasTable(doc, ['tool', 'poetry'])) {
      if (!group) return poetryTable(['tool', 'poetry', 'dependencies']);
      if (group === 'dev' && hasTable(doc, ['tool', 'poetry', 'dev-dependencies']))
        return poetryTable(['tool', 'poetry', 'dev-dependencies']);
      return poetryTable(['tool', 'poetry', 'group', group, 'dependencies']);
    }
  }
  const candidates = group
    ? [`requirements-${group}.in`, `requirements-${group}.txt`, `requirements/${group}.in`, `requirements/${group}.txt`]
    : ['requirements.in', 'requirements.txt'];
  const found = candidates.find((c) => files.existing.has(c));
  if (found) return { kind: 'requirements', syntax: 'pep508', file: found, section: 'requirements' };
  throw new InstallRefused(
    'no-manifest',
    group
      ? `no place for group ${JSON.stringify(group)}: the project has no pyproject.toml with [project] or ` +
          `[tool.poetry], and none of ${candidates.join(', ')}`
      : 'no manifest to add to: the project has no pyproject.toml with [project] or [tool.poetry], and no ' +
          'requirements.in or requirements.txt',
  );
}

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : text[i - 1] === '\r' ? i - 1 : i;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Appends `line` (which may span several lines) to a requirements file. */
export function addToRequirements(text: string, line: string): string {
  const nl = eol(text);
  const sep = text === '' || text.endsWith('\n') ? '' : nl;
  return `${text}${sep}${line.split('\n').join(nl)}${nl}`;
}

function appendBlock(text: string, block: string): string {
  const nl = eol(text);
  const body = block.split('\n').join(nl);
  if (text === '') return `${body}${nl}`;
  const sep = text.endsWith(`${nl}${nl}`) ? '' : text.endsWith(nl) ? nl : `${nl}${nl}`;
  return `${text}${sep}${body}${nl}`;
}

/** Adds a key-value line at the end of a standard table, or the table at the end of the file. */
function addKeyValueToTable(text: string, doc: TomlDocument, table: string[], line: string): string {
  const node = tableNode(doc, table);
  const nl = eol(text);
  if (!node) return appendBlock(text, `[${table.map(tomlKey).join('.')}]\n${line}`);
  const last = node.body[node.body.length - 1];
  const after = lineEnd(text, last ? last.range[1] : node.key.range[1]);
  return insertAt(text, after, `${nl}${line}`);
}

/** Adds a PEP 508 string to `table.key = [...]`, in the array's own quoting, indentation and comma style. */
export function addToPep508Array(text: string, table: string[], key: string, requirement: string): string {
  const doc = parseTomlDocument(text);
  const nl = eol(text);
  const entry = entryAt(doc, [...table, key]);
  if (!entry) {
    const block = `${tomlKey(key)} = [\n    "${requirement}",\n]`;
    if (tableNode(doc, table) || table.length === 0) return addKeyValueToTable(text, doc, table, block.split('\n').join(nl));
    return appendBlock(text, `[${table.map(tomlKey).join('.')}]\n${block}`);
  }
  const arr = entry.node;
  if (arr.type !== 'TOMLArray') throw new Error(`${[...table, key].join('.')} is not an array in pyproject.toml`);
  const close = arr.range[1] - 1;
  const last = arr.elements[arr.elements.length - 1];
  if (!last) {
    const inner = text.slice(arr.range[0] + 1, close);
    if (!inner.includes('\n')) return text.slice(0, arr.range[0]) + `["${requirement}"]` + text.slice(arr.range[1]);
    return insertAt(text, arr.range[0] + 1, `${nl}    "${requirement}",`);
  }
  const q = text[last.range[0]] === "'" ? "'" : '"';
  const item = `${q}${requirement}${q}`;
  const afterLast = last.range[1];
  const comma = /^[ \t]*,/.exec(text.slice(afterLast, close));
  const hasComma = comma !== null;
  const multiline = last.loc.start.line !== arr.loc.start.line;
  if (!multiline) return insertAt(text, afterLast, `, ${item}`);
  const start = lineStart(text, last.range[0]);
  const indent = /^[ \t]*$/.test(text.slice(start, last.range[0])) ? text.slice(start, last.range[0]) : '    ';
  const endOfItem = hasComma ? afterLast + comma[0].length : afterLast;
  const end = lineEnd(text, endOfItem);
  if (end > close) {
    // `"b"]` or `"b",]`: the bracket shares the last element's line.
    return insertAt(text, endOfItem, `${hasComma ? '' : ','}${nl}${indent}${item}${hasComma ? ',' : ''}`);
  }
  const withComma = hasComma ? text : insertAt(text, afterLast, ',');
  const shift = hasComma ? 0 : 1;
  return insertAt(withComma, end + shift, `${nl}${indent}${item}${hasComma ? ',' : ''}`);
}

/** Adds `name = "constraint"` to a Poetry dependency table. */
export function addToPoetryTable(text: string, table: string[], name: string, constraint: string): string {
  const doc = parseTomlDocument(text);
  if (entryAt(doc, table) && !tableNode(doc, table)) {
    throw new Error(`${table.join('.')} is written as an inline table or dotted keys; add ${name} by hand`);
  }
  return addKeyValueToTable(text, doc, table, `${tomlKey(name)} = "${constraint}"`);
}
