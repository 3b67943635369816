/**
 * Range strategies with Renovate's pep440 meanings, computed on the specifier as written so the
 * user's operators and spacing survive:
 * - `pin`: `==T` (Poetry: bare `T`);
 * - `bump`: raise lower bounds to T (`>=1.0` -> `>=1.4`, `~=1.0` -> `~=1.4`, `^1.2` -> `^1.4`),
 *   move upper bounds that exclude T;
 * - `replace`: keep the specifier when it already admits T, else shift the whole range to T
 *   (`>=1.0,<1.1` -> `>=1.2,<1.3`);
 * - `widen`: keep the specifier when it admits T, else raise only the upper bound
 *   (`>=1.0,<2` -> `>=1.0,<3`; `~=7.2` -> `>=7.2,<9`; Poetry `^1.2` -> `^1.2 || ^2.0`);
 * - `auto`: `replace` (Renovate's choice for pep440).
 */
import { compare, explain, isPrerelease, isValid, parseClause, releaseOf, satisfies, satisfiesAny } from '../pep440/index.ts';
import { poetryToPep440 } from './poetry.ts';
import type { SpecifierSyntax } from './types.ts';

export const RANGE_STRATEGIES = ['auto', 'bump', 'pin', 'widen', 'replace'] as const;
export type RangeStrategy = (typeof RANGE_STRATEGIES)[number];

export class StrategyError extends Error {
  override name = 'StrategyError';
}

interface ClauseLayout {
  /** Whitespace before the operator. */
  lead: string;
  op: string;
  /** Whitespace between operator and version. */
  gap: string;
  version: string;
  /** Whitespace after the version. */
  trail: string;
}

interface Layout {
  clauses: ClauseLayout[];
  /** Separators between clauses as written (`,`, `, `). */
  separators: string[];
}

function layoutOf(raw: string): Layout {
  const parts = raw.split(',');
  const clauses: ClauseLayout[] = [];
  const separators: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const p = parts[i] as string;
    const m = /^(\s*)(===|~=|==|!=|<=|>=|<|>|\^|~|=)?(\s*)(.*?)(\s*)$/.exec(p);
    if (!m) throw new StrategyError(`cannot read specifier ${JSON.stringify(raw)}`);
    clauses.push({ lead: m[1] ?? '', op: m[2] ?? '', gap: m[3] ?? '', version: m[4] ?? '', trail: m[5] ?? '' });
  }
  for (let i = 1; i < clauses.length; i += 1) {
    const c = clauses[i] as ClauseLayout;
    separators.push(',' + c.lead);
  }
  return { clauses, separators };
}

function render(layout: Layout, next: Array<{ op: string; version: string }>): string {
  const cl = layout.clauses;
  if (next.length === cl.length) {
    // Same shape: only operators and versions change, every space and comma stays.
    return next
      .map((c, i) => {
        const l = cl[i] as ClauseLayout;
        return l.lead + c.op + l.gap + c.version + l.trail;
      })
      .join(',');
  }
  const first = cl[0] as ClauseLayout;
  const last = cl[cl.length - 1] as ClauseLayout;
  const sep = layout.separators[0] ?? ',';
  return first.lead + next.map((c) => c.op + first.gap + c.version).join(sep) + last.trail;
}

/** Renovate's "precision" of a range: which release component its upper bound moves. */
function rangePrecision(bounds: string[]): number {
  const bound = releaseOf((bounds[1] ?? bounds[0]) as string);
  let p = -1;
  if (bounds.length === 1) p = bound.length - 1;
  if (bounds.length === 2) {
    const lower = releaseOf(bounds[0] as string);
    p = bound.findIndex((n, i) => n > (lower[i] ?? 0));
  }
  if (p === 0 && bound.length > 1 && bound[1] === 0) p = 1;
  if (p < 0) p = bound.length - 1;
  return p;
}

