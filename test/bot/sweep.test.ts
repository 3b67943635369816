/**
 * The bot end to end: Probot (as createProbot builds it from the environment) against the GitHub
 * peer and the reference marketplace, both on 127.0.0.1. Each scenario asserts the exact requests
 * the bot made and what GitHub then holds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { metadataFor, publish, wheelFor } from '../server/util.ts';
import { readPrState } from '../../bot/marker.ts';
import { exampleApp, SMALL, startHarness, withHarness, type Harness } from './harness.ts';

const MAIN_REF = 'heads%2Fmain';
const OURS = 'creator=fapilog-plugins%5Bbot%5D';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(async () => {
  await server.stop();
});

const withBot = (fn: (h: Harness, inst: number) => Promise<void>): Promise<void> => withHarness(server.apiUrl, fn);

/** The requests one repository's sync made, as `METHOD path` lines. */
function repoCalls(h: Harness, repo: string, from = 0): string[] {
  return h.peer
    .calls(from)
    .filter((c) => c.split(' ')[1]!.startsWith(`/repos/${repo}/`))
    .map((c) => c.replace(`/repos/${repo}`, ''));
}

describe('first scan', { concurrency: true }, () => {
  test('opens one pull request per updatable plugin, each from one commit on its stable branch', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/orders', exampleApp());
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL, 'README.md': '# small\n' });
      const result = await h.sweep();
      assert.deepEqual(result.failures, []);

      // The exact conversation for the one-plugin repository.
      const small = repoCalls(h, 'acme/small');
      const base = h.peer.repo('acme/small');
      const tree = base.commits.get(base.refs.get('refs/heads/main')!)!;
      assert.equal(small.length, 8);
      // The tree by branch name, no head lookup first; the open-issue count in the repository
      // list (0) says the bot has nothing open here, so its issues are not listed.
      assert.deepEqual(small.slice(0, 1), ['GET /git/trees/main?recursive=1']);
      // Only the manifest blob is read (not README.md), and no config file exists to read. The
      // branch's pull requests (refusals, an open one) and the head commit come only to write.
      assert.deepEqual(small.slice(1), [
        `GET /git/blobs/${[...base.trees.get(tree.tree)!].find(([p]) => p === 'requirements.txt')![1].sha}`,
        'GET /pulls?state=all&head=acme%3Afapilog-plugins%2Ffapilog-otel&per_page=100',
        'GET /branches/main',
        'POST /git/trees',
        'POST /git/commits',
        'POST /git/refs',
        'POST /pulls',
      ]);

      const [pr] = h.peer.pulls('acme/small');
      assert.ok(pr);
      assert.equal(pr.title, 'Update fapilog-otel to 2.0.0');
      assert.equal(pr.pull!.head, 'fapilog-plugins/fapilog-otel');
      assert.equal(pr.pull!.base, 'main');
      assert.ok(
        pr.body!.includes('| fapilog-otel | requirements.txt:2 | 1.1.0 \\(==1.1.0\\) | 2.0.0 \\(==2.0.0\\) | &gt;=0.16 | 0.16.0 |'),
        pr.body!,
      );
      assert.match(pr.body!, /Attach OpenTelemetry trace and span ids/);
      const state = readPrState(pr.body);
      assert.deepEqual(state?.plugins, { 'fapilog-otel': '2.0.0' });
      // The branch holds the bot's commit on top of main, with only the specifier changed.
      const head = base.refs.get('refs/heads/fapilog-plugins/fapilog-otel')!;
      assert.equal(state?.head, head);
      assert.deepEqual(base.commits.get(head)!.parents, [base.refs.get('refs/heads/main')]);
      assert.equal(
        h.peer.file('acme/small', 'fapilog-plugins/fapilog-otel', 'requirements.txt')!.toString(),
        'fapilog==0.16.0\nfapilog-otel==2.0.0\n',
      );
      assert.equal(h.peer.file('acme/small', 'main', 'requirements.txt')!.toString(), SMALL);

      // examples/app: every plugin with a compatible release to move to, and nothing else.
      assert.deepEqual(
        h.peer
          .pulls('acme/orders')
          .map((p) => p.title)
          .sort(),
        [
          'Update fapilog-cloudwatch to 0.5.0',
          'Update fapilog-otel to 2.0.0',
          'Update fapilog-redact-pii to 1.1.0',
          'Update fapilog-request-context to 1.2.0',
          'Update fapilog-sampling to 1.2.1',
        ],
      );
      const samplingPr = h.peer.pulls('acme/orders').find((p) => p.pull!.head === 'fapilog-plugins/fapilog-sampling')!;
      assert.ok(samplingPr.body!.includes('**Why:** 1.2.0 was yanked \\(drops every event'), samplingPr.body!);
      const sampling = h.peer.file('acme/orders', 'fapilog-plugins/fapilog-sampling', 'requirements.txt')!.toString();
      assert.match(sampling, /^fapilog-sampling==1\.2\.1 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
      // No main-branch write, ever.
      assert.equal(h.peer.writes().filter((w) => w.includes(`refs/${MAIN_REF}`) || w.includes('heads/main')).length, 0);
    });
  });

  test('labels, assignees and reviewers from the config, a group shares one pull request, the commit prefix leads the title', async () => {
    await withBot(async (h, inst) => {
      const config = [
        'labels: [dependencies]',
        'assignees: [alice]',
        'reviewers: [bob, acme/platform]',
        'commit-message-prefix: "chore(deps):"',
        'groups:',
        '  privacy: [redact-pii, fapilog-sampling]',
        'ignore: [cloudwatch]',
        '',
      ].join('\n');
      h.peer.addRepo(inst, 'acme/orders', { ...exampleApp(), '.github/fapilog-plugins.yml': config });
      await h.sweep();
      const pulls = h.peer.pulls('acme/orders');
      assert.deepEqual(pulls.map((p) => p.title).sort(), [
        'chore(deps): Update fapilog plugins (privacy): fapilog-redact-pii 1.1.0, fapilog-sampling 1.2.1',
        'chore(deps): Update fapilog-otel to 2.0.0',
        'chore(deps): Update fapilog-request-context to 1.2.0',
      ]);
      const privacy = pulls.find((p) => p.pull!.head === 'fapilog-plugins/privacy')!;
      assert.deepEqual(privacy.labels, ['dependencies']);
      assert.deepEqual(privacy.assignees, ['alice']);
      assert.deepEqual(privacy.reviewers, ['bob', 'platform']);
      const calls = repoCalls(h, 'acme/orders');
      assert.equal(calls.filter((c) => c === 'POST /pulls').length, 3);
      assert.equal(calls.filter((c) => /^PATCH \/issues\/\d+$/.test(c)).length, 3);
      assert.equal(calls.filter((c) => /^POST \/pulls\/\d+\/requested_reviewers$/.test(c)).length, 3);
      const files = ['requirements.txt'].map((f) => h.peer.file('acme/orders', 'fapilog-plugins/privacy', f)!.toString());
      assert.match(files[0]!, /fapilog-redact-pii==1\.1\.0/);
      assert.match(files[0]!, /fapilog-sampling==1\.2\.1/);
    });
  });
});

