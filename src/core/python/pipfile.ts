/**
 * Pipfile (pipenv): `[packages]` and `[dev-packages]`, values `"*"`, `"==1.0"`, or tables
 * `{version = ">=1", extras = [...], markers = "..."}` / `{git = ..., ref = ...}`.
 */
import { SourceText } from './source.ts';
import { keyTableDependencies } from './tabledeps.ts';
import { childrenOf, entryAt, isString, keysUnder, parseTomlDocument } from './toml.ts';
import { emptyManifest, type Manifest } from './types.ts';

/** Throws TomlSyntaxError for a file that is not TOML. */
export function readPipfile(file: string, text: string): Manifest {
  const src = new SourceText(file, text);
  const doc = parseTomlDocument(text);
  const m = emptyManifest(file, 'pipfile');
  m.dependencies.push(
    ...keyTableDependencies(
      src,
      doc,
      ['packages'],
      { kind: 'pipfile', section: 'packages', group: null, optional: false },
      'pipfile',
      m.warnings,
    ),
  );
  m.dependencies.push(
    ...keyTableDependencies(
      src,
      doc,
      ['dev-packages'],
      { kind: 'pipfile', section: 'dev-packages', group: 'dev', optional: false },
      'pipfile',
      m.warnings,
    ),
  );
  // pipenv also allows custom categories (`[docs]`) holding packages; they are read as groups.
  for (const top of keysUnder(doc, [])) {
    if (['packages', 'dev-packages', 'source', 'requires', 'pipenv', 'scripts'].includes(top)) continue;
    const e = entryAt(doc, [top]);
    if (e) continue; // a top-level key-value, not a table
    m.dependencies.push(
      ...keyTableDependencies(src, doc, [top], { kind: 'pipfile', section: top, group: top, optional: false }, 'pipfile', m.warnings),
    );
  }
  const sources = entryAt(doc, ['source']);
  if (sources && sources.node.type === 'TOMLArray') {
    for (const s of childrenOf(doc, ['source'])) {
      const url = entryAt(doc, [...s.path, 'url'])?.node;
      if (isString(url)) m.indexUrls.push(url.value);
    }
  }
  for (let i = 0; ; i += 1) {
    const url = entryAt(doc, ['source', i, 'url'])?.node;
    if (!isString(url)) break;
    if (!m.indexUrls.includes(url.value)) m.indexUrls.push(url.value);
  }
  m.dependencies.sort((a, b) => a.location.start - b.location.start);
  return m;
}
