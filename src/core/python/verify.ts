/**
 * Re-reading an edited manifest before anything is written: the new text must parse as the same
 * format, the edited requirements must read back with the new specifier (and hashes), and every
 * other requirement must read back exactly as before. Pure: text in, a reason or null out.
 */
import { readManifest } from './formats.ts';
import type { Dependency, Manifest, ManifestKind } from './types.ts';

/** What one edited requirement must look like after the edit. */
export interface Expectation {
  name: string;
  section: string;
  /** The raw specifier as written after the edit. */
  rawSpecifier: string;
  /** sha256 values (lowercase hex) the requirement must carry, when its hashes were replaced. */
  hashes?: readonly string[] | undefined;
  /**
   * Offset of the edited requirement in the text before the edit (its location.start). A package
   * may be listed twice in one section (split by markers); `at` says which entry this is, so the
   * other one is held to "unchanged". Without it, every entry of the name in the section is meant.
   */
  at?: number | undefined;
}

/** Returns null when the written text is right, else the reason it is not. */
export type ManifestVerifier = (writtenText: string, reread: Manifest) => string | null;

function same(a: Dependency, b: Dependency): boolean {
  return (
    a.name === b.name &&
    a.section === b.section &&
    a.rawSpecifier === b.rawSpecifier &&
    a.markers === b.markers &&
    a.url === b.url &&
    a.ignored === b.ignored &&
    a.hashes.join(',') === b.hashes.join(',') &&
    a.extras.join(',') === b.extras.join(',')
  );
}

const key = (d: { name: string; section: string }) => `${d.name}\u0000${d.section}`;

function sortedHashes(hs: readonly string[]): string {
  return [...hs]
    .map((h) => h.replace(/^sha256:/, '').toLowerCase())
    .sort()
    .join(',');
}

/**
 * Checks `after` against `before`: `changed` requirements read back as expected, `added` ones are
 * new, and nothing else differs. Returns the reason it is wrong, or null.
 */
export function verifyManifestEdit(
  file: string,
  kind: ManifestKind,
  beforeText: string,
  afterText: string,
  expect: { changed?: readonly Expectation[]; added?: readonly Expectation[] },
): string | null {
  let before: Manifest;
  let after: Manifest;
  try {
    // Both read the same way, so an included file's section (`constraints`) does not differ.
    before = readManifest(file, beforeText, kind);
  } catch (err) {
    return `the text before the edit does not parse (${(err as Error).message})`;
  }
  try {
    after = readManifest(file, afterText, kind);
  } catch (err) {
    return `the edited text does not parse (${(err as Error).message})`;
  }
  const changedAt = new Map<number, Expectation>();
  const changed = new Map<string, Expectation>();
  for (const e of expect.changed ?? []) {
    if (e.at !== undefined) changedAt.set(e.at, e);
    else changed.set(key(e), e);
  }
  const added = expect.added ?? [];
  const wantCount = before.dependencies.length + added.length;
  if (after.dependencies.length !== wantCount) {
    return `${after.dependencies.length} requirements read back, expected ${wantCount}`;
  }
  const remaining = [...after.dependencies];
  for (const a of added) {
    // The new one is the requirement whose removal lines the rest up with the file before.
    const aligns = (i: number) => {
      const rest = remaining.filter((_, j) => j !== i);
      return before.dependencies.every((b, j) => rest[j]?.name === b.name && rest[j]?.section === b.section);
    };
    const i = remaining.findIndex((d, j) => d.name === a.name && d.section === a.section && aligns(j));
    if (i < 0) return `${a.name} was not found in ${a.section} after the edit`;
    const dep = remaining[i] as Dependency;
    if (dep.rawSpecifier !== a.rawSpecifier)
      return `${a.name} reads back as ${JSON.stringify(dep.rawSpecifier)}, expected ${JSON.stringify(a.rawSpecifier)}`;
    if (a.hashes && sortedHashes(dep.hashes) !== sortedHashes(a.hashes))
      return `${a.name} hashes read back as ${dep.hashes.join(', ') || 'none'}`;
    if (dep.problem !== null) return `${a.name}: ${dep.problem}`;
    remaining.splice(i, 1);
  }
  for (let i = 0; i < before.dependencies.length; i += 1) {
    const b = before.dependencies[i] as Dependency;
    const d = remaining[i] as Dependency;
    if (d.name !== b.name || d.section !== b.section) return `${b.name} (${b.section}) is no longer where it was after the edit`;
    const e = changedAt.get(b.location.start) ?? changed.get(key(b));
    if (!e) {
      if (!same(b, d)) return `${b.name} (${b.section}) changed, but it was not to be edited`;
      continue;
    }
    if (d.rawSpecifier !== e.rawSpecifier)
      return `${b.name} reads back as ${JSON.stringify(d.rawSpecifier)}, expected ${JSON.stringify(e.rawSpecifier)}`;
    if (d.problem !== null) return `${b.name}: ${d.problem}`;
    if (e.hashes) {
      if (sortedHashes(d.hashes) !== sortedHashes(e.hashes)) return `${b.name} hashes read back as ${d.hashes.join(', ') || 'none'}`;
    } else if (sortedHashes(d.hashes) !== sortedHashes(b.hashes)) {
      return `${b.name} hashes changed, but they were not to be replaced`;
    }
    if (d.markers !== b.markers || d.extras.join(',') !== b.extras.join(',')) return `${b.name} lost its extras or markers in the edit`;
  }
  return null;
}

/**
 * The text outside the edited spans is the same: `after` is `before` with each span replaced.
 * Guards the edit code itself (a wrong offset shows up here, not in a user's file).
 */
export function outsideSpansUnchanged(
  before: string,
  after: string,
  spans: ReadonlyArray<{ start: number; end: number; text: string }>,
): boolean {
  // Ordered as applyEdits orders them: an insertion at an offset comes before a replacement there.
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  let pos = 0;
  let at = 0;
  for (const s of sorted) {
    const keep = before.slice(pos, s.start);
    if (after.slice(at, at + keep.length) !== keep) return false;
    at += keep.length;
    if (after.slice(at, at + s.text.length) !== s.text) return false;
    at += s.text.length;
    pos = s.end;
  }
  return after.slice(at) === before.slice(pos);
}

/**
 * A verifier (for a writer that re-reads what it wrote) that `name` in `section` now has the raw
 * specifier `expected`.
 */
export function expectSpecifier(name: string, expected: string, section?: string): ManifestVerifier {
  return (_text, reread) => {
    const deps = reread.dependencies.filter((d) => d.name === name && (section === undefined || d.section === section));
    if (deps.length === 0) return `${name}${section ? ` (${section})` : ''} is no longer found after the edit`;
    if (!deps.some((d) => d.rawSpecifier === expected)) {
      return `${name} reads back as ${deps.map((d) => JSON.stringify(d.rawSpecifier)).join(', ')}, expected ${JSON.stringify(expected)}`;
    }
    const bad = deps.find((d) => d.rawSpecifier === expected && d.problem !== null);
    return bad ? `${name}: ${bad.problem}` : null;
  };
}
