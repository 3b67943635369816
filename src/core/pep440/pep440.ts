/**
 * PEP 440 versions and specifiers with the semantics of Python's `packaging` (what pip uses),
 * for the analysis, the manifest engine and the server alike.
 *
 * Version parsing comes from @renovatebot/pep440. Its specifier matching differs from
 * `packaging` in several places (found by test/core/python/pep440-differential.test.ts), so
 * the matching below follows `packaging.specifiers` directly instead of calling the library's
 * `satisfies`:
 * - pre-releases: allowed for the whole set when any clause names one (the library decides per
 *   clause, so `>=1.0a1,<2` rejected `1.5a1`);
 * - `<V` / `>V` exclusion of pre-/post-/local releases of V itself (the library compared release
 *   segments only, so `>1.0a1` rejected `1.0` and `<1.0.post1` rejected `1.0`);
 * - `==1.0.*` pads the candidate (`1` matches), `===` compares the normalised candidate;
 * - empty clauses (`>=1,`) are ignored, whitespace around versions is allowed;
 * - local segments: `1e5` is a string segment, not the number 100000.
 * Where `packaging` itself is quirky (the `~=` prefix computation, prefix matching with epochs)
 * its quirk is reproduced, because pip is what users compare us with.
 */
import { explain as libExplain, inc } from '@renovatebot/pep440';
import type { Pep440Version } from '@renovatebot/pep440';

export interface MatchOptions {
  /**
   * true: pre-releases may match; false: never; undefined: only when the specifier itself
   * names a pre-release (e.g. `>=2.0b1`), as `packaging.SpecifierSet.contains` does.
   */
  prereleases?: boolean;
}

export type Operator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

export interface Clause {
  operator: Operator;
  /** The version text as written (trimmed), including a trailing `.*` for wildcards. */
  version: string;
  wildcard: boolean;
}

// ---------------------------------------------------------------------------------------------
// Memos: a check of a large project asks the same few questions thousands of times (the same
// specifiers of the same releases against the same fapilog). Each memo is bounded: past its
// size it starts again empty, so a hostile input costs time, never unbounded memory.

const MEMO_LIMIT = 5000;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Versions

const cache = new Map<string, Pep440Version | null>();

function parsed(version: string): Pep440Version | null {
  if (typeof version !== 'string') return null;
  const hit = cache.get(version);
  if (hit !== undefined) return hit;
  const text = version.trim();
  let v = libExplain(text);
  const plus = text.indexOf('+');
  if (v && plus >= 0) {
    // The library turns local segments like `1e5` into numbers (100000); packaging keeps any
    // segment that is not all digits as a lowercase string, and all-digit ones as integers.
    const local = text
      .slice(plus + 1)
      .split(/[-_.]/)
      .map((seg) => (/^[0-9]+$/.test(seg) ? String(BigInt(seg)) : seg.toLowerCase()))
      .join('.');
    v = { ...v, local };
  }
  return remember(cache, version, v);
}

export function isValid(version: string): boolean {
  return parsed(version) !== null;
}

/** Canonical string form (`V1.0-RC1` -> `1.0rc1`), or null when not PEP 440. */
export function normalize(version: string): string | null {
  const v = parsed(version);
  if (!v) return null;
  return v.local ? `${v.public}+${v.local}` : v.public;
}

export function isPrerelease(version: string): boolean {
  return parsed(version)?.is_prerelease ?? false;
}

export function isPostrelease(version: string): boolean {
  return parsed(version)?.is_postrelease ?? false;
}

/** Release segment as numbers (`1.2.3rc1` -> [1, 2, 3]); [] when invalid. */
export function releaseOf(version: string): number[] {
  return parsed(version)?.release ?? [];
}

export function explain(version: string): Pep440Version | null {
  return parsed(version);
}

type Key = [number, number[], KeyPart, KeyPart, KeyPart, KeyPart];
type KeyPart = number | string | KeyPart[];

/** Sort keys of parsed versions (the objects `parsed` hands out are shared, so they key well). */
const keys = new WeakMap<Pep440Version, Key>();

function keyOf(v: Pep440Version): Key {
  let key = keys.get(v);
  if (key === undefined) {
    key = buildKey(v);
    keys.set(v, key);
  }
  return key;
}

