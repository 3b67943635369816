/**
 * The one configuration vocabulary shared by the CLI, the Action, the bot and the server.
 * Flags, inputs and config keys override these environment variables.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const DEFAULT_MARKETPLACE_URL = 'https://marketplace.fapilog.dev/api/v1';

export const ENV = {
  url: 'FAPILOG_MARKETPLACE_URL',
  token: 'FAPILOG_MARKETPLACE_TOKEN',
  cache: 'FAPILOG_MARKETPLACE_CACHE',
} as const;

export const CACHE_MODES = ['online', 'prefer-offline', 'offline'] as const;
export const CacheMode = z.enum(CACHE_MODES);
export type CacheMode = z.infer<typeof CacheMode>;

export const MarketplaceSettings = z.object({
  url: z.url({ protocol: /^https?$/ }).describe(`marketplace API base URL (env ${ENV.url})`),
  token: z.string().min(1).optional().describe(`Bearer token (env ${ENV.token})`),
  /** Absent: answers are cached in memory only (a long-running process, a bot, a test). */
  cacheDir: z.string().min(1).optional().describe(`metadata cache directory (env ${ENV.cache}); in memory when unset`),
  cacheMode: CacheMode.default('online'),
});
export type MarketplaceSettings = z.infer<typeof MarketplaceSettings>;

/** The user's cache directory, as XDG / macOS / Windows conventions place it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env['LOCALAPPDATA']) {
    return path.join(env['LOCALAPPDATA'], 'fapilog-plugins', 'cache');
  }
  if (process.platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Caches', 'fapilog-plugins');
  }
  return path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'fapilog-plugins');
}

/** Overrides (flags, inputs) win over the environment, which wins over defaults. */
export function resolveMarketplaceSettings(
  overrides: { url?: string | undefined; token?: string | undefined; cacheDir?: string | undefined; cacheMode?: CacheMode | undefined },
  env: NodeJS.ProcessEnv = process.env,
): MarketplaceSettings {
  const pick = (a: string | undefined, b: string | undefined) => (a && a.length > 0 ? a : b && b.length > 0 ? b : undefined);
  return MarketplaceSettings.parse({
    url: (pick(overrides.url, env[ENV.url]) ?? DEFAULT_MARKETPLACE_URL).replace(/\/+$/, ''),
    token: pick(overrides.token, env[ENV.token]),
    cacheDir: pick(overrides.cacheDir, env[ENV.cache]) ?? defaultCacheDir(env),
    cacheMode: overrides.cacheMode ?? 'online',
  });
}
