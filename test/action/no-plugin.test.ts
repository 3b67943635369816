/**
 * A project with no fapilog plugin has nothing to look up: the Action (sources and bundle) passes
 * without a single connection to the marketplace, even when it is unreachable. The marketplace
 * here is a port that resets every connection it accepts, and counts them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { BUNDLE_ENTRY, runAction, SOURCE_ENTRY } from './harness.ts';

const PINNED = `[project]
name = "no-plugins"
version = "1.0.0"
dependencies = ["fapilog==0.18.0", "httpx>=0.27", "pydantic>=2.6"]
`;
const RANGE = `[project]
name = "no-plugins-range"
version = "1.0.0"
dependencies = ["fapilog>=0.16,<0.19", "httpx>=0.27"]
`;

describe('action on a project without plugins, marketplace unreachable', () => {
  let refuser: net.Server;
  let connections = 0;
  let url = '';
  let ws = '';
  let cache = '';
  before(async () => {
    refuser = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(refuser.address() as net.AddressInfo).port}/api/v1`;
    ws = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-noplugin-'));
    cache = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-noplugin-cache-'));
    for (const [dir, text] of [
      ['pinned', PINNED],
      ['range', RANGE],
    ] as const) {
      const d = path.join(ws, dir);
      mkdirSync(d, { recursive: true });
      writeFileSync(path.join(d, 'pyproject.toml'), text);
    }
  });
  after(async () => {
    await new Promise<void>((resolve) => refuser.close(() => resolve()));
    rmSync(ws, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  test('the refusing port is what an unreachable marketplace looks like to the check', async () => {
    // Guards the test itself: a project with a plugin does try to connect here, and fails.
    const d = path.join(ws, 'with-plugin');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'requirements.txt'), 'fapilog==0.18.0\nfapilog-stdout-json==1.0.0\n');
    const before = connections;
    const run = await runAction({ workspace: ws, inputs: { path: 'with-plugin', 'marketplace-url': url, 'cache-dir': cache } });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /::error::The marketplace at .* could not be reached/);
    assert.ok(connections > before, 'the check connected to the marketplace');
  });

  for (const [label, entry] of [
    ['sources', SOURCE_ENTRY],
    ['bundle', BUNDLE_ENTRY],
  ] as const) {
    test(`${label}: passes with no connection, fapilog as pinned`, async () => {
      const before = connections;
      const run = await runAction({ entry, workspace: ws, inputs: { path: 'pinned', 'marketplace-url': url, 'cache-dir': cache } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(connections, before, 'no connection to the marketplace');
      const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
      assert.deepEqual(report.plugins, []);
      assert.deepEqual({ version: report.fapilog.version, source: report.fapilog.source }, { version: '0.18.0', source: 'pinned' });
      assert.equal(report.marketplace.stale, false);
      assert.equal(run.outputs['has-problems'], 'false');
      assert.doesNotMatch(run.stdout, /::(warning|error)/);
    });

    test(`${label}: a range is left unresolved, with no note about marketplace releases`, async () => {
      const before = connections;
      const run = await runAction({ entry, workspace: ws, inputs: { path: 'range', 'marketplace-url': url, 'cache-dir': cache } });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(connections, before, 'no connection to the marketplace');
      const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
      assert.deepEqual(report.fapilog, { version: null, source: 'range', specifier: '>=0.16,<0.19', from: 'pyproject.toml:4' });
      assert.deepEqual(report.warnings, []);
    });
  }
});
