/**
 * The Action end to end: the runner in a child process with INPUT_* variables, against the
 * reference marketplace seeded with examples/catalog, on a copy of test/fixtures/action-app.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Report } from '../../src/core/analysis/report.ts';
import { startTestServer } from '../helpers/server.ts';
import { TOOL_VERSION } from '../../src/core/version.ts';
import { annotationLines, makeWorkspace, REPO, runAction, type Workspace } from './harness.ts';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'action-app');

/** What examples/catalog/README.md says each pin is, for an app on fapilog 0.16.0. */
const EXPECTED_STATUS: Record<string, string> = {
  'fapilog-loki': 'up-to-date',
  'fapilog-otel': 'outdated',
  'fapilog-cloudwatch': 'incompatible',
  'fapilog-kafka': 'held-back',
  'fapilog-sampling': 'yanked',
  'fapilog-inhouse-audit': 'unknown',
  'fapilog-redact-pii': 'outdated',
};

describe('action check against the reference marketplace', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let ws: Workspace;
  before(async () => {
    server = await startTestServer({ seed: true });
    ws = makeWorkspace(FIXTURE);
  });
  after(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  const inputs = (extra: Record<string, string> = {}) => ({
    path: 'app',
    'marketplace-url': server.apiUrl,
    'cache-dir': ws.cacheDir,
    ...extra,
  });

  test('outputs, summary and annotations for every status; the token is only masked', async () => {
    const token = await server.createToken('action-tests');
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ token }) });

    // Default fail-on (incompatible): cloudwatch is incompatible and sampling yanked.
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
    assert.deepEqual(Object.fromEntries(report.plugins.map((p) => [p.package, p.status])), EXPECTED_STATUS);
    assert.equal(report.fapilog.version, '0.16.0');
    assert.equal(report.marketplace.stale, false);
    assert.equal(run.outputs['outdated-count'], '2');
    assert.equal(run.outputs['incompatible-count'], '2');
    assert.equal(run.outputs['has-problems'], 'true');

    const annotations = annotationLines(run.stdout);
    const findings = annotations.filter((a) => a.props['file'] !== undefined);
    // Compared as sets of (level, file, line): the order is the report's.
    assert.deepEqual(
      findings.map((a) => [a.level, a.props['file'], a.props['line']]).sort(),
      [
        ['warning', 'app/requirements.txt', '4'],
        ['error', 'app/requirements.txt', '5'],
        ['warning', 'app/requirements.txt', '6'],
        ['error', 'app/requirements.txt', '7'],
        ['notice', 'app/requirements.txt', '8'],
        ['warning', 'app/pyproject.toml', '7'],
      ].sort(),
    );
    const cloudwatch = findings.find((a) => a.props['line'] === '5');
    assert.equal(cloudwatch?.props['col'], '1');
    assert.equal(cloudwatch?.props['endColumn'], String('fapilog-cloudwatch==0.4.0'.length));
    assert.match(cloudwatch?.props['title'] ?? '', /fapilog-cloudwatch 0\.4\.0 is incompatible/);
    assert.match(
      cloudwatch?.message ?? '',
      new RegExp(`npx fapilog-plugins@${TOOL_VERSION.replaceAll('.', '\\.')} update fapilog-cloudwatch`),
    );
    const redact = findings.find((a) => a.props['file'] === 'app/pyproject.toml');
    // The TOML string's content starts after four spaces and the opening quote.
    assert.equal(redact?.props['col'], '6');
    assert.equal(redact?.props['endColumn'], String(5 + 'fapilog-redact-pii==1.0.0'.length));

    // setFailed: one error line without a file, naming the offenders and the policy.
    const failure = annotations.filter((a) => a.level === 'error' && a.props['file'] === undefined);
    assert.equal(failure.length, 1);
    assert.match(
      failure[0]?.message ?? '',
      /fail-on: incompatible.*fapilog-cloudwatch 0\.4\.0 \(incompatible\).*fapilog-sampling 1\.2\.0 \(yanked\)/,
    );

    assert.match(run.summary, /## fapilog plugins/);
    assert.match(run.summary, /fapilog \*\*0\.16\.0\*\* \(pinned/);
    assert.match(run.summary, /### `app\/requirements\.txt`[\s\S]*\| fapilog-otel \| 1\.1\.0 \| 2\.0\.0 \| 2\.0\.0 \| ⚠️ outdated \|/);
    assert.match(run.summary, /### `app\/pyproject\.toml`[\s\S]*\| fapilog-redact-pii \| 1\.0\.0 \| 1\.1\.0 \| 1\.1\.0 \| ⚠️ outdated \|/);

    // The same file paths in the log, the annotations and the summary (workspace-relative).
    const logged = new Set([...run.stdout.matchAll(/^(\S+):(\d+) {2}fapilog-/gm)].map((m) => `${m[1]}:${m[2]}`));
    const annotated = new Set(findings.map((a) => `${a.props['file']}:${a.props['line']}`));
    const summarised = new Set([...run.summary.matchAll(/<sub>([^<]+)<\/sub>/g)].map((m) => m[1]));
    assert.ok(annotated.size >= 6);
    for (const place of annotated) {
      assert.ok(logged.has(place), `${place} in the log`);
      assert.ok(summarised.has(place), `${place} in the summary`);
    }
    // The log leaves out the up-to-date ones (the group titles count them).
    const upToDate = new Set(
      report.plugins.filter((p) => p.status === 'up-to-date').map((p) => `app/${p.location.file}:${p.location.line}`),
    );
    assert.equal(upToDate.size, 1);
    assert.deepEqual(logged, new Set([...summarised].filter((p) => !upToDate.has(p!))));
    assert.match(run.stdout, /^fapilog 0\.16\.0 \(pinned, app\/pyproject\.toml:\d+\)$/m);
    assert.match(run.summary, /in `app\/pyproject\.toml:\d+`\)/);
    assert.match(run.summary, /\| fapilog-kafka \| 2\.1\.0 \| 2\.1\.0 \| 3\.1\.0 \| ⏸️ held back \|/);
    assert.match(
      run.summary,
      new RegExp(
        `### How to fix[\\s\\S]*\`npx fapilog-plugins@${TOOL_VERSION.replaceAll('.', '\\.')} update [^\`]*fapilog-cloudwatch[^\`]*\``,
      ),
    );
    assert.doesNotMatch(run.summary, /from the cache/);

    // The token reaches the runner only through ::add-mask::, never a log line, output or the summary.
    const everywhere = [run.stdout, run.stderr, run.summary, ...Object.values(run.outputs)].join('\n');
    assert.equal(everywhere.split(token).length - 1, 1);
    assert.ok(run.stdout.startsWith(`::add-mask::${token}\n`), 'the mask is the first thing printed');
  });

  // Each fail-on value, on reports that differ in their worst status: `ignore` drops plugins.
  const matrix: Array<{ ignore: string; failOn: string; code: number }> = [
    { ignore: '', failOn: 'never', code: 0 },
    { ignore: '', failOn: 'incompatible', code: 1 },
    { ignore: 'cloudwatch, fapilog-sampling', failOn: 'incompatible', code: 0 },
    { ignore: 'cloudwatch, fapilog-sampling', failOn: 'outdated', code: 1 },
    { ignore: 'cloudwatch\nsampling\notel\nredact-pii', failOn: 'outdated', code: 0 },
    { ignore: 'cloudwatch\nsampling\notel\nredact-pii', failOn: 'held-back', code: 1 },
    { ignore: 'cloudwatch,sampling,otel,redact-pii,kafka', failOn: 'held-back', code: 0 },
  ];
  for (const { ignore, failOn, code } of matrix) {
    test(`fail-on ${failOn}${ignore ? ` ignoring ${ignore.replace(/\n/g, ',')}` : ''} exits ${code}`, async () => {
      const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'fail-on': failOn, ignore }) });
      assert.equal(run.code, code, run.stdout + run.stderr);
      const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
      const ignored = ignore
        .split(/[,\n]/)
        .map((n) => `fapilog-${n.trim().replace(/^fapilog-/, '')}`)
        .filter((n) => n !== 'fapilog-');
      for (const name of ignored) assert.ok(!report.plugins.some((p) => p.package === name), `${name} is ignored`);
      const failedLine = run.stdout.split('\n').find((l) => l.startsWith('::error::'));
      if (code === 0) assert.equal(failedLine, undefined);
      else assert.match(failedLine ?? '', new RegExp(`fail-on: ${failOn}`));
    });
  }

  test('settings fall back to FAPILOG_MARKETPLACE_* when the inputs are empty', async () => {
    const run = await runAction({
      workspace: ws.dir,
      inputs: { path: 'app', 'fail-on': 'never', 'marketplace-url': '', 'cache-dir': '' },
      env: { FAPILOG_MARKETPLACE_URL: server.apiUrl, FAPILOG_MARKETPLACE_CACHE: ws.cacheDir },
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
    assert.equal(report.marketplace.url, server.apiUrl);
  });

  test('fapilog-version overrides the project pin', async () => {
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'fapilog-version': '0.18.1', 'fail-on': 'never' }) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = Report.parse(JSON.parse(run.outputs['report'] ?? 'null'));
    assert.equal(report.fapilog.version, '0.18.1');
    assert.equal(report.fapilog.source, 'override');
    // kafka 2.1.0 supports <0.18 only: on 0.18.1 it is no longer held back but incompatible.
    assert.equal(report.plugins.find((p) => p.package === 'fapilog-kafka')?.status, 'incompatible');
    assert.match(run.summary, /fapilog \*\*0\.18\.1\*\* \(set by the `fapilog-version` input/);
  });

  test('a bad input fails the step naming the input', async () => {
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ 'fail-on': 'sometimes' }) });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^::error::Input "fail-on": expected one of incompatible, publisher-changed, outdated, held-back, never, got "sometimes"$/m,
    );
    assert.deepEqual(run.outputs, {});
  });

  test('a path outside the workspace is an input error, for check and publish', async () => {
    for (const [command, path] of [
      ['check', '..'],
      ['check', '/etc'],
      ['publish', '../..'],
    ] as const) {
      const run = await runAction({ workspace: ws.dir, inputs: inputs({ command, path }) });
      assert.equal(run.code, 1, `${command} ${path}`);
      assert.match(run.stdout, new RegExp(`^::error::Input "path": ${path.replace(/[./]/g, '\\$&')} is outside the workspace \\(`, 'm'));
      assert.deepEqual(run.outputs, {});
    }
    const packages = await runAction({ workspace: ws.dir, inputs: inputs({ command: 'publish', 'packages-dir': '../../elsewhere' }) });
    assert.equal(packages.code, 1);
    assert.match(packages.stdout, /^::error::Input "packages-dir": \.\.\/\.\.\/elsewhere is outside the workspace/m);
  });

  test('a path that is not a directory fails the step naming the input', async () => {
    const run = await runAction({ workspace: ws.dir, inputs: inputs({ path: 'no-such-dir' }) });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^::error::Input "path": no-such-dir is not a directory in the workspace$/m);
  });
});

