/**
 * Corrections after publishing: the owner (or an admin token) narrows a release's fapilog range
 * with a reason; every answer uses the corrected range and shows the declared one, when and why:
 * the API, `outdated` (up-to-date turns incompatible with the reason in the note), the bot's next
 * sweep (proposes the corrected target) and the per-fapilog pip index (drops the release).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchResponse, ErrorBody, Plugin, Release, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';
import { withHarness } from '../bot/harness.ts';
import { fapilogIndexFiles, getJson, metadataFor, publish, wheelFor } from './util.ts';

let server: TestServer;
let owner: string;
let stranger: string;
let admin: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-corrections-'));

const DECLARED = '>=0.14,<0.20';
before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('corr-team');
  stranger = await server.createToken('someone-else');
  admin = await server.createAdminToken('ops');
  for (const name of ['corr', 'pinned']) {
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const wheel = wheelFor(name, version, { compat: DECLARED });
      const r = await publish(
        server.apiUrl,
        name,
        metadataFor(name, version, [wheel], { fapilog_compatibility: DECLARED }),
        [wheel],
        owner,
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  }
});
after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function put(name: string, version: string, body: unknown, token?: string) {
  return getJson(`${server.apiUrl}/plugins/${name}/versions/${version}/compatibility`, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

const cli = (argv: string[], cwd = tmp) =>
  runCli(argv, {
    cwd,
    env: { FAPILOG_MARKETPLACE_URL: server.apiUrl, FAPILOG_MARKETPLACE_CACHE: path.join(tmp, `cache-${Math.random()}`) },
  });

const indexFiles = (fapilog: string, pkg: string) => fapilogIndexFiles(server.url, fapilog, pkg);

describe('PUT /plugins/{name}/versions/{version}/compatibility', () => {
  test('only the owner or an admin; a reason and a PEP 440 range are required', async () => {
    const body = { fapilog_compatibility: '>=0.14,<0.17', reason: 'breaks on 0.17' };
    assert.equal((await put('corr', '1.0.0', body)).status, 401);
    const foreign = await put('corr', '1.0.0', body, stranger);
    assert.equal(foreign.status, 403);
    assert.match(ErrorBody.parse(foreign.body).error.message, /only the owner of fapilog-corr \(or an admin token\)/);
    assert.equal((await put('corr', '1.0.0', { fapilog_compatibility: '>=0.14,<0.17' }, owner)).status, 400);
    const bad = await put('corr', '1.0.0', { fapilog_compatibility: 'banana', reason: 'x' }, owner);
    assert.match(ErrorBody.parse(bad.body).error.message, /fapilog_compatibility: not a PEP 440 specifier/);
    assert.equal((await put('corr', '9.9.9', body, owner)).status, 404);
    const ctl = await put('corr', '1.0.0', { fapilog_compatibility: '>=0.14', reason: 'bad\u001b[31m' }, owner);
    assert.equal(ctl.status, 400, 'control characters in the reason are refused');
  });

  test('a range that admits more than the files declare is refused naming a version it adds', async () => {
    for (const [spec, adds] of [
      ['>=0.13,<0.17', /admits fapilog 0\.13/],
      ['>=0.14', /admits fapilog 0\.20/],
      ['>=0.14,<0.20.1', /admits fapilog 0\.20/],
      ['~=0.19.0', /admits fapilog 0\.20|admits fapilog 0\.19\.\d+/],
    ] as const) {
      const r = await put('corr', '1.0.0', { fapilog_compatibility: spec, reason: 'x' }, owner);
      assert.equal(r.status, spec === '~=0.19.0' ? 200 : 400, `${spec}: ${JSON.stringify(r.body)}`);
      if (r.status === 400) {
        const err = ErrorBody.parse(r.body).error;
        assert.equal(err.code, 'not_narrower');
        assert.match(err.message, adds);
        assert.match(err.message, /they declare ">=0\.14,<0\.20"/);
      }
    }
    // ~=0.19.0 is within >=0.14,<0.20: accepted; the declared range again removes the correction.
    const back = await put('corr', '1.0.0', { fapilog_compatibility: '<0.20.0, >=0.14', reason: 'undo' }, owner);
    assert.equal(back.status, 200);
    assert.equal(Release.parse(back.body).compatibility_correction, null);
    assert.equal(Release.parse(back.body).fapilog_compatibility, DECLARED);
  });

  test('every API answer uses the corrected range and shows the declared one, when, by whom and why', async () => {
    const r = await put('corr', '1.2.0', { fapilog_compatibility: '<0.17,>=0.14', reason: 'the 0.17 sink API drops flush()' }, owner);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const rel = Release.parse(r.body);
    assert.equal(rel.fapilog_compatibility, '>=0.14,<0.17');
    assert.equal(rel.compatibility_correction?.declared, DECLARED);
    assert.equal(rel.compatibility_correction?.reason, 'the 0.17 sink API drops flush()');
    assert.equal(rel.compatibility_correction?.corrected_by, 'corr-team');
    assert.ok(Date.now() - Date.parse(rel.compatibility_correction!.corrected_at) < 60_000);

    const one = Release.parse((await getJson(`${server.apiUrl}/plugins/corr/versions/1.2.0`)).body);
    assert.deepEqual(one.compatibility_correction, rel.compatibility_correction);
    const versions = VersionsResponse.parse((await getJson(`${server.apiUrl}/plugins/corr/versions`)).body);
    assert.deepEqual(
      versions.releases.map((x) => x.fapilog_compatibility),
      [DECLARED, DECLARED, '>=0.14,<0.17'],
    );
    const batch = BatchResponse.parse((await getJson(`${server.apiUrl}/plugins/batch?names=corr`)).body);
    assert.equal(batch.plugins['corr']!.plugin.fapilog_compatibility, '>=0.14,<0.17');
    assert.equal(batch.plugins['corr']!.plugin.compatibility_correction?.reason, 'the 0.17 sink API drops flush()');
    assert.equal(Plugin.parse((await getJson(`${server.apiUrl}/plugins/corr`)).body).fapilog_compatibility, '>=0.14,<0.17');
  });

  test('an admin token may correct any plugin', async () => {
    const r = await put('corr', '1.1.0', { fapilog_compatibility: '>=0.15,<0.20', reason: 'import error on 0.14' }, admin);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(Release.parse(r.body).compatibility_correction?.corrected_by, 'ops');
    assert.equal((await put('corr', '1.1.0', { fapilog_compatibility: DECLARED, reason: 'was fine after all' }, admin)).status, 200);
  });
});

test("a correction turns outdated's up-to-date into incompatible with the reason, and the per-fapilog index drops the release", async () => {
  const project = path.join(tmp, 'svc');
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, 'requirements.txt'), 'fapilog==0.17.0\nfapilog-pinned==1.2.0\n');
  const before = await cli(['--json', 'outdated', project]);
  const entry = (out: string) =>
    (JSON.parse(out).manifests ?? []).flatMap((m: any) => m.plugins ?? m.entries ?? []).find((p: any) => p.package === 'fapilog-pinned') ??
    JSON.parse(out).plugins?.find((p: any) => p.package === 'fapilog-pinned');
  assert.equal(entry(before.stdout)?.status, 'up-to-date', before.stdout);
  assert.deepEqual(await indexFiles('0.17.0', 'fapilog-pinned'), [
    'fapilog_pinned-1.0.0-py3-none-any.whl',
    'fapilog_pinned-1.1.0-py3-none-any.whl',
    'fapilog_pinned-1.2.0-py3-none-any.whl',
  ]);

  const set = await runCli(['compat', 'set', 'pinned', '1.2.0', '>=0.14,<0.17', '--reason', 'the 0.17 sink API drops flush()'], {
    cwd: tmp,
    env: {
      FAPILOG_MARKETPLACE_URL: server.apiUrl,
      FAPILOG_MARKETPLACE_TOKEN: owner,
      FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'cache-set'),
    },
  });
  assert.equal(set.code, 0, set.stderr);
  assert.match(
    set.stdout,
    /^fapilog-pinned 1\.2\.0: fapilog >=0\.14,<0\.17 \(corrected \d{4}-\d\d-\d\d by corr-team: the 0\.17 sink API drops flush\(\); its files declare >=0\.14,<0\.20\)$/m,
  );

  const afterIt = await cli(['--json', 'outdated', project]);
  const e = entry(afterIt.stdout);
  assert.equal(e?.status, 'incompatible', afterIt.stdout);
  assert.match(
    e.note,
    /^1\.2\.0 requires fapilog >=0\.14,<0\.17 \(corrected \d{4}-\d\d-\d\d: the 0\.17 sink API drops flush\(\); declared >=0\.14,<0\.20\) but the project uses 0\.17\.0; move to 1\.1\.0, which works with fapilog 0\.17\.0\.$/,
  );
  const table = await cli(['outdated', project]);
  assert.equal(table.code, 1);
  assert.match(table.stdout, /fapilog-pinned .* incompatible/);

  assert.deepEqual(await indexFiles('0.17.0', 'fapilog-pinned'), [
    'fapilog_pinned-1.0.0-py3-none-any.whl',
    'fapilog_pinned-1.1.0-py3-none-any.whl',
  ]);
  assert.deepEqual((await indexFiles('0.16.0', 'fapilog-pinned')).length, 3, 'fapilog 0.16 still gets it');
  // The web page shows the declared range and the correction, and the matrix cell says so.
  const page = await (await fetch(`${server.url}/plugins/pinned`)).text();
  assert.match(
    page,
    /<code>&gt;=0\.14,&lt;0\.20<\/code><br>corrected: <code>&gt;=0\.14,&lt;0\.17<\/code> \(the 0\.17 sink API drops flush\(\)\)/,
  );
  assert.match(page, /data-fapilog="0\.17\.0" data-cell="corrected-no"/);
});

test("the bot's next sweep proposes the corrected target", async () => {
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    const wheel = wheelFor('swept', version, { compat: DECLARED });
    const r = await publish(
      server.apiUrl,
      'swept',
      metadataFor('swept', version, [wheel], { fapilog_compatibility: DECLARED }),
      [wheel],
      owner,
    );
    assert.equal(r.status, 201);
  }
  await withHarness(server.apiUrl, async (h, inst) => {
    h.peer.addRepo(inst, 'acme/svc', { 'requirements.txt': 'fapilog==0.17.0\nfapilog-swept==1.0.0\n' });
    await h.sweep();
    assert.deepEqual(
      h.peer.pulls('acme/svc').map((p) => p.title),
      ['Update fapilog-swept to 1.2.0'],
    );

    const r = await put('swept', '1.2.0', { fapilog_compatibility: '>=0.14,<0.17', reason: 'the 0.17 sink API drops flush()' }, owner);
    assert.equal(r.status, 200);
    await h.sweep();
    const open = h.peer.pulls('acme/svc').filter((p) => p.state === 'open');
    assert.deepEqual(
      open.map((p) => p.title),
      ['Update fapilog-swept to 1.1.0'],
    );
    assert.equal(
      h.peer.file('acme/svc', 'fapilog-plugins/fapilog-swept', 'requirements.txt')!.toString(),
      'fapilog==0.17.0\nfapilog-swept==1.1.0\n',
    );
  });
});

test('admin export and import carry corrections and admin tokens (SQLite)', {
  skip: process.env['FAPILOG_TEST_DATABASE'] === 'postgres',
}, async () => {
  const r = await put('corr', '1.0.0', { fapilog_compatibility: '>=0.14,<0.18', reason: 'kept across an export' }, owner);
  assert.equal(r.status, 200);
  const dump = path.join(tmp, 'dump');
  const exported = await runCli(['admin', 'export', dump, '--data-dir', server.dataDir], { cwd: tmp });
  assert.equal(exported.code, 0, exported.stderr);
  const target = path.join(tmp, 'restored');
  const imported = await runCli(['admin', 'import', dump, '--data-dir', target, '--create'], { cwd: tmp });
  assert.equal(imported.code, 0, imported.stderr);
  const { openStore, releaseView } = await import('../../server/store/index.ts');
  const store = await openStore({ dataDir: target });
  try {
    const record = (await store.record('fapilog-corr'))!;
    const view = releaseView(record, record.releases.find((x) => x.row.version === '1.0.0')!, 'http://x');
    assert.equal(view.fapilog_compatibility, '>=0.14,<0.18');
    assert.equal(view.compatibility_correction?.reason, 'kept across an export');
    assert.equal((await store.tokenOwner(admin))?.admin, true);
    assert.equal((await store.tokenOwner(owner))?.admin, false);
  } finally {
    await store.close();
  }
});
