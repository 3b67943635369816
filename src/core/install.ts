/**
 * `install <name>[==version]`: add a plugin to the project's main manifest with a specifier that
 * admits a release compatible with the project's fapilog, or refuse and say why.
 *
 * Where it goes: `pyproject.toml` `[project] dependencies` (PEP 621), else
 * `[tool.poetry.dependencies]`, else `requirements.in` / `requirements.txt`. With `--group G`:
 * an existing `[project.optional-dependencies] G` or `[dependency-groups] G`, else a new PEP 735
 * `[dependency-groups] G`; Poetry `[tool.poetry.group.G.dependencies]`; `requirements-G.in` /
 * `requirements-G.txt` for requirements-only projects.
 *
 * What is written, like the tools users compare us with (`uv add`, `poetry add`): `>=X` (Poetry
 * `^X`) for the newest compatible release, `==X` when a version was asked for, and `==X` plus
 * every file's `--hash` in a requirements file that already uses hashes (pip's hash mode needs
 * exact pins). When a newer release already needs another fapilog than the project's, the range
 * gets an upper bound below it (`>=2.1.0,<3`, or `<2.1.0` when it is not a major bump): a
 * resolver may otherwise pick that release and move fapilog with it, or backtrack with an
 * error that does not say why. No bound when every known newer release fits (there are none).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unifiedDiff } from './analysis/diff.ts';
import type { AST } from 'toml-eslint-parser';
import { resolveFapilogVersion, type FapilogInfo } from './analysis/fapilog-version.ts';
import { isCompatible } from './analysis/statuses.ts';
import { compareVersions, isValidVersion, sameVersion } from './analysis/versions.ts';
import type { MarketplaceClient } from './marketplace/client.ts';
import type { BatchEntry, Release } from './marketplace/schemas.ts';
import { isPluginPackage, normalizeName, packageName } from './names.ts';
import { explain, isPrerelease, releaseOf, satisfies } from './python/pep440.ts';
import { parseRequirement } from './python/pep508.ts';
import { lockCommand } from './python/lockfiles.ts';
import { readManifest, scanProject } from './python/scan.ts';
import { entryAt, parseTomlDocument, type TomlDocument } from './python/toml.ts';
import type { ProjectScan } from './python/types.ts';
import { writeManifestAtomically } from './python/atomic.ts';
import type { Manifest } from './python/types.ts';

export const REFUSALS = ['bad-request', 'not-found', 'yanked', 'incompatible', 'conflict', 'already-present', 'no-manifest'] as const;
export type RefusalReason = (typeof REFUSALS)[number];

/** A clear "no" that changed nothing. */
export class InstallRefused extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.name = 'InstallRefused';
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Where the dependency goes

export type InstallTarget =
  | { kind: 'requirements'; file: string; section: 'requirements' }
  | { kind: 'pep508-array'; file: string; table: string[]; key: string; section: string }
  | { kind: 'poetry'; file: string; table: string[]; section: string };

function hasTable(doc: TomlDocument, prefix: string[]): boolean {
  return doc.entries.some((e) => prefix.every((p, i) => e.path[i] === p)) || tableNode(doc, prefix) !== undefined;
}

function tableNode(doc: TomlDocument, key: readonly (string | number)[]): AST.TOMLTable | undefined {
  const top = doc.program.body[0];
  return top.body.find(
    (n): n is AST.TOMLTable =>
      n.type === 'TOMLTable' && n.kind === 'standard' && n.resolvedKey.length === key.length && key.every((k, i) => n.resolvedKey[i] === k),
  );
}

