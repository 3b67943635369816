/**
 * What the manifest readers produce. A Dependency remembers where it came from so that
 * nothing downstream reopens a file to find a line again.
 */
import type { Environment } from './environments.ts';

export type { Environment };

export const MANIFEST_KINDS = ['requirements', 'pyproject', 'setup.cfg', 'pipfile'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/** How the specifier is written: PEP 508/440, Poetry's caret/tilde/wildcard dialect, or Pipfile's. */
export type SpecifierSyntax = 'pep508' | 'poetry' | 'pipfile';

export interface Span {
  start: number;
  end: number;
}

export interface SourceLocation {
  /** Path relative to the scanned root, with `/` separators. */
  file: string;
  /** 1-based line of the requirement's first character. */
  line: number;
  /** 1-based column (UTF-16 units) of the first character of `text` on `line`. */
  column: number;
  /** 1-based line and exclusive column where `text` ends (same line for one-line requirements). */
  endLine: number;
  endColumn: number;
  /**
   * Byte-exact original text of the requirement: for requirements files and setup.cfg the
   * requirement without its options (`--hash`) and comment; for PEP 508 strings in TOML the
   * string's content without quotes; for Poetry and Pipfile the whole `name = ...` entry.
   */
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
  /**
   * PEP 440 specifier meaning (Poetry and Pipfile syntax already translated), e.g. `>=1.2,<2`;
   * '' for any version. When a Poetry constraint is a union (`||`), this holds the alternatives
   * joined with ` || ` and is NOT a PEP 440 specifier: use `alternatives` (and
   * `satisfiesAny` from pep440.ts) for matching.
   */
  specifier: string;
  /** The PEP 440 specifiers whose union is the constraint; `[specifier]` unless Poetry `||`. */
  alternatives: string[];
  /** The version constraint exactly as written (Poetry `^1.2`, Pipfile `"*"`, PEP 440 `>=1.2,<2`). */
  rawSpecifier: string;
  syntax: SpecifierSyntax;
  markers: string | null;
  kind: ManifestKind;
  /** Dotted location inside the manifest: `requirements`, `project.dependencies`, `tool.poetry.group.dev.dependencies`... */
  section: string;
  location: SourceLocation;
  /**
   * Span of the specifier alone inside the file (UTF-16 offsets). Zero-width at the place
   * where one would be inserted when none is written (`requests` -> right after the name or
   * extras); null when no version specifier can be written there (URL/VCS/path requirements,
   * Poetry tables without a `version` key).
   */
  specifierSpan: Span | null;
  /** sha256 values from `--hash` options (requirements files). */
  hashes: string[];
  /**
   * From the first `--hash` option to the end of the last one (requirements files), including
   * the continuation backslashes between them; null without hashes.
   */
  hashSpan: Span | null;
  /** The version of an exact `==` pin (no wildcard), else null. */
  pinned: string | null;
  /** Direct reference (`name @ url`, `-e git+...`, Poetry/Pipfile `git`/`path`/`url` tables). */
  url: string | null;
  editable: boolean;
  /** Poetry `optional = true`, or a PEP 621 optional-dependencies extra. */
  optional: boolean;
  /** Group / extra name for grouped sections (`dev`, `test`...), else null. */
  group: string | null;
  /** `# fapilog-plugins: ignore` on the requirement's line. */
  ignored: boolean;
  /** Why the constraint could not be understood (an invalid specifier), else null. */
  problem: string | null;
}

export interface LockedVersion {
  name: string;
  version: string;
  /** Lockfile path relative to the scanned root. */
  lockfile: string;
}

export interface SkippedLine {
  line: number;
  text: string;
  reason: string;
}

export interface Manifest {
  file: string;
  kind: ManifestKind;
  dependencies: Dependency[];
  /** Problems that did not stop the read (an unreadable include, a line that is not a requirement). */
  warnings: string[];
  /** Requirements files this one includes with -r (requirements) or -c (constraints), relative to root. */
  includes: string[];
  /** Set on a requirements file reached through an include: the file that first included it. */
  includedFrom: string | null;
  /** Requirement lines kept but not analysed (nameless URLs, `-e .`, options). */
  skipped: SkippedLine[];
  /** `--index-url` / `--extra-index-url` values (requirements) or Pipfile `[[source]]` urls. */
  indexUrls: string[];
  /** PEP 735 `include-group` edges: group -> included groups. */
  groupIncludes: Record<string, string[]>;
}

/** A manifest of `kind` with nothing read yet: each reader fills it in. */
export function emptyManifest(file: string, kind: ManifestKind): Manifest {
  return { file, kind, dependencies: [], warnings: [], includes: [], includedFrom: null, skipped: [], indexUrls: [], groupIncludes: {} };
}

export interface ProjectScan {
  root: string;
  manifests: Manifest[];
  /** Resolved versions by normalised name, from every lockfile (each environment's own lock first). */
  locked: Map<string, LockedVersion>;
  lockfiles: string[];
  /**
   * The files that install together, each with its own lockfiles' versions (python/environments.ts).
   * Absent (a hand-built scan): the whole project is one environment with `locked`.
   */
  environments?: Environment[] | undefined;
  /** Problems that did not stop the scan (an unreadable lockfile, conflicting locked versions). */
  warnings: string[];
}
