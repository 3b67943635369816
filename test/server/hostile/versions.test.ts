/**
 * Issue 13, defect 2: a version with numbers beyond what a double holds exactly used to be
 * stored rounded (`1.111111111111111e+29`), after which every read of the list was a 500, and
 * 22-digit path segments were 500s. Now every such version is refused (400 / exit 2) and nothing
 * is stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { ErrorBody, FapilogVersions } from '../../../src/core/marketplace/schemas.ts';
import { checkSpecifierBounds, checkVersionBounds, MAX_VERSION_NUMBER } from '../../../src/core/pep440/limits.ts';
import { getJson, metadataFor, publish, wheelFor } from '../util.ts';

const THIRTY = `1.${'1'.repeat(30)}`;
const TWENTY_TWO = `1.${'2'.repeat(22)}`;
const ABOVE_2_53 = String(BigInt(MAX_VERSION_NUMBER) + 2n); // 9007199254740993: a double rounds it to ...992

describe('PEP 440 bounds (pure)', () => {
  test('numbers up to 2^53-1 pass, anything larger is named', () => {
    assert.equal(checkVersionBounds(`1.${MAX_VERSION_NUMBER}`), null);
    assert.equal(checkVersionBounds('1.0000000000000000000000001'), null, 'leading zeros do not make a number big');
    assert.match(checkVersionBounds(THIRTY) ?? '', /above 9007199254740991/);
    assert.match(checkVersionBounds(ABOVE_2_53) ?? '', /9007199254740993/);
    assert.match(checkVersionBounds('1'.repeat(65)) ?? '', /longer than 64/);
    assert.match(checkSpecifierBounds(`>=1,<${ABOVE_2_53}`) ?? '', /above/);
    assert.equal(checkSpecifierBounds('>=0.14,<0.17,!=0.15.2'), null);
  });
});

describe('admin fapilog-versions', () => {
  test('a 30-digit part is refused with exit 2, and nothing at all is stored', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-versions-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const ok = await runCli(['admin', 'fapilog-versions', '0.16.0', '--data-dir', dir]);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = await runCli(['admin', 'fapilog-versions', '0.17.0', THIRTY, '--data-dir', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /nothing stored/);
    assert.match(bad.stderr, /above 9007199254740991/);
    const list = await runCli(['admin', 'fapilog-versions', '--data-dir', dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n'), ['0.16.0'], 'the good version of the refused call was not stored either');
  });
});

describe('server', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer({ seed: true });
    token = await server.createToken('alice');
  });
  after(() => server.stop());

  test('version path segments with 22- and 30-digit parts are 400, not 500', async () => {
    for (const v of [TWENTY_TWO, THIRTY, ABOVE_2_53, `${ABOVE_2_53}!1.0`]) {
      for (const suffix of ['', '/download']) {
        const r = await getJson(`${server.apiUrl}/plugins/loki/versions/${encodeURIComponent(v)}${suffix}`);
        assert.equal(r.status, 400, `${v}${suffix}: ${JSON.stringify(r.body)}`);
        assert.equal(ErrorBody.parse(r.body).error.code, 'invalid_version');
      }
    }
  });

  test('a published version above 2^53 is refused and nothing is stored', async () => {
    const neighbour = String(BigInt(MAX_VERSION_NUMBER) + 1n);
    for (const v of [ABOVE_2_53, neighbour]) {
      const wheel = wheelFor('big-numbers', v);
      const r = await publish(server.apiUrl, 'big-numbers', metadataFor('big-numbers', v, [wheel]), [wheel], token);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(ErrorBody.parse(r.body).error.message, /above 9007199254740991/);
    }
    assert.equal((await getJson(`${server.apiUrl}/plugins/big-numbers`)).status, 404);
    const dir = path.join(server.dataDir, 'files', 'fapilog-big-numbers');
    assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir) : [], []);
  });

  test('a specifier with a huge number is refused at publish', async () => {
    const wheel = wheelFor('big-spec', '1.0.0');
    const r = await publish(
      server.apiUrl,
      'big-spec',
      metadataFor('big-spec', '1.0.0', [wheel], { fapilog_compatibility: `>=0.${'9'.repeat(20)}` }),
      [wheel],
      token,
    );
    assert.equal(r.status, 400);
    assert.match(ErrorBody.parse(r.body).error.message, /fapilog_compatibility/);
  });

  test('a row stored by an older server with a rounded version does not turn reads into 500s', async () => {
    await server.marketplace.store.transaction((tx) =>
      tx.run('INSERT INTO fapilog_versions (version) VALUES (?)', '1.111111111111111e+29'),
    );
    const r = await getJson(`${server.apiUrl}/fapilog/versions`);
    assert.equal(r.status, 200);
    const versions = FapilogVersions.parse(r.body).versions;
    assert.ok(versions.includes('0.16.0'));
    assert.equal(versions[0], '1.111111111111111e+29', 'the unreadable row sorts first instead of failing the list');
  });
});
