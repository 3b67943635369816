/**
 * Poetry's constraint dialect translated to PEP 440. Poetry accepts `^1.2` (caret), `~1.2`
 * (tilde), `1.*` (wildcard), bare `1.2.3` (exact), PEP 440 operators, `,` or whitespace for
 * "and", and `||` (or `|`) for "or". A PEP 440 parser would reject or misread most of these,
 * so they are translated here and a union comes back as a list of PEP 440 specifiers.
 */
import { explain, isValidSpecifier } from '../pep440/index.ts';

export class PoetryConstraintError extends Error {
  override name = 'PoetryConstraintError';
}

const VERSION = /^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:[-_.]?[a-z]+[-_.]?[0-9]*)*(?:\+[a-z0-9.]+)?$/i;

function release(v: string): number[] {
  const p = explain(v);
  if (!p) throw new PoetryConstraintError(`${JSON.stringify(v)} is not a version`);
  return p.release;
}

/** Upper bound with as many components as the lower bound had (`^1.2` -> `<2.0`). */
function bound(parts: number[], width: number): string {
  const out = [...parts];
  while (out.length < width) out.push(0);
  return out.join('.');
}

function caret(v: string): string {
  const r = release(v);
  const idx = r.findIndex((n) => n !== 0);
  // `^0.0.3` -> <0.0.4, `^0.2` -> <0.3, `^0.0` -> <0.1, `^0` -> <1
  const bumpAt = idx < 0 ? Math.max(0, r.length - 1) : idx;
  const upper = r.slice(0, bumpAt + 1);
  upper[bumpAt] = (upper[bumpAt] ?? 0) + 1;
  return `>=${v},<${bound(upper, r.length)}`;
}

function tilde(v: string): string {
  const r = release(v);
  // `~1` -> <2, `~1.2` -> <1.3, `~1.2.3` -> <1.3
  const bumpAt = r.length === 1 ? 0 : 1;
  const upper = r.slice(0, bumpAt + 1);
  upper[bumpAt] = (upper[bumpAt] ?? 0) + 1;
  return `>=${v},<${bound(upper, r.length)}`;
}

function single(c: string): string {
  const t = c.trim();
  if (t === '*' || t === '') return '';
  if (t.startsWith('^')) return caret(t.slice(1).trim());
  if (t.startsWith('~=')) return `~=${t.slice(2).trim()}`;
  if (t.startsWith('~')) return tilde(t.slice(1).trim());
  const op = /^(===|==|!=|<=|>=|<|>|=)\s*(.*)$/.exec(t);
  if (op) {
    const operator = op[1] === '=' ? '==' : (op[1] as string);
    const version = (op[2] as string).trim();
    if (/^[0-9.]+\.\*$/.test(version) || VERSION.test(version)) return `${operator}${version}`;
    throw new PoetryConstraintError(`${JSON.stringify(t)} is not a version constraint`);
  }
  if (/^[0-9]+(?:\.[0-9]+)*\.[*xX]$/.test(t)) return `==${t.slice(0, -1)}*`;
  if (VERSION.test(t)) return `==${t}`;
  throw new PoetryConstraintError(`${JSON.stringify(t)} is not a Poetry constraint`);
}

/** Splits an "and" group on commas or on whitespace between clauses (`>=1.2 <2`). */
function andClauses(group: string): string[] {
  const out: string[] = [];
  for (const part of group.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    // Whitespace separates clauses only where an operator or version starts again.
    const pieces = p.split(/\s+(?=[<>=!~^]|[0-9]+(?:\.|$))/);
    const merged: string[] = [];
    for (const piece of pieces) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && /^(===|==|!=|<=|>=|<|>|=|~=|~|\^)$/.test(prev.trim())) merged[merged.length - 1] = prev + piece;
      else merged.push(piece);
    }
    out.push(...merged);
  }
  return out;
}

/**
 * Translates a Poetry constraint to the PEP 440 specifiers whose union it means
 * (`>=1,<2 || >=3` -> [`>=1,<2`, `>=3`]); `*` -> [''] (any version).
 */
export function poetryToPep440(constraint: string): string[] {
  const groups = constraint.split(/\|\|?/);
  const out: string[] = [];
  for (const g of groups) {
    if (g.trim() === '' && groups.length > 1) throw new PoetryConstraintError(`empty alternative in ${JSON.stringify(constraint)}`);
    const clauses = andClauses(g)
      .map(single)
      .filter((s) => s !== '');
    const spec = clauses.join(',');
    if (spec !== '' && !isValidSpecifier(spec)) {
      throw new PoetryConstraintError(`${JSON.stringify(g.trim())} does not translate to a valid PEP 440 specifier (${spec})`);
    }
    out.push(spec);
  }
  // Any alternative allowing everything makes the union allow everything.
  if (out.includes('')) return [''];
  return out;
}
