/**
 * The server's own settings. The client vocabulary (FAPILOG_MARKETPLACE_URL/TOKEN/CACHE) does not
 * apply to a server; these FAPILOG_MARKETPLACE_* variables are the server-side ones, and flags win.
 */
import path from 'node:path';
import { parseUpstream, type UpstreamOptions } from './upstream.ts';

export const SERVER_ENV = {
  dataDir: 'FAPILOG_MARKETPLACE_DATA_DIR',
  publicUrl: 'FAPILOG_MARKETPLACE_PUBLIC_URL',
  rateLimit: 'FAPILOG_MARKETPLACE_RATE_LIMIT',
  trustProxy: 'FAPILOG_MARKETPLACE_TRUST_PROXY',
  maxConnections: 'FAPILOG_MARKETPLACE_MAX_CONNECTIONS',
  headersTimeout: 'FAPILOG_MARKETPLACE_HEADERS_TIMEOUT',
  databaseUrl: 'FAPILOG_MARKETPLACE_DATABASE_URL',
  filesDir: 'FAPILOG_MARKETPLACE_FILES_DIR',
  upstreamUrl: 'FAPILOG_MARKETPLACE_UPSTREAM_URL',
  upstreamPrefix: 'FAPILOG_MARKETPLACE_UPSTREAM_PREFIX',
  upstreamInterval: 'FAPILOG_MARKETPLACE_UPSTREAM_INTERVAL',
  upstreamMaxProjects: 'FAPILOG_MARKETPLACE_UPSTREAM_MAX_PROJECTS',
} as const;

export const DEFAULT_DATA_DIR = 'marketplace-data';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, flag || env[SERVER_ENV.dataDir] || DEFAULT_DATA_DIR);
}

/** The PostgreSQL URL (flag, then env), or undefined for the SQLite data dir. */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag || env[SERVER_ENV.databaseUrl] || undefined;
}

/** With PostgreSQL: the shared files directory (flag, then env), or undefined for files in the database. */
export function resolveFilesDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const dir = flag || env[SERVER_ENV.filesDir];
  return dir ? path.resolve(cwd, dir) : undefined;
}

export interface UpstreamFlags {
  upstream?: string;
  upstreamPrefix?: string;
  upstreamInterval?: number;
  upstreamMaxProjects?: number;
}

/** The upstream mirror's settings (flags, then env), or undefined when no upstream is set; a bad value throws one line. */
export function resolveUpstream(flags: UpstreamFlags, env: NodeJS.ProcessEnv): UpstreamOptions | undefined {
  const url = flags.upstream || env[SERVER_ENV.upstreamUrl];
  if (!url) return undefined;
  const { url: checked, prefix } = parseUpstream(url, flags.upstreamPrefix || env[SERVER_ENV.upstreamPrefix] || undefined);
  const count = (flag: number | undefined, name: string, min: number, max: number): number | undefined => {
    if (flag !== undefined) return flag;
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
    return n;
  };
  const intervalMinutes = count(flags.upstreamInterval, SERVER_ENV.upstreamInterval, 0, 7 * 24 * 60);
  const maxProjects = count(flags.upstreamMaxProjects, SERVER_ENV.upstreamMaxProjects, 1, 100_000);
  return {
    url: checked,
    prefix,
    ...(intervalMinutes !== undefined ? { intervalMinutes } : {}),
    ...(maxProjects !== undefined ? { maxProjects } : {}),
  };
}
