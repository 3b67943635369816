/**
 * pyproject.toml: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
 * `[dependency-groups]` (with `{include-group = "..."}`), Poetry's dependency tables and
 * groups, PDM's and uv's dev-dependencies.
 */
import { SourceText } from './source.ts';
import { keyTableDependencies, pep508Array, pep508Dependency } from './tabledeps.ts';
import { childrenOf, entryAt, isString, keysUnder, parseTomlDocument } from './toml.ts';
import { emptyManifest, type Dependency, type Manifest } from './types.ts';

/** Throws TomlSyntaxError for a file that is not TOML; everything else becomes a warning. */
export function readPyproject(file: string, text: string): Manifest {
  const src = new SourceText(file, text);
  const doc = parseTomlDocument(text);
  const m = emptyManifest(file, 'pyproject');
  const deps: Dependency[] = m.dependencies;
  const w = m.warnings;

  deps.push(
    ...pep508Array(
      src,
      doc,
      ['project', 'dependencies'],
      { kind: 'pyproject', section: 'project.dependencies', group: null, optional: false },
      w,
    ),
  );
  for (const extra of keysUnder(doc, ['project', 'optional-dependencies'])) {
    deps.push(
      ...pep508Array(
        src,
        doc,
        ['project', 'optional-dependencies', extra],
        {
          kind: 'pyproject',
          section: `project.optional-dependencies.${extra}`,
          group: extra,
          optional: true,
        },
        w,
      ),
    );
  }

  // PEP 735: strings are requirements, `{include-group = "x"}` tables pull in another group.
  const groups = keysUnder(doc, ['dependency-groups']);
  for (const g of groups) {
    const arr = entryAt(doc, ['dependency-groups', g]);
    if (!arr || arr.node.type !== 'TOMLArray') continue;
    for (const el of childrenOf(doc, ['dependency-groups', g])) {
      if (el.node.type === 'TOMLInlineTable') {
        const inc = entryAt(doc, [...el.path, 'include-group'])?.node;
        if (isString(inc)) {
          (m.groupIncludes[g] ??= []).push(inc.value);
          if (!groups.includes(inc.value))
            w.push(`${file}:${el.node.loc.start.line}: dependency group ${g} includes unknown group ${inc.value}`);
        } else {
          w.push(`${file}:${el.node.loc.start.line}: dependency group ${g} has a table without include-group`);
        }
        continue;
      }
      const d = pep508Dependency(src, doc, el.node, { kind: 'pyproject', section: `dependency-groups.${g}`, group: g, optional: false }, w);
      if (d) deps.push(d);
    }
  }
  const cycle = findIncludeCycle(m.groupIncludes);
  if (cycle) w.push(`${file}: dependency groups include each other in a cycle: ${cycle.join(' -> ')}`);

  // Poetry: `python` is the interpreter constraint, not a package.
  const poetryInfo = (section: string, group: string | null) => ({ kind: 'pyproject' as const, section, group, optional: false });
  deps.push(
    ...keyTableDependencies(src, doc, ['tool', 'poetry', 'dependencies'], poetryInfo('tool.poetry.dependencies', null), 'poetry', w, [
      'python',
    ]),
  );
  deps.push(
    ...keyTableDependencies(
      src,
      doc,
      ['tool', 'poetry', 'dev-dependencies'],
      poetryInfo('tool.poetry.dev-dependencies', 'dev'),
      'poetry',
      w,
      ['python'],
    ),
  );
  for (const g of keysUnder(doc, ['tool', 'poetry', 'group'])) {
    deps.push(
      ...keyTableDependencies(
        src,
        doc,
        ['tool', 'poetry', 'group', g, 'dependencies'],
        poetryInfo(`tool.poetry.group.${g}.dependencies`, g),
        'poetry',
        w,
        ['python'],
      ),
    );
  }

  for (const g of keysUnder(doc, ['tool', 'pdm', 'dev-dependencies'])) {
    deps.push(
      ...pep508Array(
        src,
        doc,
        ['tool', 'pdm', 'dev-dependencies', g],
        { kind: 'pyproject', section: `tool.pdm.dev-dependencies.${g}`, group: g, optional: false },
        w,
      ),
    );
  }
  deps.push(
    ...pep508Array(
      src,
      doc,
      ['tool', 'uv', 'dev-dependencies'],
      { kind: 'pyproject', section: 'tool.uv.dev-dependencies', group: 'dev', optional: false },
      w,
    ),
  );

  deps.sort((a, b) => a.location.start - b.location.start);
  return m;
}

function findIncludeCycle(edges: Record<string, string[]>): string[] | null {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const dfs = (g: string): string[] | null => {
    if (state.get(g) === 'active') return [...stack.slice(stack.indexOf(g)), g];
    if (state.get(g) === 'done') return null;
    state.set(g, 'active');
    stack.push(g);
    for (const next of edges[g] ?? []) {
      const c = dfs(next);
      if (c) return c;
    }
    stack.pop();
    state.set(g, 'done');
    return null;
  };
  for (const g of Object.keys(edges)) {
    const c = dfs(g);
    if (c) return c;
  }
  return null;
}

/** PEP 735 group closure: the group and every group it includes, transitively (cycle-safe). */
export function expandGroup(edges: Record<string, string[]>, group: string): string[] {
  const seen = new Set<string>();
  const walk = (g: string): void => {
    if (seen.has(g)) return;
    seen.add(g);
    for (const n of edges[g] ?? []) walk(n);
  };
  walk(group);
  return [...seen];
}
