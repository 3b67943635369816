/**
 * Dependencies written as TOML keys (`name = "constraint"` or `name = { version = ..., extras = [...] }`),
 * the shape shared by Poetry's dependency tables and Pipfile's package tables, plus PEP 508
 * strings inside TOML arrays (PEP 621, PEP 735, PDM, uv).
 */
import { parseRequirement, RequirementSyntaxError } from './pep508.ts';
import { PoetryConstraintError, poetryToPep440 } from './poetry.ts';
import { makeDependency, pep508Parts } from './source.ts';
import type { SourceText } from './source.ts';
import { childrenOf, entryAt, ignoredOnLines, isString, keysUnder, mapSpan, stringContent, tableHeaderLine } from './toml.ts';
import type { ContentNode, Entry, TomlDocument } from './toml.ts';
import type { Dependency, ManifestKind, Span, SpecifierSyntax } from './types.ts';

export interface SectionInfo {
  kind: ManifestKind;
  section: string;
  group: string | null;
  optional: boolean;
}

function linesOf(src: SourceText, span: Span): number[] {
  const a = src.position(span.start).line;
  const b = src.position(Math.max(span.start, span.end - 1)).line;
  const out: number[] = [];
  for (let l = a; l <= b; l += 1) out.push(l);
  return out;
}

/** One PEP 508 string inside a TOML array. */
export function pep508Dependency(
  src: SourceText,
  doc: TomlDocument,
  node: ContentNode,
  info: SectionInfo,
  warnings: string[],
): Dependency | null {
  if (!isString(node)) return null;
  const sc = stringContent(src.text, node);
  const line = node.loc.start.line;
  let parsed;
  try {
    parsed = parseRequirement(sc.value);
  } catch (err) {
    // The reason only: a string that is not a requirement may hold anything.
    warnings.push(`${src.file}:${line}: not a requirement (${err instanceof RequirementSyntaxError ? err.reason : 'unreadable'})`);
    return null;
  }
  const reqSpan = mapSpan(sc, { start: parsed.nameSpan.start, end: parsed.end });
  return makeDependency(src, {
    ...pep508Parts(parsed),
    kind: info.kind,
    section: info.section,
    span: reqSpan,
    specifierSpan: parsed.specifierSpan ? mapSpan(sc, parsed.specifierSpan) : null,
    group: info.group,
    optional: info.optional,
    ignored: ignoredOnLines(doc, linesOf(src, { start: node.range[0], end: node.range[1] })),
  });
}

/** All PEP 508 strings of an array at `path`. */
export function pep508Array(
  src: SourceText,
  doc: TomlDocument,
  path: Array<string | number>,
  info: SectionInfo,
  warnings: string[],
): Dependency[] {
  const arr = entryAt(doc, path);
  if (!arr) return [];
  if (arr.node.type !== 'TOMLArray') {
    warnings.push(`${src.file}:${arr.node.loc.start.line}: ${path.join('.')} should be an array of requirement strings`);
    return [];
  }
  const out: Dependency[] = [];
  for (const el of childrenOf(doc, path)) {
    const d = pep508Dependency(src, doc, el.node, info, warnings);
    if (d) out.push(d);
  }
  return out;
}

/** Keys pipenv turns into environment markers (`sys_platform = "== 'win32'"`). */
const PIPFILE_MARKER_KEYS = [
  'os_name',
  'sys_platform',
  'platform_machine',
  'platform_python_implementation',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_version',
  'python_full_version',
  'implementation_name',
  'implementation_version',
];

/**
 * The environment markers of a table-form dependency: the `markers` key, plus Poetry's `python`
 * constraint or Pipfile's marker keys, written as PEP 508 markers.
 */
function tableMarkers(markers: string | null, syntax: SpecifierSyntax, get: (key: string) => string | null): string | null {
  const parts: string[] = [];
  if (markers !== null && markers.trim() !== '') parts.push(markers.trim());
  if (syntax === 'poetry') {
    const python = get('python');
    if (python !== null) {
      try {
        const alts = poetryToPep440(python).filter((a) => a !== '');
        const asMarker = alts.map((a) =>
          a
            .split(',')
            .map((c) => {
              const m = /^\s*(===|~=|==|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(c);
              return m ? `python_version ${m[1]} "${m[2]}"` : '';
            })
            .filter((x) => x !== '')
            .join(' and '),
        );
        if (asMarker.length === 1) parts.push(asMarker[0] as string);
        else if (asMarker.length > 1) parts.push(asMarker.map((x) => `(${x})`).join(' or '));
      } catch {
        // An unreadable python constraint adds no marker; the version constraint is what matters here.
      }
    }
  } else if (syntax === 'pipfile') {
    for (const key of PIPFILE_MARKER_KEYS) {
      const v = get(key);
      if (v !== null) parts.push(`${key} ${v.trim()}`);
    }
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] as string) : parts.map((p) => (/ or /.test(p) ? `(${p})` : p)).join(' and ');
}

