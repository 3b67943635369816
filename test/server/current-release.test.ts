/** Which release a plugin is shown as: dev releases count as pre-releases, post releases as finals (PEP 440). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store, currentRelease, sha256Hex } from '../../server/store.ts';
import { wheelFor } from './util.ts';

function publishAll(store: Store, name: string, versions: string[]): void {
  for (const version of versions) {
    const wheel = wheelFor(name, version);
    store.publish('alice', {
      package: `fapilog-${name}`,
      version,
      description: name,
      author: 'Alice',
      plugin_type: 'sink',
      license: 'MIT',
      homepage: null,
      repository: null,
      fapilog_compatibility: '>=0.14',
      requires_python: null,
      dependencies: [],
      readme: '',
      files: [{ filename: wheel.filename, sha256: sha256Hex(wheel.data), data: wheel.data }],
    });
  }
}

test('the current release is the newest non-yanked final; dev and rc releases are not finals', (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-current-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = new Store(dataDir);
  t.after(() => store.close());

  publishAll(store, 'mixed', ['1.0.0', '1.0.0.post1', '1.1.0.dev1', '1.1.0a1.dev2', '1.1.0rc1']);
  const mixed = () => currentRelease(store.record('fapilog-mixed')!).row.version;
  assert.equal(mixed(), '1.0.0.post1');
  store.yank(store.record('fapilog-mixed')!.releases.find((r) => r.row.version === '1.0.0.post1')!.row.id, 'broken');
  assert.equal(mixed(), '1.0.0');

  publishAll(store, 'early', ['2.0.0.dev1', '2.0.0b1']);
  assert.equal(currentRelease(store.record('fapilog-early')!).row.version, '2.0.0b1', 'no final: the newest non-yanked');
});
