/**
 * Several instances on one PostgreSQL database (the server suite's PostgreSQL leg): clients
 * alternate between two servers that share nothing but the database. A release published through
 * one is served by the other at once (API, simple index, pip); concurrent publishes of one version
 * over both give one 201; the rate limit holds for the pair; trusted-publishing state is shared.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMarketplace, type Marketplace } from '../../server/index.ts';
import { Plugin } from '../../src/core/marketplace/schemas.ts';
import { CATALOG_FILE } from '../helpers/server.ts';
import { sharedCluster, testStore } from '../helpers/postgres.ts';
import { getJson, metadataFor, publish, sha256, wheelFor } from './util.ts';

const SKIP = testStore() !== 'postgres' && 'PostgreSQL leg only (npm run test:pg)';
const run = promisify(execFile);
const PIP_ENV = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };

interface Instance {
  m: Marketplace;
  url: string;
  api: string;
}

async function instance(
  databaseUrl: string,
  dirs: string[],
  extra: Partial<Parameters<typeof createMarketplace>[0]> = {},
): Promise<Instance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-instance-'));
  dirs.push(dataDir);
  const m = await createMarketplace({ dataDir, databaseUrl, rateLimit: { limit: 100_000, windowSeconds: 60 }, ...extra });
  const url = await m.listen(0, '127.0.0.1');
  return { m, url, api: `${url}/api/v1` };
}

describe('two instances on one PostgreSQL', { skip: SKIP }, () => {
  let a: Instance;
  let b: Instance;
  const dirs: string[] = [];
  let token: string;
  before(async () => {
    const url = await (await sharedCluster()).createDatabase();
    a = await instance(url, dirs, { seedFile: CATALOG_FILE });
    b = await instance(url, dirs, { seedFile: CATALOG_FILE });
    token = await a.m.createToken('alice');
  });
  after(async () => {
    await a?.m.close();
    await b?.m.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('a release published through one is served by the other at once: API, simple index, file, pip', async () => {
    // B has the listing and the simple page in its response cache before the publish.
    assert.equal((await getJson(`${b.api}/plugins/multi`)).status, 404);
    const before = await (await fetch(`${b.url}/simple/`)).text();
    assert.ok(!before.includes('fapilog-multi'));

    const wheel = wheelFor('multi', '1.0.0');
    const r = await publish(a.api, 'multi', metadataFor('multi', '1.0.0', [wheel]), [wheel], token);
    assert.equal(r.status, 201, JSON.stringify(r.body));

    assert.equal(Plugin.parse((await getJson(`${b.api}/plugins/multi`)).body).version, '1.0.0');
    assert.ok(
      (await (await fetch(`${b.url}/simple/`)).text()).includes('fapilog-multi'),
      "B's cached simple index was invalidated by A's write",
    );
    const page = await (await fetch(`${b.url}/simple/fapilog-multi/`)).text();
    assert.ok(page.includes(`#sha256=${sha256(wheel.data)}`));
    const file = new Uint8Array(await (await fetch(`${b.url}/files/fapilog-multi/${wheel.filename}`)).arrayBuffer());
    assert.equal(sha256(file), sha256(wheel.data), 'B serves the bytes A stored');

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-instances-pip-'));
    dirs.push(tmp);
    fs.writeFileSync(path.join(tmp, 'req.txt'), `fapilog-multi==1.0.0 --hash=sha256:${sha256(wheel.data)}\n`);
    await run(
      '/usr/bin/python3',
      [
        '-m',
        'pip',
        'install',
        '--no-deps',
        '--no-cache-dir',
        '--target',
        path.join(tmp, 'site'),
        '--index-url',
        `${b.url}/simple/`,
        '--require-hashes',
        '-r',
        path.join(tmp, 'req.txt'),
      ],
      {
        env: PIP_ENV,
        timeout: 120_000,
      },
    );
    assert.ok(
      fs.readdirSync(path.join(tmp, 'site')).some((n) => n.startsWith('fapilog_multi-1.0.0.dist-info')),
      'pip installed it from B',
    );

    // And the other way round: a download counted through B shows through A.
    // Read through B first: an instance writes its pending counts before an answer that shows them.
    const downloads = Plugin.parse((await getJson(`${b.api}/plugins/multi`)).body).downloads;
    assert.equal((await getJson(`${b.api}/plugins/multi/versions/1.0.0/download`)).status, 200);
    // B writes its counts once a second (batched, docs/private-marketplace.md): A sees them after that.
    let seen = downloads;
    for (const end = Date.now() + 15_000; seen !== downloads + 1 && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 100));
      seen = Plugin.parse((await getJson(`${a.api}/plugins/multi`)).body).downloads;
    }
    assert.equal(seen, downloads + 1);
  });

  test('four concurrent publishes of one version over both: one 201, three 409', async () => {
    const attempts = [0, 1, 2, 3].map((i) => {
      const wheel = wheelFor('contended', '1.0.0', { summary: `attempt ${i}` });
      return publish((i % 2 === 0 ? a : b).api, 'contended', metadataFor('contended', '1.0.0', [wheel]), [wheel], token);
    });
    const statuses = (await Promise.all(attempts)).map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409]);
    const versions = (await getJson(`${b.api}/plugins/contended/versions`)).body;
    assert.deepEqual(versions.versions, ['1.0.0']);
    assert.equal(versions.releases[0].files.length, 1);
  });

  test('an API token created through one instance works on the other; a revoked one on neither', async () => {
    const t2 = await b.m.createToken('bob');
    const wheel = wheelFor('bobs', '1.0.0');
    assert.equal((await publish(a.api, 'bobs', metadataFor('bobs', '1.0.0', [wheel]), [wheel], t2)).status, 201);
    const id = (await a.m.store.listTokens()).find((t) => t.owner === 'bob')!.id;
    assert.ok(await b.m.store.revokeToken(id));
    const w2 = wheelFor('bobs', '1.1.0');
    assert.equal((await publish(a.api, 'bobs', metadataFor('bobs', '1.1.0', [w2]), [w2], t2)).status, 401);
  });
});

/** Two instances on a fresh database, both limited to `limit` a minute, started clear of a window boundary; closed after. */
async function twoLimited(limit: number, run: (a: Instance, b: Instance) => Promise<void>): Promise<void> {
  const dirs: string[] = [];
  const url = await (await sharedCluster()).createDatabase();
  const rateLimit = { limit, windowSeconds: 60 };
  const a = await instance(url, dirs, { rateLimit });
  const b = await instance(url, dirs, { rateLimit });
  try {
    // A window boundary inside the run would start a new count: stay clear of one.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 50));
    await run(a, b);
  } finally {
    await a.m.close();
    await b.m.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

describe('the rate limit of two instances on one PostgreSQL', { skip: SKIP }, () => {
  test('N per minute holds for the pair, not N each', async () => {
    await twoLimited(7, async (a, b) => {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${(i % 2 ? b : a).api}/fapilog/versions`)).status);
      assert.equal(statuses.filter((s) => s === 200).length, 7, statuses.join(' '));
      assert.equal(statuses.filter((s) => s === 429).length, 13);
      const m = await (await fetch(`${a.url}/metrics`)).text();
      assert.match(m, /^fapilog_rate_limited_total [1-9]/m);
    });
  });
});

describe('the rate limit of two instances under parallel requests', { skip: SKIP }, () => {
  test('requests of one client in flight at once over both instances: N allowed in all, each with its own Remaining', async () => {
    await twoLimited(9, async (a, b) => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const r = await fetch(`${(i % 2 ? b : a).api}/plugins/search?q=x`);
          await r.arrayBuffer();
          return { status: r.status, remaining: r.headers.get('x-ratelimit-remaining') };
        }),
      );
      const ok = answers.filter((x) => x.status === 200);
      assert.equal(ok.length, 9, answers.map((x) => x.status).join(' '));
      assert.equal(answers.filter((x) => x.status === 429).length, 21);
      assert.deepEqual(
        ok.map((x) => Number(x.remaining)).sort((p, q) => p - q),
        [0, 1, 2, 3, 4, 5, 6, 7, 8],
      );
    });
  });
});

describe('trusted-publishing state across instances', { skip: SKIP }, () => {
  test('an OIDC token id exchanged through one instance is refused by the other; its session works on both', async () => {
    const url = await (await sharedCluster()).createDatabase();
    const { openStore } = await import('../../server/store/index.ts');
    const { Publishers } = await import('../../server/publishers.ts');
    const a = await openStore({ databaseUrl: url });
    const b = await openStore({ databaseUrl: url });
    try {
      const provenance = {
        kind: 'trusted' as const,
        issuer: 'https://issuer.example',
        repository: 'acme/x',
        repository_id: '1',
        repository_owner_id: '2',
        workflow_ref: 'acme/x/.github/workflows/release.yml@refs/tags/v1',
        ref: 'refs/tags/v1',
        sha: 'a'.repeat(40),
        environment: null,
      };
      const parsed = (await import('../../src/core/marketplace/schemas.ts')).TrustedProvenance.safeParse(provenance);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      const args = {
        issuer: 'https://issuer.example',
        jti: 'jti-1',
        jtiExpiresAt: 2_000_000_000,
        grants: [{ package: 'fapilog-x', owner: 'acme' }],
        provenance: parsed.data,
        nowSeconds: 1_900_000_000,
      };
      const opened = await new Publishers(a).openSession(args);
      await assert.rejects(new Publishers(b).openSession(args), /was already exchanged/);
      const seen = await new Publishers(b).session(opened.token);
      assert.deepEqual(seen?.grants, args.grants, 'a session opened through one instance is found by the other');
      // Racing exchanges of one token through both: exactly one wins.
      const race = await Promise.allSettled([
        new Publishers(a).openSession({ ...args, jti: 'jti-2' }),
        new Publishers(b).openSession({ ...args, jti: 'jti-2' }),
      ]);
      assert.deepEqual(race.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
