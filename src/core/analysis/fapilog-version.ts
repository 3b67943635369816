/**
 * Which fapilog the project runs. Everything else in the report is judged against this
 * version, so the choice and where it came from are part of the report.
 *
 * Order: an override (the CLI's `--fapilog-version`, the Action's input) > lockfile (locked) > an `==` pin in a manifest
 * (pinned) > the newest known fapilog release the declared specifiers allow (range) >
 * the newest final release when fapilog is listed without a specifier (unconstrained) >
 * not a dependency at all (unknown: judged against the newest final release, with a warning).
 */
import type { Dependency, ProjectScan } from '../python/types.ts';
import type { Report } from './report.ts';
import { alternativesOf } from './statuses.ts';
import { CoreError } from '../errors.ts';
import { isPrerelease, newestFinal } from '../pep440/index.ts';
import { admits, isValidVersion, mentionsPrerelease, pinnedVersion, sortDescending, sameVersion } from './versions.ts';

export const FAPILOG = 'fapilog';

export type FapilogInfo = Report['fapilog'];

export interface FapilogResolution {
  fapilog: FapilogInfo;
  warnings: string[];
}

function where(dep: Dependency): string {
  return `${dep.location.file}:${dep.location.line}`;
}

function fapilogDependencies(manifests: ProjectScan['manifests']): Dependency[] {
  return manifests.flatMap((m) => m.dependencies.filter((d) => d.name === FAPILOG));
}

/** The whole project judged as one environment (its manifests, every lockfile). */
export function resolveFapilogVersion(scan: ProjectScan, knownVersions: readonly string[], override?: string | null): FapilogResolution {
  return resolveFapilogFor(scan.manifests, scan.locked, knownVersions, override);
}

/** Which fapilog one environment runs: its own manifests and its own lockfiles' versions. */
export function resolveFapilogFor(
  manifests: ProjectScan['manifests'],
  lockedVersions: ProjectScan['locked'],
  knownVersions: readonly string[],
  override?: string | null,
): FapilogResolution {
  const warnings: string[] = [];
  const deps = fapilogDependencies(manifests);
  const specifiers = [...new Set(deps.map((d) => d.specifier.trim()).filter((s) => s !== ''))];
  const specifier = specifiers.length > 0 ? specifiers.join(',') : null;

  if (override != null && override !== '') {
    if (!isValidVersion(override)) {
      throw new CoreError(
        'invalid-fapilog-version',
        `the fapilog version to judge against, ${JSON.stringify(override)}, is not a PEP 440 version`,
        { subject: override },
      );
    }
    // `from` names no flag or input: each front end says where the override came from.
    return { fapilog: { version: override, source: 'override', specifier, from: null }, warnings };
  }

  const locked = lockedVersions.get(FAPILOG);
  if (locked) {
    return { fapilog: { version: locked.version, source: 'locked', specifier, from: locked.lockfile }, warnings };
  }

  const pins = deps.flatMap((d) => {
    const v = d.pinned ?? pinnedVersion(d.specifier);
    return v ? [{ dep: d, version: v }] : [];
  });
  const firstPin = pins[0];
  if (firstPin) {
    const others = pins.filter((p) => !sameVersion(p.version, firstPin.version));
    if (others.length > 0) {
      warnings.push(
        `fapilog is pinned to different versions: ${pins.map((p) => `${p.version} (${where(p.dep)})`).join(', ')}; ` +
          `using ${firstPin.version} from ${where(firstPin.dep)}`,
      );
    }
    return { fapilog: { version: firstPin.version, source: 'pinned', specifier, from: where(firstPin.dep) }, warnings };
  }

  const firstDep = deps[0];
  if (firstDep && specifier !== null) {
    const from = deps
      .filter((d) => d.specifier.trim() !== '')
      .map(where)
      .join(', ');
    // Every manifest must be satisfied at once, so the specifiers are intersected; each one may
    // itself be a union (Poetry `||`).
    const constrained = deps.filter((d) => d.specifier.trim() !== '').map(alternativesOf);
    const prereleases = constrained.some((alts) => mentionsPrerelease(alts));
    const version =
      sortDescending(knownVersions).find(
        (v) => (prereleases || !isPrerelease(v)) && constrained.every((alts) => admits(alts, v, prereleases || undefined)),
      ) ?? null;
    if (version === null) {
      const fallback = newestFinal(knownVersions);
      warnings.push(
        `no fapilog release known to the marketplace satisfies ${specifier} (${from}); ` +
          (fallback ? `compatibility is judged against the newest fapilog, ${fallback}` : 'compatibility cannot be judged'),
      );
      return { fapilog: { version: fallback, source: 'range', specifier, from }, warnings };
    }
    return { fapilog: { version, source: 'range', specifier, from }, warnings };
  }

  const newest = newestFinal(knownVersions);
  if (firstDep) {
    if (newest === null) warnings.push('the marketplace knows no fapilog release, so plugin compatibility cannot be judged');
    return { fapilog: { version: newest, source: 'unconstrained', specifier: null, from: where(firstDep) }, warnings };
  }

  warnings.push(
    'fapilog is not a dependency of this project, so compatibility cannot be judged against its own version; ' +
      (newest ? `statuses are judged against the newest fapilog release, ${newest}` : 'the marketplace knows no fapilog release either'),
  );
  return { fapilog: { version: newest, source: 'unknown', specifier: null, from: null }, warnings };
}
