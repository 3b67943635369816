/**
 * Several instances: a real redis-server (Debian's package) on a free port, and two
 * `npm run bot:sweep` processes started at the same moment over the same repositories. They
 * share Probot's throttling through Redis and take the per-repository lock, so every plugin gets
 * exactly one pull request and both exit 0 (without the lock, the second would meet GitHub's
 * "a pull request already exists" 422 and fail).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { GitHubPeer } from './github-peer.ts';
import { exampleApp } from './harness.ts';

const SWEEP = fileURLToPath(new URL('../../bot/sweep-main.ts', import.meta.url));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

let redis: ChildProcess;
let redisUrl: string;
let server: TestServer;

before(async () => {
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  redisUrl = `redis://127.0.0.1:${port}`;
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      assert.equal(await probe.ping(), 'PONG');
      break;
    } catch (err) {
      if (i > 100 || redis.exitCode !== null) throw new Error(`redis-server did not start: ${(err as Error).message}`);
      await sleep(50);
      probe.disconnect();
    }
  }
  probe.disconnect();
  server = await startTestServer({ seed: true });
});

after(async () => {
  await server?.stop();
  if (redis && redis.exitCode === null) {
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    redis.kill('SIGTERM');
    await exited;
  }
});

function runSweep(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SWEEP], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('two sweeps at once with REDIS_URL: exactly one pull request per plugin, both exit 0', async () => {
  const peer = new GitHubPeer();
  await peer.start();
  const cacheA = mkdtempSync(path.join(os.tmpdir(), 'fapilog-bot-a-'));
  const cacheB = mkdtempSync(path.join(os.tmpdir(), 'fapilog-bot-b-'));
  const client = new Redis(redisUrl);
  try {
    const inst = peer.addInstallation('acme');
    peer.addRepo(inst, 'acme/orders', exampleApp());
    peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-otel==1.1.0\n' });
    const env = (cache: string): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      APP_ID: String(peer.appId),
      PRIVATE_KEY: peer.privateKey,
      GHE_HOST: peer.host,
      GHE_PROTOCOL: 'http',
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      FAPILOG_MARKETPLACE_URL: server.apiUrl,
      FAPILOG_MARKETPLACE_CACHE: cache,
      FAPILOG_BOT_WRITE_SPACING_MS: '0',
    });
    const [a, b] = await Promise.all([runSweep(env(cacheA)), runSweep(env(cacheB))]);
    assert.equal(a.code, 0, `first sweep: ${a.stdout}\n${a.stderr}`);
    assert.equal(b.code, 0, `second sweep: ${b.stdout}\n${b.stderr}`);

    const branches = (repo: string) =>
      peer
        .pulls(repo)
        .map((p) => p.pull!.head)
        .sort();
    assert.deepEqual(branches('acme/orders'), [
      'fapilog-plugins/fapilog-cloudwatch',
      'fapilog-plugins/fapilog-otel',
      'fapilog-plugins/fapilog-redact-pii',
      'fapilog-plugins/fapilog-request-context',
      'fapilog-plugins/fapilog-sampling',
    ]);
    assert.deepEqual(branches('acme/small'), ['fapilog-plugins/fapilog-otel']);
    // One sweep opened them, the other found them: no duplicate branch, commit or pull request attempt.
    assert.equal(peer.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).length, 6);
    assert.equal(peer.requests.filter((r) => r.status === 422).length, 0);
    const opened = `${a.stdout}${b.stdout}`.split('\n').filter((l) => l.includes(': opened'));
    assert.equal(opened.length, 2, `${a.stdout}\n${b.stdout}`);
    // Both instances used the shared throttling (Bottleneck's keys) and released their locks.
    assert.ok((await client.keys('b_octokit-*')).length > 0, 'Bottleneck keeps its limiter state in Redis');
    assert.deepEqual(await client.keys('fapilog-plugins:lock:*'), []);
  } finally {
    client.disconnect();
    await peer.stop();
    rmSync(cacheA, { recursive: true, force: true });
    rmSync(cacheB, { recursive: true, force: true });
  }
});
