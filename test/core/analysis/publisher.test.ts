/**
 * Publisher changes in the analysis and everything rendered from it: which pair of releases is
 * compared, the report entry and warning, the Action's annotation and summary, the PR body of a
 * planned update, and `install`'s warning. Pure: hand-built marketplace answers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport } from '../../../src/core/analysis/build-report.ts';
import { installPublisherChange, publisherWarning, targetVersion } from '../../../src/core/analysis/publisher.ts';
import { Report, type PluginEntry } from '../../../src/core/analysis/report.ts';
import type { BatchEntry, Provenance, TrustedProvenance } from '../../../src/core/marketplace/schemas.ts';
import { GITHUB_OIDC_ISSUER } from '../../../src/core/marketplace/schemas.ts';
import { MemoryProjectFiles, planInstall, planUpdate, type PluginLookup } from '../../../src/core/project/index.ts';
import { shownText } from '../../helpers/markdown.ts';
import { pullRequestBody, renderAnnotations, renderSummary } from '../../../src/core/render/index.ts';
import { FAPILOG_VERSIONS, dep, entry, release, scan } from './builders.ts';

const trusted = (repository: string, repository_id: string, over: Partial<TrustedProvenance> = {}): TrustedProvenance => ({
  kind: 'trusted',
  issuer: GITHUB_OIDC_ISSUER,
  repository,
  repository_id,
  repository_owner_id: '45',
  workflow_ref: `${repository}/.github/workflows/release.yml@refs/tags/v1`,
  ref: 'refs/tags/v1',
  sha: '0123456789abcdef0123456789abcdef01234567',
  environment: null,
  ...over,
});
const ACME = trusted('acme/fapilog-loki', '123');
const FORK = trusted('mallory/fapilog-loki', '999', { repository_owner_id: '77' });
const TOKEN: Provenance = { kind: 'token', owner: 'mallory' };

const rel = (pkg: string, version: string, provenance: Provenance | null, compat = '>=0.14', extra = {}) =>
  release(pkg, version, compat, { provenance, ...extra });

const ACME_TEXT = 'trusted publisher acme/fapilog-loki (repository id 123), workflow release.yml';
const FORK_TEXT = 'trusted publisher mallory/fapilog-loki (repository id 999), workflow release.yml';

function reportOf(market: Record<string, BatchEntry | null>, ...requirements: string[]): Report {
  const r = buildReport({
    scan: scan([dep('fapilog==0.16.0'), ...requirements.map((r) => dep(r))]),
    plugins: market,
    fapilogVersions: FAPILOG_VERSIONS,
    marketplace: { url: 'http://127.0.0.1:1/api/v1', stale: false },
  });
  // Not re-parsed when built: it must already be what the schema makes of it, key order included.
  assert.equal(JSON.stringify(Report.parse(r)), JSON.stringify(r));
  return r;
}
const plugin = (r: Report, pkg: string): PluginEntry => r.plugins.find((p) => p.package === pkg)!;

describe('publisher changes in the analysis', () => {
  test('outdated, the newest compatible release from another repository: entry, note and the first warning', () => {
    const r = reportOf(
      { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '1.1.0', FORK)) },
      'fapilog-loki==1.0.0',
    );
    const p = plugin(r, 'fapilog-loki');
    assert.equal(p.status, 'outdated');
    assert.deepEqual(p.publisherChange, { from: ACME, to: FORK, reason: 'another-repository', version: '1.1.0', since: '1.0.0' });
    assert.equal(
      p.note,
      '1.1.0 is available and works with fapilog 0.16.0. The publisher changed in 1.1.0 (published from another repository).',
    );
    assert.equal(
      r.warnings[0],
      `fapilog-loki 1.0.0 -> 1.1.0: publisher changed (published from another repository): was ${ACME_TEXT}, now ${FORK_TEXT}`,
    );
    assert.deepEqual(Report.parse(JSON.parse(JSON.stringify(r))), r, 'the change survives the JSON output');
  });

  test('what is compared is the current release and the target, not the releases in between', () => {
    const market = {
      'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '1.1.0', FORK), rel('fapilog-loki', '1.2.0', ACME)),
    };
    const back = plugin(reportOf(market, 'fapilog-loki==1.0.0'), 'fapilog-loki');
    assert.equal(back.latestCompatible, '1.2.0');
    assert.equal(back.publisherChange, null, 'the target 1.2.0 comes from the same repository as 1.0.0');
    const onFork = plugin(reportOf(market, 'fapilog-loki==1.1.0'), 'fapilog-loki');
    assert.equal(onFork.publisherChange?.reason, 'another-repository', 'from the fork back to acme is a change too');
    assert.equal(onFork.publisherChange?.since, '1.1.0');
  });

  test('a token publish after trusted ones; unknown publishers and token -> trusted are not flagged', () => {
    const tokenAfter = reportOf(
      { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '1.1.0', TOKEN)) },
      'fapilog-loki==1.0.0',
    );
    assert.equal(plugin(tokenAfter, 'fapilog-loki').publisherChange?.reason, 'token-after-trusted');
    assert.match(
      tokenAfter.warnings[0] ?? '',
      /^fapilog-loki 1\.0\.0 -> 1\.1\.0: publisher changed \(published with an API token after trusted publishes\): was trusted publisher acme\/fapilog-loki .*, now token of owner mallory$/,
    );
    for (const [a, b] of [
      [null, FORK],
      [ACME, null],
      [TOKEN, ACME],
    ] as const) {
      const r = reportOf(
        { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', a), rel('fapilog-loki', '1.1.0', b)) },
        'fapilog-loki==1.0.0',
      );
      assert.equal(plugin(r, 'fapilog-loki').publisherChange, null, `${a?.kind ?? 'unknown'} -> ${b?.kind ?? 'unknown'}`);
      assert.deepEqual(r.warnings, []);
    }
  });

  test('held back: the newest release (which needs another fapilog) is the one compared', () => {
    const r = reportOf(
      { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '2.0.0', FORK, '>=0.17')) },
      'fapilog-loki==1.0.0',
    );
    const p = plugin(r, 'fapilog-loki');
    assert.equal(p.status, 'held-back');
    assert.equal(p.publisherChange?.version, '2.0.0');
  });

  test('incompatible: the release update moves to, even below the current one', () => {
    const market = { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', FORK), rel('fapilog-loki', '2.0.0', ACME, '>=0.17')) };
    const p = plugin(reportOf(market, 'fapilog-loki==2.0.0'), 'fapilog-loki');
    assert.equal(p.status, 'incompatible');
    assert.equal(targetVersion(p), '1.0.0');
    assert.deepEqual([p.publisherChange?.since, p.publisherChange?.version], ['2.0.0', '1.0.0']);
  });

  test('up to date, or not a marketplace release: nothing to compare', () => {
    const market = { 'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', FORK), rel('fapilog-loki', '1.1.0', ACME)) };
    assert.equal(plugin(reportOf(market, 'fapilog-loki==1.1.0'), 'fapilog-loki').publisherChange, null);
    assert.equal(plugin(reportOf(market, 'fapilog-loki==0.9.0'), 'fapilog-loki').publisherChange, null);
  });

  test('install compares the chosen release with the one just below it', () => {
    const releases = [rel('fapilog-loki', '0.9.0', FORK), rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '1.1.0', FORK)];
    const change = installPublisherChange(releases[2]!, releases);
    assert.deepEqual([change?.since, change?.version, change?.reason], ['1.0.0', '1.1.0', 'another-repository']);
    assert.equal(installPublisherChange(releases[0]!, releases), null, 'the first release has nothing to differ from');
    assert.equal(
      publisherWarning('fapilog-loki', change!, 'install'),
      `fapilog-loki 1.1.0 (after 1.0.0): publisher changed (published from another repository): was ${ACME_TEXT}, now ${FORK_TEXT}`,
    );
  });
});

describe('publisher changes rendered', () => {
  const market = {
    'fapilog-loki': entry(rel('fapilog-loki', '1.0.0', ACME), rel('fapilog-loki', '1.1.0', FORK)),
    'fapilog-kafka': entry(rel('fapilog-kafka', '1.0.0', ACME), rel('fapilog-kafka', '1.1.0', ACME)),
  };
  const r = reportOf(market, 'fapilog-loki==1.0.0', 'fapilog-kafka==1.0.0');
  const warning = `fapilog-loki 1.0.0 -> 1.1.0: publisher changed (published from another repository): was ${ACME_TEXT}, now ${FORK_TEXT}`;

  test('the Action: a warning annotation with both publishers, on the requirement, next to the outdated one', () => {
    const annotations = renderAnnotations(r, '/project');
    const loki = annotations.filter((a) => a.title.startsWith('fapilog-loki'));
    assert.deepEqual(
      loki.map((a) => [a.level, a.title]),
      [
        ['warning', 'fapilog-loki 1.0.0 is outdated: 1.1.0 is available'],
        ['warning', 'fapilog-loki 1.1.0: the publisher changed'],
      ],
    );
    assert.equal(loki[1]!.message, `${warning}. Check that the new publisher is one you trust before moving to 1.1.0.`);
    assert.deepEqual([loki[1]!.file, loki[1]!.startLine], [loki[0]!.file, loki[0]!.startLine]);
    assert.ok(
      !annotations.some((a) => a.title.includes('publisher') && a.title.startsWith('fapilog-kafka')),
      'the same publisher: no annotation',
    );
  });

  test('the summary: one callout with the warning (escaped), not repeated under Warnings', () => {
    const md = renderSummary(r, { failed: false, failureMessage: null });
    assert.ok(
      md.includes(
        '> [!WARNING]\n> **Publisher changed:** check that each new publisher is one you trust before moving to its release.\n>\n',
      ),
      md,
    );
    assert.ok(
      shownText(md).includes(
        '> - fapilog-loki 1.0.0 -> 1.1.0: publisher changed (published from another repository): was trusted publisher acme/fapilog-loki (repository id 123), workflow release.yml, now',
      ),
      md,
    );
    assert.ok(!md.includes('1.0.0 -> 1.1.0'), 'the arrow is escaped in Markdown');
    assert.doesNotMatch(md, /<summary>Warnings/);
    assert.match(
      md,
      /^- `fapilog-loki`: the release to move to has another publisher; check it \(see the warning above\) before you update\.$/m,
    );
    assert.doesNotMatch(md, /`fapilog-kafka`: the release to move to/);
  });

  test('planUpdate carries the change to the planned change, and the pull request body warns about it', async () => {
    const lookup: PluginLookup = {
      batch: async (names) => Object.fromEntries(names.map((n) => [n, market[n as keyof typeof market] ?? null])),
      fapilogVersions: async () => FAPILOG_VERSIONS,
    };
    const files = new MemoryProjectFiles({ 'requirements.txt': 'fapilog==0.16.0\nfapilog-loki==1.0.0\nfapilog-kafka==1.0.0\n' });
    const plan = await planUpdate({ files, lookup });
    assert.deepEqual(
      plan.planned.map((c) => [c.package, c.publisherChange?.reason ?? null]),
      [
        ['fapilog-loki', 'another-repository'],
        ['fapilog-kafka', null],
      ],
    );
    const prOf = (planned: typeof plan.planned) =>
      pullRequestBody({ unit: { key: 'all', group: true }, plan: { planned, lock: plan.lock }, report: plan.report });
    const body = prOf(plan.planned);
    const lines = body.split('\n');
    const at = lines.indexOf('> **Publisher changed:** check that each new publisher is one you trust before merging.');
    assert.ok(at > 0 && lines[at - 1] === '> [!WARNING]', body);
    assert.equal(lines.filter((l) => l.startsWith('> - ')).length, 1, 'one line: only loki changed');
    assert.match(
      shownText(lines[at + 2] ?? ''),
      /^> - fapilog-loki 1\.0\.0 -> 1\.1\.0: publisher changed \(published from another repository\): was .*mallory\/fapilog-loki/,
    );
    assert.doesNotMatch(prOf(plan.planned.filter((c) => c.package === 'fapilog-kafka')), /Publisher changed/);

    const install = await planInstall({
      files: new MemoryProjectFiles({ 'requirements.txt': 'fapilog==0.16.0\n' }),
      lookup,
      requirement: 'loki',
    });
    assert.equal(install.version, '1.1.0');
    assert.equal(install.publisherChange?.reason, 'another-repository');
    assert.equal(
      install.warnings[0],
      `fapilog-loki 1.1.0 (after 1.0.0): publisher changed (published from another repository): was ${ACME_TEXT}, now ${FORK_TEXT}`,
    );
  });
});

test("docs/publishing.md's example warning is what publisherWarning prints", async () => {
  const { readFile } = await import('node:fs/promises');
  const doc = await readFile(new URL('../../../docs/publishing.md', import.meta.url), 'utf8');
  const acme = trusted('acme/fapilog-loki', '700123');
  const mallory = trusted('mallory/fapilog-loki', '900900', { repository_owner_id: '77' });
  const r = reportOf(
    { 'fapilog-loki': entry(rel('fapilog-loki', '1.4.0', acme), rel('fapilog-loki', '1.5.0', mallory)) },
    'fapilog-loki==1.4.0',
  );
  const line = r.warnings[0] ?? '';
  assert.ok(line !== '' && doc.includes(`\nwarning: ${line}\n`), line);
});