/** The release of `target` shaped like `base`: components before `policy` copied, `policy` bumped, rest zero. */
function futureVersion(policy: number, target: string, base?: string): number[] {
  const to = releaseOf(target);
  const shape = releaseOf(base ?? target);
  return shape.map((_, i) => (i < policy ? (to[i] ?? 0) : i === policy ? (to[i] ?? 0) + (base === undefined ? 0 : 1) : 0));
}

function trimZeros(parts: number[]): number[] {
  let i = parts.length - 1;
  while (i > 0 && parts[i] === 0) i -= 1;
  return parts.slice(0, i + 1);
}

function shapeTo(target: string, length: number): string {
  const r = [...releaseOf(target)];
  while (r.length < length) r.push(0);
  return r.slice(0, length).join('.');
}

type Clause = { op: string; version: string };

function admits(clauses: Clause[], target: string): boolean {
  const spec = clauses.map((c) => c.op + c.version).join(',');
  return satisfies(target, spec, { prereleases: isPrerelease(target) });
}

function updateClause(c: Clause, target: string, strategy: RangeStrategy, all: Clause[]): Clause {
  const gte = (a: string, b: string): boolean => compare(a, b) >= 0;
  switch (c.op) {
    case '!=':
    case '===':
      return c;
    case '~=': {
      const len = releaseOf(c.version).length;
      return { op: '~=', version: len === releaseOf(target).length ? target : shapeTo(target, len) };
    }
    case '==':
    case '<=':
      if (c.version.endsWith('.*')) {
        const len = releaseOf(c.version.slice(0, -2)).length;
        return { op: c.op, version: `${shapeTo(target, len)}.*` };
      }
      // An exact pin moves to the target either way: a downgrade to the newest compatible
      // release is as legitimate as an upgrade (Renovate only moves it up).
      if (c.op === '==') return satisfies(target, `==${c.version}`, { prereleases: true }) ? c : { op: '==', version: target };
      return gte(c.version, target) ? c : { op: c.op, version: target };
    case '<':
      // Also "over the bound" when the target is a pre-release of the bound itself (`<2` excludes 2.0rc1).
      if (!satisfies(target, `<${c.version}`, { prereleases: true })) {
        const bounds = all.filter((x) => x.op === '>=' || x.op === '>' || x.op === '<').map((x) => x.version);
        const p = strategy === 'widen' ? widenPrecision(c.version, all) : rangePrecision(bounds.length > 0 ? bounds : [c.version]);
        let fut = futureVersion(p, target, c.version);
        if (all.some((x) => releaseOf(x.version.replace(/\.\*$/, '')).length < 3)) fut = trimZeros(fut);
        return { op: '<', version: fut.join('.') };
      }
      return c;
    case '>':
    case '>=':
      // A target at or below the lower bound (a rollback) becomes the new lower bound.
      if (compare(target, c.version) <= 0) return { op: '>=', version: target };
      if (strategy === 'bump' && c.op === '>=') return { op: '>=', version: target };
      if (strategy === 'replace' || strategy === 'auto') {
        const len = releaseOf(c.version).length;
        let base = futureVersion(len - 1, target);
        if (all.some((x) => releaseOf(x.version.replace(/\.\*$/, '')).length < 3)) base = trimZeros(base);
        const version = base.join('.');
        // A strict bound equal to the target would exclude it.
        if (c.op === '>' && !satisfies(target, `>${version}`, { prereleases: true })) return { op: '>=', version };
        return { op: c.op, version: c.op === '>=' && compare(version, target) > 0 ? target : version };
      }
      return c;
    default:
      return c;
  }
}

function widenPrecision(upper: string, all: Clause[]): number {
  const r = releaseOf(upper);
  if (r[r.length - 1] !== 0) return r.length - 1;
  const bounds = all.filter((x) => x.op === '>=' || x.op === '>' || x.op === '<').map((x) => x.version);
  return rangePrecision(bounds.length > 0 ? bounds : [upper]);
}

