/**
 * `npm run bot:sweep`: one sweep over every installation, then exit (bot/main.ts; `fapilog-plugins
 * bot sweep` from the npm package). For cron jobs and scheduled workflows.
 */
import { sweepOnce } from './main.ts';

const code = await sweepOnce(process.env, { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) });
// Probot's shared throttling keeps a Redis connection open with no way to close it: exit explicitly.
process.exit(code);
