/**
 * The bot's two entry points, shared by the npm scripts (`npm run bot`, `npm run bot:sweep`) and
 * the CLI of the npm package (`fapilog-plugins bot`, `fapilog-plugins bot sweep`): the webhook
 * server, and one sweep over every installation. Settings come from the environment (the table
 * in docs/bot.md, `.env.example`); Probot reads its own (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, ...).
 */
import { createProbot, run } from 'probot';
import { botApp } from './app.ts';
import { createBot } from './bot.ts';
import { readSettings } from './settings.ts';
import { makeSetupManifestSafe } from './setup-manifest.ts';
import { summary, sweep } from './sweep.ts';

export interface BotIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Starts the webhook server (Probot's `run`, with the bot's Octokit); resolves once it listens. */
export async function serveBot(env: NodeJS.ProcessEnv = process.env): Promise<{ stop(): Promise<void> }> {
  const bot = createBot(readSettings(env));
  // Without APP_ID, `run` serves Probot's setup page, whose manifest must survive any app.yml text.
  await makeSetupManifestSafe();
  const server = await run(botApp(bot), { Octokit: bot.Octokit, env });
  return {
    async stop() {
      await server.stop();
      await bot.close();
    },
  };
}

/**
 * One sweep over every installation of the app and every repository it can see: 0 when every
 * repository was synced (an invalid config counts: it got its issue), 1 when any failed, 2 when
 * the bot could not start.
 *
 * Probot's own Octokit serves the sweep rather than the `octokit` package's `App`: it already
 * authenticates as the app and per installation from the same APP_ID / PRIVATE_KEY, and carries
 * the bot's throttling, retries, ETag cache and (with REDIS_URL) the limits shared by every
 * instance. A second client would need all of that wired again, and would not share the limits.
 */
export async function sweepOnce(env: NodeJS.ProcessEnv, io: BotIo): Promise<number> {
  if (!env['APP_ID'] || !(env['PRIVATE_KEY'] || env['PRIVATE_KEY_PATH'])) {
    io.stderr('fapilog-plugins bot: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set\n');
    return 2;
  }
  try {
    const bot = createBot(readSettings(env));
    try {
      const probot = createProbot({ env, overrides: { Octokit: bot.Octokit } });
      const log = { info: (m: string) => probot.log.info(m), warn: (m: string) => probot.log.warn(m) };
      const result = await sweep(probot, bot, log);
      for (const r of result.results) io.stdout(`${r.repo}: ${summary(r)}\n`);
      for (const f of result.failures) io.stdout(`${f.repo}: FAILED: ${f.error}\n`);
      return result.failures.length > 0 ? 1 : 0;
    } finally {
      await bot.close();
    }
  } catch (err) {
    io.stderr(`fapilog-plugins bot: ${(err as Error).message}\n`);
    return 2;
  }
}
