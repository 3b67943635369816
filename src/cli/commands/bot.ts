/**
 * `bot` and `bot sweep`: the GitHub App (bot/, shipped in the package) run from the package, as a
 * self-hoster deploys it (`npx fapilog-plugins bot`). Loaded on demand like the server: only this
 * command needs Probot. Settings come from the environment (docs/bot.md, `.env.example`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { untilStopped, type RegisterCommand } from '../context.ts';
import { CliError, EXIT, type ExitCode } from '../errors.ts';
import { packageFile } from '../package-files.ts';

/** The app manifest shipped beside the bot, for Probot's setup page. */
export const appManifest = (): string => packageFile('app.yml');

export const register: RegisterCommand = (program, act) => {
  program
    .command('bot')
    .argument('[task]', '`sweep`: sweep every installation once and exit (for cron); none: run the webhook server')
    .description('run the GitHub App: the webhook server, or `bot sweep` once (settings from the environment, see docs/bot.md)')
    .addHelpText(
      'after',
      [
        '',
        'Environment (the full table is in docs/bot.md and .env.example):',
        '  APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET   the GitHub App',
        '  PORT, HOST, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, REDIS_URL  Probot',
        '  FAPILOG_MARKETPLACE_URL, FAPILOG_MARKETPLACE_TOKEN, FAPILOG_MARKETPLACE_CACHE',
        '  FAPILOG_BOT_ALLOWED_MARKETPLACES, FAPILOG_BOT_SWEEP_INTERVAL_MINUTES, FAPILOG_BOT_WRITE_SPACING_MS',
        '',
        'Exit codes of `bot sweep`: 0 every repository synced, 1 one failed, 2 the bot could not start.',
        '',
      ].join('\n'),
    )
    .action(
      act(async (ctx, task: string | undefined): Promise<ExitCode> => {
        if (task !== undefined && task !== 'sweep')
          throw new CliError(`unknown bot task ${JSON.stringify(task)} (expected \`sweep\` or nothing)`);
        const env = ctx.io.env;
        const { serveBot, sweepOnce } = await import('../../../bot/main.ts');
        if (task === 'sweep') {
          const code = (await sweepOnce(env, ctx.io)) as ExitCode;
          // Probot's shared throttling keeps its Redis connection open with no way to close it.
          if (env['REDIS_URL']) process.exit(code);
          return code;
        }
        if (!env['APP_ID'] && !existsSync(path.join(process.cwd(), 'app.yml'))) {
          // Probot's setup page registers the app from ./app.yml: say where the shipped one is.
          throw new CliError(
            `APP_ID is not set. To register the GitHub App, run this from a directory holding app.yml (cp ` +
              `${appManifest()} .); to run it, set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET (docs/bot.md)`,
          );
        }
        const server = await serveBot(env);
        await untilStopped(ctx.io);
        await server.stop();
        return EXIT.ok;
      }),
    );
};
