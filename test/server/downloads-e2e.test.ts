/**
 * Download analytics end to end: real pip installs from the simple index and API download calls
 * move the per-release per-day counts on the stats endpoint, in the plugin's total, on the plugin
 * page, and `fapilog-plugins info` shows the last 30 days.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Plugin, PluginStats } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';
import { getJson } from './util.ts';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PIP_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };

let server: TestServer;
let tmp: string;
let pipPython = PYTHON;

before(async () => {
  server = await startTestServer({ seed: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-downloads-'));
  try {
    await run(PYTHON, ['-m', 'pip', '--version'], { env: PIP_ENV });
  } catch {
    const venv = path.join(tmp, 'venv');
    await run(PYTHON, ['-m', 'venv', venv], { timeout: 60_000 });
    pipPython = path.join(venv, 'bin', 'python');
  }
});

after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const today = () => new Date().toISOString().slice(0, 10);

async function stats(name: string, query = ''): Promise<PluginStats> {
  const r = await getJson(`${server.apiUrl}/plugins/${name}/stats${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return PluginStats.parse(r.body);
}

function releaseCount(s: PluginStats, version: string): number {
  return s.releases.find((r) => r.version === version)?.total ?? 0;
}

/** The Downloads cell of a release in the plugin page's versions table. */
async function pageCount(name: string, version: string): Promise<number> {
  const html = await (await fetch(`${server.url}/plugins/${name}`)).text();
  const m = new RegExp(`data-downloads="${version.replace(/\./g, '\\.')}">(\\d+)<`).exec(html);
  assert.ok(m, `the page has a downloads cell for ${version}: ${html.slice(0, 2000)}`);
  return Number(m[1]);
}

test('three pip installs from the simple index move that release by three: stats endpoint, plugin total, page', async () => {
  const beforeStats = await stats('kafka');
  const beforeTotal = Plugin.parse((await getJson(`${server.apiUrl}/plugins/kafka`)).body).downloads;
  const beforePage = await pageCount('kafka', '2.1.0');
  for (let i = 0; i < 3; i++) {
    // --no-cache-dir: pip's HTTP cache would answer a repeated install without asking the index.
    await run(
      pipPython,
      [
        '-m',
        'pip',
        'install',
        '--no-deps',
        '--no-cache-dir',
        '--target',
        path.join(tmp, `t${i}`),
        '--index-url',
        `${server.url}/simple/`,
        'fapilog-kafka==2.1.0',
      ],
      { env: PIP_ENV, timeout: 90_000 },
    );
  }
  const afterStats = await stats('kafka');
  assert.equal(releaseCount(afterStats, '2.1.0') - releaseCount(beforeStats, '2.1.0'), 3);
  assert.equal(afterStats.total - beforeStats.total, 3);
  assert.equal(afterStats.days.at(-1)!.day, today());
  assert.equal(afterStats.days.at(-1)!.downloads - beforeStats.days.at(-1)!.downloads, 3);
  for (const other of afterStats.releases.filter((r) => r.version !== '2.1.0')) {
    assert.equal(other.total, releaseCount(beforeStats, other.version), `${other.version} unchanged`);
  }
  assert.equal(Plugin.parse((await getJson(`${server.apiUrl}/plugins/kafka`)).body).downloads, beforeTotal + 3);
  assert.equal(await pageCount('kafka', '2.1.0'), beforePage + 3);
  const page = await (await fetch(`${server.url}/plugins/kafka`)).text();
  assert.match(page, /<svg class="chart"[^>]*role="img"/, 'the page draws downloads over time');
});

test('an API download counts once; HEAD does not; the stats endpoint checks its range', async () => {
  const start = releaseCount(await stats('loki'), '1.3.0');
  assert.equal((await fetch(`${server.apiUrl}/plugins/loki/versions/1.3.0/download`, { method: 'HEAD' })).status, 200);
  assert.equal((await getJson(`${server.apiUrl}/plugins/loki/versions/1.3.0/download`)).status, 200);
  assert.equal(releaseCount(await stats('loki'), '1.3.0'), start + 1);
  const s = await stats('loki', `?from=${today()}&to=${today()}`);
  assert.equal(s.days.length, 1);
  assert.equal((await getJson(`${server.apiUrl}/plugins/loki/stats?from=2020-01-01&to=2026-01-01`)).status, 400);
  assert.equal((await getJson(`${server.apiUrl}/plugins/nope/stats`)).status, 404);
});

test('answers asked at the same moment as a count is written are not behind it', async () => {
  // The first of these flushes the count; the others arrive while that write is in flight (on
  // PostgreSQL it spans several turns of the event loop) and must wait for it, not read before it.
  const start = releaseCount(await stats('sampling'), '1.2.1');
  for (let round = 1; round <= 3; round++) {
    assert.equal((await getJson(`${server.apiUrl}/plugins/sampling/versions/1.2.1/download`)).status, 200);
    await new Promise((r) => setTimeout(r, 50)); // the count is taken after the answer is delivered
    const all = await Promise.all(Array.from({ length: 6 }, () => stats('sampling')));
    assert.deepEqual(
      all.map((s) => releaseCount(s, '1.2.1')),
      all.map(() => start + round),
    );
  }
});

test('fapilog-plugins info shows the last 30 days', async () => {
  await getJson(`${server.apiUrl}/plugins/otel/versions/2.0.0/download`);
  const r = await runCli(['info', 'otel', '--marketplace-url', server.apiUrl], {
    env: { COLUMNS: '120', FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'cache') },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Last 30 days\s+1\s+[▁-█]{30}\s+\(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)/);
  const json = JSON.parse(
    (
      await runCli(['info', 'otel', '--json', '--marketplace-url', server.apiUrl], {
        env: { FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'cache2') },
      })
    ).stdout,
  );
  assert.equal(PluginStats.parse(json.stats).total, 1);
});
