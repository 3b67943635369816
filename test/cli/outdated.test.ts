/**
 * `outdated` against the real reference marketplace (demo catalog) on 127.0.0.1, on a temp copy
 * of examples/app, whose manifests show every status.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace } from '../../server/index.ts';
import { FAIL_ON, type FailOn } from '../../src/core/analysis/policy.ts';
import { Report, STATUSES, type Status } from '../../src/core/analysis/report.ts';
import { CATALOG_FILE, startTestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';
import { useWorkspace } from '../helpers/workspace.ts';

const requests: string[] = [];
const ws = useWorkspace('outdated', {
  // Started directly (not through startTestServer) to see the server's own request log.
  async marketplace() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-outdated-data-'));
    const marketplace = await createMarketplace({ dataDir, seedFile: CATALOG_FILE, log: (line) => requests.push(line) });
    return {
      apiUrl: `${await marketplace.listen(0, '127.0.0.1')}/api/v1`,
      async stop() {
        await marketplace.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
});
const { tempDir, copyApp } = ws;

async function outdated(args: string[], cacheDir = tempDir('cache-')) {
  return runCli(['--marketplace-url', ws.apiUrl, '--cache-dir', cacheDir, 'outdated', ...args]);
}

describe('outdated on examples/app', () => {
  test('human table: every status, the fapilog source, file:line, exit 1', async () => {
    const app = copyApp();
    const r = await outdated([app]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^fapilog 0\.16\.0 \(pinned in pyproject\.toml:7\)$/m);
    // Every status but vulnerable: the demo catalog carries no advisories (test/e2e/advisories.test.ts shows that one).
    for (const status of STATUSES.filter((s) => s !== 'vulnerable')) {
      assert.match(r.stdout, new RegExp(`\\s${status}\\s`), `status ${status} shown`);
    }
    assert.match(r.stdout, /^plugin\s+file:line\s+current\s+latest compatible\s+latest\s+status\s+note$/m);
    assert.match(
      r.stdout,
      /^fapilog-kafka\s+pyproject\.toml:10\s+2\.1\.0\s+2\.1\.0\s+3\.1\.0\s+held-back\s+3\.1\.0 is available but needs fapilog 0\.18\.0 or newer/m,
    );
    assert.match(r.stdout, /^fapilog-sampling\s+requirements\.txt:5\s+1\.2\.0\s+1\.2\.1\s+1\.2\.1\s+yanked\s+1\.2\.0 was yanked/m);
    assert.match(r.stdout, /^fapilog-request-context\s+pyproject\.toml:11\s+0\.4\.0\s+1\.2\.0\s+1\.2\.0\s+incompatible/m);
    assert.match(r.stdout, /11 plugin dependencies: 3 up-to-date, 2 outdated, 2 incompatible, 2 held-back, 1 yanked, 1 unknown/);
    assert.match(r.stdout, /1 plugin dependency was ignored: fapilog-legacy-shim \(pyproject\.toml:22\)/);
    // Not a terminal: no colour escapes.
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });

  test('--json is the full Report and nothing else on stdout', async () => {
    const app = copyApp();
    const r = await runCli(['--marketplace-url', ws.apiUrl, '--cache-dir', tempDir('cache-'), '--json', 'outdated', app]);
    assert.equal(r.code, 1, r.stderr);
    const report = Report.parse(JSON.parse(r.stdout));
    assert.deepEqual(report.counts, {
      'up-to-date': 3,
      outdated: 2,
      incompatible: 2,
      'held-back': 2,
      yanked: 1,
      vulnerable: 0,
      unknown: 1,
    });
    assert.deepEqual(report.fapilog, { version: '0.16.0', source: 'pinned', specifier: '==0.16.0', from: 'pyproject.toml:7' });
    assert.equal(report.marketplace.url, ws.apiUrl);
    assert.equal(report.marketplace.stale, false);
    assert.deepEqual([...report.manifests].sort(), ['pyproject.toml', 'requirements-dev.txt', 'requirements.txt']);
    const by = new Map(report.plugins.map((p) => [p.package, p]));
    assert.equal(by.get('fapilog-kafka')?.requiresFapilog, '0.18.0');
    assert.equal(by.get('fapilog-field-mapper')?.requiresFapilog, '0.17.0');
    assert.equal(by.get('fapilog-otel')?.currentSource, 'range');
    assert.equal(by.get('fapilog-otel')?.current, '1.1.0');
    assert.equal(by.get('fapilog-datadog')?.latest, '1.1.0', 'the 1.2.0rc1 pre-release is not offered');
    assert.equal(by.get('fapilog-cloudwatch')?.location.section, 'project.optional-dependencies.aws');
    assert.equal(by.get('fapilog-acme-billing')?.status, 'unknown');
    assert.equal(by.has('fapilog-legacy-shim'), false);
  });

  test('one run costs one /plugins/batch request and one /fapilog/versions request', async () => {
    const app = copyApp();
    const start = requests.length;
    const r = await outdated([app]);
    assert.equal(r.code, 1, r.stderr);
    const mine = requests.slice(start);
    assert.equal(mine.filter((l) => /\/plugins\/batch/.test(l)).length, 1, mine.join('\n'));
    assert.equal(mine.filter((l) => /\/fapilog\/versions/.test(l)).length, 1, mine.join('\n'));
    assert.equal(mine.length, 2, `no other requests: ${mine.join('\n')}`);
  });

  test('--fapilog-version overrides the project fapilog and changes the verdicts', async () => {
    const app = copyApp();
    const r = await runCli([
      '--marketplace-url',
      ws.apiUrl,
      '--cache-dir',
      tempDir('cache-'),
      '--json',
      'outdated',
      app,
      '--fapilog-version',
      '0.18.1',
    ]);
    const report = Report.parse(JSON.parse(r.stdout));
    assert.equal(report.fapilog.source, 'override');
    assert.equal(report.fapilog.version, '0.18.1');
    const kafka = report.plugins.find((p) => p.package === 'fapilog-kafka');
    assert.equal(kafka?.status, 'incompatible');
    assert.equal(kafka?.latestCompatible, '3.1.0');
  });

  test('--ignore leaves plugins out; a project with nothing to do exits 0', async () => {
    const app = copyApp();
    // Comma-separated, like the Action's input; before the path, which it does not swallow.
    const r = await runCli([
      '--marketplace-url',
      ws.apiUrl,
      '--cache-dir',
      tempDir('cache-'),
      '--json',
      'outdated',
      '--ignore',
      'sampling,fapilog-otel',
      app,
    ]);
    assert.equal(r.stderr, '');
    const report = Report.parse(JSON.parse(r.stdout));
    assert.equal(report.root, app);
    assert.equal(
      report.plugins.some((p) => p.package === 'fapilog-sampling' || p.package === 'fapilog-otel'),
      false,
    );
    assert.ok(report.warnings.some((w) => /^3 plugin dependencies were ignored/.test(w)));
    // Repeated, and as --path: the same report.
    const repeated = await runCli([
      '--marketplace-url',
      ws.apiUrl,
      '--cache-dir',
      tempDir('cache-'),
      '--json',
      'outdated',
      '--ignore',
      'sampling',
      '--ignore',
      'otel',
      '--path',
      app,
    ]);
    assert.deepEqual(Report.parse(JSON.parse(repeated.stdout)).plugins, report.plugins);
    const bad = await outdated([app, '--ignore', 'sampling,not a name']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /option '--ignore <names>' argument 'sampling,not a name' is invalid\. "not a name" is not a plugin name/);

    const clean = tempDir('clean-');
    fs.writeFileSync(
      path.join(clean, 'requirements.txt'),
      'fapilog==0.16.0\nfapilog-loki==1.4.0\nfapilog-in-house==1.0  # not published\n',
    );
    const ok = await outdated([clean]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /2 plugin dependencies: 1 up-to-date, 1 unknown/);
  });

  test('fapilog not a dependency: judged against the newest fapilog, with a warning', async () => {
    const dir = tempDir('nofapilog-');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'fapilog-kafka==2.1.0\n');
    const r = await outdated([dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^fapilog 0\.18\.1 \(newest release; fapilog is not a dependency of this project\)$/m);
    assert.match(r.stdout, /incompatible/);
    assert.match(r.stdout, /warning: fapilog is not a dependency of this project/);
  });

  test('errors: a bad --fapilog-version and a missing path exit 2 with one line', async () => {
    const app = copyApp();
    const bad = await outdated([app, '--fapilog-version', 'latest']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --fapilog-version "latest" is not a PEP 440 version\n$/);
    const missing = await outdated([path.join(ws.work, 'does-not-exist')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^error: .*does-not-exist/);
    // --json: the same error as a JSON object on stdout, for scripts.
    const json = await outdated(['--json', app, '--fapilog-version', 'latest']);
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stdout), {
      error: { code: 'invalid-fapilog-version', message: '--fapilog-version "latest" is not a PEP 440 version' },
    });
    assert.equal(json.stderr, 'error: --fapilog-version "latest" is not a PEP 440 version\n');
    const usage = await outdated(['--json', app, '--fail-on', 'sometimes']);
    assert.equal(usage.code, 2);
    assert.equal((JSON.parse(usage.stdout) as { error: { code: string } }).error.code, 'usage');
    assert.match(usage.stderr, /^error: option '--fail-on <level>' argument 'sometimes' is invalid/);
  });

  test('marketplace gone: the cached answers are used, the report says stale', async () => {
    const own = await startTestServer({ seed: true });
    const app = copyApp();
    const cacheDir = tempDir('cache-');
    const args = ['--marketplace-url', own.apiUrl, '--cache-dir', cacheDir, '--json', 'outdated', app];
    try {
      const fresh = await runCli(args);
      assert.equal(Report.parse(JSON.parse(fresh.stdout)).marketplace.stale, false);
    } finally {
      await own.stop();
    }
    const r = await runCli(args);
    assert.equal(r.code, 1, r.stderr);
    const report = Report.parse(JSON.parse(r.stdout));
    assert.equal(report.marketplace.stale, true);
    assert.equal(report.counts['held-back'], 2);
    assert.ok(report.warnings.some((w) => /stale cached copy/.test(w)));
    assert.match(r.stderr, /^warning: .*stale/m);

    const empty = await runCli(['--marketplace-url', own.apiUrl, '--cache-dir', tempDir('cache-'), '--offline', 'outdated', app]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^error: /);
  });
});

describe('outdated --fail-on', () => {
  // One small project per status (fapilog 0.16.0, so the demo catalog gives each its verdict);
  // vulnerable needs an advisory, which the demo catalog has none of (test/e2e/advisories.test.ts).
  const PROJECTS: Record<Exclude<Status, 'unknown' | 'vulnerable'>, string> = {
    'up-to-date': 'fapilog-loki==1.4.0',
    outdated: 'fapilog-redact-pii==1.0.0',
    'held-back': 'fapilog-field-mapper==0.2.0',
    incompatible: 'fapilog-request-context==0.4.0',
    yanked: 'fapilog-sampling==1.2.0',
  };
  // Exit 1 for exactly these statuses at each level; every level includes the one before it.
  const FAILS: Record<FailOn, Status[]> = {
    incompatible: ['incompatible', 'yanked'],
    // The demo catalog records no publishers: no publisher changes (test/e2e/publisher-change.test.ts has them).
    'publisher-changed': ['incompatible', 'yanked'],
    outdated: ['incompatible', 'yanked', 'outdated'],
    'held-back': ['incompatible', 'yanked', 'outdated', 'held-back'],
    never: [],
  };
  const project = (status: keyof typeof PROJECTS) => {
    const dir = tempDir(`${status}-`);
    fs.writeFileSync(path.join(dir, 'requirements.txt'), `fapilog==0.16.0\n${PROJECTS[status]}\n`);
    return dir;
  };

  for (const status of Object.keys(PROJECTS) as Array<keyof typeof PROJECTS>) {
    test(`a project with one ${status} plugin: the exit status at each level, and without --fail-on`, async () => {
      const dir = project(status);
      const cacheDir = tempDir('cache-');
      const json = await runCli(['--marketplace-url', ws.apiUrl, '--cache-dir', cacheDir, '--json', 'outdated', dir]);
      assert.deepEqual(
        Report.parse(JSON.parse(json.stdout)).plugins.map((p) => p.status),
        [status],
        'the project shows the status it is meant to',
      );
      for (const level of FAIL_ON) {
        const r = await outdated([dir, '--fail-on', level], cacheDir);
        assert.equal(r.code, FAILS[level].includes(status) ? 1 : 0, `--fail-on ${level}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`\\s${status}\\s`), 'the report is printed whatever the level');
      }
      const byDefault = await outdated([dir], cacheDir);
      assert.equal(byDefault.code, status === 'up-to-date' ? 0 : 1, 'the default fails on every problem status');
      assert.equal(byDefault.code, (await outdated([dir, '--fail-on', 'held-back'], cacheDir)).code, 'the default is held-back');
    });
  }

  test('--fail-on never exits 0 for the app with every status; a bad level is a usage error', async () => {
    const app = copyApp();
    const never = await outdated([app, '--fail-on', 'never']);
    assert.equal(never.code, 0, never.stderr);
    assert.match(never.stdout, /2 outdated, 2 incompatible, 2 held-back, 1 yanked/);
    const bad = await outdated([app, '--fail-on', 'sometimes']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-on.*sometimes.*incompatible, publisher-changed, outdated, held-back, never/);
  });

  test('the help names the levels and the default', async () => {
    const r = await runCli(['outdated', '--help']);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout.replace(/\s+/g, ' '),
      /--fail-on <level> .*\(choices: "incompatible", "publisher-changed", "outdated", "held-back", "never", default: "held-back"\)/,
    );
  });
});
