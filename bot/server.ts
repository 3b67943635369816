/**
 * `npm run bot`: the webhook server (Probot's `run`, with the bot's Octokit). Probot reads APP_ID,
 * PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, REDIS_URL, PORT.
 */
import { run } from 'probot';
import { botApp } from './app.ts';
import { createBot } from './bot.ts';
import { readSettings } from './settings.ts';

const bot = createBot(readSettings());
await run(botApp(bot), { Octokit: bot.Octokit });
