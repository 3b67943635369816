/**
 * Trust signals end to end (runs on both stores): an OSV advisory imported from a file with
 * `admin advisory import` makes `outdated` show `vulnerable` and exit 1, `update` moves the pin to
 * the first unaffected compatible release, the Action fails with its default inputs, and the
 * per-fapilog index leaves the affected release out; with an affected release as the only
 * compatible one the note says so and nothing is proposed. The API's advisory and deprecation
 * routes (who may write, errors naming the field); a deprecated plugin with a replacement: the
 * API, `outdated`, `info`, `search` and the web page's badge.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { AdvisoryList, AdvisorySaved, ErrorBody, Plugin, VersionsResponse } from '../../src/core/marketplace/schemas.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { annotationLines, runAction } from '../action/harness.ts';
import { fapilogIndexFiles, getJson, metadataFor, publish, wheelFor } from './util.ts';

let server: TestServer;
let owner: string;
let stranger: string;
let admin: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-advisories-'));

const RANGE = '>=0.14,<0.20';
const RELEASES: Array<[string, string, string]> = [
  ['guard', '1.0.0', RANGE],
  ['guard', '1.1.0', RANGE],
  ['guard', '1.2.0', RANGE],
  ['guard', '1.3.0', '>=0.18'],
  ['lone', '1.0.0', RANGE],
  ['lone', '2.0.0', '>=0.18'],
  ['old', '1.0.0', RANGE],
  ['newer', '1.0.0', RANGE],
];

const OSV = {
  schema_version: '1.6.0',
  id: 'GHSA-gw4r-5fx9-4vq8',
  aliases: ['CVE-2026-41234'],
  modified: '2026-12-01T10:00:00Z',
  published: '2026-12-01T10:00:00Z',
  summary: 'Bearer tokens written to the log <b>unredacted</b>',
  details: 'fapilog-guard 1.1.x formats request headers as they are.',
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'fapilog-guard' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.1.0' }, { fixed: '1.2.0' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-gw4r-5fx9-4vq8' }],
  database_specific: { ignored: true },
};
const LONE = {
  id: 'PYSEC-2026-7',
  modified: '2026-12-02T00:00:00+00:00',
  summary: 'Crashes on empty events',
  affected: [{ package: { name: 'fapilog_Lone' }, versions: ['1.0.0'] }],
};

before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('guard-team');
  stranger = await server.createToken('someone-else');
  admin = await server.createAdminToken('ops');
  for (const [name, version, compat] of RELEASES) {
    const wheel = wheelFor(name, version, { compat });
    const r = await publish(server.apiUrl, name, metadataFor(name, version, [wheel], { fapilog_compatibility: compat }), [wheel], owner);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const storeFlags = () => (server.databaseUrl ? ['--database-url', server.databaseUrl] : ['--data-dir', server.dataDir]);
const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(argv, {
    cwd: tmp,
    env: { FAPILOG_MARKETPLACE_URL: server.apiUrl, FAPILOG_MARKETPLACE_CACHE: path.join(tmp, `cache-${Math.random()}`), ...env },
  });
function project(name: string, requirements: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'requirements.txt'), requirements);
  return dir;
}
function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}
const post = (body: unknown, token?: string) =>
  getJson(`${server.apiUrl}/advisories`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
const indexFiles = (fapilog: string, pkg: string) => fapilogIndexFiles(server.url, fapilog, pkg);

describe('admin advisory import', () => {
  test('a bad file is refused naming the field, and nothing is stored', async () => {
    const bad = writeJson('bad.json', [
      LONE,
      { ...OSV, affected: [{ package: { name: 'fapilog-guard' }, ranges: [{ type: 'GIT', events: [] }] }] },
    ]);
    const r = await cli(['admin', 'advisory', 'import', bad, ...storeFlags()]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /^error: .*bad\.json: \[1\]\.affected\[0\]\.ranges\[0\]\.type: only ECOSYSTEM ranges \(PEP 440 versions\) are read; nothing stored$/m,
    );
    const unknown = writeJson('unknown.json', { ...OSV, affected: [{ ...OSV.affected[0], package: { name: 'fapilog-nowhere' } }] });
    const u = await cli(['admin', 'advisory', 'import', unknown, ...storeFlags()]);
    assert.match(u.stderr, /affected\[0\]\.package\.name: fapilog-nowhere is not a plugin of this marketplace; nothing stored/);
    const version = writeJson('version.json', { ...LONE, affected: [{ package: { name: 'fapilog-lone' }, versions: ['one'] }] });
    assert.match(
      (await cli(['admin', 'advisory', 'import', version, ...storeFlags()])).stderr,
      /affected\[0\]\.versions\[0\]: a PEP 440 version/,
    );
    assert.deepEqual(AdvisoryList.parse((await getJson(`${server.apiUrl}/advisories`)).body).advisories, []);
  });

  test('imports one record; the API lists it and the releases carry it; importing again changes nothing', async () => {
    const file = writeJson('GHSA-gw4r-5fx9-4vq8.json', OSV);
    const r = await cli(['admin', 'advisory', 'import', file, ...storeFlags()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'GHSA-gw4r-5fx9-4vq8: created (fapilog-guard)\n');
    assert.equal(
      (await cli(['admin', 'advisory', 'import', file, ...storeFlags()])).stdout,
      'GHSA-gw4r-5fx9-4vq8: unchanged (fapilog-guard)\n',
    );

    const listed = AdvisoryList.parse((await getJson(`${server.apiUrl}/plugins/guard/advisories`)).body).advisories;
    assert.deepEqual(
      listed.map((a) => a.id),
      ['GHSA-gw4r-5fx9-4vq8'],
    );
    assert.equal(listed[0]!.summary, OSV.summary);
    assert.equal('database_specific' in listed[0]!, false, 'fields we do not read are not kept');
    assert.deepEqual(AdvisoryList.parse((await getJson(`${server.apiUrl}/advisories?plugin=fapilog-guard`)).body).advisories, listed);
    assert.equal((await getJson(`${server.apiUrl}/advisories?plugin=nowhere`)).status, 404);

    const versions = VersionsResponse.parse((await getJson(`${server.apiUrl}/plugins/guard/versions`)).body);
    assert.deepEqual(
      versions.releases.map((x) => [x.version, (x.advisories ?? []).map((a) => a.id)]),
      [
        ['1.0.0', []],
        ['1.1.0', ['GHSA-gw4r-5fx9-4vq8']],
        ['1.2.0', []],
        ['1.3.0', []],
      ],
    );
    assert.deepEqual(versions.releases[1]!.advisories, [{ id: OSV.id, summary: OSV.summary, aliases: OSV.aliases }]);
  });

  test('the per-fapilog index leaves the affected release out', async () => {
    assert.deepEqual(await indexFiles('0.16.0', 'fapilog-guard'), [
      'fapilog_guard-1.0.0-py3-none-any.whl',
      'fapilog_guard-1.2.0-py3-none-any.whl',
    ]);
    assert.equal((await indexFiles('0.18.0', 'fapilog-guard')).length, 3, 'fapilog 0.18: 1.0.0, 1.2.0 and 1.3.0');
  });
});

describe('the check', () => {
  test('outdated shows vulnerable for the affected pin and exits 1 (even at --fail-on incompatible)', async () => {
    const dir = project('svc', 'fapilog==0.16.0\nfapilog-guard==1.1.0\n');
    const json = await cli(['--json', 'outdated', dir]);
    assert.equal(json.code, 1, json.stderr);
    const entry = Report.parse(JSON.parse(json.stdout)).plugins[0]!;
    assert.equal(entry.status, 'vulnerable');
    assert.equal(entry.latestCompatible, '1.2.0');
    assert.deepEqual(
      entry.advisories?.map((a) => a.id),
      [OSV.id],
    );
    const table = await cli(['outdated', dir, '--fail-on', 'incompatible']);
    assert.equal(table.code, 1);
    assert.match(
      table.stdout,
      /^fapilog-guard\s+requirements\.txt:2\s+1\.1\.0\s+1\.2\.0\s+1\.3\.0\s+vulnerable\s+1\.1\.0 is affected by GHSA-gw4r-5fx9-4vq8/m,
    );
    assert.match(table.stdout, /1 plugin dependency: 1 vulnerable/);
    assert.equal((await cli(['outdated', dir, '--fail-on', 'never'])).code, 0);
  });

  test('update moves the pin to the first unaffected compatible release', async () => {
    const dir = project('svc-update', 'fapilog==0.16.0\nfapilog-guard==1.1.0\n');
    const r = await cli(['update', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'), 'fapilog==0.16.0\nfapilog-guard==1.2.0\n');
    const again = await cli(['--json', 'outdated', dir]);
    assert.equal(Report.parse(JSON.parse(again.stdout)).plugins[0]?.status, 'held-back', '1.3.0 needs fapilog 0.18');
  });

  test('an affected release as the only compatible one: the note says so and nothing is proposed', async () => {
    const file = writeJson('lone.json', [LONE]);
    assert.equal((await cli(['admin', 'advisory', 'import', file, ...storeFlags()])).stdout, 'PYSEC-2026-7: created (fapilog-lone)\n');
    const dir = project('svc-lone', 'fapilog==0.16.0\nfapilog-lone==1.0.0\n');
    const json = await cli(['--json', 'outdated', dir]);
    assert.equal(json.code, 1);
    const entry = Report.parse(JSON.parse(json.stdout)).plugins[0]!;
    assert.equal(entry.status, 'vulnerable');
    assert.equal(entry.latestCompatible, null);
    assert.equal(
      entry.note,
      '1.0.0 is affected by PYSEC-2026-7 (Crashes on empty events); ' +
        'it is the only release that works with fapilog 0.16.0, so nothing is proposed.',
    );
    const before = fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8');
    const r = await cli(['update', dir]);
    assert.equal(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'), before, 'nothing proposed, nothing written');
    assert.match(r.stdout + r.stderr, /it is the only release that works with fapilog 0\.16\.0, so nothing is proposed/);
  });

  test('the Action fails with its default inputs; the annotation is an error; the summary names the advisory', async () => {
    const ws = fs.mkdtempSync(path.join(tmp, 'ws-'));
    fs.mkdirSync(path.join(ws, 'app'));
    fs.writeFileSync(path.join(ws, 'app', 'requirements.txt'), 'fapilog==0.16.0\nfapilog-guard==1.1.0\n');
    const run = await runAction({
      workspace: ws,
      inputs: { path: 'app', 'marketplace-url': server.apiUrl, 'cache-dir': path.join(tmp, 'action-cache') },
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.outputs['vulnerable-count'], '1');
    assert.equal(run.outputs['has-problems'], 'true');
    const errors = annotationLines(run.stdout).filter((a) => a.level === 'error' && a.props['file'] === 'app/requirements.txt');
    assert.equal(errors[0]?.props['title'], 'fapilog-guard 1.1.0 is affected by GHSA-gw4r-5fx9-4vq8');
    assert.match(run.summary, /> \[!CAUTION\]/);
    // Untrusted text is escaped in the Markdown summary.
    assert.match(
      run.summary,
      /`GHSA-gw4r-5fx9-4vq8` Bearer tokens written to the log (&lt;b&gt;unredacted&lt;\/b&gt;|\\<b\\>unredacted\\<\/b\\>)/,
    );
  });
});

describe('POST /advisories', () => {
  const record = (extra: object = {}) => ({ ...OSV, id: 'GHSA-aaaa-bbbb-cccc', modified: '2026-12-03T00:00:00Z', ...extra });
  test('only the owner of every plugin named, or an admin token; a bad field is a 400 naming it', async () => {
    assert.equal((await post(record())).status, 401);
    const foreign = await post(record(), stranger);
    assert.equal(foreign.status, 403);
    assert.match(ErrorBody.parse(foreign.body).error.message, /only the owner of fapilog-guard \(or an admin token\)/);
    const bad = await post(
      record({ affected: [{ package: { name: 'fapilog-guard' }, ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: 'x' }] }] }] }),
      owner,
    );
    assert.equal(bad.status, 400);
    assert.equal(ErrorBody.parse(bad.body).error.message, 'affected[0].ranges[0].events[0].fixed: a PEP 440 version');
    const created = await post(record(), owner);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(AdvisorySaved.parse(created.body).plugins, ['fapilog-guard']);
    const older = await post(record({ modified: '2026-12-02T00:00:00Z', summary: 'stale copy' }), admin);
    assert.equal(AdvisorySaved.parse(older.body).status, 'unchanged', 'an older copy does not replace a newer one');
    const withdrawn = await post(record({ modified: '2026-12-04T00:00:00Z', withdrawn: '2026-12-04T00:00:00Z' }), admin);
    assert.equal(AdvisorySaved.parse(withdrawn.body).status, 'updated');
    const v = VersionsResponse.parse((await getJson(`${server.apiUrl}/plugins/guard/versions`)).body);
    assert.deepEqual(
      v.releases[1]!.advisories?.map((a) => a.id),
      [OSV.id],
      'a withdrawn record affects nothing',
    );
  });
});

describe('deprecation', () => {
  const put = (name: string, body: unknown, token?: string) =>
    getJson(`${server.apiUrl}/plugins/${name}/deprecation`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });

  test('the API: owner or admin, a reason required; archived takes no new release; DELETE undoes it', async () => {
    assert.equal((await put('old', { reason: 'x' })).status, 401);
    assert.equal((await put('old', { reason: 'x' }, stranger)).status, 403);
    assert.match(ErrorBody.parse((await put('old', {}, owner)).body).error.message, /^reason: /);
    assert.match(
      ErrorBody.parse((await put('old', { reason: 'x', replacement: 'fapilog-old' }, owner)).body).error.message,
      /cannot replace itself/,
    );
    const archived = await put('old', { state: 'archived', reason: 'Read-only now.' }, admin);
    assert.equal(archived.status, 200);
    assert.equal(Plugin.parse(archived.body).deprecation?.state, 'archived');
    const wheel = wheelFor('old', '1.1.0', { compat: RANGE });
    const refused = await publish(
      server.apiUrl,
      'old',
      metadataFor('old', '1.1.0', [wheel], { fapilog_compatibility: RANGE }),
      [wheel],
      owner,
    );
    assert.equal(refused.status, 409);
    assert.equal(ErrorBody.parse(refused.body).error.code, 'archived');
    const undone = await getJson(`${server.apiUrl}/plugins/old/deprecation`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${owner}` },
    });
    assert.equal(undone.status, 200);
    assert.equal(Plugin.parse(undone.body).deprecation, undefined);
  });

  test('deprecated with a replacement: outdated names it, info and search show it, the web page shows the badge', async () => {
    const set = await cli(['deprecate', 'old', '--reason', 'Unmaintained since fapilog 0.17.', '--replacement', 'fapilog-newer'], {
      FAPILOG_MARKETPLACE_TOKEN: owner,
    });
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, 'fapilog-old is deprecated (Unmaintained since fapilog 0.17); use fapilog-newer instead.\n');

    const dir = project('svc-old', 'fapilog==0.16.0\nfapilog-old==1.0.0\n');
    const out = await cli(['--json', 'outdated', dir]);
    const entry = Report.parse(JSON.parse(out.stdout)).plugins[0]!;
    assert.equal(entry.status, 'up-to-date');
    assert.equal(entry.deprecation?.replacement, 'fapilog-newer');
    assert.match(entry.note, /fapilog-old is deprecated \(Unmaintained since fapilog 0\.17\); use fapilog-newer instead\.$/);
    assert.match((await cli(['outdated', dir])).stdout, /use fapilog-newer instead/);

    const info = await cli(['info', 'old']);
    assert.match(info.stdout, /^old 1\.0\.0 {2}\(fapilog-old\) {2}deprecated$/m);
    assert.match(info.stdout, /Deprecated\s+Unmaintained since fapilog 0\.17\.; use fapilog-newer instead \(since \d{4}-\d\d-\d\d\)/);
    assert.match((await cli(['search', 'old'])).stdout, /\[deprecated: use fapilog-newer\] Test plugin old/);

    const page = await (await fetch(`${server.url}/plugins/old`)).text();
    assert.match(page, /<span class="badge deprecated" data-deprecation="deprecated">deprecated<\/span>/);
    assert.match(page, /<a href="\/plugins\/fapilog-newer" data-replacement="fapilog-newer">fapilog-newer<\/a> instead\./);
  });

  test('the web page shows the advisory, escaped, and the install line skips the affected release', async () => {
    const page = await (await fetch(`${server.url}/plugins/guard?fapilog=0.16.0`)).text();
    assert.match(
      page,
      /<strong>GHSA-gw4r-5fx9-4vq8<\/strong> <span class="meta">\(CVE-2026-41234\)<\/span>: Bearer .* &lt;b&gt;unredacted&lt;\/b&gt;/,
    );
    assert.match(page, /Affects: 1\.1\.0/);
    assert.match(page, /<th scope="row">1\.1\.0 <span class="badge vulnerable"/);
    assert.match(page, /id="install-version">1\.2\.0</);
    // /fapilog/0.16.0 lists the plugins that work with it: lone's only such release is affected.
    const byFapilog = await (await fetch(`${server.url}/fapilog/0.16.0`)).text();
    assert.match(byFapilog, /fapilog-guard/);
    assert.doesNotMatch(byFapilog, /fapilog-lone/);
    const info = await cli(['info', 'guard', '1.1.0']);
    assert.match(info.stdout, /Advisories\s+GHSA-gw4r-5fx9-4vq8 \(Bearer tokens written to the log <b>unredacted<\/b>\)/);
    assert.match(info.stdout, /not recommended: 1\.1\.0 is affected by GHSA-gw4r-5fx9-4vq8; pip install "fapilog-guard==1\.3\.0"/);
  });
});
