/**
 * Issue 18, class 6: a project with 10,003 problems got 10,001 annotations, a 1.94 MB job summary
 * and a 5.35 MB `report` output. GitHub shows 10 annotations per level per step and 50 per job,
 * rejects a summary over 1 MiB (the whole summary is lost) and caps outputs at 1 MB per job.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Report, type PluginEntry, type Status } from '../../src/core/analysis/report.ts';
import { resolveMarketplaceSettings } from '../../src/core/config.ts';
import { renderCheck } from '../../src/action/outcome.ts';
import { sampleReport } from './report-fixture.ts';

const MiB = 1024 * 1024;
const root = '/w/app';
const workspace = '/w';
const settings = resolveMarketplaceSettings({ url: 'http://127.0.0.1:9/api/v1', cacheDir: '/tmp/c' }, {});

/** `n` plugins cycling through every problem status, each on its own line of requirements.txt. */
function hugeReport(n: number): Report {
  const base = sampleReport(root);
  const template = base.plugins.find((p) => p.status === 'outdated')!;
  const cycle: Status[] = ['incompatible', 'outdated', 'yanked', 'held-back', 'unknown', 'outdated', 'outdated'];
  const plugins: PluginEntry[] = Array.from({ length: n }, (_, i) => {
    const name = `fapilog-plugin-number-${i}`;
    return {
      ...template,
      package: name,
      name: name.slice('fapilog-'.length),
      status: cycle[i % cycle.length]!,
      location: { ...template.location, line: i + 1, text: `${name}==0.2.0`, endColumn: 1 + `${name}==0.2.0`.length },
      note: `release notes for ${name}: 0.3.1 is compatible with fapilog 0.5.2, see the changelog for the migration steps`,
    };
  });
  const counts: Record<string, number> = {
    'up-to-date': 0,
    outdated: 0,
    'held-back': 0,
    incompatible: 0,
    yanked: 0,
    vulnerable: 0,
    unknown: 0,
  };
  for (const p of plugins) counts[p.status] = (counts[p.status] ?? 0) + 1;
  return Report.parse({ ...base, plugins, counts });
}

describe("the Action's output stays within GitHub's limits", () => {
  const report = hugeReport(10_003);
  const r = renderCheck(report, { failOn: 'never', workspace, settings, reportFile: '/runner/tmp/fapilog-plugins-report.json' });

  test('annotations: at most 10 per level and 50 in all, errors first, one "and N more"', (t) => {
    t.diagnostic(`${r.annotations.length} annotations`);
    const per = (l: string) => r.annotations.filter((a) => a.level === l).length;
    assert.ok(per('error') <= 10 && per('warning') <= 10 && per('notice') <= 10, `${per('error')}/${per('warning')}/${per('notice')}`);
    assert.ok(r.annotations.length <= 50);
    assert.equal(r.annotations[0]!.level, 'error', 'the most severe first');
    const more = r.annotations.filter((a) => /^and \d+ more$/.test(a.title));
    assert.equal(more.length, 1);
    const shown = r.annotations.length - 1;
    assert.equal(more[0]!.title, `and ${10_003 - shown} more`, 'every problem is either shown or counted');
    assert.equal(more[0]!.level, 'error');
    assert.match(more[0]!.message, /GitHub shows 10 per level per step/);
  });

  test('the job summary: under 1 MiB, opening with the verdict, saying what was left out', (t) => {
    const bytes = Buffer.byteLength(r.summaryMarkdown);
    t.diagnostic(`summary ${(bytes / MiB).toFixed(2)} MiB`);
    assert.ok(bytes <= MiB, `${bytes} bytes`);
    assert.match(r.summaryMarkdown, /^## fapilog plugins/);
    assert.match(
      r.summaryMarkdown,
      /\*\*Summary cut short:\*\* the last \d+ lines \(\d+ KiB\) were left out to stay under GitHub's 1 MiB limit/,
    );
    assert.match(r.summaryMarkdown, /fapilog-plugins-report\.json/);
  });

  test('the outputs: under 1 MB together; the report output parses, problems first, with a note', (t) => {
    const total = Object.values(r.outputs).reduce((n, v) => n + Buffer.byteLength(v), 0);
    t.diagnostic(`outputs ${(total / MiB).toFixed(2)} MiB`);
    assert.ok(total < 1_000_000, `${total} bytes of outputs`);
    const out = Report.parse(JSON.parse(r.outputs.report));
    assert.ok(out.plugins.length > 0 && out.plugins.length < 10_003);
    assert.deepEqual(out.counts, report.counts, "the counts are the whole report's");
    assert.ok(
      out.plugins.slice(0, 10).every((p) => p.status === 'yanked'),
      'the most severe kept first',
    );
    assert.match(
      out.warnings.at(-1)!,
      new RegExp(`trimmed .*: ${10_003 - out.plugins.length} of 10003 plugins left out.*fapilog-plugins-report\\.json`),
    );
    assert.equal(r.outputs['outdated-count'], String(report.counts.outdated));
  });

  test('a small report is untouched: every annotation, the whole summary and report', () => {
    const small = sampleReport(root);
    const s = renderCheck(small, { failOn: 'never', workspace, settings });
    assert.equal(s.annotations.length, 5);
    assert.ok(!s.annotations.some((a) => /^and \d+ more$/.test(a.title)));
    assert.doesNotMatch(s.summaryMarkdown, /cut short/);
    assert.deepEqual(JSON.parse(s.outputs.report), JSON.parse(JSON.stringify(small)));
  });

  test('just over the per-level cap: 10 shown of a level means 9 and "and 2 more"', () => {
    const eleven = hugeReport(77); // 11 of each status
    const s = renderCheck(eleven, { failOn: 'never', workspace, settings });
    const errors = s.annotations.filter((a) => a.level === 'error');
    assert.equal(errors.length, 10);
    assert.equal(errors.at(-1)!.title, `and ${77 - (s.annotations.length - 1)} more`);
  });
});

describe('the shared caps module', async () => {
  const { fitMarkdown, limitAnnotations } = await import('../../src/core/render/github-limits.ts');

  test('a cut inside a code block closes it; a character budget (comments) is kept too', () => {
    const md = ['# t', '```', ...Array.from({ length: 500 }, (_, i) => `line ${i} ${'é'.repeat(20)}`), '```', 'end'].join('\n');
    const out = fitMarkdown(md, { maxBytes: 4000, maxChars: 3000 }, ({ lines }) => `(${lines} lines left out)`);
    assert.ok(Buffer.byteLength(out) <= 4000 && out.length <= 3000);
    const fences = out.split('\n').filter((l) => l.startsWith('```')).length;
    assert.equal(fences % 2, 0, 'the code block is closed');
    assert.match(out, /\(\d+ lines left out\)\n$/);
  });

  test('the job-wide cap of 50 holds with more levels than fit', () => {
    const ann = (level: 'error' | 'warning' | 'notice', i: number) => ({
      level,
      title: `${level} ${i}`,
      message: 'm',
      file: 'f',
      startLine: i,
    });
    const all = [...Array.from({ length: 30 }, (_, i) => ann('notice', i)), ...Array.from({ length: 30 }, (_, i) => ann('error', i))];
    const out = limitAnnotations(all, { perLevel: 25, total: 40 });
    assert.equal(out.length, 40);
    assert.equal(out.filter((a) => a.level === 'error').length, 25, '24 errors and the "more" one');
    assert.equal(out.find((a) => a.title.startsWith('and '))?.title, `and ${60 - 39} more`);
  });
});
