/**
 * What a release's files declare it needs: fapilog range, Requires-Python and runtime
 * dependencies, read from core metadata (a wheel's METADATA, an sdist's PKG-INFO). The marketplace
 * stores these and nothing else, and the publisher's JSON must say the same: the server and the
 * client's publish validation both compare with `disagreements`, so they report a mismatch alike.
 */
import { normalizeName } from '../names.ts';
import { isValidSpecifier, sameSpecifier, specifierKey } from '../pep440/index.ts';
import { isExtraOnly, parseRequirement, type CoreMetadata } from './metadata.ts';

export const DECLARED_FIELDS = ['fapilog_compatibility', 'requires_python', 'dependencies'] as const;
export type DeclaredField = (typeof DECLARED_FIELDS)[number];

export interface Declared {
  /** The range of the runtime `fapilog` requirement, lower bounds first; null when there is none. */
  fapilog_compatibility: string | null;
  requires_python: string | null;
  /** Runtime requirements other than fapilog, as written (extra-only ones are not runtime). */
  dependencies: string[];
}

export interface DeclaredProblem {
  field: DeclaredField;
  message: string;
}

/** Why a fapilog requirement's specifier gives no range (a URL, none, not PEP 440), or null when it does. */
export function unusableSpecifier(specifier: string | null): string | null {
  if (specifier === null) return 'a URL requirement';
  if (specifier.trim() === '') return 'no version specifier';
  return isValidSpecifier(specifier) ? null : `"${specifier}" is not a PEP 440 specifier`;
}

/** `<0.20,>=0.14` -> `>=0.14,<0.20`: lower bounds first, as authors write them. */
export function displaySpecifier(spec: string): string {
  const clauses = spec
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const rank = (c: string) =>
    c.startsWith('>') || c.startsWith('~=') ? 0 : c.startsWith('==') || c.startsWith('===') ? 1 : c.startsWith('!=') ? 3 : 2;
  return clauses.sort((a, b) => rank(a) - rank(b)).join(',');
}

/**
 * The declaration, and what keeps it from being one: no runtime fapilog requirement, one without
 * a PEP 440 range (a URL, no specifier), or several runtime ones with different ranges (markers
 * such as `python_version < "3.10"` do not make a requirement optional; `extra == "x"` does).
 */
export function declaredOf(meta: Pick<CoreMetadata, 'requiresDist' | 'requiresPython'>): {
  declared: Declared;
  problems: DeclaredProblem[];
} {
  const problems: DeclaredProblem[] = [];
  const fapilog: Array<{ text: string; specifier: string | null }> = [];
  const dependencies: string[] = [];
  for (const text of meta.requiresDist) {
    const req = parseRequirement(text);
    if (req === null || isExtraOnly(req)) continue;
    if (normalizeName(req.name) === 'fapilog') fapilog.push({ text, specifier: req.specifier });
    else dependencies.push(text.trim());
  }
  let range: string | null = null;
  if (fapilog.length === 0) {
    problems.push({ field: 'fapilog_compatibility', message: 'no runtime requirement on "fapilog" in Requires-Dist' });
  } else {
    const first = fapilog[0]!;
    const why = unusableSpecifier(first.specifier);
    if (why !== null) {
      problems.push({ field: 'fapilog_compatibility', message: `Requires-Dist "${first.text}": ${why}` });
    } else if (fapilog.some((f) => f.specifier === null || !sameSpecifier(f.specifier, first.specifier!))) {
      problems.push({
        field: 'fapilog_compatibility',
        message:
          `several runtime requirements on fapilog with different ranges ` +
          `(${fapilog.map((f) => `"${f.text}"`).join(', ')}); the marketplace needs one range`,
      });
    } else {
      range = displaySpecifier(first.specifier!);
    }
  }
  const requiresPython = meta.requiresPython?.trim() ? meta.requiresPython.trim() : null;
  if (requiresPython !== null && !isValidSpecifier(requiresPython)) {
    problems.push({ field: 'requires_python', message: `Requires-Python "${requiresPython}" is not a PEP 440 specifier` });
  }
  return { declared: { fapilog_compatibility: range, requires_python: requiresPython, dependencies }, problems };
}

/** A requirement compared by meaning: name normalised, extras and clauses sorted, marker without spacing or quote style. */
export function requirementKey(text: string): string {
  const req = parseRequirement(text);
  if (!req) return text.trim();
  const spec =
    req.specifier === null
      ? `@${text
          .slice(text.indexOf('@') + 1)
          .split(';')[0]!
          .trim()}`
      : (specifierKey(req.specifier) ?? req.specifier.replace(/\s+/g, ''));
  const marker = req.marker === null ? '' : `;${req.marker.replace(/\s+/g, '').replace(/'/g, '"')}`;
  return `${normalizeName(req.name)}[${req.extras
    .map((e) => normalizeName(e))
    .sort()
    .join(',')}]${spec}${marker}`;
}

