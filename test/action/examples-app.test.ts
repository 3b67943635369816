/**
 * The Action on examples/app (the demo service whose pins show every status), from the sources
 * and from the committed bundle dist/index.js, which must behave exactly alike.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { startTestServer } from '../helpers/server.ts';
import { annotationLines, BUNDLE_ENTRY, makeWorkspace, REPO, runAction, type Run, type Workspace } from './harness.ts';

const APP = path.join(REPO, 'examples', 'app');

describe('action on examples/app', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let ws: Workspace;
  let source: Run;
  const inputs = () => ({ path: 'examples/app', 'marketplace-url': server.apiUrl, 'cache-dir': ws.cacheDir });

  before(async () => {
    server = await startTestServer({ seed: true });
    ws = makeWorkspace(APP, 'examples/app');
    source = await runAction({ workspace: ws.dir, inputs: inputs() });
  });
  after(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  test('fails by default, with problems reported on examples/app lines', () => {
    const report = Report.parse(JSON.parse(source.outputs['report'] ?? 'null'));
    assert.equal(report.fapilog.version, '0.16.0');
    const has = (s: string) => report.plugins.some((p) => p.status === s);
    assert.ok(has('incompatible') && has('outdated') && has('held-back') && has('up-to-date'), JSON.stringify(report.counts));
    assert.equal(source.code, 1);
    assert.equal(source.outputs['has-problems'], 'true');
    assert.equal(Number(source.outputs['outdated-count']), report.counts.outdated);
    assert.equal(Number(source.outputs['incompatible-count']), report.counts.incompatible + report.counts.yanked);

    const findings = annotationLines(source.stdout).filter((a) => a.props['file']);
    const problems = report.plugins.filter((p) => p.status !== 'up-to-date');
    assert.equal(findings.length, problems.length);
    for (const a of findings) {
      assert.match(a.props['file'] ?? '', /^examples\/app\/[^/]+/);
      assert.ok(Number(a.props['line']) >= 1);
    }
    for (const p of report.plugins.filter((q) => q.status === 'incompatible' || q.status === 'yanked')) {
      assert.ok(
        findings.some(
          (a) =>
            a.level === 'error' && a.props['file'] === `examples/app/${p.location.file}` && a.props['line'] === String(p.location.line),
        ),
        `an error annotation for ${p.package}`,
      );
    }
    // Summary headings name manifests relative to the workspace, as the annotations do.
    for (const manifest of new Set(report.plugins.map((p) => p.location.file))) {
      assert.ok(source.summary.includes(`### \`examples/app/${manifest}\``), `a table for ${manifest}`);
    }
    if (process.env['ACTION_SAMPLE']) {
      // `ACTION_SAMPLE=1 npx node --test test/action/examples-app.test.ts` prints what a run shows.
      console.log(source.summary);
      console.log(
        source.stdout
          .split('\n')
          .filter((l) => l.startsWith('::'))
          .join('\n'),
      );
    }
  });

  // The bundle is what users run, so a missing one fails here rather than passing unnoticed.
  const assertBundle = () => assert.ok(existsSync(BUNDLE_ENTRY), 'dist/index.js is missing: run `npm run bundle` first');
  test('the bundle (node dist/index.js on Node 24) gives the same result as the sources', async () => {
    assertBundle();
    const built = await runAction({ entry: BUNDLE_ENTRY, workspace: ws.dir, inputs: inputs() });
    assert.equal(built.code, source.code, built.stdout + built.stderr);
    assert.deepEqual(built.outputs, source.outputs);
    assert.equal(built.summary, source.summary);
    assert.deepEqual(annotationLines(built.stdout), annotationLines(source.stdout));
  });

  test('the bundle fails a bad input naming it, and masks the token', async () => {
    assertBundle();
    const token = await server.createToken('bundle-tests');
    const built = await runAction({ entry: BUNDLE_ENTRY, workspace: ws.dir, inputs: { ...inputs(), token, 'dry-run': 'maybe' } });
    assert.equal(built.code, 1);
    assert.match(built.stdout, /^::error::Input "dry-run": expected true or false$/m);
    assert.ok(built.stdout.startsWith(`::add-mask::${token}\n`));
    assert.equal(built.stdout.split(token).length - 1, 1);
  });
});