/** Picks the manifest and table a new plugin dependency belongs in (see the module comment). */
export function chooseTarget(files: { pyproject?: string | undefined; existing: ReadonlySet<string> }, group?: string): InstallTarget {
  if (files.pyproject !== undefined) {
    const doc = parseTomlDocument(files.pyproject);
    const dynamic = entryAt(doc, ['project', 'dynamic'])?.node;
    const dynamicDeps =
      dynamic?.type === 'TOMLArray' && dynamic.elements.some((e) => e.type === 'TOMLValue' && e.value === 'dependencies');
    // `dynamic = ["dependencies"]`: the build backend reads them elsewhere (usually requirements.txt).
    if (hasTable(doc, ['project']) && !(dynamicDeps && !group)) {
      if (!group) return { kind: 'pep508-array', file: 'pyproject.toml', table: ['project'], key: 'dependencies', section: 'project.dependencies' };
      if (entryAt(doc, ['project', 'optional-dependencies', group])) {
        return {
          kind: 'pep508-array',
          file: 'pyproject.toml',
          table: ['project', 'optional-dependencies'],
          key: group,
          section: `project.optional-dependencies.${group}`,
        };
      }
      return { kind: 'pep508-array', file: 'pyproject.toml', table: ['dependency-groups'], key: group, section: `dependency-groups.${group}` };
    }
    if (hasTable(doc, ['tool', 'poetry'])) {
      if (!group) return { kind: 'poetry', file: 'pyproject.toml', table: ['tool', 'poetry', 'dependencies'], section: 'tool.poetry.dependencies' };
      if (group === 'dev' && hasTable(doc, ['tool', 'poetry', 'dev-dependencies'])) {
        return { kind: 'poetry', file: 'pyproject.toml', table: ['tool', 'poetry', 'dev-dependencies'], section: 'tool.poetry.dev-dependencies' };
      }
      return {
        kind: 'poetry',
        file: 'pyproject.toml',
        table: ['tool', 'poetry', 'group', group, 'dependencies'],
        section: `tool.poetry.group.${group}.dependencies`,
      };
    }
  }
  const candidates = group
    ? [`requirements-${group}.in`, `requirements-${group}.txt`, `requirements/${group}.in`, `requirements/${group}.txt`]
    : ['requirements.in', 'requirements.txt'];
  const found = candidates.find((c) => files.existing.has(c));
  if (found) return { kind: 'requirements', file: found, section: 'requirements' };
  throw new InstallRefused(
    'no-manifest',
    group
      ? `no place for group ${JSON.stringify(group)}: the project has no pyproject.toml with [project] or [tool.poetry], and none of ${candidates.join(', ')}`
      : 'no manifest to add to: the project has no pyproject.toml with [project] or [tool.poetry], and no requirements.in or requirements.txt',
  );
}

// ---------------------------------------------------------------------------------------------
// Text edits (byte-exact outside the inserted text)

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : text[i - 1] === '\r' ? i - 1 : i;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Appends `line` (which may span several lines) to a requirements file. */
export function addToRequirements(text: string, line: string): string {
  const nl = eol(text);
  const sep = text === '' || text.endsWith('\n') ? '' : nl;
  return `${text}${sep}${line.split('\n').join(nl)}${nl}`;
}

function appendBlock(text: string, block: string): string {
  const nl = eol(text);
  const body = block.split('\n').join(nl);
  if (text === '') return `${body}${nl}`;
  const sep = text.endsWith(`${nl}${nl}`) ? '' : text.endsWith(nl) ? nl : `${nl}${nl}`;
  return `${text}${sep}${body}${nl}`;
}

/** Adds a key-value line at the end of a standard table, or the table at the end of the file. */
function addKeyValueToTable(text: string, doc: TomlDocument, table: string[], line: string): string {
  const node = tableNode(doc, table);
  const nl = eol(text);
  if (!node) return appendBlock(text, `[${table.map(tomlKey).join('.')}]\n${line}`);
  const last = node.body[node.body.length - 1];
  const after = lineEnd(text, last ? last.range[1] : node.key.range[1]);
  return insertAt(text, after, `${nl}${line}`);
}

/** Adds a PEP 508 string to `table.key = [...]`, in the array's own quoting, indentation and comma style. */
export function addToPep508Array(text: string, table: string[], key: string, requirement: string): string {
  const doc = parseTomlDocument(text);
  const nl = eol(text);
  const entry = entryAt(doc, [...table, key]);
  if (!entry) {
    const block = `${tomlKey(key)} = [\n    "${requirement}",\n]`;
    if (tableNode(doc, table) || table.length === 0) return addKeyValueToTable(text, doc, table, block.split('\n').join(nl));
    return appendBlock(text, `[${table.map(tomlKey).join('.')}]\n${block}`);
  }
  const arr = entry.node;
  if (arr.type !== 'TOMLArray') throw new Error(`${[...table, key].join('.')} is not an array in pyproject.toml`);
  const close = arr.range[1] - 1;
  const last = arr.elements[arr.elements.length - 1];
  if (!last) {
    const inner = text.slice(arr.range[0] + 1, close);
    if (!inner.includes('\n')) return text.slice(0, arr.range[0]) + `["${requirement}"]` + text.slice(arr.range[1]);
    return insertAt(text, arr.range[0] + 1, `${nl}    "${requirement}",`);
  }
  const q = text[last.range[0]] === "'" ? "'" : '"';
  const item = `${q}${requirement}${q}`;
  const afterLast = last.range[1];
  const comma = /^[ \t]*,/.exec(text.slice(afterLast, close));
  const hasComma = comma !== null;
  const multiline = last.loc.start.line !== arr.loc.start.line;
  if (!multiline) return insertAt(text, afterLast, `, ${item}`);
  const start = lineStart(text, last.range[0]);
  const indent = /^[ \t]*$/.test(text.slice(start, last.range[0])) ? text.slice(start, last.range[0]) : '    ';
  const endOfItem = hasComma ? afterLast + comma[0].length : afterLast;
  const end = lineEnd(text, endOfItem);
  if (end > close) {
    // `"b"]` or `"b",]`: the bracket shares the last element's line.
    return insertAt(text, endOfItem, `${hasComma ? '' : ','}${nl}${indent}${item}${hasComma ? ',' : ''}`);
  }
  const withComma = hasComma ? text : insertAt(text, afterLast, ',');
  const shift = hasComma ? 0 : 1;
  return insertAt(withComma, end + shift, `${nl}${indent}${item}${hasComma ? ',' : ''}`);
}