describe('what the sync reads', { concurrency: true }, () => {
  test("someone else's open issue: the bot's own are listed (the open-issue count is not 0)", async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/busy', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-loki==1.4.0\n' });
      h.peer.openIssueAsPerson('acme/busy', 'the logs are late');
      const r = await h.sweep();
      assert.deepEqual(
        r.results.map((x) => x.status),
        ['synced'],
      );
      assert.deepEqual(
        repoCalls(h, 'acme/busy').map((c) => c.replace(/[0-9a-f]{40}/, 'SHA')),
        ['GET /git/trees/main?recursive=1', `GET /issues?state=open&${OURS}&per_page=100`, 'GET /git/blobs/SHA'],
      );
      assert.deepEqual(h.peer.writes(), []);
    });
  });

  test('the default branch moves between reading its tree and writing: the sync starts over on the new head, undoing nothing', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      let pushed = '';
      h.peer.beforeOnce(
        (m, p) => m === 'GET' && p === '/repos/acme/small/branches/main',
        () => {
          pushed = h.peer.commitFiles('acme/small', 'main', { 'NOTES.md': 'pushed mid-sync\n' }, 'notes', 'alice');
        },
      );
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      assert.deepEqual(r.results[0]!.opened, ['fapilog-plugins/fapilog-otel']);
      const calls = repoCalls(h, 'acme/small');
      // Read again at the commit the branch lookup named (by SHA: it cannot move again).
      assert.deepEqual(
        calls.filter((c) => c.startsWith('GET /git/trees/')),
        ['GET /git/trees/main?recursive=1', `GET /git/trees/${pushed}?recursive=1`],
      );
      assert.equal(calls.filter((c) => c === 'GET /branches/main').length, 1);
      const repo = h.peer.repo('acme/small');
      const head = repo.refs.get('refs/heads/fapilog-plugins/fapilog-otel')!;
      assert.deepEqual(repo.commits.get(head)!.parents, [pushed]);
      assert.equal(h.peer.file('acme/small', 'fapilog-plugins/fapilog-otel', 'NOTES.md')!.toString(), 'pushed mid-sync\n');
      assert.equal(readPrState(h.peer.pulls('acme/small')[0]!.body)!.base, pushed);
    });
  });

  test('an open-issue count a moment old (0, though a pull request was opened since) makes no duplicate', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.sweep();
      assert.equal(h.peer.pulls('acme/small', 'open').length, 1);
      // As another instance would have it: a count taken before that pull request was opened.
      const octokit = (await h.probot.auth(inst)) as never;
      const app = async () => (await h.probot.auth()) as never;
      const log = { info: () => undefined, warn: () => undefined };
      const from = h.peer.requests.length;
      const r = await h.bot.sync(octokit, app, { owner: 'acme', repo: 'small', defaultBranch: 'main' }, log, {
        openIssues: { count: 0, at: Date.now() },
      });
      assert.deepEqual([r.opened, r.updated, r.closed], [[], [], []]);
      assert.deepEqual(h.peer.writes(from), []);
      // The branch's open pull request gave it away; the second pass lists the bot's own and finds it.
      const calls = repoCalls(h, 'acme/small', from).map((c) => c.replace(/\?.*/, ''));
      assert.deepEqual(calls.slice(-3), ['GET /git/trees/main', 'GET /issues', 'GET /git/matching-refs/heads%2Ffapilog-plugins%2F']);
      assert.equal(h.peer.pulls('acme/small').length, 1);
    });
  });
});

