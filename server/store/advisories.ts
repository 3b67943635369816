/**
 * The store's advisories and deprecations: OSV records kept whole (JSON), one row per plugin a
 * record names, so a plugin's records load with it in one statement; and a plugin's deprecation as
 * JSON in its row. Records are validated before they get here (server/advisories.ts).
 */
import type { Osv } from '../../src/core/advisories/osv.ts';
import type { Deprecation } from '../../src/core/marketplace/schemas.ts';
import { inList, type Sql } from './db.ts';
import type { Store } from './store.ts';
import { isoTimestamp } from '../time.ts';

interface AdvisoryRow {
  plugin_id: number;
  id: string;
  osv: string;
  modified: string;
}

/** Newest modified first, then by id: the order every list answers in. */
function newestFirst(a: Osv, b: Osv): number {
  return a.modified === b.modified ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.modified < b.modified ? 1 : -1;
}

/** The records naming each of these plugins (one statement), by plugin id; plugins with none are absent. */
export async function advisoriesByPlugin(sql: Sql, pluginIds: readonly number[]): Promise<Map<number, Osv[]>> {
  const out = new Map<number, Osv[]>();
  if (pluginIds.length === 0) return out;
  const [cond, param] = inList(sql, 'plugin_id', pluginIds, 'int');
  for (const row of await sql.all<AdvisoryRow>(`SELECT plugin_id, id, osv, modified FROM advisories WHERE ${cond}`, param)) {
    const list = out.get(Number(row.plugin_id)) ?? [];
    list.push(JSON.parse(row.osv) as Osv);
    out.set(Number(row.plugin_id), list);
  }
  for (const list of out.values()) list.sort(newestFirst);
  return out;
}

/** Every record (each once, whatever number of plugins it names), or those naming one plugin; newest first, at most `limit`. */
export async function listAdvisories(sql: Sql, pluginId: number | null, limit: number): Promise<Osv[]> {
  const rows = await sql.all<AdvisoryRow>(
    pluginId === null
      ? 'SELECT plugin_id, id, osv, modified FROM advisories ORDER BY modified DESC, id'
      : 'SELECT plugin_id, id, osv, modified FROM advisories WHERE plugin_id = ? ORDER BY modified DESC, id',
    ...(pluginId === null ? [] : [pluginId]),
  );
  const seen = new Set<string>();
  const out: Osv[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    out.push(JSON.parse(row.osv) as Osv);
    if (out.length >= limit) break;
  }
  return out;
}

/** The stored record of this id, if any. */
export async function advisoryById(sql: Sql, id: string): Promise<Osv | null> {
  const row = await sql.get<AdvisoryRow>('SELECT plugin_id, id, osv, modified FROM advisories WHERE id = ? LIMIT 1', id);
  return row ? (JSON.parse(row.osv) as Osv) : null;
}

export type SaveResult = 'created' | 'updated' | 'unchanged';

/**
 * Stores a record for the plugins it names, in one transaction: a new id is created; a known one
 * is replaced when this one is as new or newer (`modified`), and rows for plugins it no longer
 * names go; an older copy changes nothing (a re-import of a stale file does not undo a fix).
 */
export async function saveAdvisory(store: Store, osv: Osv, pluginIds: readonly number[], by: string, now: string): Promise<SaveResult> {
  return store.transaction(async (tx) => {
    const existing = await tx.all<AdvisoryRow>('SELECT plugin_id, id, osv, modified FROM advisories WHERE id = ?', osv.id);
    const text = JSON.stringify(osv);
    // Compared as text: one offset (UTC) for every record.
    const modified = isoTimestamp(new Date(osv.modified));
    if (existing.length > 0) {
      const stored = existing[0]!;
      const same =
        stored.osv === text && existing.length === pluginIds.length && existing.every((r) => pluginIds.includes(Number(r.plugin_id)));
      if (same || stored.modified > modified) return 'unchanged';
      await tx.run('DELETE FROM advisories WHERE id = ?', osv.id);
    }
    for (const pid of pluginIds) {
      await tx.run(
        'INSERT INTO advisories (plugin_id, id, osv, modified, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        pid,
        osv.id,
        text,
        modified,
        by,
        now,
      );
    }
    return existing.length > 0 ? 'updated' : 'created';
  });
}

/** Sets (or, with null, clears) a plugin's deprecation. */
export async function setDeprecation(store: Store, pluginId: number, deprecation: Deprecation | null): Promise<void> {
  await store.transaction((tx) =>
    tx.run('UPDATE plugins SET deprecation = ? WHERE id = ?', deprecation ? JSON.stringify(deprecation) : null, pluginId),
  );
}