function buildKey(v: Pep440Version): Key {
  const release = [...v.release];
  while (release.length > 0 && release[release.length - 1] === 0) release.pop();
  const pre: KeyPart = v.pre ? [v.pre[0] as string, Number(v.pre[1])] : v.post === null && v.dev !== null ? -Infinity : Infinity;
  const post: KeyPart = v.post === null ? -Infinity : ['post', Number(v.post)];
  const dev: KeyPart = v.dev === null ? Infinity : ['dev', Number(v.dev)];
  const local: KeyPart =
    v.local === null
      ? -Infinity
      : // packaging: numeric segments sort after alphanumeric ones, numerically among themselves.
        v.local.split('.').map((s): KeyPart => (/^[0-9]+$/.test(s) ? [Number(s), ''] : [-Infinity, s.toLowerCase()]));
  return [v.epoch, release, pre, post, dev, local];
}

/** Python tuple ordering, with ±Infinity standing for packaging's Infinity/NegativeInfinity. */
function cmpPart(a: KeyPart, b: KeyPart): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 1) {
      const c = cmpPart(a[i] as KeyPart, b[i] as KeyPart);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (a === b) return 0;
  if (a === -Infinity || b === Infinity) return -1;
  if (a === Infinity || b === -Infinity) return 1;
  if (Array.isArray(a) || Array.isArray(b)) {
    // Not reachable with keys built above (both sides are arrays or both infinities).
    return cmpPart(Array.isArray(a) ? a : [a], Array.isArray(b) ? b : [b]);
  }
  return a < b ? -1 : 1;
}

function cmpParsed(a: Pep440Version, b: Pep440Version): number {
  return cmpPart(keyOf(a) as unknown as KeyPart, keyOf(b) as unknown as KeyPart);
}

/** The release after `version` for a bump of `kind` (`major`, `minor`, `patch`...), or null (the library's `inc`). */
export function increment(version: string, kind: 'major' | 'minor' | 'patch'): string | null {
  return inc(version, kind);
}

