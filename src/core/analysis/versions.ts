/**
 * The PEP 440 questions the analysis asks, on top of src/core/pep440/ (which follows
 * Python's `packaging`, as pip does). These wrappers never throw on a malformed version or
 * specifier coming from the marketplace or a manifest: a bad value simply matches nothing.
 */
import {
  compare,
  isPrerelease,
  isValid,
  isValidSpecifier as validSpecifier,
  satisfiesAny,
  specifierMentionsPrerelease,
} from '../pep440/index.ts';

export function isValidVersion(version: string): boolean {
  return isValid(version);
}

/** PEP 440 ordering that never throws (invalid versions first) and equality: the PEP 440 room's. */
export { compareLenient as compareVersions, sameVersion } from '../pep440/index.ts';

/** Newest first, invalid versions dropped. */
export function sortDescending(versions: Iterable<string>): string[] {
  if (!Array.isArray(versions)) return sorted(versions);
  // The analysis asks this of the same list of known fapilog versions once per entry and per
  // environment (4,000 and 1,000 times on a 1,000-service monorepo): sorted once per list. The
  // copy kept beside the answer makes an array changed in place since a miss, never a stale hit.
  const list = versions as readonly string[];
  const hit = sortedLists.get(list);
  if (hit && hit.of.length === list.length && hit.of.every((v, i) => v === list[i])) return [...hit.sorted];
  const answer = sorted(list);
  sortedLists.set(list, { of: [...list], sorted: answer });
  return [...answer];
}

const sortedLists = new WeakMap<readonly string[], { of: readonly string[]; sorted: readonly string[] }>();

function sorted(versions: Iterable<string>): string[] {
  return [...versions].filter(isValid).sort((a, b) => compare(b, a));
}

/**
 * Does any of the specifiers (a union: Poetry `||`) admit `version`? An empty specifier admits
 * everything. `prereleases` undefined follows PEP 440 (only when the specifier names one);
 * true lets a pre-release match any specifier, which is right for "does plugin X declare
 * support for the fapilog rc the project already runs".
 */
export function admits(specifiers: string | readonly string[], version: string, prereleases?: boolean): boolean {
  const specs = typeof specifiers === 'string' ? [specifiers] : specifiers;
  if (specs.length === 0) return isValid(version) && (prereleases === true || !isPrerelease(version));
  return satisfiesAny(
    version,
    specs.map((s) => s.trim()),
    prereleases === undefined ? {} : { prereleases },
  );
}

export function isValidSpecifier(specifier: string): boolean {
  return validSpecifier(specifier);
}

/** The version an `==X` / `===X` specifier pins, or null (wildcards and ranges pin nothing). */
export function pinnedVersion(specifier: string): string | null {
  const m = /^\s*===?\s*([^\s,;*]+)\s*$/.exec(specifier);
  if (!m?.[1]) return null;
  return isValid(m[1]) ? m[1] : null;
}

/** Does a specifier itself name a pre-release (`>=2.0rc1`)? PEP 440 then lets pre-releases match. */
export function mentionsPrerelease(specifiers: string | readonly string[]): boolean {
  const specs = typeof specifiers === 'string' ? [specifiers] : specifiers;
  return specs.some(specifierMentionsPrerelease);
}
