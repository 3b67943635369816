/**
 * The one pull-request renderer (src/core/render/pull-request.ts): titles, commit messages and
 * bodies from a plan and a report, escaped, within GitHub's caps. The bot's pull requests are
 * checked end to end against the GitHub peer in test/bot/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { commitMessage, pullRequestBody, pullRequestTitle, type PullRequestInput } from '../../../src/core/render/index.ts';
import type { PlannedChange } from '../../../src/core/project/index.ts';
import { plannedChange } from '../../helpers/planned.ts';
import type { BatchEntry } from '../../../src/core/marketplace/schemas.ts';
import { sampleReport } from '../../action/report-fixture.ts';

const change = plannedChange;

const report = sampleReport('/project');
const input = (planned: PlannedChange[], p: Partial<PullRequestInput> = {}): PullRequestInput => ({
  unit: { key: planned[0]?.package ?? 'x', group: false },
  plan: { planned, lock: [] },
  report,
  ...p,
});

const entry = (description: string): BatchEntry =>
  ({
    plugin: { description, homepage: 'javascript:alert(1)', repository: null },
    releases: [{ version: '1.4.0', fapilog_compatibility: '>=0.5', published_at: '2026-01-02T00:00:00Z', requires_python: '>=3.10' }],
  }) as unknown as BatchEntry;

const render = (md: string) => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });

describe('pull request title and commit message', () => {
  test('one plugin with its target, a group with each, a co-upgrade, an environment, a prefix', () => {
    assert.equal(pullRequestTitle(input([change({})])), 'Update fapilog-loki to 1.4.0');
    assert.equal(pullRequestTitle(input([change({}), change({ file: 'b.txt' })])), 'Update fapilog-loki to 1.4.0');
    const two = [change({ package: 'fapilog-kafka', target: '2.1.0' }), change({})];
    assert.equal(
      pullRequestTitle(input(two, { unit: { key: 'obs', group: true }, prefix: 'chore(deps):' })),
      'chore(deps): Update fapilog plugins (obs): fapilog-kafka 2.1.0, fapilog-loki 1.4.0',
    );
    assert.equal(
      pullRequestTitle(input([change({})], { unit: { key: 'fapilog-loki', group: false, environment: 'services/api' } })),
      'Update fapilog-loki to 1.4.0 in services/api',
    );
    const co = [change({ package: 'fapilog', target: '0.18.1' }), change({ package: 'fapilog-kafka', target: '3.1.0' })];
    assert.equal(
      pullRequestTitle(input(co, { unit: { key: 'fapilog-upgrade', group: true, coUpgrade: { fapilog: '0.18.1', from: '0.16.0' } } })),
      'Update fapilog to 0.18.1 with fapilog-kafka 3.1.0',
    );
  });

  test('a title is one line without controls, cut to what GitHub shows', () => {
    assert.equal(pullRequestTitle(input([change({ target: '1.4.0\n::error::x' })])), 'Update fapilog-loki to 1.4.0 ::error::x');
    assert.doesNotMatch(pullRequestTitle(input([change({ target: '1.4.0\u001b[31m' })])), /\u001b/);
    assert.ok(pullRequestTitle(input([change({ target: 'x'.repeat(1000) })])).length <= 250);
  });

  test('the commit message lists every edit, one line each', () => {
    const msg = commitMessage(input([change({}), change({ file: 'a\nb.txt', line: 7, from: '' })]));
    assert.equal(
      msg,
      'Update fapilog-loki to 1.4.0\n\n' +
        '- fapilog-loki: ==1.2.0 -> ==1.4.0 in requirements.txt:2\n' +
        '- fapilog-loki: (any) -> ==1.4.0 in a b.txt:7\n',
    );
  });
});

describe('pull request body', () => {
  test('the edits table, the release notes and the lock commands, escaped', () => {
    const body = pullRequestBody(
      input([change({ hashesReplaced: true }), change({ package: 'fapilog-x|y', from: '>=1', to: '>=1', target: '1.5.0' })], {
        unit: { key: 'g', group: true },
        plan: {
          planned: [change({ hashesReplaced: true }), change({ package: 'fapilog-x|y', from: '>=1', to: '>=1', target: '1.5.0' })],
          lock: [
            { lockfile: 'svc/uv.lock', directory: 'svc', command: 'uv', args: ['lock'], display: 'uv lock --upgrade-package fapilog-loki' },
          ],
        },
        plugins: { 'fapilog-loki': entry('Ships <b>logs</b> | to @grafana, see #3') },
      }),
      { footer: 'Made by a test.', trailer: '<!-- marker -->' },
    );
    const row = '| fapilog-loki | requirements.txt:2 | 1.2.0 \\(==1.2.0\\) | 1.4.0 \\(==1.4.0\\) (hashes replaced) | &gt;=0.5 | 0.5.2 |';
    assert.ok(body.split('\n').includes(row), body);
    assert.match(body, /^\| fapilog-x\\\|y \| .* \(already admits 1\.5\.0; lockfile only\) \|/m);
    assert.match(body, /^> Ships &lt;b&gt;logs&lt;\/b&gt; \\\| to @&#8203;grafana, see #&#8203;3$/m);
    // The homepage is not an http(s) URL: its label only, no link.
    assert.match(body, /^published 2026-01-02 · Python &gt;=3\.10 · project page · \[release in the marketplace\]\(http/m);
    assert.match(body, /^\*\*Why:\*\* 0\.3\.1 is compatible with fapilog 0\.5\.2$/m);
    assert.match(body, /^- `svc\/uv\.lock`: `cd svc && uv lock --upgrade-package fapilog-loki`$/m);
    assert.ok(body.endsWith('\n\n---\nMade by a test.\n\n<!-- marker -->'), body.slice(-100));
    const html = render(body.slice(0, body.indexOf('\n\n---')));
    assert.doesNotMatch(html, /<b>|<img|href="javascript/);
    assert.doesNotMatch(html, /@grafana|#3/);
  });

  test("GitHub's 65,536-character cap: the body is cut to fit, the footer and the trailer (the marker) stay whole", () => {
    const many = Array.from({ length: 400 }, (_, i) => change({ package: `fapilog-p${i}`, file: `${'d/'.repeat(80)}r.txt` }));
    const plugins = Object.fromEntries(many.map((c) => [c.package, entry('y'.repeat(2000))]));
    const trailer = `<!-- fapilog-plugins:state ${'z'.repeat(500)} -->`;
    const body = pullRequestBody(input(many, { unit: { key: 'all', group: true }, plugins }), { footer: 'footer', trailer });
    assert.ok(body.length <= 65_536, String(body.length));
    assert.ok(body.endsWith(`\n\n---\nfooter\n\n${trailer}`));
    assert.match(body, /more lines cut: GitHub takes at most 65,536 characters/);
  });

  test('a co-upgrade names the fapilog move, and says when only the lockfile moves', () => {
    const unit = { key: 'fapilog-upgrade', group: true, coUpgrade: { fapilog: '0.18.1', from: '0.16.0' } };
    const planned = [change({ package: 'fapilog', target: '0.18.1', from: '==0.16.0', to: '==0.18.1', line: 1 }), change({})];
    const body = pullRequestBody(input(planned, { unit }));
    assert.match(body, /^This pull request moves \*\*fapilog\*\* from 0\.16\.0 to \*\*0\.18\.1\*\*, the lowest fapilog release/m);
    assert.match(body, /^- `fapilog` in requirements\.txt:1: `==0\.16\.0` → `==0\.18\.1`$/m);
    assert.doesNotMatch(body, /^\| fapilog \|/m, 'fapilog is not a row of the plugin table');
    const lockOnly = pullRequestBody(input([change({})], { unit }));
    assert.match(lockOnly, /The specifiers of `fapilog` already admit 0\.18\.1: only the lockfile moves\./);
  });
});