describe('later sweeps', { concurrency: true }, () => {
  test('an unchanged second sweep writes nothing, and a third is answered by 304s', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/orders', exampleApp());
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.sweep();
      const second = h.peer.requests.length;
      const r2 = await h.sweep();
      assert.deepEqual(h.peer.writes(second), []);
      assert.deepEqual(
        r2.results.map((r) => [r.repo, r.opened.length, r.updated.length, r.closed.length]),
        [
          ['acme/orders', 0, 0, 0],
          ['acme/small', 0, 0, 0],
        ],
      );
      const third = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(third), []);
      const repoReads = h.peer.requests.slice(third).filter((r) => r.path.startsWith('/repos/'));
      assert.deepEqual(
        repoReads.map((r) => `${r.status} ${r.method} ${r.path.replace(/\?.*/, '')}`),
        ['acme/orders', 'acme/small'].flatMap((repo) => [
          `304 GET /repos/${repo}/git/trees/main`,
          `304 GET /repos/${repo}/issues`,
          `304 GET /repos/${repo}/git/matching-refs/heads%2Ffapilog-plugins%2F`,
        ]),
      );
    });
  });

  test('a new release updates the existing branch and pull request in place', async () => {
    // A marketplace of its own: the release published here must not leak into other scenarios.
    const own = await startTestServer({ seed: true });
    const h = await startHarness(own.apiUrl);
    try {
      const inst = h.peer.addInstallation('acme');
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      await h.sweep();
      const [pr] = h.peer.pulls('acme/small');
      const firstHead = readPrState(pr!.body)!.head;

      const wheel = wheelFor('otel', '2.1.0', { compat: '>=0.16' });
      const res = await publish(
        own.apiUrl,
        'otel',
        metadataFor('otel', '2.1.0', [wheel], { fapilog_compatibility: '>=0.16' }),
        [wheel],
        await own.createToken('observability-guild'),
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));

      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(
        h.peer.writes(from).map((w) => w.replace('/repos/acme/small', '')),
        ['POST /git/trees', 'POST /git/commits', 'PATCH /git/refs/heads%2Ffapilog-plugins%2Ffapilog-otel', `PATCH /pulls/${pr!.number}`],
      );
      const pulls = h.peer.pulls('acme/small');
      assert.equal(pulls.length, 1);
      assert.equal(pulls[0]!.title, 'Update fapilog-otel to 2.1.0');
      const state = readPrState(pulls[0]!.body)!;
      assert.deepEqual(state.plugins, { 'fapilog-otel': '2.1.0' });
      assert.notEqual(state.head, firstHead);
      assert.equal(
        h.peer.file('acme/small', 'fapilog-plugins/fapilog-otel', 'requirements.txt')!.toString(),
        'fapilog==0.16.0\nfapilog-otel==2.1.0\n',
      );
    } finally {
      await h.close();
      await own.stop();
    }
  });

  test("a person's push is respected: one comment, then silence", async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/orders', exampleApp());
      await h.sweep();
      const pr = h.peer.pulls('acme/orders').find((p) => p.pull!.head === 'fapilog-plugins/fapilog-otel')!;
      const pushed = h.peer.commitFiles(
        'acme/orders',
        'fapilog-plugins/fapilog-otel',
        { 'NOTES.md': 'tested by hand\n' },
        'notes',
        'alice',
      );

      const from = h.peer.requests.length;
      const r = await h.sweep();
      assert.deepEqual(r.results[0]!.handsOff, ['fapilog-plugins/fapilog-otel']);
      assert.deepEqual(
        h.peer.writes(from).map((w) => w.replace('/repos/acme/orders', '')),
        [`POST /issues/${pr.number}/comments`, `PATCH /pulls/${pr.number}`],
      );
      const comments = h.peer.repo('acme/orders').comments.filter((c) => c.issue === pr.number);
      assert.equal(comments.length, 1);
      assert.match(comments[0]!.body, new RegExp(`Someone pushed \`${pushed.slice(0, 7)}\``));
      assert.match(comments[0]!.body, /leaves this pull request alone/);
      assert.equal(readPrState(pr.body)!.handsOff, pushed);

      const again = h.peer.requests.length;
      await h.sweep();
      await h.sweep();
      assert.deepEqual(h.peer.writes(again), []);
      assert.equal(h.peer.repo('acme/orders').refs.get('refs/heads/fapilog-plugins/fapilog-otel'), pushed);

      // Even once main no longer needs it, a pull request a person pushed to is theirs: not closed.
      const pyproject = h.peer
        .file('acme/orders', 'main', 'pyproject.toml')!
        .toString()
        .replace('"fapilog-otel~=1.1"', '"fapilog-otel~=2.0"');
      h.peer.commitFiles('acme/orders', 'main', { 'pyproject.toml': pyproject }, 'otel by hand', 'alice');
      const later = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(later), []);
      assert.equal(h.peer.pulls('acme/orders', 'open').filter((p) => p.pull!.head === 'fapilog-plugins/fapilog-otel').length, 1);
    });
  });

  test('an obsolete pull request is closed with its reason and its branch deleted', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-otel==1.1.0\nfapilog-redact-pii==1.0.0\n' });
      await h.sweep();
      const pulls = h.peer.pulls('acme/small', 'open');
      assert.equal(pulls.length, 2);
      const otel = pulls.find((p) => p.pull!.head === 'fapilog-plugins/fapilog-otel')!;
      const pii = pulls.find((p) => p.pull!.head === 'fapilog-plugins/fapilog-redact-pii')!;
      // By hand on main: otel updated, redact-pii removed.
      h.peer.commitFiles(
        'acme/small',
        'main',
        { 'requirements.txt': 'fapilog==0.16.0\nfapilog-otel==2.0.0\n' },
        'bump otel by hand',
        'alice',
      );

      const from = h.peer.requests.length;
      const r = await h.sweep();
      assert.deepEqual(r.results[0]!.closed, ['fapilog-plugins/fapilog-otel', 'fapilog-plugins/fapilog-redact-pii']);
      assert.deepEqual(
        h.peer.writes(from).map((w) => w.replace('/repos/acme/small', '')),
        [
          `POST /issues/${otel.number}/comments`,
          `PATCH /pulls/${otel.number}`,
          'DELETE /git/refs/heads%2Ffapilog-plugins%2Ffapilog-otel',
          `POST /issues/${pii.number}/comments`,
          `PATCH /pulls/${pii.number}`,
          'DELETE /git/refs/heads%2Ffapilog-plugins%2Ffapilog-redact-pii',
        ],
      );
      const comments = h.peer.repo('acme/small').comments;
      assert.match(comments.find((c) => c.issue === otel.number)!.body, /`fapilog-otel` is already at `2\.0\.0` on `main`/);
      assert.match(comments.find((c) => c.issue === pii.number)!.body, /`fapilog-redact-pii` is no longer a dependency on `main`/);
      assert.equal(h.peer.pulls('acme/small', 'open').length, 0);
      assert.equal(readPrState(otel.body)!.closedByBot, true);
      assert.equal(h.peer.repo('acme/small').refs.has('refs/heads/fapilog-plugins/fapilog-otel'), false);
      // Closed by the bot: not a refusal, nothing more to do.
      const later = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(later), []);
    });
  });

  test('the open-PR limit holds across sweeps', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/orders', { ...exampleApp(), '.github/fapilog-plugins.yml': 'open-pull-requests-limit: 2\n' });
      const r1 = await h.sweep();
      assert.equal(h.peer.pulls('acme/orders', 'open').length, 2);
      assert.deepEqual(r1.results[0]!.opened, ['fapilog-plugins/fapilog-cloudwatch', 'fapilog-plugins/fapilog-otel']);
      assert.equal(r1.results[0]!.deferred.length, 3);
      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(from), []);
      assert.equal(h.peer.pulls('acme/orders', 'open').length, 2);
      // Merging one frees a place: exactly one more is opened.
      h.peer.mergePull('acme/orders', h.peer.pulls('acme/orders', 'open')[0]!.number);
      const r3 = await h.sweep();
      assert.deepEqual(r3.results[0]!.opened, ['fapilog-plugins/fapilog-redact-pii']);
      assert.equal(h.peer.pulls('acme/orders', 'open').length, 2);
    });
  });
});

