/**
 * Trust signals in the pure analysis: advisories (the `vulnerable` status, never proposing an
 * affected release), deprecation notes and the waiting period for new releases.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { affects, inRange } from '../../../src/core/advisories/affects.ts';
import { Osv } from '../../../src/core/advisories/osv.ts';
import { buildReport, type AnalysisInput } from '../../../src/core/analysis/build-report.ts';
import { chooseRelease } from '../../../src/core/analysis/choose-release.ts';
import { decide } from '../../../src/core/analysis/policy.ts';
import { hasProblems, Report, type PluginEntry } from '../../../src/core/analysis/report.ts';
import { isStuck, isUpdatable, notUpdatable } from '../../../src/core/analysis/updatable.ts';
import type { BatchEntry, ReleaseAdvisory } from '../../../src/core/marketplace/schemas.ts';
import { renderAnnotations } from '../../../src/core/render/annotations.ts';
import { renderSummary } from '../../../src/core/render/summary.ts';
import { FAPILOG_VERSIONS, dep, entry, release, scan } from './builders.ts';

const GHSA: ReleaseAdvisory = { id: 'GHSA-aaaa-bbbb-cccc', summary: 'Credentials in log lines', aliases: ['CVE-2026-1234'] };
const hit = { advisories: [GHSA] };
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function report(deps: ReturnType<typeof dep>[], market: Record<string, BatchEntry | null>, opts: Partial<AnalysisInput> = {}): Report {
  const r = buildReport({
    scan: scan(deps),
    plugins: market,
    fapilogVersions: FAPILOG_VERSIONS,
    marketplace: { url: 'http://127.0.0.1:1/api/v1', stale: false },
    ...opts,
  });
  // Built as the schema shapes it, key order included (it is not parsed again).
  assert.equal(JSON.stringify(Report.parse(r)), JSON.stringify(r));
  return r;
}
const one = (r: Report, pkg = 'fapilog-loki'): PluginEntry => r.plugins.find((p) => p.package === pkg)!;
const fapilog = dep('fapilog==0.16.0');

describe('OSV ranges (PEP 440)', () => {
  const osv = Osv.parse({
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2026-12-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'fapilog_Loki' },
        ranges: [
          { type: 'ECOSYSTEM', events: [{ fixed: '1.2.1' }, { introduced: '1.1.0' }, { introduced: '2.0' }, { last_affected: '2.1' }] },
        ],
        versions: ['0.9.0'],
      },
    ],
  });
  test('introduced/fixed/last_affected in version order, explicit versions, names compared normalised', () => {
    const at = (v: string) => affects(osv, 'fapilog-loki', v);
    assert.deepEqual(['0.9.0', '1.0.0', '1.1.0', '1.2.0', '1.2.1', '1.3.0', '2.0.0', '2.1', '2.1.0.post1', '2.2'].filter(at), [
      '0.9.0',
      '1.1.0',
      '1.2.0',
      '2.0.0',
      '2.1',
    ]);
    assert.equal(affects(osv, 'fapilog-otel', '1.1.0'), false, 'another package');
    assert.equal(affects({ ...osv, withdrawn: '2026-12-02T00:00:00Z' }, 'fapilog-loki', '1.1.0'), false, 'withdrawn');
    assert.equal(inRange('0.0.1', { events: [{ introduced: '0' }] }), true, 'introduced 0: every release');
  });
  test('a bad record names the field', () => {
    const bad = Osv.safeParse({
      id: 'X-1',
      modified: '2026-12-01T00:00:00Z',
      affected: [{ package: { name: 'x' }, ranges: [{ type: 'GIT', events: [] }] }],
    });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error!.issues[0]!.path, ['affected', 0, 'ranges', 0, 'type']);
    const version = Osv.safeParse({
      id: 'X-1',
      modified: '2026-12-01T00:00:00Z',
      affected: [{ package: { name: 'x' }, versions: ['not a version'] }],
    });
    assert.deepEqual(version.error!.issues[0]!.path, ['affected', 0, 'versions', 0]);
    assert.match(version.error!.issues[0]!.message, /PEP 440/);
  });
});

describe('vulnerable', () => {
  const loki = entry(
    release('fapilog-loki', '1.1.0', '>=0.14', hit),
    release('fapilog-loki', '1.2.0', '>=0.14', hit),
    release('fapilog-loki', '1.2.1', '>=0.14'),
    release('fapilog-loki', '1.3.0', '>=0.14', hit),
    release('fapilog-loki', '1.4.0', '>=0.18'),
  );

  test('the pin is affected: vulnerable, the most serious problem; latest compatible skips affected releases', () => {
    const r = report([fapilog, dep('fapilog-loki==1.2.0')], { 'fapilog-loki': loki });
    const p = one(r);
    assert.equal(p.status, 'vulnerable');
    assert.equal(p.latestCompatible, '1.2.1', '1.3.0 is newer and compatible but affected');
    assert.equal(p.latest, '1.4.0');
    assert.deepEqual(p.advisories, [GHSA]);
    assert.equal(
      p.note,
      '1.2.0 is affected by GHSA-aaaa-bbbb-cccc (Credentials in log lines); ' +
        'move to 1.2.1, the newest release that works with fapilog 0.16.0 and is not affected.',
    );
    assert.ok(isUpdatable(p));
    assert.ok(hasProblems(r));
    assert.equal(decide(r, 'incompatible').failed, true, "the Action's default level fails on it");
    assert.equal(decide(r, 'never').failed, false);
    assert.equal(r.counts.vulnerable, 1);
    const [annotation] = renderAnnotations(r, '/project');
    assert.equal(annotation?.level, 'error');
    assert.equal(annotation?.title, 'fapilog-loki 1.2.0 is affected by GHSA-aaaa-bbbb-cccc');
    const summary = renderSummary(r, { failed: true, failureMessage: 'x' });
    assert.match(
      summary,
      new RegExp(
        '> \\[!CAUTION\\]\n> \\*\\*Security advisories\\*\\* affect these releases:\n>\n' +
          '> - `fapilog-loki 1\\.2\\.0`: `GHSA-aaaa-bbbb-cccc` Credentials in log lines',
      ),
    );
    assert.match(summary, /🚨 vulnerable/);
  });

  test('an unaffected pin below an affected release is not moved to it (held back only by the fapilog 1.4.0 needs)', () => {
    const p = one(report([fapilog, dep('fapilog-loki==1.2.1')], { 'fapilog-loki': loki }));
    assert.equal(p.status, 'held-back');
    assert.equal(p.latestCompatible, '1.2.1');
    assert.match(p.note, /^1\.4\.0 is available but needs fapilog 0\.18\.0 or newer/);
  });

  test('an affected release as the only compatible one: the note says so and nothing is proposed', () => {
    const only = entry(release('fapilog-loki', '1.0.0', '>=0.14', hit), release('fapilog-loki', '2.0.0', '>=0.18'));
    const p = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': only }));
    assert.equal(p.status, 'vulnerable');
    assert.equal(p.latestCompatible, null);
    assert.match(p.note, /; it is the only release that works with fapilog 0\.16\.0, so nothing is proposed\.$/);
    assert.equal(isUpdatable(p), false);
    assert.ok(isStuck(p));
    assert.deepEqual(notUpdatable(p, '0.16.0'), { reason: p.note, needsAttention: true });

    const old = entry(
      release('fapilog-loki', '0.9.0', '<0.15'),
      release('fapilog-loki', '1.0.0', '>=0.14', hit),
      release('fapilog-loki', '2.0.0', '>=0.18'),
    );
    const q = one(report([fapilog, dep('fapilog-loki==0.9.0')], { 'fapilog-loki': old }));
    assert.equal(q.status, 'incompatible');
    assert.equal(q.latestCompatible, null);
    assert.match(
      q.note,
      /the only release that works with fapilog 0\.16\.0, 1\.0\.0, is affected by an advisory, so nothing is proposed\.$/,
    );
  });

  test('an older unaffected release is the way off an affected one (a downgrade update allows)', () => {
    const newer = entry(release('fapilog-loki', '1.0.0', '>=0.14'), release('fapilog-loki', '1.1.0', '>=0.14', hit));
    const p = one(report([fapilog, dep('fapilog-loki==1.1.0')], { 'fapilog-loki': newer }));
    assert.equal(p.status, 'vulnerable');
    assert.equal(p.latestCompatible, '1.0.0');
  });
});

describe('fapilog upgrade', () => {
  test('"fapilog X would unlock" never targets a release an advisory affects', () => {
    const held = entry(
      release('fapilog-loki', '1.0.0', '>=0.14'),
      release('fapilog-loki', '1.1.0', '>=0.17'),
      release('fapilog-loki', '1.2.0', '>=0.18', hit),
    );
    const r = report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': held });
    assert.equal(one(r).status, 'held-back');
    const upgrade = r.environments?.[0]?.upgrade;
    assert.equal(upgrade?.fapilog, '0.17.0');
    assert.deepEqual(
      upgrade?.plugins.map((p) => [p.package, p.to]),
      [['fapilog-loki', '1.1.0']],
    );
  });
});

describe('deprecation', () => {
  test('outdated names the replacement; the status is unchanged', () => {
    const old = entry(release('fapilog-loki', '1.0.0', '>=0.14'));
    old.plugin.deprecation = {
      state: 'deprecated',
      reason: 'Unmaintained.',
      replacement: 'fapilog-loki2',
      since: '2026-11-01T00:00:00+00:00',
    };
    const p = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': old }));
    assert.equal(p.status, 'up-to-date');
    assert.deepEqual(p.deprecation, old.plugin.deprecation);
    assert.match(p.note, / fapilog-loki is deprecated \(Unmaintained\); use fapilog-loki2 instead\.$/);
  });
});

describe('minimum release age', () => {
  const fresh = (affected: boolean) =>
    entry(
      release('fapilog-loki', '1.0.0', '>=0.14', { published_at: daysAgo(30), ...(affected ? hit : {}) }),
      release('fapilog-loki', '1.1.0', '>=0.14', { published_at: daysAgo(10) }),
      release('fapilog-loki', '1.2.0', '>=0.14', { published_at: daysAgo(1) }),
    );
  const age = { minimumReleaseAge: 3, now: NOW };

  test('a one-day-old release waits under 3 days; the report says until when', () => {
    const p = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': fresh(false) }, age));
    assert.equal(p.status, 'outdated');
    assert.equal(p.latestCompatible, '1.1.0');
    assert.deepEqual(p.waiting, { version: '1.2.0', published_at: daysAgo(1), until: daysAgo(-2) });
    assert.match(p.note, /1\.2\.0 is waiting: published 2026-12-06, proposed from 2026-12-09 \(minimum release age 3 days\)\.$/);
    const without = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': fresh(false) }));
    assert.equal(without.latestCompatible, '1.2.0');
    assert.equal(without.waiting, undefined);
  });

  test('on the newest mature release: up to date, a newer one waiting', () => {
    const p = one(report([fapilog, dep('fapilog-loki==1.1.0')], { 'fapilog-loki': fresh(false) }, age));
    assert.equal(p.status, 'up-to-date');
    assert.equal(p.waiting?.version, '1.2.0');
  });

  test('a security fix does not wait', () => {
    const p = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': fresh(true) }, age));
    assert.equal(p.status, 'vulnerable');
    assert.equal(p.latestCompatible, '1.2.0');
    assert.equal(p.waiting, undefined);
  });

  test('unknown publish time (null from an index without upload times, or an old cached epoch): the release waits, said so', () => {
    for (const unknown of [null, '1970-01-01T00:00:00+00:00']) {
      const idx = entry(
        release('fapilog-loki', '1.0.0', '>=0.14', { published_at: daysAgo(30) }),
        release('fapilog-loki', '1.1.0', '>=0.14', { published_at: unknown }),
      );
      const p = one(report([fapilog, dep('fapilog-loki==1.0.0')], { 'fapilog-loki': idx }, age));
      assert.equal(p.status, 'up-to-date');
      assert.deepEqual(p.waiting, { version: '1.1.0', published_at: null, until: null });
      assert.match(p.note, /1\.1\.0 is waiting: its publish time is unknown \(minimum release age 3 days\)\.$/);
    }
  });
});

describe('install', () => {
  test('the default pick skips a release an advisory affects; asked for by version, it comes with a warning', () => {
    const loki = entry(release('fapilog-loki', '1.0.0', '>=0.14'), release('fapilog-loki', '1.1.0', '>=0.14', hit));
    const s = scan([dep('fapilog==0.16.0')]);
    assert.equal(chooseRelease({ package: 'fapilog-loki', version: null }, loki, s, FAPILOG_VERSIONS).release.version, '1.0.0');
    const asked = chooseRelease({ package: 'fapilog-loki', version: '1.1.0' }, loki, s, FAPILOG_VERSIONS);
    assert.equal(asked.release.version, '1.1.0');
    assert.deepEqual(asked.warnings, ['fapilog-loki 1.1.0 is affected by GHSA-aaaa-bbbb-cccc (Credentials in log lines)']);
    const only = entry(release('fapilog-loki', '1.1.0', '>=0.14', hit));
    assert.throws(
      () => chooseRelease({ package: 'fapilog-loki', version: null }, only, s, FAPILOG_VERSIONS),
      /no unaffected release of fapilog-loki/,
    );
  });
});
