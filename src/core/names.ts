/**
 * Plugin naming: a plugin's short name (`loki`) and its distribution (`fapilog-loki`),
 * compared after PEP 503 normalisation.
 */
export const PACKAGE_PREFIX = 'fapilog-';

/** PEP 503: lowercase, runs of `-`, `_` and `.` become a single `-`. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/** PEP 508 name grammar (before normalisation). */
const VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

export function isValidProjectName(name: string): boolean {
  return VALID_NAME.test(name);
}

export function isPluginPackage(name: string): boolean {
  const n = normalizeName(name);
  return n.startsWith(PACKAGE_PREFIX) && n.length > PACKAGE_PREFIX.length;
}

/** `fapilog-loki`, `fapilog_Loki` or `loki` -> `loki`. */
export function shortName(name: string): string {
  const n = normalizeName(name);
  return isPluginPackage(n) ? n.slice(PACKAGE_PREFIX.length) : n;
}

/** `loki` or `fapilog-loki` -> `fapilog-loki`. */
export function packageName(name: string): string {
  return PACKAGE_PREFIX + shortName(name);
}