describe('configuration', { concurrency: true }, () => {
  test('an invalid config opens one issue (updated, not duplicated, closed once fixed) while other repositories get their pull requests', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/broken', { 'requirements.txt': SMALL, '.github/fapilog-plugins.yml': 'labls: [deps]\n' });
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      const r1 = await h.sweep();
      assert.deepEqual(r1.failures, []);
      assert.deepEqual(
        r1.results.map((r) => [r.repo, r.status]),
        [
          ['acme/broken', 'invalid-config'],
          ['acme/small', 'synced'],
        ],
      );
      assert.equal(h.peer.pulls('acme/small').length, 1);
      assert.equal(h.peer.pulls('acme/broken').length, 0);
      const [issue] = h.peer.openIssues('acme/broken');
      assert.equal(issue!.title, 'fapilog-plugins: .github/fapilog-plugins.yml is invalid');
      assert.match(issue!.body!, /\*\*Key:\*\* `labls`/);
      assert.match(issue!.body!, /unknown key \\\(known: enabled, ignore, groups/);
      assert.deepEqual(
        repoCalls(h, 'acme/broken').filter((c) => !c.startsWith('GET')),
        ['POST /issues'],
      );

      // Unchanged error, even after an unrelated commit: no write, no second issue.
      h.peer.commitFiles('acme/broken', 'main', { 'README.md': 'hello\n' }, 'docs', 'alice');
      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(from), []);
      assert.equal(h.peer.repo('acme/broken').issues.length, 1);

      h.peer.commitFiles(
        'acme/broken',
        'main',
        { '.github/fapilog-plugins.yml': 'open-pull-requests-limit: many\n' },
        'try again',
        'alice',
      );
      const mid = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(mid), [`PATCH /repos/acme/broken/issues/${issue!.number}`]);
      assert.match(h.peer.openIssues('acme/broken')[0]!.body!, /\*\*Key:\*\* `open-pull-requests-limit`/);

      h.peer.commitFiles('acme/broken', 'main', { '.github/fapilog-plugins.yml': 'open-pull-requests-limit: 3\n' }, 'fixed', 'alice');
      const fixed = await h.sweep();
      assert.equal(fixed.results[0]!.issues['invalid-config'], 'closed');
      assert.equal(h.peer.openIssues('acme/broken').length, 0);
      assert.equal(h.peer.repo('acme/broken').issues.filter((i) => !i.pull).length, 1);
      assert.equal(h.peer.pulls('acme/broken').length, 1);
    });
  });

  test('a marketplace the operator did not allow is a config error', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/elsewhere', {
        'requirements.txt': SMALL,
        '.github/fapilog-plugins.yml': 'marketplace-url: http://127.0.0.1:9/api/v1\n',
      });
      const r = await h.sweep();
      assert.equal(r.results[0]!.status, 'invalid-config');
      assert.match(h.peer.openIssues('acme/elsewhere')[0]!.body!, /\*\*Key:\*\* `marketplace-url`/);
    });
  });

  test('enabled: false writes nothing', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/off', { 'requirements.txt': SMALL, '.github/fapilog-plugins.yml': 'enabled: false\n' });
      const r = await h.sweep();
      assert.equal(r.results[0]!.status, 'disabled');
      assert.deepEqual(h.peer.writes(), []);
    });
  });
});

