/**
 * The Action on GitHub itself, against the GitHub peer (test/bot/github-peer.ts) with a workflow's
 * GITHUB_TOKEN: on a pull request one comment with the report, edited in place on the next run
 * and deleted once the pull request is clean (`comment: true`); on a schedule one dashboard issue,
 * created once and kept current (`dashboard: true`). The runner runs as on GitHub, in a child
 * process, against the reference marketplace; the log and the summary of the same runs too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { GitHubPeer } from '../bot/github-peer.ts';
import { githubBody, marker } from '../../src/action/comment.ts';
import { GITHUB_LIMITS } from '../../src/core/render/github-limits.ts';
import { BUNDLE_ENTRY, makeWorkspace, REPO, runAction, type Workspace } from './harness.ts';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'action-app');
const SHA = 'a'.repeat(40);
const CLEAN = 'fapilog==0.16.0\nfapilog-loki==1.4.0\n';
/** The log's groups for test/fixtures/action-app: one per manifest, its counts in the title. */
const GROUPS = [
  'app/pyproject.toml: 1 plugin (1 outdated)',
  'app/requirements.txt: 6 plugins (1 up to date, 1 outdated, 1 incompatible, 1 held back, 1 yanked, 1 unknown)',
];

let server: TestServer;
let peer: GitHubPeer;
let tmp: string;
before(async () => {
  server = await startTestServer({ seed: true });
  peer = new GitHubPeer();
  await peer.start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fapilog-action-gh-'));
});
after(async () => {
  await peer?.stop();
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function eventFile(name: string, payload: unknown): string {
  const file = path.join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

function run(
  ws: Workspace,
  repo: string,
  token: string,
  event: { name: string; payload: unknown },
  inputs: Record<string, string>,
  entry?: string,
) {
  return runAction({
    ...(entry ? { entry } : {}),
    workspace: ws.dir,
    inputs: {
      path: 'app',
      'marketplace-url': server.apiUrl,
      'cache-dir': ws.cacheDir,
      'fail-on': 'never',
      'github-token': token,
      ...inputs,
    },
    env: {
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventFile(`${event.name}-${Math.random()}`, event.payload),
      GITHUB_REPOSITORY: repo,
      GITHUB_API_URL: `${peer.url}/api/v3`,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_SHA: SHA,
    },
  });
}

describe('comment: true on a pull request', () => {
  test('one comment with the report, edited in place on the next run, left alone when unchanged, deleted once clean', async () => {
    const inst = peer.addInstallation('acme');
    peer.addRepo(inst, 'acme/svc', { 'README.md': 'svc\n' });
    peer.repo('acme/svc').refs.set('refs/heads/feature', peer.repo('acme/svc').refs.get('refs/heads/main')!);
    const pr = peer.openPullAsPerson('acme/svc', 'feature', 'Pin plugins');
    const token = peer.workflowToken(inst);
    const ws = makeWorkspace(FIXTURE);
    const event = { name: 'pull_request', payload: { action: 'synchronize', number: pr.number, pull_request: { number: pr.number } } };
    try {
      let from = peer.requests.length;
      const first = await run(ws, 'acme/svc', token, event, { comment: 'true' });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.deepEqual(peer.writes(from), [`POST /repos/acme/svc/issues/${pr.number}/comments`]);
      const [comment] = peer.comments('acme/svc', pr.number);
      assert.ok(comment);
      assert.equal(peer.comments('acme/svc', pr.number).length, 1);
      assert.equal(comment.user, 'github-actions[bot]');
      assert.ok(comment.body.startsWith(`${marker('comment', 'app')}\n## fapilog plugins\n`), comment.body.slice(0, 200));
      assert.match(comment.body, /fapilog-cloudwatch/);
      // The summary and the comment link each file:line to the file at the commit.
      assert.ok(
        comment.body.includes(`[app/requirements.txt:5](https://github.example/acme/svc/blob/${SHA}/app/requirements.txt#L5)`),
        comment.body,
      );
      assert.match(first.stdout, /comment: created comment \d+ on #\d+/);

      // The next push changes the report: the same comment is edited.
      writeFileSync(
        path.join(ws.dir, 'app', 'requirements.txt'),
        readFileSync(path.join(ws.dir, 'app', 'requirements.txt'), 'utf8').replace('fapilog-otel==1.1.0', 'fapilog-otel==2.0.0'),
      );
      from = peer.requests.length;
      const second = await run(ws, 'acme/svc', token, event, { comment: 'true' });
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(peer.writes(from), [`PATCH /repos/acme/svc/issues/comments/${comment.id}`]);
      assert.equal(peer.comments('acme/svc', pr.number).length, 1);
      assert.doesNotMatch(peer.comments('acme/svc', pr.number)[0]!.body, /fapilog-otel \| 1\.1\.0/);

      // Nothing changed: nothing written.
      from = peer.requests.length;
      await run(ws, 'acme/svc', token, event, { comment: 'true' });
      assert.deepEqual(peer.writes(from), []);

      // Clean: the comment goes, and a clean run after that writes nothing.
      rmSync(path.join(ws.dir, 'app', 'pyproject.toml'));
      writeFileSync(path.join(ws.dir, 'app', 'requirements.txt'), CLEAN);
      from = peer.requests.length;
      const clean = await run(ws, 'acme/svc', token, event, { comment: 'true' });
      assert.equal(clean.outputs['has-problems'], 'false');
      assert.deepEqual(peer.writes(from), [`DELETE /repos/acme/svc/issues/comments/${comment.id}`]);
      assert.deepEqual(peer.comments('acme/svc', pr.number), []);
      from = peer.requests.length;
      await run(ws, 'acme/svc', token, event, { comment: 'true' });
      assert.deepEqual(peer.writes(from), []);
    } finally {
      ws.cleanup();
    }
  });

  test('off by default: no request to GitHub at all', async () => {
    const inst = peer.addInstallation('acme-off');
    peer.addRepo(inst, 'acme-off/svc', { 'README.md': 'svc\n' });
    const ws = makeWorkspace(FIXTURE);
    try {
      const from = peer.requests.length;
      const r = await run(
        ws,
        'acme-off/svc',
        peer.workflowToken(inst),
        { name: 'pull_request', payload: { pull_request: { number: 1 } } },
        {},
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(peer.calls(from), []);
    } finally {
      ws.cleanup();
    }
  });

  test('a token without the permission: a warning naming it, and the check itself still decides the step', async () => {
    const inst = peer.addInstallation('acme-ro');
    peer.addRepo(inst, 'acme-ro/svc', { 'README.md': 'svc\n' });
    const ws = makeWorkspace(FIXTURE);
    try {
      const r = await run(
        ws,
        'acme-ro/svc',
        'ghs_not-a-token',
        { name: 'pull_request', payload: { pull_request: { number: 1 } } },
        { comment: 'true' },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^::warning::comment: could not write the pull request comment \(.*\); the job needs `permissions: pull-requests: write`$/m,
      );
    } finally {
      ws.cleanup();
    }
  });
});

describe('dashboard: true on a schedule', () => {
  // Run from dist/: @actions/github lives in a chunk of its own, loaded only with these inputs.
  test('one issue "fapilog plugins", created once and kept current (the bundled Action)', async () => {
    const inst = peer.addInstallation('acme-dash');
    peer.addRepo(inst, 'acme-dash/svc', { 'README.md': 'svc\n' });
    const token = peer.workflowToken(inst);
    const ws = makeWorkspace(FIXTURE);
    const event = { name: 'schedule', payload: { schedule: '17 6 * * 1' } };
    try {
      let from = peer.requests.length;
      const first = await run(ws, 'acme-dash/svc', token, event, { dashboard: 'true', comment: 'true' }, BUNDLE_ENTRY);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(peer.writes(from), ['POST /repos/acme-dash/svc/issues']);
      const [issue] = peer.openIssues('acme-dash/svc');
      assert.ok(issue);
      assert.equal(issue.title, 'fapilog plugins (app)');
      assert.equal(issue.user, 'github-actions[bot]');
      assert.ok(issue.body!.startsWith(`${marker('dashboard', 'app')}\n## fapilog plugins\n`));
      assert.match(issue.body!, /fapilog-otel/);
      // The comment input has nothing to do on a schedule, and says so.
      assert.match(first.stdout, /comment: the schedule event has no pull request to comment on/);

      writeFileSync(
        path.join(ws.dir, 'app', 'requirements.txt'),
        readFileSync(path.join(ws.dir, 'app', 'requirements.txt'), 'utf8').replace('fapilog-otel==1.1.0', 'fapilog-otel==2.0.0'),
      );
      from = peer.requests.length;
      await run(ws, 'acme-dash/svc', token, event, { dashboard: 'true' }, BUNDLE_ENTRY);
      assert.deepEqual(peer.writes(from), [`PATCH /repos/acme-dash/svc/issues/${issue.number}`]);
      assert.equal(peer.repo('acme-dash/svc').issues.length, 1);
      assert.doesNotMatch(peer.openIssues('acme-dash/svc')[0]!.body!, /fapilog-otel \| 1\.1\.0/);

      from = peer.requests.length;
      await run(ws, 'acme-dash/svc', token, event, { dashboard: 'true' }, BUNDLE_ENTRY);
      assert.deepEqual(peer.writes(from), []);
    } finally {
      ws.cleanup();
    }
  });
});

describe('the comment body is capped as GitHub requires', () => {
  test('a report longer than 65,536 characters is cut at a line with a note; a short one is kept whole', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `| fapilog-p${i} | 1.0.0 | 1.1.0 | 1.1.0 | outdated | note |`).join('\n');
    const capped = githubBody('comment', '.', long);
    assert.equal(GITHUB_LIMITS.commentChars, 65_536);
    assert.ok(capped.length <= GITHUB_LIMITS.commentChars, String(capped.length));
    assert.ok(capped.startsWith(`${marker('comment', '.')}\n| fapilog-p0 |`), 'the marker, then the report from its start');
    assert.match(
      capped,
      /\| note \|\n\n> \[!NOTE\]\n> Cut at 65,536 characters, GitHub's limit: the full report is in the job summary and the `report` output\.\n$/,
    );
    assert.equal(githubBody('comment', '.', 'short\n'), `${marker('comment', '.')}\nshort\n`);
  });
  test('a cut inside a code block closes the fence before the note', () => {
    const fenced = `intro\n\`\`\`\n${'x'.repeat(100).concat('\n').repeat(1000)}\`\`\`\n`;
    const capped = githubBody('comment', '.', fenced);
    assert.ok(capped.length <= GITHUB_LIMITS.commentChars);
    assert.match(capped, /x\n```\n\n> \[!NOTE\]\n> Cut at/);
  });
});

describe('the log', () => {
  test('a group per manifest, no line for an up-to-date plugin, and each output written once', async () => {
    const ws = makeWorkspace(FIXTURE);
    try {
      const r = await runAction({
        workspace: ws.dir,
        inputs: { path: 'app', 'marketplace-url': server.apiUrl, 'cache-dir': ws.cacheDir, 'fail-on': 'never' },
      });
      assert.equal(r.code, 0, r.stderr);
      const groups = [...r.stdout.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]);
      assert.deepEqual(groups, GROUPS, r.stdout);
      assert.equal((r.stdout.match(/^::group::/gm) ?? []).length, (r.stdout.match(/^::endgroup::$/gm) ?? []).length);
      assert.doesNotMatch(r.stdout, /: up-to-date$/m);
      assert.match(r.stdout, /fapilog-otel 1\.1\.0 -> 2\.0\.0 \(latest 2\.0\.0\): outdated/);
      // GITHUB_OUTPUT: the harness refuses a name written twice (`url` of publish included).
      assert.deepEqual(Object.keys(r.outputs).sort(), [
        'has-problems',
        'incompatible-count',
        'outdated-count',
        'report',
        'vulnerable-count',
      ]);
    } finally {
      ws.cleanup();
    }
  });
});
