/**
 * A repository at one commit, or at a branch's head, as the core's ProjectFiles: one recursive tree
 * request lists every file, and only the blobs the core asks for (manifests, lockfiles, the config)
 * are fetched. Trees of a commit and blobs are immutable, so both are remembered by SHA for the
 * life of the process; a tree asked for by branch name (no head lookup first: one request fewer)
 * can change, so it is revalidated with its ETag (octokit.ts): an unchanged branch costs a 304.
 */
import { z } from 'zod';
import { LruMap } from '../src/core/lru.ts';
import type { ProjectEntry, ProjectFiles } from '../src/core/files.ts';
import type { Octokit } from './octokit.ts';

const Tree = z.object({
  sha: z.string(),
  truncated: z.boolean(),
  tree: z.array(
    z.object({
      path: z.string(),
      mode: z.string(),
      type: z.string(),
      sha: z.string(),
      size: z.number().int().nonnegative().optional(),
    }),
  ),
});

const Blob = z.object({ sha: z.string(), size: z.number().int().nonnegative(), encoding: z.string(), content: z.string() });

/** A full commit (or tree) SHA: what it names never changes. */
export function isSha(s: string): boolean {
  return /^[0-9a-f]{40}$/.test(s);
}

/** Regular files only: 100644 and 100755 (not symlinks 120000, not submodules 160000). */
const REGULAR = new Set(['100644', '100755']);

interface TreeListing {
  sha: string;
  entries: ProjectEntry[];
  shas: Map<string, string>;
  modes: Map<string, string>;
  truncated: boolean;
}

/** What one bot process remembers between sweeps: only immutable things, by SHA. */
export class GitCache {
  // Bounded by count and by bytes (the cost each set() gives).
  readonly trees = new LruMap<string, TreeListing>(200, 64 * 1024 * 1024);
  readonly blobs = new LruMap<string, Uint8Array>(2000, 64 * 1024 * 1024);
}

export class GitHubProjectFiles implements ProjectFiles {
  readonly label: string;
  readonly #octokit: Octokit;
  readonly #owner: string;
  readonly #repo: string;
  readonly #at: string;
  readonly #immutable: boolean;
  readonly #cache: GitCache;
  #listing: Promise<TreeListing> | null = null;

  /** `at`: a commit SHA, or a branch name (its head when the tree is first read). */
  constructor(octokit: Octokit, owner: string, repo: string, at: string, cache: GitCache) {
    this.#octokit = octokit;
    this.#cache = cache;
    this.#owner = owner;
    this.#repo = repo;
    this.#at = at;
    this.#immutable = isSha(at);
    this.label = `${owner}/${repo}@${this.#immutable ? at.slice(0, 7) : at}`;
  }

  /** True when GitHub cut the tree short (over 100,000 entries): files past the cut are not seen. */
  async truncated(): Promise<boolean> {
    return (await this.#tree()).truncated;
  }

  /** The root tree's SHA: the base of a commit that changes a few files. */
  async treeSha(): Promise<string> {
    return (await this.#tree()).sha;
  }

  /** File modes by path (100644, 100755), so a commit keeps them. */
  async modes(): Promise<Map<string, string>> {
    return (await this.#tree()).modes;
  }

  async list(): Promise<ProjectEntry[]> {
    return (await this.#tree()).entries;
  }

  async read(path: string): Promise<Uint8Array | null> {
    const sha = (await this.#tree()).shas.get(path);
    if (sha === undefined) return null;
    const cached = this.#cache.blobs.get(sha);
    if (cached) return cached;
    const res = await this.#octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner: this.#owner,
      repo: this.#repo,
      file_sha: sha,
    });
    const blob = Blob.parse(res.data);
    if (blob.encoding !== 'base64') throw new Error(`GitHub sent blob ${sha} as ${blob.encoding}, not base64`);
    const bytes = new Uint8Array(Buffer.from(blob.content, 'base64'));
    this.#cache.blobs.set(sha, bytes, bytes.byteLength);
    return bytes;
  }

  #tree(): Promise<TreeListing> {
    this.#listing ??= this.#fetchTree();
    return this.#listing;
  }

  async #fetchTree(): Promise<TreeListing> {
    const key = `${this.#owner}/${this.#repo}@${this.#at}`;
    const cached = this.#immutable ? this.#cache.trees.get(key) : undefined;
    if (cached) return cached;
    const res = await this.#octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: this.#owner,
      repo: this.#repo,
      tree_sha: this.#at,
      recursive: '1',
    });
    const tree = Tree.parse(res.data);
    const entries: ProjectEntry[] = [];
    const shas = new Map<string, string>();
    const modes = new Map<string, string>();
    for (const e of tree.tree) {
      if (e.type !== 'blob' || !REGULAR.has(e.mode)) continue;
      entries.push({ path: e.path, size: e.size ?? 0 });
      shas.set(e.path, e.sha);
      modes.set(e.path, e.mode);
    }
    const listing = { sha: tree.sha, entries, shas, modes, truncated: tree.truncated };
    if (this.#immutable)
      this.#cache.trees.set(
        key,
        listing,
        entries.reduce((n, e) => n + e.path.length + 48, 0),
      );
    return listing;
  }
}
