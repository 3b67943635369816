/**
 * The server's own settings. The client vocabulary (FAPILOG_MARKETPLACE_URL/TOKEN/CACHE) does not
 * apply to a server; these FAPILOG_MARKETPLACE_* variables are the server-side ones, and flags win.
 */
import path from 'node:path';

export const SERVER_ENV = {
  dataDir: 'FAPILOG_MARKETPLACE_DATA_DIR',
  publicUrl: 'FAPILOG_MARKETPLACE_PUBLIC_URL',
  rateLimit: 'FAPILOG_MARKETPLACE_RATE_LIMIT',
  trustProxy: 'FAPILOG_MARKETPLACE_TRUST_PROXY',
  maxConnections: 'FAPILOG_MARKETPLACE_MAX_CONNECTIONS',
  headersTimeout: 'FAPILOG_MARKETPLACE_HEADERS_TIMEOUT',
  databaseUrl: 'FAPILOG_MARKETPLACE_DATABASE_URL',
  filesDir: 'FAPILOG_MARKETPLACE_FILES_DIR',
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