/** `~=1.2` -> `>=1.2`, `<2` (its logical equivalent, for widening). */
function splitCompatible(c: Clause): Clause[] {
  const r = releaseOf(c.version);
  const upper = r.length > 1 ? r.slice(0, -1) : [...r];
  upper[upper.length - 1] = (upper[upper.length - 1] ?? 0) + 1;
  return [
    { op: '>=', version: c.version },
    { op: '<', version: upper.join('.') },
  ];
}

/** After a replace, `==4.1.*,>=4.1.1` is just `==4.1.*`. */
function dropRedundant(clauses: Clause[], target: string): Clause[] {
  const [a, b] = clauses;
  if (clauses.length === 2 && a && b && a.op === '==' && a.version.endsWith('.*') && b.op === '>=' && admits([a], target)) return [a];
  return clauses;
}

/**
 * New PEP 440 specifier text for `raw` so that it admits `target`, keeping spacing and
 * operators. Returns `raw` unchanged when nothing needs to change. Throws StrategyError.
 */
export function pep440NewValue(raw: string, target: string, strategy: RangeStrategy): string {
  if (!isValid(target)) throw new StrategyError(`${JSON.stringify(target)} is not a PEP 440 version`);
  const trimmed = raw.trim();
  if (strategy === 'pin') {
    if (trimmed === '') return `==${target}`;
    const l = layoutOf(raw);
    const first = l.clauses[0] as ClauseLayout;
    return `${first.lead}==${first.gap}${target}${(l.clauses[l.clauses.length - 1] as ClauseLayout).trail}`;
  }
  if (trimmed === '' || trimmed === '*') {
    return strategy === 'bump' ? `>=${target}` : raw;
  }
  const layout = layoutOf(raw);
  const clauses: Clause[] = layout.clauses.map((c) => {
    const parsed = parseClause(`${c.op}${c.version}`);
    if (!parsed) throw new StrategyError(`${JSON.stringify(raw)} is not a valid PEP 440 specifier`);
    return { op: c.op, version: c.version };
  });
  if (clauses.some((c) => c.op === '===')) throw new StrategyError(`arbitrary equality (===) in ${JSON.stringify(raw)} cannot be updated`);
  const excluded = clauses.find((c) => c.op === '!=' && satisfies(target, `==${c.version}`, { prereleases: true }));
  if (excluded) throw new StrategyError(`${target} is excluded by ${excluded.op}${excluded.version} in ${JSON.stringify(raw)}`);

  let next: Clause[];
  if (strategy === 'bump') {
    next = clauses.map((c) => updateClause(c, target, 'bump', clauses));
  } else if (admits(clauses, target)) {
    return raw;
  } else if (strategy === 'widen') {
    const base = clauses.length === 1 && clauses[0]?.op === '~=' ? splitCompatible(clauses[0]) : clauses;
    next = base.map((c) => updateClause(c, target, 'widen', base));
  } else {
    next = dropRedundant(
      clauses.map((c) => updateClause(c, target, strategy, clauses)),
      target,
    );
  }
  if (!admits(next, target)) {
    throw new StrategyError(`cannot make ${JSON.stringify(raw)} admit ${target} with the ${strategy} strategy`);
  }
  const unchanged = next.length === clauses.length && next.every((c, i) => c.op === clauses[i]?.op && c.version === clauses[i]?.version);
  return unchanged ? raw : render(layout, next);
}

// ---------------------------------------------------------------------------------------------
// Poetry

function poetryAdmits(raw: string, target: string): boolean {
  try {
    return satisfiesAny(target, poetryToPep440(raw), { prereleases: isPrerelease(target) });
  } catch {
    return false;
  }
}

