/**
 * Fault injection: the server process is killed (SIGKILL) at random points while publishes are
 * in flight, then restarted, a bounded number of times. Every time, the database and the files
 * on disk agree (every file row has its file with that size and sha256, every file has its row,
 * every release has files), and every publish that was acknowledged (201) survived.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../../server/store/index.ts';
import { sharedCluster, testStore } from '../../helpers/postgres.ts';
import { metadataFor, publish, sdistFor, wheelFor } from '../util.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const KILLS = 12;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

async function start(dir: string, databaseUrl?: string): Promise<{ child: ChildProcess; api: string }> {
  const where = databaseUrl ? ['--database-url', databaseUrl] : [];
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dir, ...where, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const api = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(`${m[1]}/api/v1`);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
  return { child, api };
}

/** Database and disk agree; returns the versions stored. */
function checkConsistent(dir: string, when: string): Set<string> {
  const db = new DatabaseSync(path.join(dir, 'marketplace.sqlite'));
  try {
    const files = db
      .prepare('SELECT f.package, f.filename, f.sha256, f.size, r.version FROM files f JOIN releases r ON r.id = f.release_id')
      .all() as Array<{
      package: string;
      filename: string;
      sha256: string;
      size: number;
      version: string;
    }>;
    for (const f of files) {
      const p = path.join(dir, 'files', f.package, f.filename);
      assert.ok(fs.existsSync(p), `${when}: row without file ${f.filename}`);
      const data = fs.readFileSync(p);
      assert.equal(data.length, Number(f.size), `${when}: size of ${f.filename}`);
      assert.equal(createHash('sha256').update(data).digest('hex'), f.sha256, `${when}: sha256 of ${f.filename}`);
    }
    const known = new Set(files.map((f) => `${f.package}/${f.filename}`));
    const filesDir = path.join(dir, 'files');
    for (const pkg of fs.readdirSync(filesDir)) {
      for (const name of fs.readdirSync(path.join(filesDir, pkg))) {
        assert.ok(known.has(`${pkg}/${name}`), `${when}: file without row (or a leftover temp file after restart): ${pkg}/${name}`);
      }
    }
    const bare = db
      .prepare('SELECT COUNT(*) AS n FROM releases r WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.release_id = r.id)')
      .get() as { n: number };
    assert.equal(Number(bare.n), 0, `${when}: a release without files`);
    const empty = db
      .prepare('SELECT COUNT(*) AS n FROM plugins p WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.plugin_id = p.id)')
      .get() as { n: number };
    assert.equal(Number(empty.n), 0, `${when}: a plugin without releases`);
    return new Set(files.map((f) => f.version));
  } finally {
    db.close();
  }
}

const SQLITE_ONLY =
  testStore() === 'postgres' && 'SQLite leg (the data dir is read directly); the PostgreSQL leg runs the two-instance test below';

