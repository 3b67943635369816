/**
 * Webhook deliveries, with GitHub's own example payloads (@octokit/webhooks-examples) pointed at
 * repositories of the GitHub peer: installation, repositories added, push, a pull request closed
 * by a person, and the check run on a pull request that changes a manifest.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { aimAt, example, SMALL, startHarness, withHarness, type Harness } from './harness.ts';
import { CHECK_NAME } from '../../bot/bot.ts';
import { readPrState } from '../../bot/marker.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(async () => {
  await server.stop();
});

const withBot = (fn: (h: Harness, inst: number) => Promise<void>): Promise<void> => withHarness(server.apiUrl, fn);

describe('installation events', { concurrency: true }, () => {
  test('installation.created scans the repositories it lists', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      h.peer.addRepo(inst, 'acme/unlisted', { 'requirements.txt': SMALL });
      const payload = aimAt(
        example('installation', (p) => p.action === 'created'),
        h.peer,
        'acme/small',
        inst,
      );
      payload.repositories = [{ ...payload.repositories[0], id: h.peer.repo('acme/small').id, name: 'small', full_name: 'acme/small' }];
      await h.deliver('installation', payload);
      assert.equal(h.peer.pulls('acme/small').length, 1);
      assert.equal(h.peer.pulls('acme/unlisted').length, 0);
      assert.ok(h.peer.calls().includes('GET /repos/acme/small'), 'asks the repository for its default branch');
    });
  });

  test('installation_repositories.added scans the added ones', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      const payload = aimAt(
        example('installation_repositories', (p) => p.action === 'added'),
        h.peer,
        'acme/small',
        inst,
      );
      payload.repositories_added = [
        { ...payload.repositories_added[0], id: h.peer.repo('acme/small').id, name: 'small', full_name: 'acme/small' },
      ];
      await h.deliver('installation_repositories', payload);
      assert.deepEqual(
        h.peer.pulls('acme/small').map((p) => p.title),
        ['Update fapilog-otel to 2.0.0'],
      );
    });
  });
});

describe('push', { concurrency: true }, () => {
  function push(h: Harness, inst: number, commits: Array<{ modified: string[] }>, ref = 'refs/heads/main'): any {
    const payload = aimAt(
      example('push', (p) => Array.isArray(p.commits)),
      h.peer,
      'acme/small',
      inst,
    );
    payload.ref = ref;
    payload.deleted = false;
    payload.commits = commits.map((c) => ({ ...(payload.commits[0] ?? {}), added: [], removed: [], ...c }));
    return payload;
  }

  test('a push to the default branch that touches a manifest rescans the repository', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\n' });
      h.peer.commitFiles('acme/small', 'main', { 'requirements.txt': SMALL }, 'add otel', 'alice');
      await h.deliver('push', push(h, inst, [{ modified: ['requirements.txt'] }]));
      assert.equal(h.peer.pulls('acme/small').length, 1);
    });
  });

  test('a push that touches no manifest, or to another branch, asks GitHub nothing', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.deliver('push', push(h, inst, [{ modified: ['README.md', 'src/app.py'] }]));
      await h.deliver('push', push(h, inst, [{ modified: ['requirements.txt'] }], 'refs/heads/feature'));
      assert.deepEqual(h.peer.calls(), []);
    });
  });
});

describe('pull request closed by a person', { concurrency: true }, () => {
  test('says the version is ignored from now on and how to undo it; the sweep then leaves it alone', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.sweep();
      const [pr] = h.peer.pulls('acme/small');
      h.peer.closePull('acme/small', pr!.number);
      const payload = aimAt(
        example('pull_request', (p) => p.action === 'closed'),
        h.peer,
        'acme/small',
        inst,
      );
      payload.number = pr!.number;
      payload.pull_request = {
        ...payload.pull_request,
        number: pr!.number,
        body: pr!.body,
        merged: false,
        state: 'closed',
        head: { ...payload.pull_request.head, ref: pr!.pull!.head },
      };
      payload.sender = { ...payload.sender, login: 'alice', type: 'User' };

      const from = h.peer.requests.length;
      await h.deliver('pull_request', payload);
      assert.deepEqual(h.peer.writes(from), [`POST /repos/acme/small/issues/${pr!.number}/comments`]);
      const [comment] = h.peer.repo('acme/small').comments;
      assert.match(comment!.body, /will not propose `fapilog-otel` `2\.0\.0` again/);
      assert.match(comment!.body, /To undo, reopen this pull request/);

      const sweepFrom = h.peer.requests.length;
      const swept = await h.sweep();
      assert.deepEqual(h.peer.writes(sweepFrom), []);
      // The sweep's result says why nothing was opened.
      assert.deepEqual(swept.results[0]!.refused, ['fapilog-plugins/fapilog-otel']);
      assert.ok(
        h.peer.calls(sweepFrom).includes('GET /repos/acme/small/pulls?state=all&head=acme%3Afapilog-plugins%2Ffapilog-otel&per_page=100'),
      );
      assert.equal(h.peer.pulls('acme/small', 'open').length, 0);
    });
  });

  test('the bot closing its own pull request is not a refusal: no comment', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.sweep();
      const [pr] = h.peer.pulls('acme/small');
      const payload = aimAt(
        example('pull_request', (p) => p.action === 'closed'),
        h.peer,
        'acme/small',
        inst,
      );
      const state = readPrState(pr!.body)!;
      payload.pull_request = {
        ...payload.pull_request,
        number: pr!.number,
        body: pr!.body!.replace('"closedByBot":false', '"closedByBot":true'),
        merged: false,
        head: { ...payload.pull_request.head, ref: state.branch },
      };
      payload.sender = { ...payload.sender, login: h.peer.botLogin, type: 'Bot' };
      const from = h.peer.requests.length;
      await h.deliver('pull_request', payload);
      assert.deepEqual(h.peer.writes(from), []);
    });
  });
});

describe('check run', { concurrency: true }, () => {
  function opened(h: Harness, inst: number, number: number, head: string): any {
    const payload = aimAt(
      example('pull_request', (p) => p.action === 'opened' && p.installation),
      h.peer,
      'acme/small',
      inst,
    );
    payload.number = number;
    payload.pull_request = { ...payload.pull_request, number, head: { ...payload.pull_request.head, sha: head, ref: 'feature' } };
    return payload;
  }

  test('a pull request that pins an incompatible plugin gets a failing check run with the annotations', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\n' });
      h.peer.commitFiles('acme/small', 'main', {}, 'base', 'alice');
      h.peer.repo('acme/small').refs.set('refs/heads/feature', h.peer.repo('acme/small').refs.get('refs/heads/main')!);
      const head = h.peer.commitFiles(
        'acme/small',
        'feature',
        { 'requirements.txt': 'fapilog==0.16.0\nfapilog-request-context==0.4.0\n' },
        'add request-context',
        'alice',
      );
      const pr = h.peer.openPullAsPerson('acme/small', 'feature', 'Add request context');

      await h.deliver('pull_request', opened(h, inst, pr.number, head));
      const [run] = h.peer.repo('acme/small').checkRuns;
      assert.ok(run, 'a check run was created');
      assert.equal(run.name, CHECK_NAME);
      assert.equal(run.head_sha, head);
      assert.equal(run.status, 'completed');
      assert.equal(run.conclusion, 'failure');
      assert.deepEqual(
        run.output.annotations.map((a: any) => [a.path, a.start_line, a.annotation_level]),
        [['requirements.txt', 2, 'failure']],
      );
      assert.match(run.output.annotations[0].title, /fapilog-request-context 0\.4\.0 is incompatible/);
      assert.match(run.output.summary, /fapilog-request-context/);
    });
  });

  test('the Re-run button (check_run.rerequested) checks the pull request again: a new run on the same head', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\n' });
      h.peer.repo('acme/small').refs.set('refs/heads/feature', h.peer.repo('acme/small').refs.get('refs/heads/main')!);
      const head = h.peer.commitFiles(
        'acme/small',
        'feature',
        { 'requirements.txt': 'fapilog==0.16.0\nfapilog-request-context==0.4.0\n' },
        'add request-context',
        'alice',
      );
      const pr = h.peer.openPullAsPerson('acme/small', 'feature', 'Add request context');
      await h.deliver('pull_request', opened(h, inst, pr.number, head));
      assert.equal(h.peer.repo('acme/small').checkRuns.length, 1);

      const rerun = aimAt(
        example('check_run', (p) => p.action === 'rerequested'),
        h.peer,
        'acme/small',
        inst,
      );
      rerun.check_run = {
        ...rerun.check_run,
        name: CHECK_NAME,
        head_sha: head,
        pull_requests: [{ number: pr.number, head: { ref: 'feature', sha: head }, base: { ref: 'main' } }],
      };
      let from = h.peer.requests.length;
      await h.deliver('check_run', rerun);
      assert.deepEqual(h.peer.writes(from), ['POST /repos/acme/small/check-runs']);
      const [, again] = h.peer.repo('acme/small').checkRuns;
      assert.equal(again.head_sha, head);
      assert.equal(again.conclusion, 'failure');

      // Someone else's check run is not ours to redo.
      rerun.check_run = { ...rerun.check_run, name: 'lint' };
      from = h.peer.requests.length;
      await h.deliver('check_run', rerun);
      assert.deepEqual(
        h.peer.calls(from).filter((c) => !c.includes('access_tokens')),
        [],
      );
    });
  });

  test('a pull request that changes no manifest gets no check run', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      h.peer.repo('acme/small').refs.set('refs/heads/feature', h.peer.repo('acme/small').refs.get('refs/heads/main')!);
      const head = h.peer.commitFiles('acme/small', 'feature', { 'README.md': 'docs\n' }, 'docs', 'alice');
      const pr = h.peer.openPullAsPerson('acme/small', 'feature', 'Docs');
      const from = h.peer.requests.length;
      await h.deliver('pull_request', opened(h, inst, pr.number, head));
      assert.deepEqual(
        h.peer.calls(from).filter((c) => !c.includes('access_tokens')),
        [`GET /repos/acme/small/pulls/${pr.number}/files?per_page=100`],
      );
      assert.equal(h.peer.repo('acme/small').checkRuns.length, 0);
    });
  });
});

describe('npm run bot', { concurrency: true }, () => {
  test('the webhook server verifies the signature and syncs on a signed push', async () => {
    const { spawn } = await import('node:child_process');
    const { createHmac } = await import('node:crypto');
    const net = await import('node:net');
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as import('node:net').AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));

    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      const child = spawn(process.execPath, [new URL('../../bot/server.ts', import.meta.url).pathname], {
        env: { ...h.env, PATH: process.env['PATH'], PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      try {
        const url = `http://127.0.0.1:${port}/api/github/webhooks`;
        const payload = aimAt(
          example('push', (p) => Array.isArray(p.commits)),
          h.peer,
          'acme/small',
          inst,
        );
        payload.ref = 'refs/heads/main';
        payload.deleted = false;
        payload.commits = [{ ...(payload.commits[0] ?? {}), added: [], removed: [], modified: ['requirements.txt'] }];
        const body = JSON.stringify(payload);
        const send = (signature: string) =>
          fetch(url, {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'push',
              'x-github-delivery': crypto.randomUUID(),
              'x-hub-signature-256': signature,
            },
          });
        let ready = false;
        for (let i = 0; i < 200 && !ready; i++) {
          ready = await fetch(`http://127.0.0.1:${port}/ping`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ready) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(ready, `server did not start: ${output}`);
        const forged = await send(`sha256=${'0'.repeat(64)}`);
        assert.equal(forged.status, 400);
        assert.deepEqual(h.peer.calls(), []);
        const ok = await send(`sha256=${createHmac('sha256', String(h.env['WEBHOOK_SECRET'])).update(body).digest('hex')}`);
        assert.equal(ok.status, 200, output);
        assert.equal(h.peer.pulls('acme/small').length, 1, output);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    });
  });
});

describe('in-process schedule', () => {
  test('FAPILOG_BOT_SWEEP_INTERVAL_MINUTES sweeps every installation on that schedule', async (t) => {
    // Only setInterval is mocked: the schedule fires when the test says, everything else runs for real.
    t.mock.timers.enable({ apis: ['setInterval'] });
    const h = await startHarness(server.apiUrl, { FAPILOG_BOT_SWEEP_INTERVAL_MINUTES: '30' });
    try {
      const inst = h.peer.addInstallation('acme');
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      t.mock.timers.tick(29 * 60_000);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(h.peer.calls(), [], 'nothing before the interval');
      t.mock.timers.tick(60_000);
      for (let i = 0; i < 200 && h.peer.pulls('acme/small').length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(h.peer.pulls('acme/small').length, 1);
      assert.equal(h.peer.calls()[0], 'GET /app/installations?per_page=100');
    } finally {
      t.mock.timers.reset();
      await h.close();
    }
  });
});