/** Adds `name = "constraint"` to a Poetry dependency table. */
export function addToPoetryTable(text: string, table: string[], name: string, constraint: string): string {
  const doc = parseTomlDocument(text);
  if (entryAt(doc, table) && !tableNode(doc, table)) {
    throw new Error(`${table.join('.')} is written as an inline table or dotted keys; add ${name} by hand`);
  }
  return addKeyValueToTable(text, doc, table, `${tomlKey(name)} = "${constraint}"`);
}

// ---------------------------------------------------------------------------------------------
// Which release, and is it allowed

export interface InstallRequest {
  package: string;
  version: string | null;
}

export function parseInstallRequest(spec: string): InstallRequest {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([^\s=]+))?\s*$/.exec(spec);
  if (!m?.[1]) {
    throw new InstallRefused('bad-request', `${JSON.stringify(spec)} is not <name> or <name>==<version> (e.g. loki or fapilog-loki==1.4.0)`);
  }
  const version = m[2] ?? null;
  if (version !== null && !isValidVersion(version)) throw new InstallRefused('bad-request', `${JSON.stringify(version)} is not a PEP 440 version`);
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
): { release: Release; fapilog: FapilogInfo; warnings: string[] } {
  const pkg = request.package;
  if (!entry) throw new InstallRefused('not-found', `${pkg} is not in the marketplace`);
  const { fapilog, warnings } = resolveFapilogVersion(scan, fapilogVersions, fapilogOverride);
  const fv = fapilog.version;
  const finals = entry.releases.filter((r) => !r.yanked && isValidVersion(r.version) && !isPrerelease(r.version));
  const newestCompatible = finals.filter((r) => isCompatible(r, fv)).sort((a, b) => compareVersions(b.version, a.version))[0];

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
      throw new InstallRefused('yanked', `${pkg} ${found.version} was yanked${why}${newestCompatible ? `; ${newestCompatible.version} is the newest compatible release` : ''}`);
    }
    if (!isCompatible(found, fv)) {
      throw new InstallRefused(
        'incompatible',
        `${pkg} ${found.version} supports fapilog ${found.fapilog_compatibility}, but this project uses ${fapilogPhrase(fapilog)}` +
          (newestCompatible ? `; ${newestCompatible.version} is the newest release that supports it` : '; no release of it supports that fapilog'),
      );
    }
    release = found;
  } else {
    if (!newestCompatible) {
      const newest = finals.sort((a, b) => compareVersions(b.version, a.version))[0];
      throw new InstallRefused(
        'incompatible',
        `no release of ${pkg} supports ${fapilogPhrase(fapilog)}` +
          (newest ? `; the newest, ${newest.version}, needs fapilog ${newest.fapilog_compatibility}` : ''),
      );
    }
    release = newestCompatible;
  }
  const conflicts = dependencyConflicts(release, scan);
  if (conflicts.length > 0) {
    throw new InstallRefused('conflict', `${pkg} ${release.version} conflicts with the project's pins: ${conflicts.join('; ')}`);
  }
  return { release, fapilog, warnings };
}

// ---------------------------------------------------------------------------------------------
// Upper bound

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
  const spared = newer.filter((r) => r !== first && compareVersions(r.version, first.version) < 0 && compareVersions(r.version, String(major)) >= 0);
  if (sameEpoch && major > chosenMajor && spared.length === 0) return { below: String(major), ...cap };
  return { below: first.version, ...cap };
}

/** The exclusive upper bound of Poetry's `^X` (`^2.1.0` -> 3, `^0.6.0` -> 0.7, `^0.0.3` -> 0.0.4). */
function caretCeiling(version: string): string {
  const parts = releaseOf(version);
  const i = parts.findIndex((n) => n !== 0);
  const at = i === -1 ? Math.max(0, parts.length - 1) : i;
  return [...parts.slice(0, at), (parts[at] ?? 0) + 1].join('.');
}

// ---------------------------------------------------------------------------------------------
// The whole operation

