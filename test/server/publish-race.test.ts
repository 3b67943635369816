/**
 * Store.publish decides ownership and version conflicts inside its write transaction: a second
 * process (another server or `admin`) that creates the plugin between a check and the write must
 * still get 403/409, not a raw constraint error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { HttpError } from '../../server/errors.ts';
import { openStore, type NewRelease } from '../../server/store/index.ts';
import { newRelease } from './util.ts';

/**
 * Another connection takes the write lock, inserts `fapilog-racy` owned by mallory, reports
 * 'locked', and commits a moment later (while the main thread waits on the lock).
 */
const RIVAL = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.db);
db.exec('PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE');
db.prepare("INSERT INTO plugins (package, name, description, author, plugin_type, license, homepage, repository, owner, created_at) VALUES ('fapilog-racy', 'racy', 'd', 'a', 'sink', 'MIT', NULL, NULL, 'mallory', '2026-01-01T00:00:00+00:00')").run();
parentPort.postMessage('locked');
setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('committed'); }, 700);
`;

test('an owner check sees a plugin another connection committed while this publish waited for the lock', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-race-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const store = await openStore({ dataDir });
  t.after(() => store.close());

  const rel: NewRelease = newRelease('racy', '1.0.0', { description: 'Racy', requires_python: '>=3.9' });

  const rival = new Worker(RIVAL, { eval: true, workerData: { db: path.join(dataDir, 'marketplace.sqlite') } });
  const messages: string[] = [];
  rival.on('message', (m: string) => messages.push(m));
  const exited = once(rival, 'exit');
  await once(rival, 'message');
  assert.deepEqual(messages, ['locked']);

  // node:sqlite is synchronous underneath: BEGIN IMMEDIATE blocks on the rival's lock (busy_timeout) until it commits.
  await assert.rejects(
    store.publish('alice', rel),
    (err: unknown) => err instanceof HttpError && err.status === 403 && err.code === 'forbidden',
    'mallory owns the plugin by the time this publish can write',
  );
  await exited;
  assert.deepEqual(messages, ['locked', 'committed']);
  assert.equal((await store.pluginRow('fapilog-racy'))?.owner, 'mallory');
  assert.deepEqual((await store.record('fapilog-racy'))?.releases, [], 'alice stored no release');
  assert.deepEqual(fs.readdirSync(store.filesDir!), [], 'no staged file (nor an empty fapilog-racy/) is left behind');
});
