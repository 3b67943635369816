/**
 * The one configuration vocabulary shared by the CLI, the Action, the bot and the server.
 * Flags, inputs and config keys override these environment variables.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const DEFAULT_MARKETPLACE_URL = 'https://marketplace.fapilog.dev/api/v1';
/** The source of plugin answers when neither a marketplace nor an index is configured (until the public marketplace exists). */
export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';

export const ENV = {
  url: 'FAPILOG_MARKETPLACE_URL',
  index: 'FAPILOG_INDEX_URL',
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

export const IndexSettings = z.object({
  url: z.url({ protocol: /^https?$/ }).describe(`Python package index (PEP 503/691 simple API) base URL (env ${ENV.index})`),
  cacheDir: z.string().min(1).optional(),
  cacheMode: CacheMode.default('online'),
});
export type IndexSettings = z.infer<typeof IndexSettings>;

/**
 * Where plugin answers come from: a marketplace (its API) or a Python package index (its simple
 * API). `chosenBy` says how, so an error can say how to choose another.
 */
export type SourceSettings =
  | { kind: 'marketplace'; marketplace: MarketplaceSettings; chosenBy: SourceChoice }
  | { kind: 'index'; index: IndexSettings; chosenBy: SourceChoice };
/** `flag`: a flag, input or config key; `env`: an environment variable; `default`: nothing was configured. */
export type SourceChoice = 'flag' | 'env' | 'default';

/**
 * The source for reading commands. A flag (input, config key) beats the environment; at the same
 * level an index URL beats a marketplace URL (the marketplace URL may be set for publishing only);
 * with neither configured the source is PyPI's simple index, until the public marketplace exists.
 */
export function resolveSourceSettings(
  overrides: {
    url?: string | undefined;
    indexUrl?: string | undefined;
    token?: string | undefined;
    cacheDir?: string | undefined;
    cacheMode?: CacheMode | undefined;
  },
  env: NodeJS.ProcessEnv = process.env,
): SourceSettings {
  const given = (v: string | undefined) => v !== undefined && v.length > 0;
  const choose = (): { kind: 'marketplace' | 'index'; chosenBy: SourceChoice } => {
    if (given(overrides.indexUrl)) return { kind: 'index', chosenBy: 'flag' };
    if (given(overrides.url)) return { kind: 'marketplace', chosenBy: 'flag' };
    if (given(env[ENV.index])) return { kind: 'index', chosenBy: 'env' };
    if (given(env[ENV.url])) return { kind: 'marketplace', chosenBy: 'env' };
    return { kind: 'index', chosenBy: 'default' };
  };
  const { kind, chosenBy } = choose();
  if (kind === 'marketplace') return { kind, chosenBy, marketplace: resolveMarketplaceSettings(overrides, env) };
  const pick = (a: string | undefined, b: string | undefined) => (given(a) ? a : given(b) ? b : undefined);
  const url = pick(overrides.indexUrl, env[ENV.index]) ?? DEFAULT_INDEX_URL;
  return {
    kind,
    chosenBy,
    index: IndexSettings.parse({
      // The simple API's project pages are relative to the root: always one trailing slash.
      url: `${url.replace(/\/+$/, '')}/`,
      cacheDir: pick(overrides.cacheDir, env[ENV.cache]) ?? defaultCacheDir(env),
      cacheMode: overrides.cacheMode ?? 'online',
    }),
  };
}