describe('rate limits', { concurrency: true }, () => {
  test('a secondary rate limit (403 with Retry-After) is waited out and the write goes through once', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      h.peer.failOnce(
        (m, p) => m === 'POST' && p === '/repos/acme/small/pulls',
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        { 'retry-after': '1' },
      );
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const posts = h.peer.requests.filter((x) => x.method === 'POST' && x.path === '/repos/acme/small/pulls');
      assert.deepEqual(
        posts.map((x) => x.status),
        [403, 201],
      );
      assert.equal(h.peer.pulls('acme/small').length, 1);
    });
  });

  test('a 429 secondary limit on a git write is waited out too', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': SMALL });
      h.peer.failOnce((m, p) => m === 'POST' && p === '/repos/acme/small/git/trees', 429, 'You have exceeded a secondary rate limit.', {
        'retry-after': '1',
      });
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      assert.deepEqual(
        h.peer.requests.filter((x) => x.method === 'POST' && x.path === '/repos/acme/small/git/trees').map((x) => x.status),
        [429, 201],
      );
      assert.equal(h.peer.pulls('acme/small').length, 1);
    });
  });

  test('writes go one at a time, even for repositories synced at the same moment', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/one', { 'requirements.txt': SMALL });
      h.peer.addRepo(inst, 'acme/two', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-redact-pii==1.0.0\n' });
      h.peer.writeDelayMs = 30;
      const octokit = (await h.probot.auth(inst)) as never;
      const app = async () => (await h.probot.auth()) as never;
      const log = { info: () => undefined, warn: () => undefined };
      await Promise.all(['one', 'two'].map((repo) => h.bot.sync(octokit, app, { owner: 'acme', repo, defaultBranch: 'main' }, log)));
      assert.equal(h.peer.pulls('acme/one').length + h.peer.pulls('acme/two').length, 2);
      assert.ok(h.peer.writes().length >= 8);
      assert.equal(h.peer.maxConcurrentWrites, 1);
    });
  });
});

