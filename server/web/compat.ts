/**
 * The compatibility matrix: each release against each known fapilog release, judged the way the
 * CLI judges it (src/core/analysis isCompatible: the release's fapilog_compatibility admits that
 * fapilog, pre-releases included). A yanked release is "yanked" whatever it declares. A
 * "corrected" cell comes only from data: a correction the marketplace recorded for the release
 * (when the store provides one), never from this module.
 */
import type { Release } from '../../src/core/marketplace/schemas.ts';
import { isCompatible } from '../../src/core/analysis/index.ts';
import { compare, isPrerelease } from '../../src/core/pep440/index.ts';

export type CellKind = 'works' | 'no' | 'corrected-works' | 'corrected-no' | 'yanked';

export interface Correction {
  /** The fapilog specifier that replaces the declared one for this release. */
  fapilog_compatibility: string;
  reason?: string | null;
}

/** A release as the matrix reads it: the contract's Release, plus a correction when there is one. */
export type MatrixRelease = Pick<Release, 'version' | 'fapilog_compatibility' | 'yanked'> & { correction?: Correction | null };

export function cell(release: MatrixRelease, fapilog: string): CellKind {
  if (release.yanked) return 'yanked';
  const declared = isCompatible(release, fapilog);
  if (release.correction) {
    const corrected = isCompatible(release.correction, fapilog);
    if (corrected !== declared) return corrected ? 'corrected-works' : 'corrected-no';
  }
  return declared ? 'works' : 'no';
}

export function works(release: MatrixRelease, fapilog: string): boolean {
  const c = cell(release, fapilog);
  return c === 'works' || c === 'corrected-works';
}

/**
 * The release to install with `fapilog`: the newest that works with it, finals before
 * pre-releases unless that fapilog is itself a pre-release (as the CLI's install chooses).
 */
export function newestWorking<R extends MatrixRelease>(releases: readonly R[], fapilog: string): R | null {
  const ok = releases.filter((r) => works(r, fapilog)).sort((a, b) => compare(b.version, a.version));
  if (isPrerelease(fapilog)) return ok[0] ?? null;
  return ok.find((r) => !isPrerelease(r.version)) ?? ok[0] ?? null;
}

/** The newest final fapilog release known (the default a page shows), else the newest at all. */
export function defaultFapilog(versions: readonly string[]): string | null {
  const sorted = [...versions].sort((a, b) => compare(b, a));
  return sorted.find((v) => !isPrerelease(v)) ?? sorted[0] ?? null;
}

export const CELL_LABEL: Record<CellKind, string> = {
  works: 'works',
  no: 'does not work',
  'corrected-works': 'works (corrected)',
  'corrected-no': 'does not work (corrected)',
  yanked: 'yanked',
};
