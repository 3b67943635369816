/**
 * Resolved versions from lockfiles. These files are machine-written and can be large, so they
 * are parsed with smol-toml (no positions needed) and validated with zod. They are never
 * edited: `lockCommand` says which tool refreshes each one.
 */
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { normalizeName } from '../names.ts';

export interface LockEntry {
  name: string;
  version: string;
  /** Pipfile.lock section (`default`, `develop`), else null. */
  category: string | null;
}

const TomlLock = z
  .object({
    package: z.array(z.object({ name: z.string(), version: z.string().optional() }).loose()).optional(),
  })
  .loose();

const PipfileLock = z
  .object({
    _meta: z.unknown().optional(),
  })
  .catchall(z.unknown());

const PipfileLockEntry = z.object({ version: z.string().optional() }).loose();

export class LockfileError extends Error {
  override name = 'LockfileError';
}

function zodWhere(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : err.message;
}

/** Pipfile.lock: JSON, one object of packages per category (`default`, `develop`). */
export function readPipfileLock(text: string): LockEntry[] {
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

/** uv.lock, poetry.lock, pdm.lock: TOML with a `[[package]]` array of `name` and `version`. */
export function readTomlLock(text: string): LockEntry[] {
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

/** How a lock tool is run: the command, its arguments, and the line shown to a user. */
export interface LockCommand {
  command: string;
  args: string[];
  display: string;
}

export function command(command: string, args: string[]): LockCommand {
  return { command, args, display: [command, ...args].join(' ') };
}
