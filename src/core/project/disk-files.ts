/**
 * A project directory on disk as ProjectFiles (the CLI and the Action). The walk lists the files
 * the engine may need (manifests, lockfiles, virtualenv markers: `isFileOfInterest`), and
 * does not descend into folders the engine skips anyway (`isSkippedDirName`, virtualenvs), so
 * a node_modules of 100 000 files costs nothing; which files count is still decided by the pure
 * `selectProjectFiles`. Only regular files are listed and read (a symlink to one counts; FIFOs,
 * sockets and devices never), never from outside the root, and never above the size cap.
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoreError } from '../errors.ts';
import { isFileOfInterest, isSkippedDirName, VENV_MARKER } from '../python/discover.ts';
import { MAX_FILE_BYTES, sizeProblem } from '../python/scan.ts';
import type { ProjectEntry, ProjectFiles } from './files.ts';

export interface DiskProjectOptions {
  /** Files above this many bytes are not read (the scan warns). */
  maxFileBytes?: number;
}

export class DiskProjectFiles implements ProjectFiles {
  /** The absolute directory; also the label (reports show where they looked). */
  readonly root: string;
  readonly label: string;
  readonly #maxBytes: number;
  #realRoot: Promise<string> | undefined;

  constructor(root: string, opts: DiskProjectOptions = {}) {
    this.root = path.resolve(root);
    this.label = this.root;
    this.#maxBytes = opts.maxFileBytes ?? MAX_FILE_BYTES;
  }

  /**
   * A project path as a user gives it: a directory, or one manifest file (then the project is
   * its directory and `only` names the file). Throws `project-not-found` when it is neither.
   */
  static async open(given: string, opts: DiskProjectOptions = {}): Promise<{ files: DiskProjectFiles; only: string | undefined }> {
    const abs = path.resolve(given);
    const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
      throw new CoreError('project-not-found', err.code === 'ENOENT' ? `${given}: no such file or directory` : `${given}: ${err.message}`, { subject: given });
    });
    if (st.isFile()) return { files: new DiskProjectFiles(path.dirname(abs), opts), only: path.basename(abs) };
    if (!st.isDirectory()) throw new CoreError('project-not-found', `${given}: not a directory or a regular file`, { subject: given });
    return { files: new DiskProjectFiles(abs, opts), only: undefined };
  }

  #real(): Promise<string> {
    this.#realRoot ??= realpath(this.root).catch(() => this.root);
    return this.#realRoot;
  }

  async list(): Promise<ProjectEntry[]> {
    const out: ProjectEntry[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      if (rel !== '' && entries.some((e) => e.name === VENV_MARKER && e.isFile())) return;
      for (const e of entries) {
        const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!isSkippedDirName(e.name)) await walk(abs, childRel);
        } else if ((e.isFile() || e.isSymbolicLink()) && isFileOfInterest(childRel)) {
          if (e.isSymbolicLink() && !(await this.#inside(abs))) continue;
          const st = await stat(abs).catch(() => null);
          if (st?.isFile()) out.push({ path: childRel, size: st.size });
        }
      }
    };
    await walk(this.root, '');
    return out;
  }

  /** The absolute path of a project-relative one; null when it would leave the root. */
  resolve(relative: string): string | null {
    if (relative === '' || relative.startsWith('/') || relative.split('/').includes('..')) return null;
    return path.join(this.root, ...relative.split('/'));
  }

  /** The real path of `abs` when it lies inside the (real) root, else null. */
  async #inside(abs: string): Promise<string | null> {
    const real = await realpath(abs).catch(() => null);
    if (real === null) return null;
    const rootReal = await this.#real();
    return real === rootReal || real.startsWith(rootReal + path.sep) ? real : null;
  }

  async read(relative: string): Promise<Uint8Array | null> {
    const abs = this.resolve(relative);
    if (abs === null) return null;
    // A symlink may point anywhere; what it points at must still be inside the project.
    const real = await this.#inside(abs);
    if (real === null) return null;
    // O_NONBLOCK: opening a FIFO must not hang; it is then refused as not a regular file.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
    if (handle === null) return null;
    try {
      const st = await handle.stat();
      if (!st.isFile()) return null;
      const tooBig = sizeProblem(st.size, this.#maxBytes);
      if (tooBig) throw new Error(tooBig);
      return new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  }
}
