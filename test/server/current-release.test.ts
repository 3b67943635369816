/** Which release a plugin is shown as: dev releases count as pre-releases, post releases as finals (PEP 440). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, currentRelease, type Store } from '../../server/store/index.ts';
import { newRelease } from './util.ts';

async function publishAll(store: Store, name: string, versions: string[]): Promise<void> {
  for (const version of versions) await store.publish('alice', newRelease(name, version));
}

test('the current release is the newest non-yanked final; dev and rc releases are not finals', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-current-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = await openStore({ dataDir });
  t.after(() => store.close());

  await publishAll(store, 'mixed', ['1.0.0', '1.0.0.post1', '1.1.0.dev1', '1.1.0a1.dev2', '1.1.0rc1']);
  const mixed = async () => currentRelease((await store.record('fapilog-mixed'))!).row.version;
  assert.equal(await mixed(), '1.0.0.post1');
  await store.yank((await store.record('fapilog-mixed'))!.releases.find((r) => r.row.version === '1.0.0.post1')!.row.id, 'broken');
  assert.equal(await mixed(), '1.0.0');

  await publishAll(store, 'early', ['2.0.0.dev1', '2.0.0b1']);
  assert.equal(currentRelease((await store.record('fapilog-early'))!).row.version, '2.0.0b1', 'no final: the newest non-yanked');
});
