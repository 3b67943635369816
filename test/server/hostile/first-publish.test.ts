/**
 * Issue 18, class 5: a failed first publish of a new name left an empty files/<pkg>/ behind. Each
 * way a first publish can fail leaves files/ as it was; a publish that succeeds still lands.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { metadataFor, publish, wheelFor } from '../util.ts';

let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer();
  token = await server.createToken('first');
});
after(() => server.stop());

// With files in the database (the PostgreSQL leg) uploads are staged in a temp dir of their own:
// the same checks hold there (nothing is left behind, no package directory appears).
const filesDir = () => server.marketplace.store.filesDir ?? server.marketplace.store.stagingDir();
const listing = () => fs.readdirSync(filesDir()).sort();

describe('a failed first publish of a new name leaves no files/<pkg>/ behind', () => {
  const cases: Array<[string, string, () => { meta: unknown; files: Array<{ filename: string; data: Uint8Array }> }]> = [
    [
      'a checksum that does not match',
      'fresh-a',
      () => {
        const w = wheelFor('fresh-a', '1.0.0');
        return { meta: { ...metadataFor('fresh-a', '1.0.0', [w]), files: [{ filename: w.filename, sha256: '0'.repeat(64) }] }, files: [w] };
      },
    ],
    [
      'metadata that is not valid',
      'fresh-b',
      () => {
        const w = wheelFor('fresh-b', '1.0.0');
        return { meta: { ...metadataFor('fresh-b', '1.0.0', [w]), version: 'not a version' }, files: [w] };
      },
    ],
    [
      'a file the metadata does not list',
      'fresh-c',
      () => {
        const w = wheelFor('fresh-c', '1.0.0');
        return { meta: { ...metadataFor('fresh-c', '1.0.0', []) }, files: [w] };
      },
    ],
    [
      'a file that is not an archive',
      'fresh-d',
      () => {
        const bad = { filename: 'fapilog_fresh_d-1.0.0.tar.gz', data: new TextEncoder().encode('plain text') };
        return { meta: metadataFor('fresh-d', '1.0.0', [bad]), files: [bad] };
      },
    ],
  ];
  for (const [what, name, make] of cases) {
    test(what, async () => {
      const before = listing();
      const { meta, files } = make();
      const r = await publish(server.apiUrl, name, meta, files, token);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.deepEqual(listing(), before, 'files/ changed');
      assert.equal(fs.existsSync(path.join(filesDir(), `fapilog-${name}`)), false);
    });
  }

  test('a publish that succeeds lands its files in files/<pkg>/ (and nothing is left beside it)', async () => {
    const w = wheelFor('fresh-ok', '1.0.0');
    const r = await publish(server.apiUrl, 'fresh-ok', metadataFor('fresh-ok', '1.0.0', [w]), [w], token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    if (server.marketplace.store.filesDir) assert.deepEqual(fs.readdirSync(path.join(filesDir(), 'fapilog-fresh-ok')), [w.filename]);
    else assert.ok(await server.marketplace.store.file('fapilog-fresh-ok', w.filename), 'stored in the database');
    assert.deepEqual(
      listing().filter((n) => n.startsWith('.')),
      [],
      'no staged temp file is left',
    );
  });
});
