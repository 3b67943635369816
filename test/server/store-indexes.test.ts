/** The per-plugin file reads use the files(release_id) index, also in data dirs made before it existed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FILE_QUERIES, openStore, type Store } from '../../server/store/index.ts';
import { readCatalog, seedStore } from '../../server/seed.ts';
import { CATALOG_FILE } from '../helpers/server.ts';

function planOf(store: Store, sql: string): string[] {
  return store
    .sqlite!.writer.db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
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

test('per-plugin file queries search files by the release_id index, not a scan', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-indexes-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = await openStore({ dataDir });
  try {
    await seedStore(store, readCatalog(CATALOG_FILE));
    assertUsesIndex(store);
  } finally {
    await store.close();
  }
});

test('a data dir created before numbered migrations, without the index, gets it when the store opens', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-indexes-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const old = await openStore({ dataDir });
  await seedStore(old, readCatalog(CATALOG_FILE));
  // As such a data dir was: no index, no migration records.
  old.sqlite!.exec('DROP INDEX IF EXISTS files_release_id; DROP TABLE schema_migrations');
  assert.match(planOf(old, FILE_QUERIES.ofPlugin).join('\n'), /^SCAN f\b/m, 'without the index the files table is scanned');
  await old.close();

  const reopened = await openStore({ dataDir });
  try {
    assertUsesIndex(reopened);
    assert.equal((await reopened.record('fapilog-loki'))?.row.package, 'fapilog-loki', 'its data is all there');
  } finally {
    await reopened.close();
  }
});