test(`killed ${KILLS} times during publishes, the database and the files agree after every restart`, {
  timeout: 180_000,
  skip: SQLITE_ONLY,
}, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-kill-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const seedStore = await openStore({ dataDir: dir });
  const token = await seedStore.createToken('crasher');
  await seedStore.close();
  const seed = Number(process.env['FAPILOG_KILL_SEED'] ?? Date.now() % 100_000);
  t.diagnostic(`seed ${seed} (FAPILOG_KILL_SEED to replay)`);
  const random = rng(seed);
  const acknowledged: string[] = [];
  let version = 0;
  let { child, api } = await start(dir);
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      // Two publishers in parallel, each a wheel and an sdist, until the process dies.
      let alive = true;
      const publisher = async () => {
        while (alive) {
          const v = `1.${kill}.${version++}`;
          const wheel = wheelFor('crash', v, { summary: `release ${v} `.repeat(200) });
          const sdist = sdistFor('crash', v, { padding: randomBytes(50_000) });
          try {
            const r = await publish(api, 'crash', metadataFor('crash', v, [wheel, sdist]), [wheel, sdist], token);
            if (r.status === 201) acknowledged.push(v);
            else assert.fail(`publish ${v}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          } catch (err) {
            if (err instanceof assert.AssertionError) throw err;
            return; // the connection died with the server
          }
        }
      };
      const publishers = [publisher(), publisher()];
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 300)));
      // The first kill waits for one acknowledged publish (the other is still in flight): on a busy
      // machine no publish may finish within the random delay, and the test would prove nothing.
      for (let waited = 0; kill === 0 && acknowledged.length === 0 && waited < 60_000; waited += 10) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      alive = false;
      await Promise.all(publishers);

      ({ child, api } = await start(dir));
      const stored = checkConsistent(dir, `after kill ${kill + 1}`);
      for (const v of acknowledged) assert.ok(stored.has(v), `acknowledged ${v} survived kill ${kill + 1}`);
    }
    assert.ok(acknowledged.length > 0, 'some publishes completed between kills');
    t.diagnostic(`${acknowledged.length} publishes acknowledged across ${KILLS} kills`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  checkConsistent(dir, 'after the final clean stop');
});

/** PostgreSQL: every file row has its bytes with that size and sha256, every release files, every plugin releases. */
async function checkConsistentPg(databaseUrl: string, when: string): Promise<Set<string>> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const files = (
      await client.query(
        "SELECT f.filename, f.sha256, f.size, r.version, length(d.data) AS n, encode(sha256(d.data), 'hex') AS h FROM files f JOIN releases r ON r.id = f.release_id LEFT JOIN file_data d ON d.file_id = f.id",
      )
    ).rows as Array<{ filename: string; sha256: string; size: number; version: string; n: number | null; h: string | null }>;
    for (const f of files) {
      assert.notEqual(f.n, null, `${when}: row without bytes ${f.filename}`);
      assert.equal(Number(f.n), Number(f.size), `${when}: size of ${f.filename}`);
      assert.equal(f.h, f.sha256, `${when}: sha256 of ${f.filename}`);
    }
    const bare = (
      await client.query('SELECT COUNT(*) AS n FROM releases r WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.release_id = r.id)')
    ).rows[0] as { n: string };
    assert.equal(Number(bare.n), 0, `${when}: a release without files`);
    const empty = (
      await client.query('SELECT COUNT(*) AS n FROM plugins p WHERE NOT EXISTS (SELECT 1 FROM releases r WHERE r.plugin_id = p.id)')
    ).rows[0] as { n: string };
    assert.equal(Number(empty.n), 0, `${when}: a plugin without releases`);
    return new Set(files.map((f) => f.version));
  } finally {
    await client.end();
  }
}

test(`two instances on one PostgreSQL, one of them killed ${KILLS} times during publishes through both: nothing acknowledged is lost, nothing is half-written`, {
  timeout: 300_000,
  skip: testStore() !== 'postgres' && 'PostgreSQL leg only (npm run test:pg)',
}, async (t) => {
  const databaseUrl = await (await sharedCluster()).createDatabase();
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-kill-pg-')));
  t.after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const setup = await openStore({ databaseUrl });
  const token = await setup.createToken('crasher');
  await setup.close();
  const seed = Number(process.env['FAPILOG_KILL_SEED'] ?? Date.now() % 100_000);
  t.diagnostic(`seed ${seed} (FAPILOG_KILL_SEED to replay)`);
  const random = rng(seed);
  const acknowledged: string[] = [];
  let version = 0;
  const instances = [await start(dirs[0]!, databaseUrl), await start(dirs[1]!, databaseUrl)];
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      let alive = true;
      // Two publishers, each alternating between the instances, until the victim dies.
      const publisher = async (first: number) => {
        for (let i = first; alive; i++) {
          const v = `1.${kill}.${version++}`;
          const wheel = wheelFor('crash', v, { summary: `release ${v} `.repeat(200) });
          const sdist = sdistFor('crash', v, { padding: randomBytes(50_000) });
          try {
            const r = await publish(instances[i % 2]!.api, 'crash', metadataFor('crash', v, [wheel, sdist]), [wheel, sdist], token);
            if (r.status === 201) acknowledged.push(v);
            else assert.fail(`publish ${v}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          } catch (err) {
            if (err instanceof assert.AssertionError) throw err;
            // the connection died with the killed instance: the next one goes to the other
          }
        }
      };
      const publishers = [publisher(0), publisher(1)];
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 300)));
      const victim = random() < 0.5 ? 0 : 1;
      const exited = new Promise((resolve) => instances[victim]!.child.once('exit', resolve));
      instances[victim]!.child.kill('SIGKILL');
      await exited;
      alive = false;
      await Promise.all(publishers);

      instances[victim] = await start(dirs[victim]!, databaseUrl);
      const stored = await checkConsistentPg(databaseUrl, `after kill ${kill + 1}`);
      for (const v of acknowledged) assert.ok(stored.has(v), `acknowledged ${v} survived kill ${kill + 1}`);
    }
    assert.ok(acknowledged.length > 0, 'some publishes completed between kills');
    t.diagnostic(`${acknowledged.length} publishes acknowledged across ${KILLS} kills`);
  } finally {
    for (const inst of instances) {
      const exited = new Promise((resolve) => inst.child.once('exit', resolve));
      inst.child.kill('SIGTERM');
      await exited;
    }
  }
  await checkConsistentPg(databaseUrl, 'after the final clean stop');
});
