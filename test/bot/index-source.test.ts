/** The bot's `index-url` config key and its source choice: which index a repository may name. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBot } from '../../bot/bot.ts';
import { ConfigError, configSource, parseConfig } from '../../bot/config.ts';
import { readSettings } from '../../bot/settings.ts';
import { IndexClient } from '../../src/core/index/client.ts';
import { MarketplaceClient } from '../../src/core/marketplace/client.ts';

const yaml = (text: string) => new TextEncoder().encode(text);

describe('bot: index-url', () => {
  test('the key names an index; with marketplace-url too it is a config error naming index-url', () => {
    const config = parseConfig(yaml('index-url: https://pypi.org/simple/\n'));
    assert.deepEqual(configSource(config), { kind: 'index', url: 'https://pypi.org/simple/' });
    assert.equal(configSource(parseConfig(null)), undefined);
    assert.throws(
      () => parseConfig(yaml('index-url: https://pypi.org/simple/\nmarketplace-url: https://m.example/api/v1\n')),
      (err: unknown) => err instanceof ConfigError && err.key === 'index-url' && /either index-url or marketplace-url/.test(err.message),
    );
  });

  test("nothing configured: the operator's source is PyPI; a repository may name PyPI or an allowed index, nothing else", async () => {
    const bot = createBot(readSettings({ FAPILOG_BOT_ALLOWED_MARKETPLACES: 'https://devpi.example/root/prod/+simple' }));
    try {
      const own = bot.lookup(undefined);
      assert.ok(own instanceof IndexClient);
      assert.deepEqual(own.status(), { url: 'https://pypi.org/simple/', stale: false, kind: 'index' });
      assert.equal(bot.allowedMarketplace('https://pypi.org/simple/', 'index'), true);
      assert.equal(bot.allowedMarketplace('https://devpi.example/root/prod/+simple/', 'index'), true);
      assert.equal(bot.allowedMarketplace('https://evil.example/simple/', 'index'), false);
      const named = bot.lookup('https://devpi.example/root/prod/+simple/', 'index');
      assert.ok(named instanceof IndexClient);
      assert.equal(named.status().url, 'https://devpi.example/root/prod/+simple/');
    } finally {
      await bot.close();
    }
    const market = createBot(readSettings({ FAPILOG_MARKETPLACE_URL: 'https://m.example/api/v1' }));
    try {
      assert.ok(market.lookup(undefined) instanceof MarketplaceClient);
    } finally {
      await market.close();
    }
  });
});