function poetryAlternative(alt: string, target: string, strategy: RangeStrategy): string {
  const m = /^(\s*)(\^|~(?!=))(\s*)(\S+)(\s*)$/.exec(alt);
  if (m) {
    const len = releaseOf(m[4] as string).length;
    return `${m[1]}${m[2]}${m[3]}${shapeTo(target, len)}${m[5]}`;
  }
  const wildcard = /^(\s*)(==\s*)?([0-9]+(?:\.[0-9]+)*)\.[*xX](\s*)$/.exec(alt);
  if (wildcard) {
    const len = (wildcard[3] as string).split('.').length;
    return `${wildcard[1]}${wildcard[2] ?? ''}${shapeTo(target, len)}.*${wildcard[4]}`;
  }
  const bare = /^(\s*)(=?\s*)(v?[0-9][^\s,<>=!~^*]*)(\s*)$/.exec(alt);
  if (bare) return `${bare[1]}${bare[2]}${target}${bare[4]}`;
  // PEP 440-shaped Poetry constraints (`>=1.2,<2.0`, or `>=1.2 <2.0` with a space for "and")
  // follow the PEP 440 rules; the user's separators are put back afterwards.
  const pieces = alt.split(/(\s*,\s*|\s+(?=[<>=!~]))/);
  const clauses = pieces.filter((_, i) => i % 2 === 0);
  const seps = pieces.filter((_, i) => i % 2 === 1);
  const next = pep440NewValue(clauses.join(','), target, strategy === 'widen' ? 'replace' : strategy).split(',');
  if (next.length !== clauses.length) return next.join(seps[0] ?? ',');
  return next.map((c, i) => c + (seps[i] ?? '')).join('');
}

/** New Poetry constraint (Poetry syntax kept) admitting `target`. Throws StrategyError. */
export function poetryNewValue(raw: string, target: string, strategy: RangeStrategy): string {
  if (!isValid(target)) throw new StrategyError(`${JSON.stringify(target)} is not a PEP 440 version`);
  const lead = /^\s*/.exec(raw)?.[0] ?? '';
  const trail = /\s*$/.exec(raw)?.[0] ?? '';
  const body = raw.trim();
  if (strategy === 'pin') return `${lead}${target}${trail}`;
  if (body === '' || body === '*') return strategy === 'bump' ? `${lead}>=${target}${trail}` : raw;
  if (strategy !== 'bump' && poetryAdmits(raw, target)) return raw;
  const alternatives = raw.split(/(\|\|?)/);
  // alternatives: [alt, sep, alt, sep, alt...]
  const alts = alternatives.filter((_, i) => i % 2 === 0);
  const seps = alternatives.filter((_, i) => i % 2 === 1);
  const lastIsRange = !/^\s*(\^|~(?!=)|=?\s*v?[0-9])/.test(alts[alts.length - 1] as string);
  if (strategy === 'widen' && lastIsRange) {
    // A PEP 440-shaped range widens in place (`>=1.0,<2.0` -> `>=1.0,<3.0`).
    const idx = alts.length - 1;
    const pieces = (alts[idx] as string).split(/(\s*,\s*|\s+(?=[<>=!~]))/);
    const clauses = pieces.filter((_, i) => i % 2 === 0);
    const between = pieces.filter((_, i) => i % 2 === 1);
    const next = pep440NewValue(clauses.join(','), target, 'widen').split(',');
    alts[idx] = next.length === clauses.length ? next.map((c, i) => c + (between[i] ?? '')).join('') : next.join(between[0] ?? ',');
    const out = alts.map((a, i) => a + (seps[i] ?? '')).join('');
    if (!poetryAdmits(out, target)) throw new StrategyError(`cannot widen ${JSON.stringify(raw)} to admit ${target}`);
    return out;
  }
  if (strategy === 'widen') {
    const lastAlt = alts[alts.length - 1] as string;
    const shaped = poetryAlternative(lastAlt.trim(), target, 'replace');
    const sep = seps[0] ?? '||';
    const out = `${raw.replace(/\s*$/, '')} ${sep} ${shaped.trim()}${trail}`;
    if (!poetryAdmits(out, target)) throw new StrategyError(`cannot widen ${JSON.stringify(raw)} to admit ${target}`);
    return out;
  }
  // bump / replace / auto act on the last (highest) alternative.
  const idx = alts.length - 1;
  alts[idx] = poetryAlternative(alts[idx] as string, target, strategy);
  let out = '';
  alts.forEach((a, i) => {
    out += a;
    if (i < seps.length) out += seps[i];
  });
  if (!poetryAdmits(out, target))
    throw new StrategyError(`cannot make ${JSON.stringify(raw)} admit ${target} with the ${strategy} strategy`);
  return out;
}

