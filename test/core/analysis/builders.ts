/** Hand-built scans and marketplace answers for the pure analysis tests. */
import type { BatchEntry, Release } from '../../../src/core/marketplace/schemas.ts';
import type { Dependency, LockedVersion, Manifest, ProjectScan } from '../../../src/core/python/types.ts';
import { normalizeName, shortName } from '../../../src/core/names.ts';

let line = 0;

export function dep(requirement: string, extra: Partial<Dependency> & { file?: string } = {}): Dependency {
  const m = /^([A-Za-z0-9._-]+)\s*(.*)$/.exec(requirement);
  if (!m) throw new Error(`bad requirement ${requirement}`);
  const rawName = m[1]!;
  const specifier = m[2]!.trim();
  line += 1;
  const file = extra.file ?? 'requirements.txt';
  return {
    name: normalizeName(rawName),
    rawName,
    extras: [],
    specifier,
    alternatives: [specifier],
    rawSpecifier: specifier,
    syntax: 'pep508',
    markers: null,
    kind: 'requirements',
    section: 'requirements',
    location: {
      file,
      line,
      column: 1,
      endLine: line,
      endColumn: requirement.length + 1,
      text: requirement,
      start: 0,
      end: requirement.length,
    },
    specifierSpan: null,
    hashes: [],
    hashSpan: null,
    pinned: /^==\s*([^*,\s]+)$/.exec(specifier)?.[1] ?? null,
    url: null,
    editable: false,
    optional: false,
    group: null,
    ignored: false,
    problem: null,
    ...extra,
  };
}

export function scan(deps: Dependency[], locked: Record<string, string> = {}, lockfile = 'uv.lock'): ProjectScan {
  const byFile = new Map<string, Dependency[]>();
  for (const d of deps) byFile.set(d.location.file, [...(byFile.get(d.location.file) ?? []), d]);
  const manifests: Manifest[] = [...byFile].map(([file, dependencies]) => ({
    file,
    kind: 'requirements',
    dependencies,
    warnings: [],
    includes: [],
    includedFrom: null,
    skipped: [],
    indexUrls: [],
    groupIncludes: {},
  }));
  const lockedMap = new Map<string, LockedVersion>(
    Object.entries(locked).map(([name, version]) => [normalizeName(name), { name: normalizeName(name), version, lockfile }]),
  );
  return { root: '/project', manifests, locked: lockedMap, lockfiles: Object.keys(locked).length > 0 ? [lockfile] : [], warnings: [] };
}

export function release(pkg: string, version: string, compat: string, extra: Partial<Release> = {}): Release {
  return {
    name: shortName(pkg),
    package: normalizeName(pkg),
    version,
    fapilog_compatibility: compat,
    requires_python: '>=3.10',
    dependencies: [],
    yanked: false,
    yanked_reason: null,
    published_at: '2026-01-01T00:00:00+00:00',
    readme: '',
    files: [
      {
        filename: `${normalizeName(pkg).replace(/-/g, '_')}-${version}-py3-none-any.whl`,
        sha256: version
          .replace(/[^0-9]/g, '')
          .padEnd(64, 'a')
          .slice(0, 64),
        size: 1000,
        url: `/files/${pkg}/${version}.whl`,
      },
    ],
    ...extra,
  };
}

export function entry(...releases: Release[]): BatchEntry {
  const first = releases[0];
  if (!first) throw new Error('entry needs releases');
  const newest = releases[releases.length - 1]!;
  return {
    plugin: {
      name: first.name,
      package: first.package,
      version: newest.version,
      description: 'test plugin',
      author: 'tester',
      plugin_type: 'sink',
      downloads: 0,
      rating: 0,
      rating_count: 0,
      homepage: null,
      repository: null,
      license: 'MIT',
      fapilog_compatibility: newest.fapilog_compatibility,
      dependencies: [],
      published_at: newest.published_at,
      checksum: null,
    },
    releases,
  };
}

export const FAPILOG_VERSIONS = ['0.14.0', '0.15.0', '0.15.1', '0.16.0', '0.17.0', '0.18.0rc1', '0.18.0'];