describe('bytes', { concurrency: true }, () => {
  test('a Latin-1 manifest goes as a base64 blob and a BOM + CRLF one inline: every byte outside the edit kept', async () => {
    await withBot(async (h, inst) => {
      const latin1 = Buffer.concat([
        Buffer.from('# caf'),
        Buffer.from([0xe9]),
        Buffer.from(' service\nfapilog==0.16.0\nfapilog-otel==1.1.0\n'),
      ]);
      const bom = Buffer.from('\ufefffapilog==0.16.0\r\nfapilog-otel==1.1.0  # traces\r\n', 'utf8');
      h.peer.addRepo(inst, 'acme/latin', { 'requirements.txt': latin1 });
      h.peer.addRepo(inst, 'acme/bom', { 'requirements.txt': bom });
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const branch = 'fapilog-plugins/fapilog-otel';
      assert.deepEqual(
        h.peer.file('acme/latin', branch, 'requirements.txt'),
        Buffer.from(latin1.toString('latin1').replace('1.1.0', '2.0.0'), 'latin1'),
      );
      assert.deepEqual(
        h.peer.file('acme/bom', branch, 'requirements.txt'),
        Buffer.from(bom.toString('utf8').replace('1.1.0', '2.0.0'), 'utf8'),
      );
      assert.deepEqual(
        repoCalls(h, 'acme/latin').filter((c) => c.startsWith('POST /git/')),
        ['POST /git/blobs', 'POST /git/trees', 'POST /git/commits', 'POST /git/refs'],
      );
      assert.deepEqual(
        repoCalls(h, 'acme/bom').filter((c) => c.startsWith('POST /git/')),
        ['POST /git/trees', 'POST /git/commits', 'POST /git/refs'],
      );
    });
  });
});

