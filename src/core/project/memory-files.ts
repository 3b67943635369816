/**
 * A project held in memory: tests, and front ends that already have the bytes (the bot, after
 * reading blobs from a git tree). Paths are project-relative with `/` separators.
 */
import type { ProjectEntry, ProjectFiles } from '../files.ts';

const encoder = new TextEncoder();

export class MemoryProjectFiles implements ProjectFiles {
  readonly label: string;
  readonly #files: Map<string, Uint8Array>;

  /** Strings are stored as UTF-8; pass bytes for anything else (Latin-1, a BOM, binary). */
  constructor(files: Record<string, string | Uint8Array> | Iterable<[string, string | Uint8Array]>, label = '(memory)') {
    this.label = label;
    const entries = Symbol.iterator in files ? [...(files as Iterable<[string, string | Uint8Array]>)] : Object.entries(files);
    this.#files = new Map(entries.map(([p, v]) => [p, typeof v === 'string' ? encoder.encode(v) : v]));
  }

  async list(): Promise<ProjectEntry[]> {
    return [...this.#files].map(([path, bytes]) => ({ path, size: bytes.length }));
  }

  async read(path: string): Promise<Uint8Array | null> {
    const bytes = this.#files.get(path);
    // A copy, so a caller that edits the bytes does not change the project.
    return bytes === undefined ? null : bytes.slice();
  }

  /** The same project with these files replaced (what applying a plan in memory gives). */
  withChanges(changes: ReadonlyArray<{ path: string; after: Uint8Array }>): MemoryProjectFiles {
    const next = new Map(this.#files);
    for (const c of changes) next.set(c.path, c.after);
    return new MemoryProjectFiles(next, this.label);
  }
}
