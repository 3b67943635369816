/**
 * Specifier sets compared as sets of versions: "do these two texts say the same?" (a publish's
 * JSON against its wheel) and "does this range admit nothing the other does not?" (a correction
 * may only narrow what a release declares).
 */
import { explain } from '@renovatebot/pep440';
import { isValid, normalize, parseSpecifier, satisfies, sortVersions, type Clause } from './pep440.ts';

function clauseKey(c: Clause): string {
  if (c.operator === '===') return `===${c.version.toLowerCase()}`;
  if (c.wildcard) {
    const base = normalize(c.version.slice(0, -2));
    return `${c.operator}${base ?? c.version.toLowerCase()}.*`;
  }
  // `<0.20` and `<0.20.0` are one bound (trailing zeros do not count outside prefixes).
  const norm = normalize(c.version);
  if (norm === null || c.operator === '~=') return `${c.operator}${norm ?? c.version.toLowerCase()}`;
  const m = /^((?:\d+!)?)([\d.]+)(.*)$/.exec(norm);
  const release = m ? (m[2] as string).replace(/(?:\.0+)+$/, '') || '0' : norm;
  return `${c.operator}${m ? `${m[1]}${release}${m[3]}` : norm}`;
}

/**
 * The clauses in a canonical order with canonical versions (`< 0.20 ,>=0.14.0` ->
 * `<0.20,>=0.14.0`), or null when the text is not a specifier set. Two sets with the same key
 * admit the same versions; `0.14` and `0.14.0` stay distinct here as packaging keeps them.
 */
export function specifierKey(spec: string): string | null {
  const clauses = parseSpecifier(spec);
  if (clauses === null) return null;
  return [...new Set(clauses.map(clauseKey))].sort().join(',');
}

/** Same clauses, whatever the order, spacing or spelling of the versions. */
export function sameSpecifier(a: string, b: string): boolean {
  const ka = specifierKey(a);
  return ka !== null && ka === specifierKey(b);
}

/**
 * The versions where a specifier set can change its answer, and versions next to them: each
 * clause's version (wildcards and `~=` at their prefix), the same with `.dev0`, `a0`, `.post0`,
 * `.post0.dev0` and a local label, and the next release at every position (`1.2` -> `1.3`,
 * `2.0`, `1.2.1`). Every clause admits an interval (or all but one) bounded by such points, so an
 * answer that differs anywhere differs at one of them or at the released versions asked.
 */
export function boundaryVersions(spec: string): string[] {
  const out = new Set<string>();
  for (const c of parseSpecifier(spec) ?? []) {
    if (c.operator === '===') {
      if (isValid(c.version)) out.add(c.version);
      continue;
    }
    const raw = c.wildcard ? c.version.slice(0, -2) : c.version;
    const v = explain(raw);
    if (!v) continue;
    const epoch = v.epoch !== 0 ? `${v.epoch}!` : '';
    const release = v.release as number[];
    const bases = new Set<string>([v.public, `${epoch}${release.join('.')}`]);
    for (let i = 0; i < release.length; i++) {
      const next = release.slice(0, i + 1);
      next[i] = (next[i] as number) + 1;
      bases.add(`${epoch}${next.join('.')}`);
      bases.add(`${epoch}${[...next, ...Array(Math.max(0, release.length - i - 1)).fill(0)].join('.')}`);
    }
    bases.add(`${epoch}${[...release, 1].join('.')}`);
    for (const b of bases) {
      const pub = explain(b);
      if (!pub) continue;
      out.add(b);
      if (pub.pre === null && pub.post === null && pub.dev === null) {
        out.add(`${b}.dev0`);
        out.add(`${b}a0`);
        out.add(`${b}rc1`);
      }
      if (pub.dev === null) {
        out.add(`${b}.post0`);
        out.add(`${b}.post0.dev0`);
        out.add(`${b}.post1`);
      }
      out.add(`${b}+local`);
    }
  }
  return [...out].filter(isValid);
}

/**
 * null when every version `narrow` admits is admitted by `wide` (pre-releases included), else
 * the first version that shows it does not. Checked over `known` (the released versions that
 * matter) and both sets' boundary versions: between two neighbouring points of that list a set's
 * answer does not change for the operators PEP 440 has, so the check is sound for them.
 */
export function widening(narrow: string, wide: string, known: readonly string[] = []): string | null {
  const candidates = sortVersions([
    ...new Set([...known.filter(isValid), ...boundaryVersions(narrow), ...boundaryVersions(wide), '0', '0.dev0']),
  ]);
  for (const v of candidates) {
    if (satisfies(v, narrow, { prereleases: true }) && !satisfies(v, wide, { prereleases: true })) return v;
  }
  return null;
}