/** Orders two versions; throws on an invalid one (compareLenient does not). */
export function compare(a: string, b: string): number {
  const pa = parsed(a);
  const pb = parsed(b);
  if (!pa) throw new Error(`Invalid PEP 440 version: '${a}'`);
  if (!pb) throw new Error(`Invalid PEP 440 version: '${b}'`);
  const c = cmpParsed(pa, pb);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

export function equal(a: string, b: string): boolean {
  return compare(a, b) === 0;
}

/**
 * The one lenient ordering, for versions from outside (marketplace rows, manifests, built files)
 * that may not be PEP 440: never throws. An invalid version sorts before every valid one, so it
 * never wins a "newest" contest; invalid ones among themselves by their text (code units, not the
 * locale), so a sort stays total and the same on every machine.
 */
export function compareLenient(a: string, b: string): number {
  const va = isValid(a);
  const vb = isValid(b);
  if (va && vb) return compare(a, b);
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** PEP 440 equality (`2.0` is `2.0.0`); false when either is not a version. Never throws. */
export function sameVersion(a: string, b: string): boolean {
  return isValid(a) && isValid(b) && compare(a, b) === 0;
}

/** Ascending, invalid versions dropped. */
export function sortVersions(versions: readonly string[]): string[] {
  return versions.filter(isValid).sort(compare);
}

/**
 * The newest final release (neither a pre- nor a dev release), which is what pip installs by
 * default; invalid versions are skipped. Callers drop yanked releases before asking.
 */
export function newestFinal(versions: Iterable<string>): string | null {
  let best: string | null = null;
  for (const v of versions) {
    if (!isValid(v) || isPrerelease(v)) continue;
    if (best === null || compare(v, best) > 0) best = v;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Specifiers (port of packaging.specifiers.Specifier / SpecifierSet, packaging 23)

const PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?`;
const POST = String.raw`(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?`;
const DEV = String.raw`(?:[-_.]?dev[-_.]?[0-9]*)?`;
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
const EPOCH_RELEASE = String.raw`v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*`;

const CLAUSE_PATTERNS: RegExp[] = [
  /^\s*(===)\s*([^\s;)]*)\s*$/i,
  new RegExp(String.raw`^\s*(==|!=)\s*(${EPOCH_RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL}))\s*$`, 'i'),
  new RegExp(String.raw`^\s*(~=)\s*(v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+${PRE}${POST}${DEV})\s*$`, 'i'),
  new RegExp(String.raw`^\s*(<=|>=|<|>)\s*(${EPOCH_RELEASE}${PRE}${POST}${DEV})\s*$`, 'i'),
];

/** One clause (`>= 1.2`); null when it is not a valid PEP 440 specifier. */
export function parseClause(text: string): Clause | null {
  for (const re of CLAUSE_PATTERNS) {
    const m = re.exec(text);
    if (m) {
      const operator = m[1] as Operator;
      const version = (m[2] ?? '').trim();
      return { operator, version, wildcard: operator !== '===' && version.endsWith('.*') };
    }
  }
  return null;
}

const specifiers = new Map<string, readonly Readonly<Clause>[] | null>();

/** parseSpecifier, memoised; the clauses are shared, so they are frozen. */
function clausesOf(spec: string): readonly Readonly<Clause>[] | null {
  const hit = specifiers.get(spec);
  if (hit !== undefined) return hit;
  const clauses: Clause[] = [];
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const c = parseClause(part);
    if (!c) return remember(specifiers, spec, null);
    clauses.push(Object.freeze(c));
  }
  return remember(specifiers, spec, Object.freeze(clauses));
}

/** A comma-separated specifier set; empty clauses are skipped. null when any clause is invalid. */
export function parseSpecifier(spec: string): Clause[] | null {
  const clauses = clausesOf(spec);
  return clauses === null ? null : clauses.map((c) => ({ ...c }));
}

export function isValidSpecifier(spec: string): boolean {
  return clausesOf(spec) !== null;
}

/** Does the specifier set name a pre-release in a clause that is not a wildcard (`>=2.0rc1`)? */
export function specifierMentionsPrerelease(spec: string): boolean {
  return (clausesOf(spec) ?? []).some((c) => !c.wildcard && isPrerelease(c.version));
}

function clauseAllowsPrereleases(c: Clause): boolean {
  if (c.operator === '==' || c.operator === '>=' || c.operator === '<=' || c.operator === '~=' || c.operator === '===') {
    const v = c.wildcard ? c.version.slice(0, -2) : c.version;
    const p = parsed(v);
    // packaging would raise for an unparsable `===` value; treating it as "no" keeps us total.
    return p?.is_prerelease ?? false;
  }
  return false;
}

function canonicalize(version: string, stripTrailingZero: boolean): string {
  const v = parsed(version);
  if (!v) return version;
  let release = v.release.join('.');
  if (stripTrailingZero) release = release.replace(/(\.0)+$/, '');
  let out = v.epoch !== 0 ? `${v.epoch}!` : '';
  out += release;
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local !== null) out += `+${v.local}`;
  return out;
}

const PREFIX_SPLIT = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

function versionSplit(version: string): string[] {
  const out: string[] = [];
  for (const item of version.split('.')) {
    const m = PREFIX_SPLIT.exec(item);
    if (m) out.push(m[1] as string, m[2] as string);
    else out.push(item);
  }
  return out;
}

function isNotSuffix(segment: string): boolean {
  return !['dev', 'a', 'b', 'rc', 'post'].some((p) => segment.startsWith(p));
}

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);

function takeWhile<T>(xs: readonly T[], pred: (x: T) => boolean): T[] {
  const out: T[] = [];
  for (const x of xs) {
    if (!pred(x)) break;
    out.push(x);
  }
  return out;
}

function padLeft(left: string[], right: string[]): string[] {
  const leftRelease = takeWhile(left, isDigits);
  const rightRelease = takeWhile(right, isDigits);
  const padding = Array.from({ length: Math.max(0, rightRelease.length - leftRelease.length) }, () => '0');
  return [...leftRelease, ...padding, ...left.slice(leftRelease.length)];
}

function publicOf(v: Pep440Version): Pep440Version {
  return v.local === null ? v : (parsed(v.public) as Pep440Version);
}

function baseOf(v: Pep440Version): Pep440Version {
  return parsed(v.base_version) as Pep440Version;
}

function compareEqual(item: Pep440Version, spec: string): boolean {
  if (spec.endsWith('.*')) {
    const prospective = versionSplit(canonicalize(item.public, true));
    const wanted = versionSplit(canonicalize(spec.slice(0, -2), false));
    const shortened = padLeft(prospective, wanted).slice(0, wanted.length);
    return shortened.length === wanted.length && shortened.every((s, i) => s === wanted[i]);
  }
  const sv = parsed(spec);
  if (!sv) return false;
  const candidate = sv.local === null ? publicOf(item) : item;
  return cmpParsed(candidate, sv) === 0;
}

function compareClause(item: Pep440Version, c: Clause): boolean {
  switch (c.operator) {
    case '==':
      return compareEqual(item, c.version);
    case '!=':
      return !compareEqual(item, c.version);
    case '~=': {
      const prefix = takeWhile(versionSplit(c.version), isNotSuffix).slice(0, -1).join('.') + '.*';
      return compareClause(item, { operator: '>=', version: c.version, wildcard: false }) && compareEqual(item, prefix);
    }
    case '<=':
    case '>=': {
      const sv = parsed(c.version);
      if (!sv) return false;
      const cmp = cmpParsed(publicOf(item), sv);
      return c.operator === '<=' ? cmp <= 0 : cmp >= 0;
    }
    case '<': {
      const sv = parsed(c.version);
      if (!sv || cmpParsed(item, sv) >= 0) return false;
      if (!sv.is_prerelease && item.is_prerelease && cmpParsed(baseOf(item), baseOf(sv)) === 0) return false;
      return true;
    }
    case '>': {
      const sv = parsed(c.version);
      if (!sv || cmpParsed(item, sv) <= 0) return false;
      if (!sv.is_postrelease && item.is_postrelease && cmpParsed(baseOf(item), baseOf(sv)) === 0) return false;
      if (item.local !== null && cmpParsed(baseOf(item), baseOf(sv)) === 0) return false;
      return true;
    }
    case '===':
      return canonicalString(item).toLowerCase() === c.version.toLowerCase();
  }
}

/** packaging's str(Version): the normalised form with local segment. */
function canonicalString(v: Pep440Version): string {
  return v.local === null ? v.public : `${v.public}+${v.local}`;
}

function setAllowsPrereleases(clauses: readonly Readonly<Clause>[]): boolean | undefined {
  if (clauses.length === 0) return undefined;
  return clauses.some(clauseAllowsPrereleases);
}

function containsParsed(item: Pep440Version, clauses: readonly Readonly<Clause>[], opts: MatchOptions): boolean {
  const pre = opts.prereleases ?? setAllowsPrereleases(clauses) ?? false;
  if (item.is_prerelease && !pre) return false;
  return clauses.every((c) => compareClause(item, c));
}

const answers = new Map<string, boolean>();

/** `version in SpecifierSet(spec)`; false for an invalid version or specifier. */
export function satisfies(version: string, spec: string, opts: MatchOptions = {}): boolean {
  if (typeof version !== 'string') return false;
  // NUL cannot occur in either text, so the key names one question only.
  const key = `${opts.prereleases === undefined ? 'u' : opts.prereleases ? 't' : 'f'}\0${spec}\0${version}`;
  const hit = answers.get(key);
  if (hit !== undefined) return hit;
  const item = parsed(version);
  const clauses = clausesOf(spec);
  return remember(answers, key, item !== null && clauses !== null && containsParsed(item, clauses, opts));
}

/** Union of specifier sets (Poetry `||`): true when any of them admits the version. */
export function satisfiesAny(version: string, specs: readonly string[], opts: MatchOptions = {}): boolean {
  return specs.some((s) => satisfies(version, s, opts));
}

/**
 * Newest version admitted by the specifier under `satisfies` semantics. Unlike
 * `SpecifierSet.filter`, there is no "only pre-releases matched, so take them" fallback: callers
 * decide about pre-releases explicitly (the analysis only offers them when the project uses one).
 */
export function maxSatisfying(versions: readonly string[], spec: string, opts: MatchOptions = {}): string | null {
  return maxSatisfyingAny(versions, [spec], opts);
}

export function minSatisfying(versions: readonly string[], spec: string, opts: MatchOptions = {}): string | null {
  const ok = versions.filter((v) => satisfies(v, spec, opts));
  return ok.length === 0 ? null : (sortVersions(ok)[0] ?? null);
}

export function maxSatisfyingAny(versions: readonly string[], specs: readonly string[], opts: MatchOptions = {}): string | null {
  let best: string | null = null;
  for (const v of versions) {
    if (!satisfiesAny(v, specs, opts)) continue;
    if (best === null || compare(v, best) > 0) best = v;
  }
  return best;
}

/** Versions admitted by the specifier, ascending. */
export function filterSatisfying(versions: readonly string[], spec: string, opts: MatchOptions = {}): string[] {
  return sortVersions(versions.filter((v) => satisfies(v, spec, opts)));
}
