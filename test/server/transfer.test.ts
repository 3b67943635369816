/**
 * Moving a marketplace: `admin export` of a SQLite marketplace, `admin import` into PostgreSQL
 * (PostgreSQL leg) or into another SQLite data dir; the API answers for every plugin are the same,
 * tokens, trusted publishers, provenance and download counts included. `admin backup` while a
 * server is writing gives a data dir that serves the same answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMarketplace, type Marketplace } from '../../server/index.ts';
import { CATALOG_FILE } from '../helpers/server.ts';
import { sharedCluster, testStore } from '../helpers/postgres.ts';
import { getJson, metadataFor, publish, wheelFor } from './util.ts';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const cli = (...args: string[]) =>
  run(process.execPath, [MAIN, ...args], { timeout: 120_000, env: { ...process.env, FAPILOG_MARKETPLACE_DATABASE_URL: '' } });

async function serve(opts: { dataDir: string; databaseUrl?: string }): Promise<{ m: Marketplace; url: string }> {
  const m = await createMarketplace({ ...opts, rateLimit: { limit: 100_000, windowSeconds: 60 } });
  return { m, url: await m.listen(0, '127.0.0.1') };
}

/** Every answer a client can get about every plugin, with the server's own address taken out. */
async function answers(url: string, token: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const get = async (p: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${p}`, init);
    const text = (await res.text()).replaceAll(url, 'BASE');
    out[`${p} ${JSON.stringify(init.headers ?? {})}`] = { status: res.status, body: text };
    return text;
  };
  const listing = JSON.parse(await get('/api/v1/plugins?per_page=100')) as { plugins: Array<{ name: string; package: string }> };
  await get('/api/v1/fapilog/versions');
  await get('/api/v1/plugins/search?q=log');
  await get('/simple/');
  for (const p of listing.plugins) {
    await get(`/api/v1/plugins/${p.name}`);
    const versions = JSON.parse(await get(`/api/v1/plugins/${p.name}/versions`)) as { releases: Array<{ files: Array<{ url: string }> }> };
    await get(`/simple/${p.package}/`);
    await get(`/simple/${p.package}/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
    for (const r of versions.releases) for (const f of r.files) await get(f.url.replace('BASE', ''));
    await get(`/api/v1/plugins/${p.name}/publishers`, { headers: { Authorization: `Bearer ${token}` } });
  }
  return out;
}

async function marketplaceWithHistory(dataDir: string): Promise<{ token: string }> {
  const { m, url } = await serve({ dataDir, ...{} });
  const seeded = await createMarketplace({ dataDir, seedFile: CATALOG_FILE });
  await seeded.close();
  try {
    const token = await m.createToken('mover');
    const api = `${url}/api/v1`;
    for (const v of ['1.0.0', '1.1.0']) {
      const w = wheelFor('moving', v);
      assert.equal((await publish(api, 'moving', metadataFor('moving', v, [w]), [w], token)).status, 201);
    }
    for (let i = 0; i < 3; i++) assert.equal((await getJson(`${api}/plugins/moving/versions/1.1.0/download`)).status, 200);
    assert.equal(
      (
        await getJson(`${api}/plugins/moving/versions/1.0.0/yank`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ reason: 'broken' }),
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await getJson(`${api}/plugins/moving/rating`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ stars: 4 }),
        })
      ).status,
      200,
    );
    await cli(
      'admin',
      'publisher',
      'add',
      'moving',
      '--repository',
      'acme/moving',
      '--repository-id',
      '1',
      '--owner-id',
      '2',
      '--workflow',
      'release.yml',
      '--data-dir',
      dataDir,
    );
    return { token };
  } finally {
    await m.close();
  }
}

test('admin export from SQLite, admin import into another store: the same answers for every plugin', { timeout: 300_000 }, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-transfer-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const source = path.join(tmp, 'source');
  fs.mkdirSync(source);
  const { token } = await marketplaceWithHistory(source);

  const exported = path.join(tmp, 'export');
  const out = await cli('admin', 'export', exported, '--data-dir', source);
  assert.match(out.stdout, /exported to .*: 1 tokens, 14 plugins, \d+ releases, \d+ files, \d+ ratings/);

  // Into PostgreSQL on its leg, else into a new SQLite data dir: the same commands.
  const target = path.join(tmp, 'target');
  const databaseUrl = testStore() === 'postgres' ? await (await sharedCluster()).createDatabase() : undefined;
  const where = databaseUrl ? ['--database-url', databaseUrl] : ['--data-dir', target, '--create'];
  const imported = await cli('admin', 'import', exported, ...where);
  assert.match(imported.stdout, /imported .*: 1 tokens, 14 plugins/);
  // A second import would mix two marketplaces: refused, nothing stored.
  await assert.rejects(cli('admin', 'import', exported, ...where), (err: { stderr: string }) => /not empty/.test(err.stderr));

  const a = await serve({ dataDir: source });
  const b = await serve({ dataDir: target, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    // Read before the comparison below fetches every file, which counts as downloads on both sides.
    assert.equal((await getJson(`${b.url}/api/v1/plugins/moving`)).body.downloads, 3);
    const before = await answers(a.url, token);
    const after = await answers(b.url, token);
    assert.ok(Object.keys(before).length > 40, `${Object.keys(before).length} answers compared`);
    assert.deepEqual(after, before);
    // The token still publishes, and new rows continue after the imported ids.
    const w = wheelFor('moving', '2.0.0');
    assert.equal((await publish(`${b.url}/api/v1`, 'moving', metadataFor('moving', '2.0.0', [w]), [w], token)).status, 201);
  } finally {
    await a.m.close();
    await b.m.close();
  }
});

test('admin backup while a server writes: a data dir that serves the same answers', {
  skip: testStore() === 'postgres' && 'SQLite: the data-dir backup (PostgreSQL backups are exports, tested above)',
  timeout: 300_000,
}, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-backup-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const source = path.join(tmp, 'source');
  fs.mkdirSync(source);
  const { token } = await marketplaceWithHistory(source);
  const live = await serve({ dataDir: source });
  try {
    // Publishes keep arriving while the backup is taken.
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        const w = wheelFor('busy', `1.0.${n++}`);
        await publish(`${live.url}/api/v1`, 'busy', metadataFor('busy', `1.0.${n - 1}`, [w]), [w], token);
      }
    })();
    const backup = path.join(tmp, 'backup');
    const out = await cli('admin', 'backup', backup, '--data-dir', source);
    writing = false;
    await writer;
    assert.match(out.stdout, /backup written to/);
    const restored = await serve({ dataDir: backup });
    try {
      const versions = (await getJson(`${restored.url}/api/v1/plugins/busy/versions`)).body as {
        versions: string[];
        releases: Array<{ files: Array<{ url: string }> }>;
      };
      // Whatever it caught of the busy plugin is whole: every release it lists has its file.
      for (const r of versions.releases ?? []) for (const f of r.files) assert.equal((await fetch(f.url)).status, 200);
      const live2 = await answers(live.url, token);
      const got = await answers(restored.url, token);
      for (const [k, v] of Object.entries(got))
        if (
          !k.includes('busy') &&
          !k.startsWith('/api/v1/plugins?') &&
          !k.startsWith('/api/v1/plugins/search') &&
          !k.startsWith('/simple/ ')
        )
          assert.deepEqual(v, live2[k], k);
    } finally {
      await restored.m.close();
    }
  } finally {
    await live.m.close();
  }
});