function sameRequirements(a: readonly string[], b: readonly string[]): boolean {
  const ka = a.map(requirementKey).sort();
  const kb = b.map(requirementKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

export function sameDeclared(field: DeclaredField, a: Declared, b: Declared): boolean {
  switch (field) {
    case 'dependencies':
      return sameRequirements(a.dependencies, b.dependencies);
    case 'fapilog_compatibility':
    case 'requires_python': {
      const x = a[field];
      const y = b[field];
      return x === null || y === null ? x === y : sameSpecifier(x, y);
    }
  }
}

export function showDeclared(field: DeclaredField, d: Partial<Declared>): string {
  const v = d[field];
  return field === 'dependencies' ? JSON.stringify(v ?? []) : v === null || v === undefined ? 'none' : JSON.stringify(v);
}

export interface Disagreement {
  field: DeclaredField;
  /** What `theirs` says, shown for messages. */
  theirs: string;
  ours: string;
}

/** Fields of `theirs` (absent ones are not compared) that say something else than `ours`. */
export function disagreements(ours: Declared, theirs: Partial<Declared>): Disagreement[] {
  const out: Disagreement[] = [];
  for (const field of DECLARED_FIELDS) {
    if (theirs[field] === undefined) continue;
    const full = { ...ours, ...theirs } as Declared;
    if (!sameDeclared(field, ours, full)) out.push({ field, theirs: showDeclared(field, theirs), ours: showDeclared(field, ours) });
  }
  return out;
}

/** PKG-INFO's `Dynamic` header names the fields a wheel may fill in differently. */
const DYNAMIC_HEADER: Record<DeclaredField, string> = {
  fapilog_compatibility: 'requires-dist',
  requires_python: 'requires-python',
  dependencies: 'requires-dist',
};

export interface FileMetadata {
  filename: string;
  metadata: Pick<CoreMetadata, 'requiresDist' | 'requiresPython' | 'dynamic'>;
}

export type ReleaseDeclaration =
  | { ok: true; value: Declared; source: string }
  | { ok: false; code: 'metadata_mismatch' | 'invalid_file'; field: DeclaredField; message: string };

function fileProblem(f: FileMetadata, what: string): ReleaseDeclaration | null {
  const { problems } = declaredOf(f.metadata);
  const p = problems[0];
  return p
    ? {
        ok: false,
        code: 'invalid_file',
        field: p.field,
        message: `${f.filename}: ${what}: ${problems.map((q) => `${q.field}: ${q.message}`).join('; ')}`,
      }
    : null;
}

/** Two files that say different things about `field`: the one that disagrees, then the reference. */
function mismatch(field: DeclaredField, says: string, theirs: Partial<Declared>, but: string, ours: Partial<Declared>): ReleaseDeclaration {
  const message = `${field}: ${says} says ${showDeclared(field, theirs)}, but ${but} says ${showDeclared(field, ours)}`;
  return { ok: false, code: 'metadata_mismatch', field, message };
}

/**
 * What a release declares: its wheels' METADATA (all alike), which every sdist's PKG-INFO must
 * agree with except in fields it marks Dynamic; without a wheel, the sdist's PKG-INFO when it
 * declares every field statically. The server refuses a publish with the message; the client's
 * validation reports it as a finding before uploading.
 */
export function releaseDeclaration(wheels: readonly FileMetadata[], sdists: readonly FileMetadata[]): ReleaseDeclaration {
  const first = wheels[0];
  if (!first) {
    const sdist = sdists[0];
    if (!sdist) return { ok: false, code: 'invalid_file', field: 'fapilog_compatibility', message: 'no wheel or sdist' };
    const dynamic = DECLARED_FIELDS.filter((f) => sdist.metadata.dynamic.includes(DYNAMIC_HEADER[f]));
    if (dynamic.length > 0) {
      return {
        ok: false,
        code: 'invalid_file',
        field: dynamic[0]!,
        message:
          `${sdist.filename}: PKG-INFO marks ` +
          `${[...new Set(dynamic.map((f) => DYNAMIC_HEADER[f]))].join(', ')} as Dynamic, so only a wheel can ` +
          `say what the release needs; upload the wheel too`,
      };
    }
    return (
      fileProblem(sdist, 'PKG-INFO') ?? { ok: true, value: declaredOf(sdist.metadata).declared, source: `${sdist.filename}'s PKG-INFO` }
    );
  }
  for (const w of wheels) {
    const bad = fileProblem(w, 'METADATA');
    if (bad) return bad;
  }
  const ours = declaredOf(first.metadata).declared;
  for (const w of wheels.slice(1)) {
    const theirs = declaredOf(w.metadata).declared;
    for (const field of DECLARED_FIELDS) {
      if (!sameDeclared(field, ours, theirs)) return mismatch(field, `${w.filename}'s METADATA`, theirs, `${first.filename}'s`, ours);
    }
  }
  for (const s of sdists) {
    const theirs = declaredOf(s.metadata).declared;
    for (const field of DECLARED_FIELDS) {
      if (s.metadata.dynamic.includes(DYNAMIC_HEADER[field])) continue;
      if (!sameDeclared(field, ours, theirs))
        return mismatch(field, `${s.filename}'s PKG-INFO`, theirs, `${first.filename}'s METADATA`, ours);
    }
  }
  return { ok: true, value: ours, source: `${first.filename}'s METADATA` };
}

/** The publish JSON's fields against the files': one sentence naming each field and both values, or null. */
export function jsonMismatch(truth: { value: Declared; source: string }, json: Partial<Declared>): string | null {
  const lies = disagreements(truth.value, json);
  if (lies.length === 0) return null;
  return (
    lies.map((l) => `metadata.${l.field} is ${l.theirs}, but ${truth.source} says ${l.ours}`).join('; ') +
    ' (the marketplace shows what the files declare: fix the JSON or leave the field out)'
  );
}