describe('action check when the marketplace is unreachable', () => {
  test('reports from the cache and says so; with nothing cached it fails clearly', async () => {
    const server = await startTestServer({ seed: true });
    const ws = makeWorkspace(FIXTURE);
    try {
      const inputs = { path: 'app', 'marketplace-url': server.apiUrl, 'cache-dir': ws.cacheDir, 'fail-on': 'never' };
      const online = await runAction({ workspace: ws.dir, inputs });
      assert.equal(online.code, 0, online.stdout + online.stderr);
      await server.stop();

      const cached = await runAction({ workspace: ws.dir, inputs });
      assert.equal(cached.code, 0, cached.stdout + cached.stderr);
      const report = Report.parse(JSON.parse(cached.outputs['report'] ?? 'null'));
      assert.equal(report.marketplace.stale, true);
      assert.deepEqual(
        Object.fromEntries(report.plugins.map((p) => [p.package, p.status])),
        EXPECTED_STATUS,
        'the cached answers give the same statuses',
      );
      assert.match(cached.summary, /> \[!WARNING\]\n> The marketplace could not be reached: these results come from the cache/);
      // One warning in the log, not three (client, runner, report); and the summary says it once.
      const warnings = annotationLines(cached.stdout).filter((a) => a.level === 'warning' && a.props['file'] === undefined);
      assert.equal(warnings.length, 1, cached.stdout);
      assert.match(
        warnings[0]?.message ?? '',
        /^The marketplace at .* could not be reached: reporting from the cache \(cached data from \d{4}-\d\d-\d\dT[^;]+; .*ECONNREFUSED.*\)\.$/,
      );
      assert.doesNotMatch(cached.stdout, /stale cached copy/);
      assert.doesNotMatch(cached.summary, /stale cached copy/);

      const emptyCache = makeWorkspace(FIXTURE);
      try {
        const none = await runAction({ workspace: emptyCache.dir, inputs: { ...inputs, 'cache-dir': emptyCache.cacheDir } });
        assert.equal(none.code, 1);
        const line = none.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
        assert.match(
          line,
          new RegExp(`The marketplace at ${server.apiUrl.replace(/[.]/g, '\\.')} could not be reached and nothing is cached in `),
        );
        assert.match(none.summary, /\*\*Failed:\*\* The marketplace at/);
      } finally {
        emptyCache.cleanup();
      }
    } finally {
      await server.stop().catch(() => undefined);
      ws.cleanup();
    }
  });
});
