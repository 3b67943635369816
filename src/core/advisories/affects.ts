/**
 * Which releases an OSV advisory affects, by the OSV evaluation rules over PEP 440 versions: a
 * version is affected when an explicit `versions` entry names it, or when in a range the last
 * event at or below it (events in version order, `introduced: "0"` first) is an `introduced`
 * (`fixed` ends it at that version, `last_affected` just after). A withdrawn advisory affects nothing.
 */
import { normalizeName } from '../names.ts';
import { compareLenient, sameVersion } from '../pep440/index.ts';
import type { Osv, OsvEvent, OsvRange } from './osv.ts';

function eventVersion(e: OsvEvent): string {
  return 'introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : e.last_affected;
}

function order(a: OsvEvent, b: OsvEvent): number {
  const va = eventVersion(a);
  const vb = eventVersion(b);
  if (va === '0' || vb === '0') return va === vb ? 0 : va === '0' ? -1 : 1;
  return compareLenient(va, vb);
}

export function inRange(version: string, range: Pick<OsvRange, 'events'>): boolean {
  let affected = false;
  for (const e of [...range.events].sort(order)) {
    if ('introduced' in e) {
      if (e.introduced === '0' || compareLenient(version, e.introduced) >= 0) affected = true;
    } else if ('fixed' in e) {
      if (compareLenient(version, e.fixed) >= 0) affected = false;
    } else if (compareLenient(version, e.last_affected) > 0) affected = false;
  }
  return affected;
}

/** Does `advisory` affect release `version` of distribution `pkg` (PEP 503 names compared)? */
export function affects(advisory: Pick<Osv, 'affected' | 'withdrawn'>, pkg: string, version: string): boolean {
  if (advisory.withdrawn) return false;
  const name = normalizeName(pkg);
  return advisory.affected.some(
    (a) =>
      normalizeName(a.package.name) === name &&
      (a.versions.some((v) => sameVersion(v, version)) || a.ranges.some((r) => inRange(version, r))),
  );
}

/** The distributions an advisory names (normalised, each once, in order). */
export function advisoryPackages(advisory: Pick<Osv, 'affected'>): string[] {
  return [...new Set(advisory.affected.map((a) => normalizeName(a.package.name)))];
}

/** What a release carries about the advisories affecting it: enough for every report, no extra request. */
export function releaseAdvisory(advisory: Pick<Osv, 'id' | 'summary' | 'aliases'>): { id: string; summary: string; aliases: string[] } {
  return { id: advisory.id, summary: advisory.summary, aliases: advisory.aliases };
}
