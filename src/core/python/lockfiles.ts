/**
 * Resolved versions from lockfiles. These files are machine-written and can be large, so they
 * are parsed with smol-toml (no positions needed) and validated with zod. They are never
 * edited: `lockCommand` says which tool refreshes each one.
 */
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { normalizeName } from '../names.ts';

export const LOCKFILE_NAMES = ['uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock'] as const;
export type LockfileName = (typeof LOCKFILE_NAMES)[number];

export interface LockEntry {
  name: string;
  version: string;
  /** Pipfile.lock section (`default`, `develop`), else null. */
  category: string | null;
}

const TomlLock = z.object({
  package: z
    .array(z.object({ name: z.string(), version: z.string().optional() }).loose())
    .optional(),
}).loose();

const PipfileLock = z.object({
  _meta: z.unknown().optional(),
}).catchall(
  z.unknown(),
);

const PipfileLockEntry = z.object({ version: z.string().optional() }).loose();

export class LockfileError extends Error {
  override name = 'LockfileError';
}

function zodWhere(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : err.message;
}

export function isLockfileName(basename: string): basename is LockfileName {
  return (LOCKFILE_NAMES as readonly string[]).includes(basename);
}

/** Reads one lockfile by its base name; throws LockfileError naming the bad field. */
export function readLockfile(basename: LockfileName, text: string): LockEntry[] {
  if (basename === 'Pipfile.lock') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new LockfileError(`not JSON: ${(err as Error).message}`);
    }
    const top = PipfileLock.safeParse(json);
    if (!top.success) throw new LockfileError(`unexpected shape at ${zodWhere(top.error)}`);
    const out: LockEntry[] = [];
    for (const [category, section] of Object.entries(top.data)) {
      if (category === '_meta' || section === null || typeof section !== 'object') continue;
      for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
        const entry = PipfileLockEntry.safeParse(raw);
        if (!entry.success) throw new LockfileError(`unexpected shape at ${category}.${name}.${zodWhere(entry.error)}`);
        const v = entry.data.version;
        // VCS and path entries have no version; only `==x` pins are resolved versions.
        if (v && v.startsWith('==')) out.push({ name: normalizeName(name), version: v.slice(2).trim(), category });
      }
    }
    return out;
  }
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (err) {
    throw new LockfileError(`not TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const lock = TomlLock.safeParse(data);
  if (!lock.success) throw new LockfileError(`unexpected shape at ${zodWhere(lock.error)}`);
  return (lock.data.package ?? []).flatMap((p) =>
    p.version === undefined ? [] : [{ name: normalizeName(p.name), version: p.version, category: null }],
  );
}

/** The command that refreshes a lockfile after its manifest changed (lockfiles are never hand-edited). */
export function lockCommand(lockfile: string, packageName: string): { command: string; args: string[]; display: string } {
  const base = lockfile.split(/[\\/]/).pop() ?? lockfile;
  let args: string[];
  let command: string;
  switch (base) {
    case 'uv.lock':
      command = 'uv';
      args = ['lock', '--upgrade-package', packageName];
      break;
    case 'poetry.lock':
      // `poetry lock --no-update` is gone in Poetry 2; `update --lock` works in 1.x and 2.x and
      // re-resolves only this package, writing the lockfile without installing.
      command = 'poetry';
      args = ['update', '--lock', packageName];
      break;
    case 'pdm.lock':
      // --no-sync: lockfile only, the environment is left alone; --update-reuse keeps the rest pinned.
      command = 'pdm';
      args = ['update', '--no-sync', '--update-reuse', packageName];
      break;
    case 'Pipfile.lock':
      // `pipenv upgrade <pkg>` would also rewrite the Pipfile entry we just edited; `lock` re-resolves from it.
      command = 'pipenv';
      args = ['lock'];
      break;
    default:
      throw new LockfileError(`${lockfile} is not a lockfile this tool knows (${LOCKFILE_NAMES.join(', ')})`);
  }
  return { command, args, display: [command, ...args].join(' ') };
}
