/**
 * The shared renderers the Action and the bot use (summary, "how to fix", PR title and body,
 * annotations), fed reports and plans whose every untrusted field (package names, versions,
 * notes, warnings, file names, reasons) is hostile: rendered by a GFM parser, the Markdown holds
 * only the elements the renderer writes, every table row has its columns, and titles and
 * annotation fields are one line without control characters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { Report } from '../../../src/core/analysis/report.ts';
import { commitMessage, pullRequestBody, pullRequestTitle, renderAnnotations, renderSummary } from '../../../src/core/render/index.ts';
import { plannedChange } from '../../helpers/planned.ts';
import { sampleReport } from '../../action/report-fixture.ts';
import { hostileString, params } from '../../helpers/property.ts';

const render = (md: string) => micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const ALLOWED = new Set([
  'h2',
  'h3',
  'p',
  'strong',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'sub',
  'ul',
  'li',
  'details',
  'summary',
  'blockquote',
]);

function checkHtml(html: string, columns: number): void {
  for (const m of html.matchAll(/<\/?([a-z0-9]+)/gi)) assert.ok(ALLOWED.has(m[1]!.toLowerCase()), `<${m[1]}> rendered:\n${html}`);
  for (const row of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) assert.equal([...row[1]!.matchAll(/<t[dh]>/g)].length, columns, row[0]);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const hostileReport = fc
  .record({ pkg: hostileString(12), version: hostileString(8), note: hostileString(), warning: hostileString(), file: hostileString(8) })
  .map((h) => {
    const base = sampleReport('/project');
    return Report.parse({
      ...base,
      manifests: [...base.manifests, h.file],
      plugins: base.plugins.map((p, i) =>
        i % 2 === 0
          ? {
              ...p,
              package: `${p.package}${h.pkg}`,
              current: h.version,
              latest: h.version,
              note: h.note,
              location: { ...p.location, file: h.file },
            }
          : p,
      ),
      warnings: [...base.warnings, h.warning],
    });
  });

describe('rendered reports and plans with hostile text', () => {
  test('the summary: only our elements, whole table rows', () => {
    fc.assert(
      fc.property(hostileReport, hostileString(), (report, failure) => {
        const md = renderSummary(report, { failed: true, failureMessage: failure });
        checkHtml(render(md), 6);
      }),
      params(150),
    );
  });

  test('the PR body and title, and the annotations', () => {
    const change = plannedChange;
    fc.assert(
      fc.property(
        hostileString(12),
        hostileString(10),
        hostileString(10),
        hostileString(),
        hostileReport,
        (pkg, from, to, reason, report) => {
          const planned = [change({ package: pkg, from, to, target: to, file: reason }), change({ from: to, to, current: from })];
          const lock = [{ lockfile: reason, directory: pkg, command: 'uv', args: [], display: to }];
          const input = { unit: { key: pkg, group: true, environment: reason }, plan: { planned, lock }, report, prefix: from };
          const body = pullRequestBody(input, { footer: 'ours' });
          const html = render(body);
          // The PR's own links (the release in the marketplace) and the footer's rule are ours too.
          checkHtml(html.replace(/<a href="http:\/\/127\.0\.0\.1[^"]*">|<\/a>|<hr \/>|<\/?h3>/g, ''), 6);
          for (const title of [pullRequestTitle(input), commitMessage(input).split('\n')[0]!]) assert.doesNotMatch(title, CONTROL);
          for (const a of renderAnnotations(report, '/project')) {
            assert.doesNotMatch(a.title, CONTROL);
            assert.doesNotMatch(a.message, CONTROL);
          }
        },
      ),
      params(150),
    );
  });
});
