/**
 * The reading of a fixture as checked in (`scan.expected.json`): every field a reader promises,
 * with offsets replaced by the text they point at so a reviewer can read the snapshot.
 */
import type { Dependency, ProjectScan } from '../../../src/core/python/types.ts';

export function projectDependency(d: Dependency, fileText: string): Record<string, unknown> {
  return {
    name: d.name,
    rawName: d.rawName,
    ...(d.extras.length > 0 ? { extras: d.extras } : {}),
    specifier: d.specifier,
    ...(d.alternatives.length > 1 ? { alternatives: d.alternatives } : {}),
    rawSpecifier: d.rawSpecifier,
    syntax: d.syntax,
    ...(d.markers !== null ? { markers: d.markers } : {}),
    section: d.section,
    ...(d.group !== null ? { group: d.group } : {}),
    ...(d.optional ? { optional: true } : {}),
    at: `${d.location.line}:${d.location.column}-${d.location.endLine}:${d.location.endColumn}`,
    text: d.location.text,
    specifierText: d.specifierSpan === null ? null : fileText.slice(d.specifierSpan.start, d.specifierSpan.end),
    ...(d.specifierSpan !== null && d.specifierSpan.start === d.specifierSpan.end
      ? { specifierInsertAt: d.specifierSpan.start - d.location.start }
      : {}),
    ...(d.hashes.length > 0 ? { hashes: d.hashes.map((h) => h.slice(0, 8)) } : {}),
    ...(d.hashSpan !== null ? { hashText: fileText.slice(d.hashSpan.start, d.hashSpan.end) } : {}),
    ...(d.pinned !== null ? { pinned: d.pinned } : {}),
    ...(d.url !== null ? { url: d.url } : {}),
    ...(d.editable ? { editable: true } : {}),
    ...(d.ignored ? { ignored: true } : {}),
    ...(d.problem !== null ? { problem: d.problem } : {}),
  };
}

export function projectScan(scan: ProjectScan, texts: Map<string, string>): Record<string, unknown> {
  return {
    manifests: scan.manifests.map((m) => ({
      file: m.file,
      kind: m.kind,
      ...(m.includedFrom !== null ? { includedFrom: m.includedFrom } : {}),
      ...(m.includes.length > 0 ? { includes: m.includes } : {}),
      ...(m.indexUrls.length > 0 ? { indexUrls: m.indexUrls } : {}),
      ...(Object.keys(m.groupIncludes).length > 0 ? { groupIncludes: m.groupIncludes } : {}),
      ...(m.warnings.length > 0 ? { warnings: m.warnings } : {}),
      ...(m.skipped.length > 0 ? { skipped: m.skipped } : {}),
      dependencies: m.dependencies.map((d) => projectDependency(d, texts.get(m.file) ?? '')),
    })),
    locked: Object.fromEntries(
      [...scan.locked.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, `${v.version} (${v.lockfile})`]),
    ),
    lockfiles: scan.lockfiles,
    ...(scan.warnings.length > 0 ? { warnings: scan.warnings } : {}),
  };
}
