import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { MarketplaceSettings, type CacheMode } from '../../../src/core/config.ts';

/** A temp cache dir removed when the test file ends. */
export function tempDir(prefix = 'fapilog-client-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function settingsFor(url: string, opts: { cacheDir?: string; cacheMode?: CacheMode; token?: string } = {}): MarketplaceSettings {
  return MarketplaceSettings.parse({
    url,
    cacheDir: opts.cacheDir ?? tempDir(),
    cacheMode: opts.cacheMode ?? 'online',
    ...(opts.token ? { token: opts.token } : {}),
  });
}
