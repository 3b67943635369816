import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { renderAnnotations } from '../../src/core/render/annotations.ts';
import { renderCheck, reportOutputs } from '../../src/action/outcome.ts';
import { decide, failingStatuses, FAIL_ON } from '../../src/core/analysis/policy.ts';
import { cell, renderSummary } from '../../src/core/render/summary.ts';
import { Report } from '../../src/core/analysis/report.ts';
import { resolveMarketplaceSettings } from '../../src/core/config.ts';
import { sampleReport } from './report-fixture.ts';
import { TOOL_VERSION } from '../../src/core/version.ts';

/** The versioned fix command, as a regex source (the version's dots escaped). */
const NPX = `npx fapilog-plugins@${TOOL_VERSION.replaceAll('.', '\\.')}`;

const workspace = path.resolve('/ws/repo');
const root = path.join(workspace, 'services', 'api');

describe('fail-on policy', () => {
  const report = sampleReport(root);
  const expected: Record<(typeof FAIL_ON)[number], string[]> = {
    incompatible: ['fapilog-splunk', 'fapilog-old'],
    // The sample has no publisher changes: the same as incompatible (publisher.test.ts has them).
    'publisher-changed': ['fapilog-splunk', 'fapilog-old'],
    outdated: ['fapilog-loki', 'fapilog-splunk', 'fapilog-old'],
    'held-back': ['fapilog-loki', 'fapilog-splunk', 'fapilog-kafka', 'fapilog-old'],
    never: [],
  };
  for (const failOn of FAIL_ON) {
    test(`fail-on ${failOn}`, () => {
      const d = decide(report, failOn);
      assert.equal(d.failed, expected[failOn].length > 0);
      const offenders = report.plugins.filter((p) => failingStatuses(failOn).includes(p.status)).map((p) => p.package);
      assert.deepEqual(offenders, expected[failOn]);
      for (const name of expected[failOn]) assert.match(d.failureMessage ?? '', new RegExp(name));
      if (failOn !== 'never') assert.match(d.failureMessage ?? '', new RegExp(`fail-on: ${failOn}`));
      assert.doesNotMatch(d.failureMessage ?? '', /fapilog-audit|fapilog-private/);
    });
  }

  test('only outdated plugins pass with the default', () => {
    const onlyOutdated = Report.parse({ ...report, plugins: report.plugins.filter((p) => p.status === 'outdated') });
    assert.deepEqual(decide(onlyOutdated, 'incompatible'), { failed: false, failureMessage: null });
    assert.equal(decide(onlyOutdated, 'outdated').failed, true);
  });
});

describe('outputs', () => {
  test('counts and has-problems', () => {
    const out = reportOutputs(sampleReport(root));
    assert.equal(out['outdated-count'], '1');
    assert.equal(out['incompatible-count'], '2');
    assert.equal(out['has-problems'], 'true');
    assert.deepEqual(Report.parse(JSON.parse(out.report)), sampleReport(root));
  });

  test('a clean report has no problems', () => {
    const base = sampleReport(root);
    const clean = Report.parse({
      ...base,
      plugins: base.plugins.filter((p) => p.status === 'up-to-date'),
      counts: { 'up-to-date': 1, outdated: 0, incompatible: 0, 'held-back': 0, yanked: 0, vulnerable: 0, unknown: 0 },
    });
    const out = reportOutputs(clean);
    assert.equal(out['has-problems'], 'false');
    assert.equal(out['outdated-count'], '0');
    assert.equal(out['incompatible-count'], '0');
  });
});

