/**
 * A project's files as the core sees them: a list of paths and their bytes, wherever they live
 * (a directory on disk, a git tree read over the GitHub API, memory). The core reads through
 * this and never opens a path itself, so every front end shares one engine.
 */

export interface ProjectEntry {
  /** Relative to the project root, `/` separators, no `.` or `..` segments. */
  path: string;
  /** Size in bytes, so that oversized files are skipped before they are read. */
  size: number;
}

export interface ProjectFiles {
  /** Shown in messages: the directory as the user gave it, or `owner/repo@sha`. */
  readonly label: string;
  /**
   * The project's regular files (no directories, FIFOs or devices; a symlink only as the regular
   * file it points to inside the project). A front end may leave out every file for which
   * `isFileOfInterest` (python/discover.ts) says no: the engine only looks for manifests,
   * lockfiles and virtualenv markers by listing; includes are read by path.
   */
  list(): Promise<ProjectEntry[]>;
  /** The bytes of one listed file; null when it is not there (or not a regular file). */
  read(path: string): Promise<Uint8Array | null>;
}

/** One planned edit of one file: what a writer (disk or git) applies, and a reviewer reads. */
export interface FileChange {
  path: string;
  before: Uint8Array;
  after: Uint8Array;
  /** Unified diff of before -> after, paths relative to the project root. */
  diff: string;
}