describe('fapilog upgrade', { concurrency: true }, () => {
  test('propose-fapilog-upgrade keeps one issue naming the held-back plugins, closed when none are', async () => {
    await withBot(async (h, inst) => {
      h.peer.addRepo(inst, 'acme/orders', {
        ...exampleApp(),
        '.github/fapilog-plugins.yml': 'propose-fapilog-upgrade: true\nopen-pull-requests-limit: 0\n',
      });
      const r = await h.sweep();
      assert.equal(r.results[0]!.issues['fapilog-upgrade'], 'opened');
      const [issue] = h.peer.openIssues('acme/orders');
      assert.match(issue!.title, /a fapilog upgrade would unlock newer plugin releases/);
      assert.match(issue!.body!, /\| fapilog-kafka \| 2.1.0 \| 3.1.0 \| 0.18.0 \|/);
      assert.match(issue!.body!, /\| fapilog-field-mapper \| 0.2.0 \| 0.3.0 \| 0.17.0 \|/);
      assert.equal(h.peer.pulls('acme/orders').length, 0, 'the limit of 0 opens none');
      const from = h.peer.requests.length;
      await h.sweep();
      assert.deepEqual(h.peer.writes(from), []);
      // The project moves to a fapilog that holds nothing back.
      const pyproject = h.peer
        .file('acme/orders', 'main', 'pyproject.toml')!
        .toString()
        .replace('fapilog==0.16.0', 'fapilog==0.18.1')
        .replace('"fapilog-kafka[lz4] >=2.0,<3 ; python_version >= \'3.11\'",\n', '')
        .replace('"fapilog-field-mapper==0.2.0",\n', '');
      h.peer.commitFiles('acme/orders', 'main', { 'pyproject.toml': pyproject }, 'fapilog 0.18.1', 'alice');
      const r3 = await h.sweep();
      assert.equal(r3.results[0]!.issues['fapilog-upgrade'], 'closed');
      assert.equal(h.peer.openIssues('acme/orders').length, 0);
    });
  });
});

