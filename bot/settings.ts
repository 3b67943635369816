/**
 * The bot's own settings, from the environment. GitHub App settings (APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, REDIS_URL, LOG_LEVEL) are Probot's and read by it;
 * the marketplace is the shared FAPILOG_MARKETPLACE_* vocabulary.
 */
import { z } from 'zod';
import { resolveMarketplaceSettings, resolveSourceSettings, type MarketplaceSettings, type SourceSettings } from '../src/core/config.ts';

export const BOT_ENV = {
  allowed: 'FAPILOG_BOT_ALLOWED_MARKETPLACES',
  interval: 'FAPILOG_BOT_SWEEP_INTERVAL_MINUTES',
  spacing: 'FAPILOG_BOT_WRITE_SPACING_MS',
} as const;

const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(/[,\s]+/)
      .map((x) => x.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ })));

const Env = z.object({
  [BOT_ENV.allowed]: list,
  [BOT_ENV.interval]: z.coerce
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .optional(),
  [BOT_ENV.spacing]: z.coerce.number().int().min(0).max(60_000).default(1000),
  REDIS_URL: z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined)),
});

export interface BotSettings {
  marketplace: MarketplaceSettings;
  /**
   * Where a repository without `marketplace-url` / `index-url` is checked: FAPILOG_INDEX_URL, else
   * FAPILOG_MARKETPLACE_URL, else PyPI's simple index. Absent: the marketplace above.
   */
  source?: SourceSettings | undefined;
  /** Marketplace URLs a repository's config may name (besides the operator's own). */
  allowedMarketplaces: string[];
  /** In-process sweep every N minutes while the webhook server runs; none when unset. */
  sweepIntervalMinutes: number | undefined;
  writeSpacingMs: number;
  redisUrl: string | undefined;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): BotSettings {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SettingsError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    // In memory unless FAPILOG_MARKETPLACE_CACHE names a directory: a server's home may not be writable.
    marketplace: { ...resolveMarketplaceSettings({}, env), ...(env['FAPILOG_MARKETPLACE_CACHE'] ? {} : { cacheDir: undefined }) },
    source: inMemoryUnlessSet(resolveSourceSettings({}, env), env),
    allowedMarketplaces: e[BOT_ENV.allowed],
    sweepIntervalMinutes: e[BOT_ENV.interval],
    writeSpacingMs: e[BOT_ENV.spacing],
    redisUrl: e.REDIS_URL,
  };
}

function inMemoryUnlessSet(source: SourceSettings, env: NodeJS.ProcessEnv): SourceSettings {
  if (env['FAPILOG_MARKETPLACE_CACHE']) return source;
  return source.kind === 'index'
    ? { ...source, index: { ...source.index, cacheDir: undefined } }
    : { ...source, marketplace: { ...source.marketplace, cacheDir: undefined } };
}
