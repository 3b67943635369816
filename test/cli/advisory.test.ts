/**
 * `advisory add` and `advisory list` against the reference server: a plugin's owner publishes OSV
 * records over the API (every record checked before any is sent), sees them listed, and learns
 * which records were stored when one is refused part-way.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdvisoryList } from '../../src/core/marketplace/schemas.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { metadataFor, publish, wheelFor } from '../server/util.ts';

let server: TestServer;
let owner: string;
let stranger: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-advisory-cli-'));

const record = (id: string, pkg: string, fixed: string) => ({
  id,
  modified: '2026-12-01T10:00:00Z',
  summary: `Log injection in ${pkg}`,
  affected: [{ package: { ecosystem: 'PyPI', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
});

function file(name: string, doc: unknown): string {
  const where = path.join(tmp, name);
  fs.writeFileSync(where, JSON.stringify(doc));
  return where;
}

before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('shield-team');
  stranger = await server.createToken('other-team');
  for (const [name, token] of [
    ['shield', owner],
    ['elsewhere', stranger],
  ] as const) {
    for (const version of ['1.0.0', '1.1.0']) {
      const wheel = wheelFor(name, version);
      const r = await publish(server.apiUrl, name, metadataFor(name, version, [wheel]), [wheel], token);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  }
});
after(async () => {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const cli = (args: string[], token?: string) =>
  runCli([...args, '--marketplace-url', server.apiUrl, ...(token ? ['--token', token] : [])], {
    env: { FAPILOG_MARKETPLACE_CACHE: path.join(tmp, 'cache') },
  });

async function listed(plugin: string): Promise<string[]> {
  const r = await cli(['advisory', 'list', plugin, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return AdvisoryList.parse(JSON.parse(r.stdout)).advisories.map((a) => a.id);
}

test('the owner publishes a file of two records; the same file again changes nothing; list shows them', async () => {
  const two = file('two.json', [
    record('GHSA-shld-0001-0001', 'fapilog-shield', '1.1.0'),
    record('PYSEC-2026-91', 'fapilog_Shield', '1.1.0'),
  ]);
  const noToken = await cli(['advisory', 'add', two]);
  assert.notEqual(noToken.code, 0);
  assert.match(noToken.stderr, /publishing an advisory needs the plugin owner's token: pass --token or set FAPILOG_MARKETPLACE_TOKEN/);

  const r = await cli(['advisory', 'add', two], owner);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'GHSA-shld-0001-0001: created (fapilog-shield)\nPYSEC-2026-91: created (fapilog-shield)\n');
  const again = await cli(['advisory', 'add', two], owner);
  assert.equal(again.stdout, 'GHSA-shld-0001-0001: unchanged (fapilog-shield)\nPYSEC-2026-91: unchanged (fapilog-shield)\n');
  assert.deepEqual((await listed('shield')).sort(), ['GHSA-shld-0001-0001', 'PYSEC-2026-91']);

  const text = await cli(['advisory', 'list', 'fapilog-shield']);
  assert.match(text.stdout, /^id\s+modified\s+packages\s+summary\n/);
  assert.match(text.stdout, /^GHSA-shld-0001-0001\s+2026-12-01\s+fapilog-shield\s+Log injection in fapilog-shield$/m);
  const outdated = await cli(['info', 'shield']);
  assert.match(outdated.stdout, /GHSA-shld-0001-0001/, 'info shows what was published');
});

test('a bad record is refused before anything is sent, naming the field', async () => {
  const bad = file('bad.json', {
    advisories: [record('GHSA-shld-0002-0002', 'fapilog-shield', '1.1.0'), { id: 'X-1', modified: 'yesterday' }],
  });
  const r = await cli(['advisory', 'add', bad], owner);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\.json: .*advisories\[1\]\.modified.*; nothing sent/);
  assert.ok(!(await listed('shield')).includes('GHSA-shld-0002-0002'), 'the good record before it was not sent either');
});

test('a record naming a plugin the token does not own is refused; the note names what was stored before it', async () => {
  const mixed = file('mixed.json', [
    record('GHSA-else-0001-0001', 'fapilog-elsewhere', '1.1.0'),
    record('GHSA-shld-0003-0003', 'fapilog-shield', '1.1.0'),
  ]);
  const r = await cli(['advisory', 'add', mixed], stranger);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /mixed\.json: record 2 of 2 \(GHSA-shld-0003-0003\) was refused; stored before it: GHSA-else-0001-0001\n/);
  const refusal = 'error: POST /advisories: only the owner of fapilog-shield (or an admin token) may publish advisories for it';
  assert.ok(r.stderr.endsWith(`\n${refusal} (HTTP 403 forbidden)\n`), r.stderr);
  assert.deepEqual(await listed('elsewhere'), ['GHSA-else-0001-0001']);
  assert.ok(!(await listed('shield')).includes('GHSA-shld-0003-0003'));
  const none = await cli(['advisory', 'list', 'nope']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /nope is not a plugin of this marketplace/);
});