/** Pipfile values: `*` means any; otherwise PEP 440 (a bare version means `==`). */
export function pipfileNewValue(raw: string, target: string, strategy: RangeStrategy): string {
  const body = raw.trim();
  if (body === '*' || body === '') {
    if (strategy === 'pin') return `==${target}`;
    return strategy === 'bump' ? `>=${target}` : raw;
  }
  if (/^[0-9]/.test(body))
    return strategy === 'pin' || !satisfies(target, `==${body}`, { prereleases: true }) || strategy === 'bump' ? target : raw;
  return pep440NewValue(raw, target, strategy);
}

/** The exclusive upper bound of Poetry's `^X` (`^2.1.0` -> 3, `^0.6.0` -> 0.7, `^0.0.3` -> 0.0.4). */
export function caretCeiling(version: string): string {
  const parts = releaseOf(version);
  const i = parts.findIndex((n) => n !== 0);
  const at = i === -1 ? Math.max(0, parts.length - 1) : i;
  return [...parts.slice(0, at), (parts[at] ?? 0) + 1].join('.');
}

/** What `install` asks of a syntax: the newest compatible release, or the one asked for. */
export interface NewDependency {
  package: string;
  version: string;
  /** A version was asked for: pin it. */
  pin: boolean;
  /** An upper bound the range needs (a newer release wants another fapilog), or null. */
  below: string | null;
  /** pip's hash-checking mode: pin with these sha256 hashes. */
  hashes: readonly string[] | null;
}

/** What `install` writes: the text the format adds, the specifier alone (the re-read checks it), and whether `below` was used. */
export interface WrittenDependency {
  text: string;
  specifier: string;
  capped: boolean;
}

/**
 * The write side of each specifier syntax, one line each: `update`'s new constraint for a range
 * strategy, and what `install` writes (`uv add` / `poetry add` style: `>=X`, Poetry `^X`; `==X`
 * when a version was asked for or hashes are needed). A syntax install never writes has none.
 */
export interface SpecifierSyntaxWriter {
  newValue(raw: string, target: string, strategy: RangeStrategy): string;
  install?(dep: NewDependency): WrittenDependency;
}

function pep508Install({ package: pkg, version, pin, below, hashes }: NewDependency): WrittenDependency {
  if (hashes)
    return {
      text: `${pkg}==${version}${hashes.map((h) => ` \\\n    --hash=sha256:${h}`).join('')}`,
      specifier: `==${version}`,
      capped: false,
    };
  const specifier = pin ? `==${version}` : below ? `>=${version},<${below}` : `>=${version}`;
  return { text: `${pkg}${specifier}`, specifier, capped: !pin && below !== null };
}

function poetryInstall({ version, pin, below }: NewDependency): WrittenDependency {
  if (pin) return { text: version, specifier: version, capped: false };
  // `^X` already stops below the next major (next minor for 0.x): a cap at or above that is moot.
  if (below === null || compare(below, caretCeiling(version)) >= 0) return { text: `^${version}`, specifier: `^${version}`, capped: false };
  return { text: `>=${version},<${below}`, specifier: `>=${version},<${below}`, capped: true };
}

export const SPECIFIER_SYNTAXES: Record<SpecifierSyntax, SpecifierSyntaxWriter> = {
  pep508: { newValue: pep440NewValue, install: pep508Install },
  poetry: { newValue: poetryNewValue, install: poetryInstall },
  pipfile: { newValue: pipfileNewValue },
};

/** The new constraint text for a specifier written in `syntax`. */
export function newSpecifierValue(raw: string, syntax: SpecifierSyntax, target: string, strategy: RangeStrategy): string {
  return SPECIFIER_SYNTAXES[syntax].newValue(raw, target, strategy);
}
