/**
 * docs/bot.md, app.yml and package.json describe the bot that bot/ is: the config key table is
 * the one generated from the schema, app.yml asks for exactly the permissions and events the
 * handlers use, and every setting the bot reads is documented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { BotConfig, configTable } from '../../bot/config.ts';
import { BOT_ENV } from '../../bot/settings.ts';

const repo = new URL('../../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, repo), 'utf8');
const docs = read('docs/bot.md');

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  assert.ok(a >= 0 && b > a, `the document has ${start} ... ${end}`);
  return text.slice(text.indexOf('\n', a) + 1, b).trim();
}

test('docs/bot.md carries the generated config table, one row per schema key', () => {
  assert.equal(between(docs, '<!-- config:start', '<!-- config:end -->'), configTable());
  for (const key of Object.keys(BotConfig.shape)) assert.ok(configTable().includes(`| \`${key}\` |`), key);
});

test('the example config in docs/bot.md is valid', async () => {
  const { parseConfig } = await import('../../bot/config.ts');
  const block = /An example:\n\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(block);
  const config = parseConfig(new TextEncoder().encode(block));
  assert.deepEqual(config.groups, { observability: ['loki', 'otel', 'request-context'] });
});

test('app.yml asks for the minimal permissions and the events the handlers use', () => {
  const app = parse(read('app.yml')) as { default_permissions: Record<string, string>; default_events: string[]; name: string };
  assert.deepEqual(app.default_permissions, {
    checks: 'write',
    contents: 'write',
    issues: 'write',
    metadata: 'read',
    pull_requests: 'write',
  });
  const handled = new Set(
    [...read('bot/app.ts').matchAll(/'([a-z_]+)(?:\.[a-z_]+)?'/g)]
      .map((m) => m[1]!)
      .filter((e) => ['push', 'pull_request', 'installation', 'installation_repositories', 'check_run', 'issues'].includes(e)),
  );
  // Installation events reach every app without subscribing.
  handled.delete('installation');
  handled.delete('installation_repositories');
  assert.deepEqual([...handled].sort(), [...app.default_events].sort());
  assert.ok(app.name.length > 0);
});

test('every setting the bot reads is documented, and the npm scripts exist', () => {
  for (const name of [
    ...Object.values(BOT_ENV),
    'REDIS_URL',
    'APP_ID',
    'PRIVATE_KEY',
    'WEBHOOK_SECRET',
    'GHE_HOST',
    'GHE_PROTOCOL',
    'FAPILOG_MARKETPLACE_URL',
  ]) {
    assert.ok(docs.includes(`\`${name}\``), `${name} is documented`);
  }
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts['bot'], 'node bot/server.ts');
  assert.equal(scripts['bot:sweep'], 'node bot/sweep-main.ts');
  assert.match(read('README.md'), /## Bot\n[\s\S]*docs\/bot\.md/);
});

test('.env.example holds exactly the variables of the table in docs/bot.md, and its values are accepted', async () => {
  const table = between(docs, '| Environment variable | Meaning |', '\nThe bot runs on Node 24.');
  const documented = new Set(
    [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((v) => v[1]!)),
  );
  const example = read('.env.example');
  const values: Record<string, string> = {};
  for (const m of example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=(.*)$/gm)) values[m[1]!] = m[2]!;
  assert.deepEqual(
    Object.keys(values)
      .filter((k) => k !== 'PRIVATE_KEY_PATH')
      .sort(),
    [...documented].filter((k) => k !== 'PRIVATE_KEY_PATH').sort(),
  );
  // What is not commented out is safe to copy as it is; the commented values are accepted when uncommented.
  const { readSettings } = await import('../../bot/settings.ts');
  const uncommented = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  assert.deepEqual(Object.keys(uncommented), ['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET']);
  const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  const settings = readSettings(filled);
  assert.equal(settings.writeSpacingMs, 1000);
  assert.equal(settings.marketplace.url, 'https://marketplace.fapilog.dev/api/v1');
});