function translate(raw: string, syntax: SpecifierSyntax): { alternatives: string[]; problem: string | null } {
  const t = raw.trim();
  if (syntax === 'pipfile') {
    if (t === '*' || t === '') return { alternatives: [''], problem: null };
    // pipenv treats a bare version as an exact pin.
    if (/^[0-9]/.test(t)) return { alternatives: [`==${t}`], problem: null };
    return { alternatives: [t], problem: null };
  }
  try {
    return { alternatives: poetryToPep440(t), problem: null };
  } catch (err) {
    const why = err instanceof PoetryConstraintError ? err.message : String(err);
    return { alternatives: [''], problem: why };
  }
}

/**
 * Every dependency of a key table (`[tool.poetry.dependencies]`, `[packages]`): string form,
 * inline table form, `[table.name]` sub-table form, and Poetry's multiple-constraint arrays.
 */
export function keyTableDependencies(
  src: SourceText,
  doc: TomlDocument,
  prefix: Array<string | number>,
  info: SectionInfo,
  syntax: SpecifierSyntax,
  warnings: string[],
  skipNames: readonly string[] = [],
): Dependency[] {
  const out: Dependency[] = [];
  for (const name of keysUnder(doc, prefix)) {
    if (skipNames.includes(name.toLowerCase())) continue;
    const direct = entryAt(doc, [...prefix, name]);
    if (direct && direct.node.type === 'TOMLArray') {
      for (const el of childrenOf(doc, [...prefix, name])) {
        const d = tableEntry(src, doc, name, [...prefix, name, el.path[el.path.length - 1] as number], el, info, syntax, warnings);
        if (d) out.push(d);
      }
      continue;
    }
    const d = tableEntry(src, doc, name, [...prefix, name], direct, info, syntax, warnings);
    if (d) out.push(d);
  }
  return out;
}

function tableEntry(
  src: SourceText,
  doc: TomlDocument,
  name: string,
  path: Array<string | number>,
  direct: Entry | undefined,
  info: SectionInfo,
  syntax: SpecifierSyntax,
  warnings: string[],
): Dependency | null {
  const field = (k: string): Entry | undefined => entryAt(doc, [...path, k]);
  let span: Span;
  let versionNode: ContentNode | undefined;
  if (direct && isString(direct.node)) {
    versionNode = direct.node;
    const kv = direct.keyValue;
    span =
      kv && kv.value === direct.node
        ? { start: kv.range[0], end: kv.range[1] }
        : { start: direct.node.range[0], end: direct.node.range[1] };
  } else if (direct && direct.node.type === 'TOMLInlineTable') {
    versionNode = field('version')?.node;
    const kv = direct.keyValue;
    span =
      kv && kv.value === direct.node
        ? { start: kv.range[0], end: kv.range[1] }
        : { start: direct.node.range[0], end: direct.node.range[1] };
  } else if (!direct) {
    // `[tool.poetry.dependencies.name]` sub-table or dotted keys `name.version = ...`.
    const children = doc.entries.filter((e) => e.path.length === path.length + 1 && path.every((p, i) => e.path[i] === p) && e.keyValue);
    versionNode = field('version')?.node;
    const kvs = children.map((c) => c.keyValue).filter((k): k is NonNullable<typeof k> => k !== null);
    const first = field('version')?.keyValue ?? kvs[0];
    if (!first) return null;
    span = { start: first.range[0], end: first.range[1] };
  } else {
    warnings.push(`${src.file}:${direct.node.loc.start.line}: dependency ${name} has an unexpected value`);
    return null;
  }

  const extrasEntry = field('extras');
  const extras =
    extrasEntry && extrasEntry.node.type === 'TOMLArray'
      ? childrenOf(doc, [...path, 'extras']).flatMap((e) => (isString(e.node) ? [e.node.value] : []))
      : [];
  const markersNode = field('markers')?.node;
  const optionalNode = field('optional')?.node;
  const editableNode = field('develop')?.node ?? field('editable')?.node;
  let url: string | null = null;
  for (const k of ['git', 'path', 'url', 'file']) {
    const n = field(k)?.node;
    if (isString(n)) {
      url = n.value;
      break;
    }
  }
  const bool = (n: ContentNode | undefined): boolean =>
    n !== undefined && n.type === 'TOMLValue' && n.kind === 'boolean' && n.value === true;

  let rawSpecifier = '';
  let specifierSpan: Span | null = null;
  if (isString(versionNode)) {
    const sc = stringContent(src.text, versionNode);
    rawSpecifier = sc.value;
    specifierSpan = sc.span;
  }
  const { alternatives, problem } =
    url !== null && !isString(versionNode) ? { alternatives: [''], problem: null } : translate(rawSpecifier, syntax);

  return makeDependency(src, {
    rawName: name,
    extras,
    alternatives,
    rawSpecifier,
    syntax,
    markers: tableMarkers(isString(markersNode) ? markersNode.value : null, syntax, (k) => {
      const n = field(k)?.node;
      return isString(n) ? n.value : null;
    }),
    kind: info.kind,
    section: info.section,
    span,
    specifierSpan,
    url,
    editable: bool(editableNode),
    optional: info.optional || bool(optionalNode),
    group: info.group,
    ignored: ignoredOnLines(doc, [...linesOf(src, span), ...(direct ? [] : [tableHeaderLine(doc, path) ?? 0])]),
    problem,
  });
}
