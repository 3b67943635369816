/**
 * One bot process: its Octokit (limits, conditional requests), what it remembers (immutable git
 * objects by SHA, ETags), its repository lock (Redis or in-process), and the marketplace. The
 * handlers, the sweep and the entry points all go through this.
 */
import { Redis } from 'ioredis';
import type { ProbotOctokit } from 'probot';
import { MemoryMetadataCache, type MetadataStore } from '../src/core/marketplace/cache.ts';
import { MetadataCache } from '../src/core/marketplace/disk-cache.ts';
import { MarketplaceClient } from '../src/core/marketplace/client.ts';
import { DEFAULT_INDEX_URL } from '../src/core/config.ts';
import { IndexClient } from '../src/core/index/client.ts';
import type { Lookup } from './engine.ts';
import { LruMap } from '../src/core/lru.ts';
import { GitCache } from './github-files.ts';
import { LocalLock, RedisLock, type RepoLock } from './lock.ts';
import { DEFAULT_LIMITS, EtagCache, createBotOctokit, type Octokit } from './octokit.ts';
import { syncRepository, type Log, type SyncResult } from './repository.ts';
import type { BotSettings } from './settings.ts';
import type { Repo } from './writer.ts';

export const CHECK_NAME = 'fapilog plugin compatibility';

/** A lock outlives a slow sync (it is renewed while held); a crashed holder frees it after this. */
const LOCK_TTL_MS = 5 * 60_000;
/** A second instance waits this long for a repository another one is syncing. */
const LOCK_WAIT_MS = 10 * 60_000;

/** What the caller already knows about a repository, from an answer it had anyway. */
export interface SyncHints {
  /** GitHub's open_issues_count (open issues and pull requests), and when it was asked for (`Date.now()` before the request). */
  openIssues?: { count: number; at: number };
}

export interface Bot {
  settings: BotSettings;
  Octokit: typeof ProbotOctokit;
  cache: GitCache;
  lock: RepoLock;
  /** The bot's own login (`<slug>[bot]`), asked once per process. */
  login(app: Octokit): Promise<string>;
  /** The source a repository names (a marketplace by default kind), or the operator's own when none. */
  lookup(url: string | undefined, kind?: 'marketplace' | 'index'): Lookup;
  allowedMarketplace(url: string, kind?: 'marketplace' | 'index'): boolean;
  /** Syncs one repository under its lock. */
  sync(octokit: Octokit, app: () => Promise<Octokit>, repo: Repo, log: Log, hints?: SyncHints): Promise<SyncResult>;
  close(): Promise<void>;
}

export function createBot(settings: BotSettings): Bot {
  const cache = new GitCache();
  const etags = new EtagCache();
  const Octokit = createBotOctokit({ ...DEFAULT_LIMITS, writeSpacingMs: settings.writeSpacingMs }, etags);
  const lock: RepoLock = settings.redisUrl
    ? new RedisLock(new Redis(settings.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false }), {
        ttlMs: LOCK_TTL_MS,
        waitMs: LOCK_WAIT_MS,
      })
    : new LocalLock();
  const operator = settings.marketplace.url.replace(/\/+$/, '');
  // One store of marketplace answers for the process (revalidated with ETags), one client per
  // sync: a client remembers what it answered, and a sweep must see new releases.
  const stores = new Map<string, MetadataStore>();
  const storeFor = (url: string, token: string | undefined): MetadataStore => {
    let store = stores.get(url);
    if (!store) {
      store =
        settings.marketplace.cacheDir !== undefined
          ? new MetadataCache(settings.marketplace.cacheDir, { token })
          : new MemoryMetadataCache({ token });
      stores.set(url, store);
    }
    return store;
  };
  const trim = (url: string) => url.replace(/\/+$/, '');
  // The operator's own source for repositories that name none (FAPILOG_INDEX_URL, FAPILOG_MARKETPLACE_URL, else PyPI).
  const own = settings.source;
  const ownIndex = own?.kind === 'index' ? trim(own.index.url) : undefined;
  const indexClient = (url: string) =>
    new IndexClient(
      {
        url: `${trim(url)}/`,
        cacheMode: 'online',
        ...(settings.marketplace.cacheDir !== undefined ? { cacheDir: settings.marketplace.cacheDir } : {}),
      },
      { cache: storeFor(`index:${trim(url)}`, undefined) },
    );
  let login: Promise<string> | null = null;
  // When this process last opened a pull request or issue, per repository: a count GitHub gave
  // before that is stale. (Another instance's openings are covered by the checks in repository.ts.)
  const created = new LruMap<string, number>(100_000);

  const bot: Bot = {
    settings,
    Octokit,
    cache,
    lock,
    login(app) {
      login ??= app.request('GET /app').then((res) => `${(res.data as { slug: string }).slug}[bot]`);
      login.catch(() => (login = null));
      return login;
    },
    lookup(url, kind = 'marketplace') {
      if (url === undefined && ownIndex !== undefined) return indexClient(ownIndex);
      if (url !== undefined && kind === 'index') return indexClient(url);
      const chosen = (url ?? operator).replace(/\/+$/, '');
      // The operator's token goes to the operator's marketplace only, never to one a repository names.
      const token = chosen === operator ? settings.marketplace.token : undefined;
      return new MarketplaceClient({ ...settings.marketplace, url: chosen, token }, { cache: storeFor(chosen, token) });
    },
    allowedMarketplace(url, kind = 'marketplace') {
      const u = trim(url);
      // A public index asks for no credential and gets none: PyPI is always allowed.
      if (kind === 'index') return u === trim(DEFAULT_INDEX_URL) || u === ownIndex || settings.allowedMarketplaces.includes(u);
      return u === operator || settings.allowedMarketplaces.includes(u);
    },
    async sync(octokit, app, repo, log, hints = {}) {
      const botLogin = await bot.login(await app());
      const key = `${repo.owner}/${repo.repo}`.toLowerCase();
      return lock.withLock(key, () => {
        const seen = hints.openIssues;
        const openIssues = seen !== undefined && seen.at > (created.get(key) ?? -Infinity) ? seen.count : undefined;
        const onCreate = () => created.set(key, Date.now());
        return syncRepository(repo, {
          octokit,
          botLogin,
          lookup: bot.lookup,
          allowedMarketplace: bot.allowedMarketplace,
          cache,
          log,
          openIssues,
          onCreate,
        });
      });
    },
    async close() {
      await lock.close();
    },
  };
  return bot;
}
