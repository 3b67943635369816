/** The fail policy shared by `outdated --fail-on` and the Action's `fail-on`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decide, failingStatuses, failsOnPublisherChange, failureReasons, FAIL_ON, FailOn } from '../../../src/core/analysis/policy.ts';
import { PROBLEM_STATUSES, Report, STATUSES, type ReportPublisherChange, type Status } from '../../../src/core/analysis/report.ts';

const CHANGE: ReportPublisherChange = {
  from: {
    kind: 'trusted',
    issuer: 'https://token.actions.githubusercontent.com',
    repository: 'acme/p',
    repository_id: '1',
    repository_owner_id: '2',
    workflow_ref: 'acme/p/.github/workflows/release.yml@refs/tags/v1.0',
    ref: 'refs/tags/v1.0',
    sha: 'a'.repeat(40),
    environment: null,
  },
  to: { kind: 'token', owner: 'mallory' },
  reason: 'token-after-trusted',
  version: '2.0',
  since: '1.0',
};

/** One entry per status; `changed` lists the indexes whose target has another publisher. */
function report(statuses: Status[], changed: number[] = []): Report {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, statuses.filter((t) => t === s).length]));
  return Report.parse({
    root: '/p',
    fapilog: { version: '0.16.0', source: 'pinned', specifier: '==0.16.0', from: 'requirements.txt:1' },
    marketplace: { url: 'http://127.0.0.1:1/api/v1', stale: false },
    manifests: ['requirements.txt'],
    lockfiles: [],
    plugins: statuses.map((status, i) => ({
      package: `fapilog-p${i}`,
      name: `p${i}`,
      location: {
        file: 'requirements.txt',
        line: i + 2,
        column: 1,
        endLine: i + 2,
        endColumn: 20,
        text: `fapilog-p${i}==1.0`,
        section: 'requirements',
      },
      specifier: '==1.0',
      current: '1.0',
      currentSource: 'pinned',
      latest: '2.0',
      latestCompatible: '2.0',
      currentCompatibility: null,
      status,
      requiresFapilog: null,
      note: '',
      publisherChange: changed.includes(i) ? CHANGE : null,
    })),
    counts,
    warnings: [],
  });
}

describe('fail policy', () => {
  test('each level fails on everything the one before it does, and more', () => {
    const everything = [...STATUSES].flatMap((s) => [
      { status: s, publisherChange: null },
      { status: s, publisherChange: CHANGE },
    ]);
    const failing = (level: FailOn) => everything.filter((e) => failureReasons(e, level).length > 0);
    for (let i = 1; i < FAIL_ON.length - 1; i++) {
      const lower = failing(FAIL_ON[i - 1]!);
      const higher = failing(FAIL_ON[i]!);
      for (const e of lower)
        assert.ok(higher.includes(e), `${FAIL_ON[i]} fails on ${e.status}${e.publisherChange ? ' with a changed publisher' : ''}`);
      assert.ok(higher.length > lower.length, `${FAIL_ON[i]} adds something`);
    }
    assert.deepEqual(failing('never'), []);
    assert.deepEqual(FAIL_ON, ['incompatible', 'publisher-changed', 'outdated', 'held-back', 'never']);
  });

  test('publisher-changed adds exactly the changed publishers to incompatible; incompatible and never ignore them', () => {
    assert.deepEqual(failingStatuses('publisher-changed'), failingStatuses('incompatible'));
    assert.deepEqual(FAIL_ON.filter(failsOnPublisherChange), ['publisher-changed', 'outdated', 'held-back']);
    const r = report(['up-to-date', 'held-back', 'outdated'], [1, 2]);
    assert.deepEqual(decide(r, 'incompatible'), { failed: false, failureMessage: null });
    assert.deepEqual(decide(r, 'never'), { failed: false, failureMessage: null });
    assert.deepEqual(decide(r, 'publisher-changed'), {
      failed: true,
      failureMessage:
        '2 plugins failed the check (fail-on: publisher-changed): fapilog-p1 1.0 (publisher changed in 2.0), fapilog-p2 1.0 (publisher changed in 2.0)',
    });
    assert.equal(
      decide(r, 'outdated').failureMessage,
      '2 plugins failed the check (fail-on: outdated): fapilog-p1 1.0 (publisher changed in 2.0), fapilog-p2 1.0 (outdated, publisher changed in 2.0)',
    );
    assert.equal(
      decide(report(['held-back'], [0]), 'outdated').failed,
      true,
      'a held-back plugin with a changed publisher fails at outdated',
    );
    assert.equal(decide(report(['held-back']), 'outdated').failed, false);
  });

  test('held-back is every problem status: the level the CLI uses by default', () => {
    assert.deepEqual([...failingStatuses('held-back')].sort(), [...PROBLEM_STATUSES].sort());
    for (const level of FAIL_ON) assert.ok(!failingStatuses(level).includes('up-to-date') && !failingStatuses(level).includes('unknown'));
  });

  test('decide names each offender with its version and status, and the level', () => {
    const r = report(['up-to-date', 'outdated', 'yanked', 'unknown']);
    assert.deepEqual(decide(r, 'incompatible'), {
      failed: true,
      failureMessage: '1 plugin failed the check (fail-on: incompatible): fapilog-p2 1.0 (yanked)',
    });
    assert.equal(
      decide(r, 'outdated').failureMessage,
      '2 plugins failed the check (fail-on: outdated): fapilog-p1 1.0 (outdated), fapilog-p2 1.0 (yanked)',
    );
    assert.deepEqual(decide(r, 'never'), { failed: false, failureMessage: null });
    assert.deepEqual(decide(report(['held-back']), 'outdated'), { failed: false, failureMessage: null });
    assert.equal(decide(report(['held-back']), 'held-back').failed, true);
  });

  test('FailOn parses the five levels and names them when given anything else', () => {
    for (const level of FAIL_ON) assert.equal(FailOn.parse(level), level);
    const bad = FailOn.safeParse('sometimes');
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0]!.message, /"incompatible"\|"publisher-changed"\|"outdated"\|"held-back"\|"never"/);
  });
});
