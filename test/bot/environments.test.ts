/**
 * The bot on repositories of several environments and the co-upgrade pull request, against the
 * GitHub peer and the reference marketplace (demo catalog) on 127.0.0.1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { readPrState } from '../../bot/marker.ts';
import { withHarness, type Harness } from './harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(async () => {
  await server.stop();
});

const withBot = (fn: (h: Harness, inst: number) => Promise<void>): Promise<void> => withHarness(server.apiUrl, fn);

describe('environments', { concurrency: true }, () => {
  test('a monorepo whose services need different targets gets pull requests each compatible with its own service', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/mono', {
        'services/api/requirements.txt': 'fapilog==0.14.0\nfapilog-loki==1.2.0\nfapilog-kafka==2.1.0\n',
        'services/worker/requirements.txt': 'fapilog==0.18.1\nfapilog-loki==1.2.0\n',
        '.github/fapilog-plugins.yml': 'fapilog-upgrade-pull-request: true\n',
      });
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const pulls = h.peer.pulls('acme/mono');
      assert.deepEqual(pulls.map((p) => [p.pull!.head, p.title]).sort(), [
        ['fapilog-plugins/fapilog-loki--services-api', 'Update fapilog-loki to 1.3.0 in services/api'],
        ['fapilog-plugins/fapilog-loki--services-worker', 'Update fapilog-loki to 1.4.0 in services/worker'],
        [
          'fapilog-plugins/fapilog-upgrade--services-api',
          'Update fapilog to 0.18.1 with fapilog-kafka 3.1.0, fapilog-loki 1.4.0 in services/api',
        ],
      ]);
      // Each branch changes its own service only, to what that service's fapilog runs.
      const api = 'fapilog-plugins/fapilog-loki--services-api';
      assert.equal(
        h.peer.file('acme/mono', api, 'services/api/requirements.txt')!.toString(),
        'fapilog==0.14.0\nfapilog-loki==1.3.0\nfapilog-kafka==2.1.0\n',
      );
      assert.equal(h.peer.file('acme/mono', api, 'services/worker/requirements.txt')!.toString(), 'fapilog==0.18.1\nfapilog-loki==1.2.0\n');
      const worker = 'fapilog-plugins/fapilog-loki--services-worker';
      assert.equal(
        h.peer.file('acme/mono', worker, 'services/worker/requirements.txt')!.toString(),
        'fapilog==0.18.1\nfapilog-loki==1.4.0\n',
      );
      assert.equal(
        h.peer.file('acme/mono', worker, 'services/api/requirements.txt')!.toString(),
        'fapilog==0.14.0\nfapilog-loki==1.2.0\nfapilog-kafka==2.1.0\n',
      );
      const apiPr = pulls.find((p) => p.pull!.head === api)!;
      // The body names the environment and its own fapilog.
      assert.match(
        apiPr.body!,
        /moves \*\*fapilog-loki\*\* to \*\*1\.3\.0\*\* in `services\/api`: the newest release that works with its fapilog 0\.14\.0 \\\(pinned, services\/api\/requirements\.txt:1\\\)/,
      );
      assert.ok(apiPr.body!.includes('| 0.14.0 |'), apiPr.body!);
      assert.deepEqual(readPrState(apiPr.body)?.plugins, { 'fapilog-loki': '1.3.0' });

      // The co-upgrade: fapilog and the plugins it unlocks (and the one it would rule out) on one branch.
      const co = 'fapilog-plugins/fapilog-upgrade--services-api';
      assert.equal(
        h.peer.file('acme/mono', co, 'services/api/requirements.txt')!.toString(),
        'fapilog==0.18.1\nfapilog-loki==1.4.0\nfapilog-kafka==3.1.0\n',
      );
      assert.equal(h.peer.file('acme/mono', co, 'services/worker/requirements.txt')!.toString(), 'fapilog==0.18.1\nfapilog-loki==1.2.0\n');
      const coPr = pulls.find((p) => p.pull!.head === co)!;
      assert.deepEqual(readPrState(coPr.body)?.plugins, { fapilog: '0.18.1', 'fapilog-kafka': '3.1.0', 'fapilog-loki': '1.4.0' });
      assert.match(coPr.body!, /moves \*\*fapilog\*\* from 0\.14\.0 to \*\*0\.18\.1\*\* in `services\/api`/);

      // Kept current: a sweep with nothing new writes nothing.
      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(from), []);
    });
  });

  test('a co-upgrade pull request moves fapilog and its held-back plugins together, and is closed once fapilog moved', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/held', {
        'requirements.txt': 'fapilog==0.16.0\nfapilog-kafka==2.1.0\n',
        '.github/fapilog-plugins.yml': 'fapilog-upgrade-pull-request: true\n',
      });
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const [pr] = h.peer.pulls('acme/held');
      assert.ok(pr);
      assert.equal(pr.title, 'Update fapilog to 0.18.1 with fapilog-kafka 3.1.0');
      assert.equal(pr.pull!.head, 'fapilog-plugins/fapilog-upgrade');
      assert.equal(
        h.peer.file('acme/held', 'fapilog-plugins/fapilog-upgrade', 'requirements.txt')!.toString(),
        'fapilog==0.18.1\nfapilog-kafka==3.1.0\n',
      );
      assert.match(
        pr.body!,
        /moves \*\*fapilog\*\* from 0\.16\.0 to \*\*0\.18\.1\*\*, the lowest fapilog release that unlocks the plugins held back by it, and moves \*\*fapilog-kafka\*\* to \*\*3\.1\.0\*\* with it/,
      );
      assert.match(pr.body!, /- `fapilog` in requirements\.txt:1: `==0\.16\.0` → `==0\.18\.1`/);
      // Someone moves fapilog and kafka on main: nothing is held back, the pull request is closed.
      h.peer.commitFiles('acme/held', 'main', { 'requirements.txt': 'fapilog==0.18.1\nfapilog-kafka==3.1.0\n' }, 'fapilog 0.18.1', 'alice');
      const r2 = await h.sweep();
      assert.deepEqual(r2.results[0]!.closed, ['fapilog-plugins/fapilog-upgrade']);
    });
  });
});
