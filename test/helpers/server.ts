/**
 * Starts the reference marketplace on 127.0.0.1 (a free port) with a temp data dir: the real
 * HTTP peer of every integration test. `seed: true` loads examples/catalog/catalog.json.
 * With FAPILOG_TEST_DATABASE=postgres it runs on a fresh database of a real PostgreSQL
 * (helpers/postgres.ts): the same tests are the PostgreSQL leg of the matrix.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarketplace, type Marketplace, type MarketplaceOptions, type RateLimitOptions } from '../../server/index.ts';
import { testDatabaseUrl } from './postgres.ts';

export const CATALOG_FILE = fileURLToPath(new URL('../../examples/catalog/catalog.json', import.meta.url));

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/api/v1' */
  apiUrl: string;
  dataDir: string;
  /** Set on the PostgreSQL leg. */
  databaseUrl: string | undefined;
  marketplace: Marketplace;
  createToken(owner: string): Promise<string>;
  /** A token that may correct any plugin's compatibility. */
  createAdminToken(owner: string): Promise<string>;
  stop(): Promise<void>;
}

/** Generous enough that tests which are not about rate limiting never meet it. */
const TEST_RATE_LIMIT: RateLimitOptions = { limit: 100_000, windowSeconds: 60 };

export async function startTestServer(
  opts: {
    seed?: boolean | string;
    rateLimit?: RateLimitOptions;
    oidc?: MarketplaceOptions['oidc'];
    now?: () => Date;
    log?: (line: string) => void;
    logFormat?: 'text' | 'json';
    upstream?: MarketplaceOptions['upstream'];
  } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-marketplace-'));
  const seedFile = opts.seed === true ? CATALOG_FILE : typeof opts.seed === 'string' ? opts.seed : undefined;
  const databaseUrl = await testDatabaseUrl();
  const marketplace = await createMarketplace({
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(seedFile ? { seedFile } : {}),
    rateLimit: opts.rateLimit ?? TEST_RATE_LIMIT,
    ...(opts.oidc ? { oidc: opts.oidc } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.logFormat ? { logFormat: opts.logFormat } : {}),
    ...(opts.upstream ? { upstream: opts.upstream } : {}),
  });
  let url: string;
  try {
    url = await marketplace.listen(0, '127.0.0.1');
  } catch (err) {
    await marketplace.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url,
    apiUrl: `${url}/api/v1`,
    dataDir,
    databaseUrl,
    marketplace,
    createToken: (owner) => marketplace.createToken(owner),
    createAdminToken: (owner) => marketplace.createToken(owner, { admin: true }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await marketplace.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
