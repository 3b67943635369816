/**
 * The Action's check with the `index-url` input: a plain static index of real wheels gives the
 * statuses the reference marketplace gives, and the report, log and summary name the index. A
 * host that does not resolve fails the step with one message naming the source and the inputs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startStaticIndex, type StaticIndex } from '../helpers/static-index.ts';
import { makeWorkspace, REPO, runAction, type Workspace } from './harness.ts';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'action-app');

describe('action check with index-url', () => {
  let server: TestServer;
  let index: StaticIndex;
  let ws: Workspace;
  before(async () => {
    [server, index] = await Promise.all([startTestServer({ seed: true }), startStaticIndex()]);
    ws = makeWorkspace(FIXTURE);
  });
  after(async () => {
    await Promise.all([server?.stop(), index?.stop()]);
    ws?.cleanup();
  });

  const statuses = (report: Report) => Object.fromEntries(report.plugins.map((p) => [p.package, [p.status, p.latestCompatible, p.latest]]));

  test('the same statuses as the marketplace, and every output names the index', async () => {
    const market = await runAction({
      workspace: ws.dir,
      inputs: { path: 'app', 'marketplace-url': server.apiUrl, 'cache-dir': ws.cacheDir },
    });
    const fromIndex = await runAction({ workspace: ws.dir, inputs: { path: 'app', 'index-url': index.url, 'cache-dir': ws.cacheDir } });
    assert.equal(fromIndex.code, market.code, fromIndex.stdout + fromIndex.stderr);
    const expected = Report.parse(JSON.parse(market.outputs['report'] ?? 'null'));
    const report = Report.parse(JSON.parse(fromIndex.outputs['report'] ?? 'null'));
    assert.deepEqual(statuses(report), statuses(expected));
    assert.deepEqual(report.marketplace, { url: index.url, stale: false, kind: 'index' });
    assert.ok(fromIndex.stdout.split('\n').includes(`package index ${index.url}`), fromIndex.stdout);
    assert.match(fromIndex.summary, new RegExp(`package index \`${index.url.replace(/[.]/g, '\\.')}\``));
    for (const name of ['outdated-count', 'incompatible-count', 'has-problems'])
      assert.equal(fromIndex.outputs[name], market.outputs[name], name);
  });

  test('an index that does not resolve fails the step with one message naming it and the inputs to choose another', async () => {
    const run = await runAction({
      workspace: ws.dir,
      inputs: { path: 'app', 'cache-dir': path.join(ws.cacheDir, 'empty') },
      env: { FAPILOG_INDEX_URL: 'http://fapilog-index.invalid/simple/' },
    });
    assert.equal(run.code, 1);
    const failure = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    assert.equal(failure.length, 1, run.stdout);
    assert.match(
      failure[0] ?? '',
      /^::error::The package index at http:\/\/fapilog-index\.invalid\/simple\/ could not be reached and nothing is cached in .*\(ENOTFOUND|EAI_AGAIN\).*choose another source with the input index-url \(a package index\) or marketplace-url \(a marketplace\)$/,
    );
  });
});
