/**
 * The bot under test, wired as in production: Probot built by createProbot from the same
 * environment variables (APP_ID, PRIVATE_KEY, GHE_HOST, GHE_PROTOCOL), the bot's Octokit, the app
 * loaded, webhook payloads from @octokit/webhooks-examples received as GitHub would deliver them,
 * a GitHub peer on 127.0.0.1 and the reference marketplace on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createProbot, type Probot } from 'probot';
import { botApp } from '../../bot/app.ts';
import { createBot, type Bot } from '../../bot/bot.ts';
import { readSettings } from '../../bot/settings.ts';
import { sweep, type SweepResult } from '../../bot/sweep.ts';
import { GitHubPeer, type FileSpec } from './github-peer.ts';

const require = createRequire(import.meta.url);
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: any[] }>;

/** A real example payload of GitHub's (first one matching), deep-copied for the test to adjust. */
export function example(name: string, pick: (p: any) => boolean = () => true): any {
  const found = EXAMPLES.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}

/** The files of examples/app (every status), as a repository's tree. */
export function exampleApp(): FileSpec {
  const dir = new URL('../../examples/app/', import.meta.url);
  const out: FileSpec = {};
  for (const name of readdirSync(dir)) out[name] = readFileSync(new URL(name, dir));
  return out;
}

export interface Harness {
  peer: GitHubPeer;
  bot: Bot;
  probot: Probot;
  env: NodeJS.ProcessEnv;
  sweep(): Promise<SweepResult>;
  deliver(name: string, payload: any): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(marketplaceApi: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Harness> {
  const peer = new GitHubPeer();
  await peer.start();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-bot-cache-'));
  const env: NodeJS.ProcessEnv = {
    APP_ID: String(peer.appId),
    PRIVATE_KEY: peer.privateKey,
    WEBHOOK_SECRET: 'test-secret',
    GHE_HOST: peer.host,
    GHE_PROTOCOL: 'http',
    LOG_LEVEL: 'fatal',
    FAPILOG_MARKETPLACE_URL: marketplaceApi,
    FAPILOG_MARKETPLACE_CACHE: cacheDir,
    // GitHub asks for about a second between writes; the peer does not, and the tests stay fast.
    FAPILOG_BOT_WRITE_SPACING_MS: '0',
    ...extraEnv,
  };
  const bot = createBot(readSettings(env));
  const probot = createProbot({ env, overrides: { Octokit: bot.Octokit } });
  await probot.load(botApp(bot));
  const log = { info: () => undefined, warn: () => undefined };
  return {
    peer,
    bot,
    probot,
    env,
    sweep: () => sweep(probot, bot, log),
    deliver: (name, payload) => probot.receive({ id: randomUUID(), name, payload } as Parameters<Probot['receive']>[0]),
    async close() {
      await bot.close();
      await peer.stop();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** The GitHub-facing identity fields of a real payload, pointed at a repository of the peer. */
/** A requirements file pinning fapilog and one outdated plugin (fapilog-otel 1.1.0; 2.0.0 works with 0.16.0). */
export const SMALL = 'fapilog==0.16.0\nfapilog-otel==1.1.0\n';

/** Runs `fn` with a fresh harness and one installation (owner `acme`), closed afterwards. */
export async function withHarness(marketplaceApi: string, fn: (h: Harness, inst: number) => Promise<void>): Promise<void> {
  const h = await startHarness(marketplaceApi);
  try {
    await fn(h, h.peer.addInstallation('acme'));
  } finally {
    await h.close();
  }
}

export function aimAt(payload: any, peer: GitHubPeer, fullName: string, installation: number): any {
  const repo = peer.repo(fullName);
  payload.installation = {
    ...(payload.installation ?? {}),
    id: installation,
    account: { ...(payload.installation?.account ?? {}), login: repo.owner, type: 'Organization' },
  };
  if (payload.repository) {
    payload.repository = {
      ...payload.repository,
      id: repo.id,
      name: repo.name,
      full_name: fullName,
      default_branch: repo.defaultBranch,
      owner: { ...payload.repository.owner, login: repo.owner },
    };
  }
  return payload;
}
