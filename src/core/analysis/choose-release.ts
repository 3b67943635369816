/**
 * Choosing the release `install` adds, from the marketplace's answer and the scanned project
 * (pure): the newest final release compatible with the project's fapilog, or the one asked for
 * if it is allowed; refused when yanked, incompatible, or in conflict with the project's pins.
 * And the upper bound a `>=` range gets when a newer release already needs another fapilog: a
 * resolver may otherwise pick that release and move fapilog with it, or backtrack with an error
 * that does not say why.
 */
import { InstallRefused } from '../errors.ts';
import type { BatchEntry, Release } from '../marketplace/schemas.ts';
import { normalizeName, packageName } from '../names.ts';
import { explain, isPrerelease, releaseOf, satisfies } from '../pep440/index.ts';
import { parseRequirement } from '../python/pep508.ts';
import type { ProjectScan } from '../python/types.ts';
import { resolveFapilogVersion, type FapilogInfo } from './fapilog-version.ts';
import { advisoryList, isAffected, isCompatible, releaseAdvisories } from './statuses.ts';
import { compareVersions, isValidVersion, sameVersion } from './versions.ts';

export interface InstallRequest {
  package: string;
  version: string | null;
}

export function parseInstallRequest(spec: string): InstallRequest {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([^\s=]+))?\s*$/.exec(spec);
  if (!m?.[1]) {
    throw new InstallRefused(
      'bad-request',
      `${JSON.stringify(spec)} is not <name> or <name>==<version> (e.g. loki or fapilog-loki==1.4.0)`,
    );
  }
  const version = m[2] ?? null;
  if (version !== null && !isValidVersion(version))
    throw new InstallRefused('bad-request', `${JSON.stringify(version)} is not a PEP 440 version`);
  return { package: packageName(m[1]), version };
}

/** The project's exact versions of a package: lockfile entries and `==` pins, with where they are. */
function projectPins(scan: ProjectScan, name: string): Array<{ version: string; where: string }> {
  const pins: Array<{ version: string; where: string }> = [];
  const locked = scan.locked.get(name);
  if (locked) pins.push({ version: locked.version, where: locked.lockfile });
  for (const m of scan.manifests) {
    for (const d of m.dependencies) {
      if (d.name === name && d.pinned) pins.push({ version: d.pinned, where: `${d.location.file}:${d.location.line}` });
    }
  }
  return pins;
}

/** The release's declared dependencies that the project's own pins or locked versions rule out. */
export function dependencyConflicts(release: Release, scan: ProjectScan): string[] {
  const conflicts: string[] = [];
  for (const requirement of release.dependencies) {
    let parsed;
    try {
      parsed = parseRequirement(requirement);
    } catch {
      continue; // the marketplace validated it at publish time; nothing sensible to compare
    }
    const name = normalizeName(parsed.name);
    // fapilog itself is judged by fapilog_compatibility; extras-only requirements need not apply.
    if (name === 'fapilog' || parsed.url || (parsed.markers && /\bextra\s*==/.test(parsed.markers))) continue;
    for (const pin of projectPins(scan, name)) {
      if (!satisfies(pin.version, parsed.specifier, { prereleases: true })) {
        conflicts.push(`it needs ${requirement.trim()}, but the project has ${name}==${pin.version} (${pin.where})`);
      }
    }
  }
  return [...new Set(conflicts)];
}

function fapilogPhrase(f: FapilogInfo): string {
  return f.from ? `fapilog ${f.version} (${f.source}, ${f.from})` : `fapilog ${f.version} (${f.source})`;
}

