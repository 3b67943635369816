import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace } from '../../server/index.ts';
import { ErrorBody, Plugin } from '../../src/core/marketplace/schemas.ts';
import { getJson, metadataFor, publish, wheelFor } from './util.ts';

test('a publish that fails mid-way leaves no half-release, and leftovers are removed at start', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-recovery-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  let m = await createMarketplace({ dataDir });
  let url = await m.listen(0, '127.0.0.1');
  const token = await m.createToken('alice');
  const v1 = wheelFor('crashy', '1.0.0');
  assert.equal((await publish(`${url}/api/v1`, 'crashy', metadataFor('crashy', '1.0.0', [v1]), [v1], token)).status, 201);

  // Make the final rename fail: a directory sits where 1.1.0's wheel must go.
  const v2 = wheelFor('crashy', '1.1.0');
  const pkgDir = path.join(dataDir, 'files', 'fapilog-crashy');
  fs.mkdirSync(path.join(pkgDir, v2.filename, 'blocker'), { recursive: true });
  const failed = await publish(`${url}/api/v1`, 'crashy', metadataFor('crashy', '1.1.0', [v2]), [v2], token);
  assert.equal(failed.status, 500);
  assert.equal(ErrorBody.parse(failed.body).error.code, 'internal');
  assert.ok(failed.headers.get('x-ratelimit-limit'), 'a 500 carries the rate-limit headers too');
  assert.ok(!JSON.stringify(failed.body).includes(dataDir), 'no internal paths leak');
  assert.equal((await getJson(`${url}/api/v1/plugins/crashy/versions/1.1.0`)).status, 404, 'no row for the failed release');
  assert.equal(Plugin.parse((await getJson(`${url}/api/v1/plugins/crashy`)).body).version, '1.0.0');
  assert.deepEqual(
    fs.readdirSync(pkgDir).filter((n) => n.startsWith('.tmp-')),
    [],
    'temp files removed',
  );
  await m.close();

  // What a crash would leave: a temp file and a renamed file whose row never committed.
  fs.rmSync(path.join(pkgDir, v2.filename), { recursive: true });
  fs.writeFileSync(path.join(pkgDir, '.tmp-deadbeef-fapilog_crashy-1.2.0-py3-none-any.whl'), 'partial');
  fs.writeFileSync(path.join(pkgDir, 'fapilog_crashy-1.2.0-py3-none-any.whl'), 'orphan');
  m = await createMarketplace({ dataDir });
  url = await m.listen(0, '127.0.0.1');
  try {
    assert.deepEqual(fs.readdirSync(pkgDir), [v1.filename]);
    const ok = await publish(`${url}/api/v1`, 'crashy', metadataFor('crashy', '1.1.0', [v2]), [v2], token);
    assert.equal(ok.status, 201, 'the same token still works after a restart; the release can be published now');
  } finally {
    await m.close();
  }
});

test('an upload over the size limit is refused with 413 and stores nothing', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-limit-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const m = await createMarketplace({ dataDir, maxUploadBytes: 4096 });
  const url = await m.listen(0, '127.0.0.1');
  try {
    const token = await m.createToken('alice');
    const big = { filename: 'fapilog_big-1.0.0.tar.gz', data: new Uint8Array(8192).fill(0x1f) };
    const r = await publish(`${url}/api/v1`, 'big', metadataFor('big', '1.0.0', [big]), [big], token);
    assert.equal(r.status, 413);
    assert.equal(ErrorBody.parse(r.body).error.code, 'too_large');
    assert.equal((await getJson(`${url}/api/v1/plugins/big`)).status, 404);
  } finally {
    await m.close();
  }
});
