/**
 * What the manifest readers produce. A Dependency remembers where it came from so that
 * nothing downstream reopens a file to find a line again.
 */

export const MANIFEST_KINDS = ['requirements', 'pyproject', 'setup.cfg', 'pipfile'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/** How the specifier is written: PEP 508/440, Poetry's caret/tilde/wildcard dialect, or Pipfile's. */
export type SpecifierSyntax = 'pep508' | 'poetry' | 'pipfile';

export interface SourceLocation {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  /** 1-based line of the requirement's first character. */
  line: number;
  /** 1-based column of the first character of `text` on `line`. */
  column: number;
  /** 1-based line and exclusive column where `text` ends (same line for one-line requirements). */
  endLine: number;
  endColumn: number;
  /** Byte-exact original text of the requirement (for TOML: the string's content, without quotes). */
  text: string;
  /** UTF-16 offsets of `text` in the file, for rewriting. */
  start: number;
  end: number;
}

export interface Dependency {
  /** PEP 503 normalised name. */
  name: string;
  /** The name as written. */
  rawName: string;
  extras: string[];
  /** PEP 440 specifier meaning (Poetry syntax already translated), e.g. `>=1.2,<2`; '' for any version. */
  specifier: string;
  /** The version constraint exactly as written (Poetry `^1.2`, Pipfile `"*"`, PEP 440 `>=1.2,<2`). */
  rawSpecifier: string;
  syntax: SpecifierSyntax;
  markers: string | null;
  kind: ManifestKind;
  /** Dotted location inside the manifest: `requirements`, `project.dependencies`, `tool.poetry.group.dev.dependencies`... */
  section: string;
  location: SourceLocation;
  /** Span of the specifier alone inside the file (UTF-16 offsets), where one is written. */
  specifierSpan: { start: number; end: number } | null;
  /** sha256 values from `--hash` options (requirements files). */
  hashes: string[];
  /** `# fapilog-plugins: ignore` on the requirement's line. */
  ignored: boolean;
}

export interface LockedVersion {
  name: string;
  version: string;
  /** Lockfile path relative to the scanned root. */
  lockfile: string;
}

export interface Manifest {
  file: string;
  kind: ManifestKind;
  dependencies: Dependency[];
  /** Problems that did not stop the read (an unreadable include, a line that is not a requirement). */
  warnings: string[];
}

export interface ProjectScan {
  root: string;
  manifests: Manifest[];
  /** Resolved versions by normalised name, from lockfiles. */
  locked: Map<string, LockedVersion>;
  lockfiles: string[];
}