export interface InstallOptions {
  root: string;
  client: MarketplaceClient;
  /** `loki`, `fapilog-loki` or `fapilog-loki==1.4.0`. */
  requirement: string;
  group?: string | undefined;
  fapilogVersion?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface InstallResult {
  package: string;
  version: string;
  fapilog: FapilogInfo;
  /** Manifest path relative to the project root, and the table or file section written. */
  file: string;
  section: string;
  /** Exactly what was added (a requirements line may carry `--hash` continuation lines). */
  added: string;
  diff: string;
  written: boolean;
  /** Commands that refresh the project's lockfiles (never hand-edited). */
  lockCommands: string[];
  /** The upper bound added to the range, and why; null when the range is open or a pin was written. */
  cap: UpperCap | null;
  warnings: string[];
}

function requirementText(
  target: InstallTarget,
  pkg: string,
  release: Release,
  explicit: boolean,
  hashMode: boolean,
  cap: UpperCap | null,
): { text: string; cap: UpperCap | null } {
  if (target.kind === 'poetry') {
    if (explicit) return { text: release.version, cap: null };
    // `^X` already stops below the next major (next minor for 0.x): a cap at or above that is moot.
    if (!cap || compareVersions(cap.below, caretCeiling(release.version)) >= 0) return { text: `^${release.version}`, cap: null };
    return { text: `>=${release.version},<${cap.below}`, cap };
  }
  if (hashMode) {
    const hashes = release.files.map((f) => ` \\\n    --hash=sha256:${f.sha256}`).join('');
    return { text: `${pkg}==${release.version}${hashes}`, cap: null };
  }
  if (explicit) return { text: `${pkg}==${release.version}`, cap: null };
  return cap ? { text: `${pkg}>=${release.version},<${cap.below}`, cap } : { text: `${pkg}>=${release.version}`, cap: null };
}

export async function installPlugin(opts: InstallOptions): Promise<InstallResult> {
  const request = parseInstallRequest(opts.requirement);
  if (!isPluginPackage(request.package)) throw new InstallRefused('bad-request', `${request.package} is not a fapilog plugin name`);
  const root = path.resolve(opts.root);
  const pyprojectPath = path.join(root, 'pyproject.toml');
  const pyproject = existsSync(pyprojectPath) ? await readFile(pyprojectPath, 'utf8') : undefined;
  const scan = await scanProject(root);
  const existing = new Set(scan.manifests.map((m) => m.file));
  const target = chooseTarget({ pyproject, existing }, opts.group);

  const present = scan.manifests
    .find((m) => m.file === target.file)
    ?.dependencies.find((d) => d.name === request.package && (target.kind === 'requirements' || d.section === target.section));
  if (present) {
    throw new InstallRefused(
      'already-present',
      `${request.package} is already in ${present.location.file}:${present.location.line} (${present.location.text.trim()}); use \`update\` to change its version`,
    );
  }

  const [plugins, fapilogVersions] = await Promise.all([opts.client.batch([request.package]), opts.client.fapilogVersions()]);
  const entry = plugins[request.package] ?? Object.values(plugins).find((v) => v !== null) ?? null;
  const { release, fapilog, warnings } = chooseRelease(request, entry, scan, fapilogVersions, opts.fapilogVersion);

  const abs = path.join(root, target.file);
  const before = target.kind === 'requirements' ? await readFile(abs, 'utf8') : (pyproject ?? '');
  const hashMode = target.kind === 'requirements' && (scan.manifests.find((m) => m.file === target.file)?.dependencies.some((d) => d.hashes.length > 0) ?? false);
  // Not for an unknown fapilog (not a dependency): the resolver is free to pick fapilog too.
  const wantedCap = fapilog.source === 'unknown' ? null : upperCap(entry?.releases ?? [], release, fapilog.version);
  const { text: added, cap } = requirementText(target, request.package, release, request.version !== null, hashMode, wantedCap);
  const after =
    target.kind === 'requirements'
      ? addToRequirements(before, added)
      : target.kind === 'poetry'
        ? addToPoetryTable(before, target.table, request.package, added)
        : addToPep508Array(before, target.table, target.key, added);

  // Re-read the new text the way `scan` would: the plugin must now be in the chosen section.
  const verify = (manifest: Manifest): string | null => {
    const dep = manifest.dependencies.find((d) => d.name === request.package);
    if (!dep) return `${request.package} was not found in ${target.file} after the edit`;
    if (target.kind !== 'requirements' && dep.section !== target.section) return `${request.package} landed in ${dep.section}, not ${target.section}`;
    return null;
  };
  const problem = verify(readManifest(target.file, after));
  if (problem) throw new Error(`refusing to write ${target.file}: ${problem}`);

  const diff = unifiedDiff(target.file, before, after);
  if (!opts.dryRun) await writeManifestAtomically(abs, after, (_text, reread) => verify(reread));
  return {
    package: request.package,
    version: release.version,
    fapilog,
    file: target.file,
    section: target.section,
    added,
    diff,
    written: !opts.dryRun,
    lockCommands: scan.lockfiles.map((l) => lockCommand(l, request.package).display),
    cap,
    warnings,
  };
}
