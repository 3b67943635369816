/** The per-plugin file reads use the files(release_id) index, also in data dirs made before it existed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_QUERIES, Store } from '../../server/store.ts';
import { readCatalog, seedStore } from '../../server/seed.ts';
import { CATALOG_FILE } from '../helpers/server.ts';

function planOf(store: Store, sql: string): string[] {
  return store.db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(1)
    .map((r) => String(r['detail']));
}

function assertUsesIndex(store: Store): void {
  assert.ok(Object.keys(FILE_QUERIES).length > 0, 'FILE_QUERIES lists the per-plugin file queries');
  for (const [name, sql] of Object.entries(FILE_QUERIES)) {
    const plan = planOf(store, sql);
    assert.ok(
      plan.some((d) => /^SEARCH f USING (COVERING )?INDEX files_release_id \(release_id=\?\)$/.test(d)),
      `${name} looks files up by release_id:\n${plan.join('\n')}`,
    );
    assert.ok(!plan.some((d) => /^SCAN f\b/.test(d)), `${name} does not scan files:\n${plan.join('\n')}`);
  }
}

test('per-plugin file queries search files by the release_id index, not a scan', (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-indexes-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = new Store(dataDir);
  try {
    seedStore(store, readCatalog(CATALOG_FILE));
    assertUsesIndex(store);
  } finally {
    store.close();
  }
});

test('a data dir created without the index gets it when the store opens', (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-indexes-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const old = new Store(dataDir);
  seedStore(old, readCatalog(CATALOG_FILE));
  old.db.exec('DROP INDEX IF EXISTS files_release_id');
  assert.match(planOf(old, FILE_QUERIES.ofPlugin).join('\n'), /^SCAN f\b/m, 'without the index the files table is scanned');
  old.close();

  const reopened = new Store(dataDir);
  try {
    assertUsesIndex(reopened);
  } finally {
    reopened.close();
  }
});