/** Picks the release to install, or refuses. Pure: the scan and the marketplace answers in. */
export function chooseRelease(
  request: InstallRequest,
  entry: BatchEntry | null,
  scan: ProjectScan,
  fapilogVersions: readonly string[],
  fapilogOverride?: string | undefined,
  source?: { url: string; kind?: 'marketplace' | 'index' | undefined },
): { release: Release; fapilog: FapilogInfo; warnings: string[] } {
  const pkg = request.package;
  if (!entry)
    throw new InstallRefused(
      'not-found',
      `${pkg} is ${source?.kind === 'index' ? `not on the index ${source.url}` : 'not in the marketplace'}`,
    );
  const { fapilog, warnings } = resolveFapilogVersion(scan, fapilogVersions, fapilogOverride);
  const fv = fapilog.version;
  const finals = entry.releases.filter((r) => !r.yanked && isValidVersion(r.version) && !isPrerelease(r.version));
  // A release an advisory affects is never the default pick; asked for by version, it is installed with a warning.
  const newestCompatible = finals
    .filter((r) => isCompatible(r, fv) && !isAffected(r))
    .sort((a, b) => compareVersions(b.version, a.version))[0];

  let release: Release;
  if (request.version !== null) {
    const wanted = request.version;
    const found = entry.releases.find((r) => sameVersion(r.version, wanted));
    if (!found) {
      const known = entry.releases.map((r) => r.version).join(', ');
      throw new InstallRefused('not-found', `${pkg} has no release ${wanted} (known: ${known})`);
    }
    if (found.yanked) {
      const why = found.yanked_reason ? `: ${found.yanked_reason}` : '';
      throw new InstallRefused(
        'yanked',
        `${pkg} ${found.version} was ` +
          `yanked${why}${newestCompatible ? `; ${newestCompatible.version} is the newest compatible release` : ''}`,
      );
    }
    if (!isCompatible(found, fv)) {
      throw new InstallRefused(
        'incompatible',
        `${pkg} ${found.version} supports fapilog ${found.fapilog_compatibility}, but this project uses ${fapilogPhrase(fapilog)}` +
          (newestCompatible
            ? `; ${newestCompatible.version} is the newest release that supports it`
            : '; no release of it supports that fapilog'),
      );
    }
    release = found;
    if (isAffected(found)) warnings.push(`${pkg} ${found.version} is affected by ${advisoryList(releaseAdvisories(found))}`);
  } else {
    if (!newestCompatible) {
      const newest = finals.sort((a, b) => compareVersions(b.version, a.version))[0];
      throw new InstallRefused(
        'incompatible',
        `no ${finals.some((r) => isCompatible(r, fv)) ? 'unaffected ' : ''}release of ${pkg} supports ${fapilogPhrase(fapilog)}` +
          (newest ? `; the newest, ${newest.version}, needs fapilog ${newest.fapilog_compatibility}` : ''),
      );
    }
    release = newestCompatible;
  }
  const conflicts = dependencyConflicts(release, scan);
  if (conflicts.length > 0) {
    // As for fapilog incompatibility: name the release that would work, newest first.
    const fits = finals
      .filter((r) => isCompatible(r, fv) && dependencyConflicts(r, scan).length === 0)
      .sort((a, b) => compareVersions(b.version, a.version))[0];
    const instead = fits
      ? `; ${fits.version} is the newest release that does not conflict (install ${pkg}==${fits.version})`
      : '; no compatible release of it avoids the conflict';
    throw new InstallRefused('conflict', `${pkg} ${release.version} conflicts with the project's pins: ${conflicts.join('; ')}${instead}`);
  }
  return { release, fapilog, warnings };
}

/** Why the written range stops below a version: the first newer release needs another fapilog. */
export interface UpperCap {
  /** The bound as written after `<`: `3` for a major bump, else the release's own version. */
  below: string;
  /** The first newer release (final, not yanked) that the project's fapilog rules out. */
  release: string;
  /** What that release needs. */
  fapilogCompatibility: string;
}

/**
 * The bound that keeps a `>=chosen` range off newer releases which the project's fapilog rules
 * out, or null when no known newer release does. Only final, non-yanked releases count: those
 * are what pip picks for a range. `<N` (the next major) when the first such release starts a new
 * major line and no release in between would be cut off; otherwise `<` that release's version.
 */
export function upperCap(releases: readonly Release[], chosen: Release, fapilogVersion: string | null): UpperCap | null {
  if (fapilogVersion === null) return null;
  const newer = releases
    .filter((r) => !r.yanked && isValidVersion(r.version) && !isPrerelease(r.version) && compareVersions(r.version, chosen.version) > 0)
    .sort((a, b) => compareVersions(a.version, b.version));
  const first = newer.find((r) => !isCompatible(r, fapilogVersion));
  if (!first) return null;
  const cap = { release: first.version, fapilogCompatibility: first.fapilog_compatibility };
  const [major = 0] = releaseOf(first.version);
  const [chosenMajor = 0] = releaseOf(chosen.version);
  const sameEpoch = explain(first.version)?.epoch === explain(chosen.version)?.epoch;
  const spared = newer.filter(
    (r) => r !== first && compareVersions(r.version, first.version) < 0 && compareVersions(r.version, String(major)) >= 0,
  );
  if (sameEpoch && major > chosenMajor && spared.length === 0) return { below: String(major), ...cap };
  return { below: first.version, ...cap };
}
