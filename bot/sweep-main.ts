/**
 * `npm run bot:sweep`: one sweep over every installation of the app and every repository it can
 * see, then exit: 0 when every repository was synced (an invalid config counts: it got its
 * issue), 1 when any failed, 2 when the bot could not start. For cron jobs and scheduled workflows.
 */
import { createProbot } from 'probot';
import { createBot } from './bot.ts';
import { readSettings } from './settings.ts';
import { summary, sweep } from './sweep.ts';

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  if (!env['APP_ID'] || !(env['PRIVATE_KEY'] || env['PRIVATE_KEY_PATH'])) {
    process.stderr.write('fapilog-plugins bot: APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) must be set\n');
    return 2;
  }
  const bot = createBot(readSettings(env));
  try {
    const probot = createProbot({ env, overrides: { Octokit: bot.Octokit } });
    const log = { info: (m: string) => probot.log.info(m), warn: (m: string) => probot.log.warn(m) };
    const result = await sweep(probot, bot, log);
    for (const r of result.results) process.stdout.write(`${r.repo}: ${summary(r)}\n`);
    for (const f of result.failures) process.stdout.write(`${f.repo}: FAILED: ${f.error}\n`);
    return result.failures.length > 0 ? 1 : 0;
  } finally {
    await bot.close();
  }
}

let code: number;
try {
  code = await main(process.env);
} catch (err) {
  process.stderr.write(`fapilog-plugins bot: ${(err as Error).message}\n`);
  code = 2;
}
// Probot's shared throttling keeps a Redis connection open with no way to close it: exit explicitly.
process.exit(code);
