/**
 * Issue 13, defect 1: one anonymous search froze the whole server (FTS5 bm25 cost grew with the
 * square of the terms; 2,000 terms against a long description held the event loop for minutes).
 * Now the query is capped (400 naming the limit), ranking is linear, a search over its time
 * budget is cut off (503), other requests are answered meanwhile, and SIGTERM still stops it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarketplace } from '../../../server/index.ts';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, score } from '../../../server/search.ts';
import { openStore } from '../../../server/store/index.ts';
import { ErrorBody, Plugin, SearchResult } from '../../../src/core/marketplace/schemas.ts';
import { CATALOG_FILE } from '../../helpers/server.ts';
import { getJson, newRelease } from '../util.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
/** 20,000 distinct words, each starting with one of the first 16 letters: every prefix query hits it hard. */
const LONG_DESCRIPTION = Array.from({ length: 20_000 }, (_, i) => `${LETTERS[i % 16]}${i.toString(36)}`).join(' ');

async function dataDirWithLongPlugin(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-search-'));
  const store = await openStore({ dataDir: dir });
  try {
    await store.publish('mallory', newRelease('verbose', '1.0.0', { description: LONG_DESCRIPTION }));
    for (let i = 0; i < 40; i++)
      await store.publish('alice', newRelease(`plain-${i}`, '1.0.0', { description: LETTERS.map((l) => `${l}${i}`).join(' ') }));
  } finally {
    await store.close();
  }
  return dir;
}

/** Thousands of distinct terms, all prefixes of words in the long description. */
function hostileQuery(n: number): string {
  return Array.from({ length: n }, (_, i) => `${LETTERS[i % 16]}${i.toString(36)}`).join(' ');
}

describe('search cost', () => {
  let dir: string;
  let url: string;
  let close: () => Promise<void>;
  before(async () => {
    dir = await dataDirWithLongPlugin();
    const m = await createMarketplace({ dataDir: dir, seedFile: CATALOG_FILE });
    url = `${await m.listen(0, '127.0.0.1')}/api/v1`;
    close = () => m.close();
  });
  after(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('thousands of terms are a 400 that names the limit, and a parallel request is answered', async () => {
    const [hostile, parallel] = await Promise.all([
      getJson(`${url}/plugins/search?q=${encodeURIComponent(hostileQuery(2000).slice(0, 60_000))}`),
      getJson(`${url}/plugins/loki`),
    ]);
    assert.equal(hostile.status, 400);
    const err = ErrorBody.parse(hostile.body).error;
    assert.equal(err.code, 'query_too_long');
    assert.match(err.message, new RegExp(`at most ${MAX_QUERY_LENGTH} characters`));
    assert.equal(parallel.status, 200);
    assert.equal(Plugin.parse(parallel.body).name, 'loki');
  });

  test('more distinct terms than the cap within the length cap is a 400 naming the term cap', async () => {
    const q = LETTERS.slice(0, MAX_QUERY_TERMS + 1).join(' ');
    const r = await getJson(`${url}/plugins/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 400);
    assert.match(ErrorBody.parse(r.body).error.message, new RegExp(`at most ${MAX_QUERY_TERMS} distinct terms`));
    // Repeating a term does not count twice.
    const repeated = await getJson(`${url}/plugins/search?q=${encodeURIComponent(Array(40).fill('loki').join(' '))}`);
    assert.equal(repeated.status, 200);
  });

  test('the largest allowed query against the long description is answered, with parallel requests', async () => {
    const q = LETTERS.slice(0, MAX_QUERY_TERMS).join(' ');
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => getJson(`${url}/plugins/search?q=${encodeURIComponent(q)}&per_page=100`)),
      getJson(`${url}/plugins/loki`),
      getJson(`${url}/fapilog/versions`),
    ]);
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    const hits = SearchResult.parse(answers[0]!.body);
    assert.ok(
      hits.plugins.some((p) => p.package === 'fapilog-verbose'),
      'the long plugin matches every term',
    );
  });

  test('relevance: a name match ranks above a description mention', async () => {
    const r = SearchResult.parse((await getJson(`${url}/plugins/search?q=loki`)).body);
    assert.equal(r.plugins[0]?.name, 'loki');
    assert.ok(
      score(['loki'], { name: 'loki', package: 'fapilog-loki', author: '', description: '' }) >
        score(['loki'], { name: 'x', package: 'fapilog-x', author: '', description: 'ships to loki' }),
    );
  });
});

describe('search time budget', () => {
  test('a search over its budget is cut off with 503 while other requests are answered', async (t) => {
    const dir = await dataDirWithLongPlugin();
    const m = await createMarketplace({ dataDir: dir, searchBudgetMs: 0 });
    t.after(async () => {
      await m.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const url = `${await m.listen(0, '127.0.0.1')}/api/v1`;
    const [cut, other] = await Promise.all([getJson(`${url}/plugins/search?q=a`), getJson(`${url}/plugins/verbose`)]);
    assert.equal(cut.status, 503);
    assert.equal(ErrorBody.parse(cut.body).error.code, 'search_timeout');
    assert.equal(cut.headers.get('retry-after'), '1');
    assert.equal(other.status, 200);
  });

  test('serve stops on SIGTERM while the heaviest allowed searches are running', async (t) => {
    const dir = await dataDirWithLongPlugin();
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dir, '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    });
    const q = encodeURIComponent(LETTERS.slice(0, MAX_QUERY_TERMS).join(' '));
    const searches = Array.from({ length: 6 }, () =>
      fetch(`${base}/api/v1/plugins/search?q=${q}`).then(
        (r) => r.status,
        () => 'closed',
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, 'serve exits cleanly on SIGTERM');
    for (const s of await Promise.all(searches)) assert.ok(s === 200 || s === 'closed', `search ended with ${s}`);
  });
});
