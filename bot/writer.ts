/**
 * Writes planned file changes to a branch as ONE commit through the REST git data API (blobs,
 * tree, commit, ref), which GitHub shows as verified for an app. Only `fapilog-plugins/...`
 * branches are ever written; the default branch never is.
 */
import type { FileChange } from '../src/core/files.ts';
import type { Octokit } from './octokit.ts';

export const BRANCH_PREFIX = 'fapilog-plugins/';

export interface Repo {
  owner: string;
  repo: string;
  defaultBranch: string;
}

export class WriterError extends Error {
  override name = 'WriterError';
}

function guard(repo: Repo, branch: string): void {
  if (!branch.startsWith(BRANCH_PREFIX) || branch === repo.defaultBranch || branch.includes('..')) {
    throw new WriterError(
      `refusing to write branch ${branch} of ${repo.owner}/${repo.repo}: only ${BRANCH_PREFIX}* branches other than the default branch are written`,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Text that survives a JSON string and GitHub's UTF-8 encoding byte for byte; null otherwise. */
function asText(bytes: Uint8Array): string | null {
  try {
    const text = utf8.decode(bytes);
    return Buffer.from(text, 'utf8').equals(Buffer.from(bytes)) ? text : null;
  } catch {
    return null;
  }
}

/**
 * Creates the commit on top of `base` (files changed as planned, everything else as in `baseTree`)
 * and returns its SHA. Text files go inline in the tree request; other bytes as base64 blobs.
 */
export async function createCommit(
  octokit: Octokit,
  repo: Repo,
  opts: { base: string; baseTree: string; changes: FileChange[]; message: string; modes?: Map<string, string> },
): Promise<string> {
  if (opts.changes.length === 0) throw new WriterError('nothing to commit');
  const tree: Array<{ path: string; mode: '100644' | '100755'; type: 'blob'; content?: string; sha?: string }> = [];
  for (const change of opts.changes) {
    const mode = opts.modes?.get(change.path) === '100755' ? '100755' : '100644';
    const text = asText(change.after);
    if (text !== null) {
      tree.push({ path: change.path, mode, type: 'blob', content: text });
    } else {
      const blob = await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
        owner: repo.owner,
        repo: repo.repo,
        content: Buffer.from(change.after).toString('base64'),
        encoding: 'base64',
      });
      tree.push({ path: change.path, mode, type: 'blob', sha: blob.data.sha });
    }
  }
  const newTree = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
    owner: repo.owner,
    repo: repo.repo,
    base_tree: opts.baseTree,
    tree,
  });
  const commit = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
    owner: repo.owner,
    repo: repo.repo,
    message: opts.message,
    tree: newTree.data.sha,
    parents: [opts.base],
  });
  return commit.data.sha;
}

/** Points the branch at `sha`: creates it, or moves it (forced: the bot's commit replaces its own). */
export async function setBranch(octokit: Octokit, repo: Repo, branch: string, sha: string, exists: boolean): Promise<void> {
  guard(repo, branch);
  if (!exists) {
    try {
      await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        owner: repo.owner,
        repo: repo.repo,
        ref: `refs/heads/${branch}`,
        sha,
      });
      return;
    } catch (err) {
      // Left over from an earlier pull request (merged or closed): reuse the stable name.
      if ((err as { status?: number }).status !== 422) throw err;
    }
  }
  try {
    await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      owner: repo.owner,
      repo: repo.repo,
      ref: `heads/${branch}`,
      sha,
      force: true,
    });
  } catch (err) {
    // Deleted since it was listed: create it again.
    if (!exists || (err as { status?: number }).status !== 422) throw err;
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner: repo.owner, repo: repo.repo, ref: `refs/heads/${branch}`, sha });
  }
}

export async function deleteBranch(octokit: Octokit, repo: Repo, branch: string): Promise<void> {
  guard(repo, branch);
  try {
    await octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
  } catch (err) {
    // Already gone (GitHub's "delete head branches" setting, or a person): nothing to do.
    if ((err as { status?: number }).status !== 422 && (err as { status?: number }).status !== 404) throw err;
  }
}
