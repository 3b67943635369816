/**
 * `npm run bot`: the webhook server (bot/main.ts; `fapilog-plugins bot` from the npm package).
 * Probot reads APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL,
 * REDIS_URL, PORT; the rest is in docs/bot.md.
 */
import { serveBot } from './main.ts';

await serveBot(process.env);