describe('summary', () => {
  const md = renderSummary(sampleReport(root), { failed: true, failureMessage: '2 plugins failed', cacheDir: '/tmp/cache' });

  test('names the fapilog version and where it came from', () => {
    assert.match(md, /fapilog \*\*0\.5\.2\*\* \(locked, `>=0\.5`, in `uv\.lock`\)/);
    assert.match(md, /marketplace `http:\/\/127\.0\.0\.1:9\/api\/v1`/);
  });

  test('one table per manifest, in manifest order, with every plugin', () => {
    const req = md.indexOf('### `requirements.txt`');
    const py = md.indexOf('### `pyproject.toml`');
    assert.ok(req > 0 && py > req, 'both manifests, requirements.txt first');
    assert.equal(md.split('| Plugin | Current | Latest compatible | Latest | Status | Note |').length - 1, 2);
    const reqTable = md.slice(req, py);
    assert.match(
      reqTable,
      /\| fapilog-loki \| 0\.2\.0 \| 0\.3\.1 \| 0\.3\.1 \| ⚠️ outdated \| 0\.3\.1 is compatible with fapilog 0\.5\.2 <sub>requirements\.txt:2<\/sub> \|/,
    );
    assert.match(reqTable, /\| fapilog-private \| — \| — \| — \| ❔ unknown \|/);
    assert.match(md.slice(py), /\| fapilog-kafka \| 2\.0\.0 \| 2\.0\.0 \| 3\.0\.0 \| ⏸️ held back \|/);
    assert.match(md.slice(py), /\| fapilog-old \| 0\.1\.0 \| — \| 0\.1\.0 \| ❌ yanked \|/);
  });

  test('a pipe in a note does not break the table', () => {
    assert.match(md, /needs fapilog &lt;0\.5 \\\| &gt;=0\.3/);
    assert.equal(cell('a|b\nc'), 'a\\|b c');
    assert.equal(cell(null), '—');
  });

  test('counts, failure and how to fix', () => {
    assert.match(md, /6 plugins: 1 up to date, 1 outdated, 1 held back, 1 incompatible, 1 yanked, 1 unknown\./);
    assert.match(md, /\*\*Failed:\*\* 2 plugins failed/);
    assert.match(md, /### How to fix/);
    assert.match(md, new RegExp(`\`${NPX} update fapilog-loki fapilog-splunk\``));
    assert.match(md, /refresh any lockfile with the command it prints/);
    assert.match(md, /No compatible release of `fapilog-old`/);
    assert.match(md, /`fapilog-kafka`: newer releases need a newer fapilog/);
    assert.doesNotMatch(md, /stale|cache could not|from the cache/);
  });

  test('a stale cache is called out', () => {
    const stale = sampleReport(root, { marketplace: { url: 'http://127.0.0.1:9/api/v1', stale: true } });
    const s = renderSummary(stale, { failed: false, failureMessage: null, cacheDir: '/tmp/cache' });
    assert.match(s, /> \[!WARNING\]\n> The marketplace could not be reached: these results come from the cache \(`\/tmp\/cache`\)/);
    assert.doesNotMatch(s, /\*\*Failed:\*\*/);
  });

  test('no plugins, no tables, no fix section', () => {
    const empty = sampleReport(root, {
      plugins: [],
      counts: { 'up-to-date': 0, outdated: 0, incompatible: 0, 'held-back': 0, yanked: 0, vulnerable: 0, unknown: 0 },
    });
    const s = renderSummary(empty, { failed: false, failureMessage: null });
    assert.match(s, /No fapilog plugins found in the project\./);
    assert.doesNotMatch(s, /\| Plugin \||How to fix/);
  });
});

describe('annotations', () => {
  const annotations = renderAnnotations(sampleReport(root), workspace);
  const by = (pkg: string) => annotations.find((a) => a.title.startsWith(pkg));

  test('one per plugin with a problem, at the right level', () => {
    assert.deepEqual(
      annotations.map((a) => [a.title.split(' ')[0]?.replace(/:$/, ''), a.level]),
      [
        ['fapilog-loki', 'warning'],
        ['fapilog-splunk', 'error'],
        ['fapilog-kafka', 'warning'],
        ['fapilog-old', 'error'],
        ['fapilog-private', 'notice'],
      ],
    );
  });

  test('paths are relative to the workspace, posix', () => {
    assert.equal(by('fapilog-loki')?.file, 'services/api/requirements.txt');
    assert.equal(by('fapilog-kafka')?.file, 'services/api/pyproject.toml');
  });

  test('column span on one line (inclusive end), line span otherwise', () => {
    const kafka = by('fapilog-kafka');
    assert.equal(kafka?.startLine, 9);
    assert.equal(kafka?.startColumn, 6);
    assert.equal(kafka?.endColumn, 6 + 'fapilog-kafka==2.0.0'.length - 1);
    assert.equal(kafka?.endLine, undefined);
    const old = by('fapilog-old');
    assert.equal(old?.startLine, 10);
    assert.equal(old?.endLine, 11);
    assert.equal(old?.startColumn, undefined);
  });

  test('titles and messages say what and how to fix', () => {
    assert.equal(by('fapilog-loki')?.title, 'fapilog-loki 0.2.0 is outdated: 0.3.1 is available');
    assert.equal(
      by('fapilog-loki')?.message,
      `0.3.1 is compatible with fapilog 0.5.2 Fix: npx fapilog-plugins@${TOOL_VERSION} update fapilog-loki`,
    );
    assert.equal(by('fapilog-splunk')?.title, 'fapilog-splunk 1.0.0 is incompatible with your fapilog');
    assert.equal(by('fapilog-kafka')?.title, 'fapilog-kafka is held back by fapilog (newer releases need fapilog 0.6.0)');
    assert.doesNotMatch(by('fapilog-kafka')?.message ?? '', /Fix:/);
  });

  test('renderCheck puts it together', () => {
    const settings = resolveMarketplaceSettings({ url: 'http://127.0.0.1:9/api/v1', cacheDir: '/tmp/c' }, {});
    const r = renderCheck(sampleReport(root), { failOn: 'never', workspace, settings });
    assert.equal(r.failed, false);
    assert.equal(r.annotations.length, 5);
    assert.match(r.summaryMarkdown, /## fapilog plugins/);
  });
});
