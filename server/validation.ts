/**
 * Input validation for everything that becomes a path, a SQL key or a version comparison.
 * A name or filename that passes here can be joined under the data dir without escaping it.
 */
import { isValidProjectName, normalizeName, packageName } from '../src/core/names.ts';
import { equal, isValidSpecifier as isPep440Specifier, normalize } from '../src/core/pep440/index.ts';
import { checkSpecifierBounds, checkVersionBounds } from '../src/core/pep440/limits.ts';
import type { output, ZodObject } from 'zod';
import { HttpError } from './errors.ts';

/** The one PEP 440 module decides, after the bounds: numbers a double cannot hold exactly are refused. */
export function isValidVersion(version: string): boolean {
  return checkVersionBounds(version) === null && normalize(version) !== null;
}

export function isValidSpecifier(spec: string): boolean {
  return spec.trim().length > 0 && checkSpecifierBounds(spec) === null && isPep440Specifier(spec);
}

/** Why a version is refused (out of bounds or not PEP 440), or null: for messages that say which. */
export function versionProblem(version: string): string | null {
  const bounds = checkVersionBounds(version);
  if (bounds) return `${printable(version)} ${bounds}`;
  return normalize(version) === null ? `not a PEP 440 version: ${printable(version)}` : null;
}

export function specifierProblem(spec: string): string | null {
  const bounds = checkSpecifierBounds(spec);
  if (bounds) return `${printable(spec)} ${bounds}`;
  return spec.trim().length === 0 || !isPep440Specifier(spec) ? `not a PEP 440 specifier: ${printable(spec)}` : null;
}

/** Canonical PEP 440 text (`1.0.0-RC1` -> `1.0.0rc1`), so equal versions are stored once. */
export function canonicalVersion(version: string): string {
  const problem = versionProblem(version);
  if (problem) throw new HttpError(400, 'invalid_version', problem);
  return normalize(version)!;
}

/** Orders stored versions; a row that is no longer valid PEP 440 sorts first instead of failing every read. */
export { compareLenient as compareVersions } from '../src/core/pep440/index.ts';

export function sameVersion(a: string, b: string): boolean {
  return isValidVersion(a) && isValidVersion(b) && equal(a, b);
}

/** Characters that must never reach a path segment, whatever the grammar says. */
const PATH_HAZARD = /[\\/\0]|\.\./;

/**
 * `loki`, `fapilog-loki` or `Fapilog_Loki` -> `fapilog-loki`. Anything outside the PEP 508
 * name grammar (which excludes `/`, `\`, NUL and leading dots) is a 400.
 */
export function pluginPackage(raw: string): string {
  if (raw.length === 0 || raw.length > 100 || PATH_HAZARD.test(raw) || !isValidProjectName(raw)) {
    throw new HttpError(400, 'invalid_name', `not a valid plugin name: ${printable(raw)}`);
  }
  return packageName(normalizeName(raw));
}

/** The name a wheel filename carries for a package: `fapilog-redact-pii` -> `fapilog_redact_pii`. */
export function wheelDistName(pkg: string): string {
  return normalizeName(pkg).replace(/-/g, '_');
}

const WHEEL = /^([A-Za-z0-9_.]+)-([A-Za-z0-9_.!+]+)(-\d[A-Za-z0-9_.]*)?-([A-Za-z0-9_.]+)-([A-Za-z0-9_.]+)-([A-Za-z0-9_.]+)\.whl$/;
const SDIST = /^([A-Za-z0-9_.-]+)-([A-Za-z0-9_.!+]+)\.(tar\.gz|zip)$/;

/**
 * A release file must be a wheel or sdist of this package and version, and a plain file name:
 * this is what keeps `files/<package>/<filename>` inside the data dir.
 */
export function checkReleaseFilename(filename: string, pkg: string, version: string): 'wheel' | 'sdist' {
  if (filename.length > 255 || PATH_HAZARD.test(filename) || filename.startsWith('.')) {
    throw new HttpError(400, 'invalid_filename', `not a plain file name: ${printable(filename)}`);
  }
  const w = WHEEL.exec(filename);
  if (w) {
    if (normalizeName(w[1]!) === normalizeName(pkg) && sameVersionText(w[2]!, version)) return 'wheel';
  } else {
    const s = SDIST.exec(filename);
    if (s && normalizeName(s[1]!) === normalizeName(pkg) && sameVersionText(s[2]!, version)) return 'sdist';
  }
  throw new HttpError(
    400,
    'invalid_filename',
    `${printable(filename)} is not a wheel or sdist of ${pkg} ${version} (expected e.g. ${wheelDistName(pkg)}-${version}-py3-none-any.whl)`,
  );
}

function sameVersionText(a: string, b: string): boolean {
  const ca = isValidVersion(a) ? normalize(a) : null;
  return ca !== null && ca === normalize(b);
}

/** Echo user input in messages without control characters or unbounded length. */
export function printable(s: string): string {
  const t = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
}

/** The query parameters `schema` names (an empty one counts as absent) through it, or a 400 naming the first bad one. */
export function queryParams<S extends ZodObject>(url: URL, schema: S): output<S> {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = url.searchParams.get(key);
    if (v !== null && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, 'invalid_parameter', `invalid query parameter ${String(issue.path[0] ?? 'query')}: ${issue.message}`);
  }
  return parsed.data;
}