describe('npm run bot:sweep', { concurrency: true }, () => {
  test('exits 2 with a clear message when the app credentials are missing', async () => {
    const { spawnSync } = await import('node:child_process');
    const res = spawnSync(process.execPath, [new URL('../../bot/sweep-main.ts', import.meta.url).pathname], {
      env: { PATH: process.env['PATH'] },
      encoding: 'utf8',
    });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /APP_ID and PRIVATE_KEY \(or PRIVATE_KEY_PATH\) must be set/);
  });
});

describe('pull request text', { concurrency: true }, () => {
  test('with a lockfile, the body names the lock command to run', async () => {
    await withBot(async (h, inst) => {
      const uvLock =
        'version = 1\n\n[[package]]\nname = "fapilog-otel"\nversion = "1.1.0"\n\n[[package]]\nname = "fapilog"\nversion = "0.16.0"\n';
      h.peer.addRepo(inst, 'acme/locked', {
        'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fapilog==0.16.0", "fapilog-otel==1.1.0"]\n',
        'uv.lock': uvLock,
      });
      await h.sweep();
      const [pr] = h.peer.pulls('acme/locked');
      assert.ok(pr, 'a pull request was opened');
      assert.match(pr.body!, /### Lockfile/);
      assert.match(pr.body!, /- `uv\.lock`: `uv lock --upgrade-package fapilog-otel`/);
      // The lockfile itself is never edited.
      assert.equal(h.peer.file('acme/locked', pr.pull!.head, 'uv.lock')!.toString(), uvLock);
      assert.match(h.peer.file('acme/locked', pr.pull!.head, 'pyproject.toml')!.toString(), /"fapilog-otel==2\.0\.0"/);
    });
  });

  test("marketplace text is escaped: no HTML, links, mentions or references from a plugin's description", async () => {
    const own = await startTestServer({ seed: true });
    const h = await startHarness(own.apiUrl);
    try {
      const inst = h.peer.addInstallation('acme');
      const evil = '<img src=x onerror=alert(1)> ping @admin about #1, see [docs](http://evil.test) **now** | col';
      const token = await own.createToken('mallory');
      for (const version of ['1.0.0', '1.1.0']) {
        const wheel = wheelFor('shady', version, { compat: '>=0.12', summary: evil });
        const res = await publish(
          own.apiUrl,
          'shady',
          metadataFor('shady', version, [wheel], { description: evil, fapilog_compatibility: '>=0.12' }),
          [wheel],
          token,
        );
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      h.peer.addRepo(inst, 'acme/small', { 'requirements.txt': 'fapilog==0.16.0\nfapilog-shady==1.0.0\n' });
      const r = await h.sweep();
      assert.deepEqual(r.failures, []);
      const [pr] = h.peer.pulls('acme/small');
      assert.ok(pr, JSON.stringify(r));
      const quote = pr.body!.split('\n').find((l) => l.startsWith('> '))!;
      assert.equal(
        quote,
        // The core's escaping: a zero-width space after `@` and `#` (no mention, no reference), HTML as entities.
        '> &lt;img src=x onerror=alert\\(1\\)&gt; ping @&#8203;admin about #&#8203;1, see \\[docs\\]\\(http\\://evil.test\\) \\*\\*now\\*\\* \\| col',
      );
      assert.doesNotMatch(pr.body!, /(^|[^\\])<img/);
      assert.doesNotMatch(pr.body!, /\]\(http:\/\/evil/);
      assert.ok(!pr.body!.includes('@admin'));
    } finally {
      await h.close();
      await own.stop();
    }
  });
});
