/**
 * A what-if for bench/server-load.ts, loaded into the server process with `--import`: the store
 * keeps one prepared statement per SQL text instead of preparing a new one for every call
 * (Store#all / Store#get). Measures what that fix would buy without changing server/.
 */
import { Store } from '../../server/store.ts';

const caches = new WeakMap();

function statement(store, sql) {
  let byText = caches.get(store);
  if (!byText) caches.set(store, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = store.db.prepare(sql)));
  return stmt;
}

Store.prototype.all = function all(sql, ...params) {
  return statement(this, sql).all(...params);
};
Store.prototype.get = function get(sql, ...params) {
  return statement(this, sql).get(...params);
};
