/** The fail policy shared by `outdated --fail-on` and the Action's `fail-on`. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decide, failingStatuses, FAIL_ON, FailOn } from '../../../src/core/analysis/policy.ts';
import { PROBLEM_STATUSES, Report, STATUSES, type Status } from '../../../src/core/analysis/report.ts';

function report(statuses: Status[]): Report {
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
      location: { file: 'requirements.txt', line: i + 2, column: 1, endLine: i + 2, endColumn: 20, text: `fapilog-p${i}==1.0`, section: 'requirements' },
      specifier: '==1.0',
      current: '1.0',
      currentSource: 'pinned',
      latest: '2.0',
      latestCompatible: '2.0',
      currentCompatibility: null,
      status,
      requiresFapilog: null,
      note: '',
    })),
    counts,
    warnings: [],
  });
}

describe('fail policy', () => {
  test('each level fails on everything the one before it does, and more', () => {
    for (let i = 1; i < FAIL_ON.length - 1; i++) {
      const lower = failingStatuses(FAIL_ON[i - 1]!);
      const higher = failingStatuses(FAIL_ON[i]!);
      for (const s of lower) assert.ok(higher.includes(s), `${FAIL_ON[i]} includes ${s}`);
      assert.ok(higher.length > lower.length, `${FAIL_ON[i]} adds a status`);
    }
    assert.deepEqual(failingStatuses('never'), []);
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
    assert.equal(decide(r, 'outdated').failureMessage, '2 plugins failed the check (fail-on: outdated): fapilog-p1 1.0 (outdated), fapilog-p2 1.0 (yanked)');
    assert.deepEqual(decide(r, 'never'), { failed: false, failureMessage: null });
    assert.deepEqual(decide(report(['held-back']), 'outdated'), { failed: false, failureMessage: null });
    assert.equal(decide(report(['held-back']), 'held-back').failed, true);
  });

  test('FailOn parses the four levels and names them when given anything else', () => {
    for (const level of FAIL_ON) assert.equal(FailOn.parse(level), level);
    const bad = FailOn.safeParse('sometimes');
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0]!.message, /"incompatible"\|"outdated"\|"held-back"\|"never"/);
  });
});
