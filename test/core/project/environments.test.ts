/**
 * One answer per environment, on in-memory projects: monorepos whose services run different
 * fapilog versions, a service's `requirements/` folder, a uv workspace, a file two services
 * include, and lockfiles that must not speak for another service.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkProject, MemoryProjectFiles, planInstall, planUpdate, type PluginLookup } from '../../../src/core/project/index.ts';
import type { BatchEntry } from '../../../src/core/marketplace/schemas.ts';
import { decide } from '../../../src/core/analysis/policy.ts';
import { entry, release } from '../analysis/builders.ts';
import { renderCheck } from '../../../src/action/outcome.ts';
import { renderReport } from '../../../src/cli/commands/outdated.ts';
import { renderSummary } from '../../../src/core/render/summary.ts';
import { shownText } from '../../helpers/markdown.ts';
import { pullRequestBody } from '../../../src/core/render/pull-request.ts';

const FAPILOG = ['0.14.0', '0.14.2', '0.16.0', '0.17.0', '0.18.0', '0.18.1'];
const CATALOG: Record<string, BatchEntry> = {
  'fapilog-field-mapper': entry(
    release('fapilog-field-mapper', '0.1.0', '>=0.14,<0.15'),
    release('fapilog-field-mapper', '0.2.0', '>=0.16'),
    release('fapilog-field-mapper', '0.3.0', '>=0.17'),
  ),
  'fapilog-dedupe': entry(release('fapilog-dedupe', '1.0.0', '>=0.14'), release('fapilog-dedupe', '1.1.0', '>=0.18.1')),
  'fapilog-otel': entry(
    release('fapilog-otel', '1.0.0', '>=0.14'),
    release('fapilog-otel', '1.1.0', '>=0.14'),
    release('fapilog-otel', '2.0.0', '>=0.18'),
  ),
};

function lookup(): PluginLookup & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async batch(names) {
      asked.push(names);
      return Object.fromEntries(names.map((n) => [n, CATALOG[n] ?? null]));
    },
    async fapilogVersions() {
      return FAPILOG;
    },
    status: () => ({ url: 'http://marketplace.test/api/v1', stale: false }),
  };
}

const poetry = (name: string, deps: Record<string, string>) =>
  `[tool.poetry]\nname = "${name}"\nversion = "1.0.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n${Object.entries(deps)
    .map(([k, v]) => `${k} = "${v}"`)
    .join('\n')}\n`;
const pep621 = (name: string, deps: string[]) =>
  `[project]\nname = "${name}"\nversion = "1.0.0"\ndependencies = [${deps.map((d) => JSON.stringify(d)).join(', ')}]\n`;
const tomlLock = (pkgs: Record<string, string>) =>
  `version = 1\n${Object.entries(pkgs)
    .map(([n, v]) => `\n[[package]]\nname = "${n}"\nversion = "${v}"\n`)
    .join('')}`;

/** The layout of issue 17: two services on different fapilogs and a root requirements file. */
const ISSUE_LAYOUT = {
  'services/api/pyproject.toml': poetry('api', { fapilog: '^0.14.0', 'fapilog-field-mapper': '0.1.0' }),
  'services/api/poetry.lock': tomlLock({ fapilog: '0.14.2', 'fapilog-field-mapper': '0.1.0' }),
  'services/worker/pyproject.toml': pep621('worker', ['fapilog>=0.17,<0.19', 'fapilog-field-mapper==0.2.0', 'fapilog-dedupe>=1.0']),
  'services/worker/uv.lock': tomlLock({
    fapilog: '0.18.1',
    'fapilog-field-mapper': '0.2.0',
    'fapilog-dedupe': '1.0.0',
    'fapilog-otel': '1.1.0',
  }),
  'requirements-common.txt': 'fapilog>=0.14\nfapilog-otel==1.0.0\n',
};

const row = (
  r: {
    plugins: Array<{
      package: string;
      location: { file: string };
      current: string | null;
      currentSource: string;
      status: string;
      latestCompatible: string | null;
      environments?: string[];
    }>;
  },
  file: string,
  pkg: string,
) => {
  const e = r.plugins.find((p) => p.location.file === file && p.package === pkg);
  assert.ok(e, `${pkg} in ${file}`);
  return e;
};

describe('environments', () => {
  test('two services locked to different fapilog versions are each judged against their own', async () => {
    const { report } = await checkProject({ files: new MemoryProjectFiles(ISSUE_LAYOUT), lookup: lookup() });
    assert.deepEqual(
      report.environments?.map((e) => [e.dir, e.fapilog.version, e.fapilog.source, e.fapilog.from]),
      [
        ['.', '0.18.1', 'range', 'requirements-common.txt:1'],
        ['services/api', '0.14.2', 'locked', 'services/api/poetry.lock'],
        ['services/worker', '0.18.1', 'locked', 'services/worker/uv.lock'],
      ],
    );
    const api = row(report, 'services/api/pyproject.toml', 'fapilog-field-mapper');
    assert.deepEqual([api.current, api.status, api.environments], ['0.1.0', 'held-back', ['services/api']]);
    const worker = row(report, 'services/worker/pyproject.toml', 'fapilog-field-mapper');
    assert.deepEqual(
      [worker.current, worker.status, worker.latestCompatible, worker.environments],
      ['0.2.0', 'outdated', '0.3.0', ['services/worker']],
    );
    // The note says exactly which fapilog unlocks which release.
    assert.match(
      report.plugins.find((p) => p === api)!.note as string,
      /0\.3\.0 is available but needs fapilog 0\.16\.0 or newer \(0\.2\.0 from fapilog 0\.16\.0, 0\.3\.0 from 0\.17\.0\)/,
    );
    const apiEnv = report.environments?.find((e) => e.dir === 'services/api');
    assert.equal(apiEnv?.upgrade?.fapilog, '0.17.0');
    assert.deepEqual(
      apiEnv?.upgrade?.plugins.map((p) => [p.package, p.from, p.to, p.unlocked]),
      [['fapilog-field-mapper', '0.1.0', '0.3.0', true]],
    );
  });

  test("a lockfile of one service never sets current for another's manifest", async () => {
    const { report } = await checkProject({ files: new MemoryProjectFiles(ISSUE_LAYOUT), lookup: lookup() });
    // The worker's uv.lock locks fapilog-otel 1.1.0; the root file pins 1.0.0 and is its own environment.
    const otel = row(report, 'requirements-common.txt', 'fapilog-otel');
    assert.deepEqual([otel.current, otel.currentSource, otel.environments], ['1.0.0', 'pinned', ['.']]);
    const files = new MemoryProjectFiles({
      'services/a/pyproject.toml': pep621('a', ['fapilog==0.16.0', 'fapilog-otel>=1.0']),
      'services/a/uv.lock': tomlLock({ fapilog: '0.16.0', 'fapilog-otel': '1.0.0' }),
      'services/b/pyproject.toml': pep621('b', ['fapilog==0.18.1', 'fapilog-otel>=1.0']),
    });
    const b = await checkProject({ files, lookup: lookup() });
    const inB = row(b.report, 'services/b/pyproject.toml', 'fapilog-otel');
    assert.deepEqual([inB.current, inB.currentSource], ['2.0.0', 'range']);
    const inA = row(b.report, 'services/a/pyproject.toml', 'fapilog-otel');
    assert.deepEqual([inA.current, inA.currentSource, inA.latestCompatible], ['1.0.0', 'locked', '1.1.0']);
    assert.ok(!b.report.warnings.some((w) => /is locked at/.test(w)), 'no cross-environment lock conflict');
  });

  test("a service's requirements/ folder with -r base.txt belongs to the service", async () => {
    const files = new MemoryProjectFiles({
      'services/svc/pyproject.toml': pep621('svc', ['fapilog==0.16.0']),
      'services/svc/requirements/prod.txt': '-r base.txt\nfapilog-dedupe==1.0.0\n',
      'services/svc/requirements/base.txt': 'fapilog-otel==1.0.0\n',
      'services/other/pyproject.toml': pep621('other', ['fapilog==0.18.1', 'fapilog-field-mapper==0.2.0']),
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    const svc = report.environments?.find((e) => e.dir === 'services/svc');
    assert.deepEqual(svc?.manifests, [
      'services/svc/pyproject.toml',
      'services/svc/requirements/base.txt',
      'services/svc/requirements/prod.txt',
    ]);
    assert.equal(svc?.fapilog.version, '0.16.0');
    assert.deepEqual(row(report, 'services/svc/requirements/base.txt', 'fapilog-otel').environments, ['services/svc']);
    // fapilog 0.16.0 rules out otel 2.0.0: the newest it can run is 1.1.0.
    assert.equal(row(report, 'services/svc/requirements/base.txt', 'fapilog-otel').latestCompatible, '1.1.0');
    assert.equal(row(report, 'services/other/pyproject.toml', 'fapilog-field-mapper').latestCompatible, '0.3.0');
  });

  test('rootless requirements files form their own environment in their folder', async () => {
    const files = new MemoryProjectFiles({
      'svc-a/requirements.txt': '-r requirements/base.txt\nfapilog-otel==1.0.0\n',
      'svc-a/requirements/base.txt': 'fapilog==0.16.0\n',
      'svc-b/requirements.txt': 'fapilog==0.18.1\nfapilog-otel==1.0.0\n',
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    assert.deepEqual(
      report.environments?.map((e) => [e.dir, e.fapilog.version, e.manifests.length]),
      [
        ['svc-a', '0.16.0', 2],
        ['svc-b', '0.18.1', 1],
      ],
    );
    assert.deepEqual(
      report.plugins.map((p) => [p.location.file, p.latestCompatible]),
      [
        ['svc-a/requirements.txt', '1.1.0'],
        ['svc-b/requirements.txt', '2.0.0'],
      ],
    );
  });

  test('a uv workspace with one root lock is one environment', async () => {
    const files = new MemoryProjectFiles({
      'pyproject.toml': `${pep621('ws', ['fapilog==0.18.1'])}\n[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/skip"]\n`,
      'uv.lock': tomlLock({ fapilog: '0.18.1', 'fapilog-otel': '1.1.0', 'fapilog-dedupe': '1.0.0' }),
      'packages/a/pyproject.toml': pep621('a', ['fapilog-otel>=1.0']),
      'packages/b/pyproject.toml': pep621('b', ['fapilog-dedupe>=1.0']),
      'packages/skip/pyproject.toml': pep621('skip', ['fapilog==0.16.0', 'fapilog-otel>=1.0']),
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    assert.deepEqual(
      report.environments?.map((e) => [e.dir, e.fapilog.version, e.manifests]),
      [
        ['.', '0.18.1', ['packages/a/pyproject.toml', 'packages/b/pyproject.toml', 'pyproject.toml']],
        ['packages/skip', '0.16.0', ['packages/skip/pyproject.toml']],
      ],
    );
    assert.deepEqual(
      [
        row(report, 'packages/a/pyproject.toml', 'fapilog-otel').current,
        row(report, 'packages/a/pyproject.toml', 'fapilog-otel').currentSource,
      ],
      ['1.1.0', 'locked'],
    );
    assert.equal(row(report, 'packages/skip/pyproject.toml', 'fapilog-otel').currentSource, 'range');
    const plan = await planUpdate({ files, lookup: lookup() });
    assert.deepEqual(
      plan.lock.map((l) => [l.lockfile, l.directory, l.display]),
      [['uv.lock', '', 'uv lock --upgrade-package fapilog-otel --upgrade-package fapilog-dedupe']],
    );
  });

  test('a project with a path dependency is locked together with it', async () => {
    const files = new MemoryProjectFiles({
      'app/pyproject.toml': poetry('app', { fapilog: '0.16.0', mylib: '{ path = "../lib", develop = true }' }).replace(
        'mylib = "{ path = "../lib", develop = true }"',
        'mylib = { path = "../lib", develop = true }',
      ),
      'app/poetry.lock': tomlLock({ fapilog: '0.16.0', 'fapilog-otel': '1.0.0' }),
      'lib/pyproject.toml': pep621('mylib', ['fapilog-otel>=1.0']),
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    assert.deepEqual(
      report.environments?.map((e) => [e.dir, e.manifests]),
      [['app', ['app/pyproject.toml', 'lib/pyproject.toml']]],
    );
    assert.deepEqual(
      [row(report, 'lib/pyproject.toml', 'fapilog-otel').current, row(report, 'lib/pyproject.toml', 'fapilog-otel').currentSource],
      ['1.0.0', 'locked'],
    );
  });

  describe('a root file included by two services', () => {
    const shared = (common: string) =>
      new MemoryProjectFiles({
        'services/a/pyproject.toml': pep621('a', ['fapilog==0.14.2']),
        'services/a/requirements.txt': '-r ../../requirements-common.txt\n',
        'services/b/pyproject.toml': pep621('b', ['fapilog==0.18.1']),
        'services/b/requirements.txt': '-r ../../requirements-common.txt\n',
        'requirements-common.txt': common,
      });

    test('gets the newest release both can run', async () => {
      const files = shared('fapilog-otel==1.0.0\n');
      const { report } = await checkProject({ files, lookup: lookup() });
      const otel = row(report, 'requirements-common.txt', 'fapilog-otel');
      assert.deepEqual(otel.environments, ['services/a', 'services/b']);
      // 2.0.0 needs fapilog 0.18 (services/a runs 0.14.2): 1.1.0 is what both can run.
      assert.deepEqual([otel.status, otel.latestCompatible], ['outdated', '1.1.0']);
      assert.match(report.plugins[0]!.note, /works with fapilog 0\.14\.2 \(services\/a\) and 0\.18\.1 \(services\/b\)/);
      const plan = await planUpdate({ files, lookup: lookup() });
      assert.deepEqual(
        plan.planned.map((p) => [p.file, p.target]),
        [['requirements-common.txt', '1.1.0']],
      );
    });

    test('or names the environments that disagree, and update leaves it alone with that warning', async () => {
      const files = shared('fapilog-field-mapper==0.1.0\n');
      const { report } = await checkProject({ files, lookup: lookup() });
      const fm = row(report, 'requirements-common.txt', 'fapilog-field-mapper');
      assert.deepEqual([fm.status, fm.latestCompatible], ['incompatible', null]);
      const note = report.plugins[0]!.note;
      assert.match(note, /0\.1\.0 requires fapilog >=0\.14,<0\.15 but services\/b uses 0\.18\.1/);
      assert.match(
        note,
        /the environments sharing this file disagree: no release works with fapilog 0\.14\.2 \(services\/a\) and 0\.18\.1 \(services\/b\)/,
      );
      assert.ok(report.warnings.some((w) => w.startsWith('requirements-common.txt:1: fapilog-field-mapper: ') && w.includes('disagree')));
      const plan = await planUpdate({ files, lookup: lookup() });
      assert.deepEqual(plan.changes, []);
      assert.deepEqual(
        plan.skipped.map((s) => [s.package, s.reason]),
        [['fapilog-field-mapper', note]],
      );
    });
  });

  test('the layout of issue 17: no downgrade, the check passes, lock hints name the right lockfile in the right directory', async () => {
    const files = new MemoryProjectFiles(ISSUE_LAYOUT);
    const asked = lookup();
    const plan = await planUpdate({ files, lookup: asked });
    assert.equal(asked.asked.length, 1, 'one batch for every environment');
    assert.deepEqual(
      plan.planned.map((p) => [p.file, p.package, p.current, p.target, p.downgrade ?? false]),
      [
        ['requirements-common.txt', 'fapilog-otel', '1.0.0', '2.0.0', false],
        ['services/worker/pyproject.toml', 'fapilog-field-mapper', '0.2.0', '0.3.0', false],
        ['services/worker/pyproject.toml', 'fapilog-dedupe', '1.0.0', '1.1.0', false],
      ],
    );
    assert.deepEqual(
      plan.lock.map((l) => [l.lockfile, l.directory, l.display]),
      [['services/worker/uv.lock', 'services/worker', 'uv lock --upgrade-package fapilog-field-mapper --upgrade-package fapilog-dedupe']],
    );
    // The Action's default policy (fail-on: incompatible) passes: nothing is incompatible with its own fapilog.
    const rendered = renderCheck(plan.report, { failOn: 'incompatible', workspace: '/ws', settings: { cacheDir: undefined } });
    assert.equal(rendered.failed, false, rendered.failureMessage ?? '');
    assert.equal(plan.report.counts.incompatible, 0);
    assert.equal(decide(plan.report, 'incompatible').failed, false);
    assert.ok(!plan.report.warnings.some((w) => /locked at/.test(w)), plan.report.warnings.join('\n'));
  });

  test('install judges against the environment of the manifest it edits', async () => {
    const files = new MemoryProjectFiles({
      'pyproject.toml': pep621('app', ['fapilog>=0.14']),
      'poetry.lock': tomlLock({ fapilog: '0.16.0' }),
      'services/new/pyproject.toml': pep621('new', ['fapilog==0.18.1']),
      'services/new/uv.lock': tomlLock({ fapilog: '0.18.1' }),
    });
    const plan = await planInstall({ files, lookup: lookup(), requirement: 'otel' });
    assert.deepEqual(
      [plan.file, plan.version, plan.fapilog.version, plan.fapilog.from],
      ['pyproject.toml', '1.1.0', '0.16.0', 'poetry.lock'],
    );
    assert.deepEqual(
      plan.lock.map((l) => l.display),
      ['poetry update --lock fapilog-otel'],
    );
  });

  test('one environment reads as before: no environment noise in warnings or the fapilog line', async () => {
    const files = new MemoryProjectFiles({
      'pyproject.toml': pep621('app', ['fapilog-otel==1.0.0']),
      'requirements.txt': 'fapilog-dedupe==1.0.0\n',
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    assert.equal(report.environments?.length, 1);
    assert.ok(
      report.warnings.some((w) => w.startsWith('fapilog is not a dependency of this project')),
      report.warnings.join('\n'),
    );
  });
});

describe("the Action's log with several environments", () => {
  test('a group per environment, its fapilog in the title, then the shared files; no line for an up-to-date plugin', async () => {
    const { logGroups } = await import('../../../src/action/outcome.ts');
    const { report } = await checkProject({ files: new MemoryProjectFiles(ISSUE_LAYOUT), lookup: lookup() });
    const groups = logGroups(report);
    assert.deepEqual(
      groups.map((g) => g.title.replace(/: \d+ plugins?.*$/, '')),
      [
        'environment . (fapilog 0.18.1, range in requirements-common.txt:1)',
        'environment services/api (fapilog 0.14.2, locked in services/api/poetry.lock)',
        'environment services/worker (fapilog 0.18.1, locked in services/worker/uv.lock)',
      ],
    );
    for (const g of groups) assert.match(g.title, /: \d+ plugins? \(\d+ [a-z -]+(, \d+ [a-z -]+)*\)$/);
    const all = groups.flatMap((g) => g.lines);
    assert.ok(all.length > 0);
    assert.ok(
      all.every((l) => !/: up-to-date$/.test(l)),
      all.join('\n'),
    );
    assert.equal(all.length, report.plugins.filter((p) => p.status !== 'up-to-date').length);
  });
});

describe('environments: cycles and the front ends', () => {
  test('requirements files including each other in a cycle settle in one environment', async () => {
    const files = new MemoryProjectFiles({
      'svc/requirements.txt': '-r requirements-dev.txt\nfapilog==0.16.0\nfapilog-otel==1.0.0\n',
      'svc/requirements-dev.txt': '-r requirements.txt\nfapilog-dedupe==1.0.0\n',
    });
    const { report } = await checkProject({ files, lookup: lookup() });
    assert.deepEqual(
      report.environments?.map((e) => [e.dir, e.manifests]),
      [['svc', ['svc/requirements-dev.txt', 'svc/requirements.txt']]],
    );
    assert.ok(report.plugins.every((p) => p.environments?.join() === 'svc'));
  });

  test('the front ends: a heading per environment in the CLI table, a section per environment in the summary, the environment in the plan body', async () => {
    const files = new MemoryProjectFiles(ISSUE_LAYOUT);
    const plan = await planUpdate({ files, lookup: lookup() });
    const text = renderReport(plan.report, { width: 1000, color: false });
    assert.match(text, /^3 environments, each judged against its own fapilog$/m);
    assert.match(text, /^services\/api: fapilog 0\.14\.2 \(locked in services\/api\/poetry\.lock\)$/m);
    assert.match(text, /^services\/worker: fapilog 0\.18\.1 \(locked in services\/worker\/uv\.lock\)$/m);
    assert.match(text, /^fapilog 0\.17\.0 would unlock: fapilog-field-mapper 0\.3\.0$/m);
    const md = renderSummary(plan.report, { failed: false, failureMessage: null });
    assert.match(
      md,
      /^### Environment `services\/api`: fapilog \*\*0\.14\.2\*\* \(locked, `>=0\.14\.0,<0\.15\.0`, in `services\/api\/poetry\.lock`\)$/m,
    );
    assert.match(md, /^#### `services\/worker\/pyproject\.toml`$/m);
    assert.match(md, /^  - `services\/api`: fapilog 0\.17\.0 would unlock: fapilog-field-mapper 0\.3\.0$/m);
    // The pull request of one environment: its own fapilog, its own lock command.
    const worker = plan.planned.filter((c) => c.environments?.join(',') === 'services/worker');
    assert.ok(worker.length > 0);
    const body = pullRequestBody({
      unit: { key: 'all', group: true, environment: 'services/worker' },
      plan: { planned: worker, lock: plan.lock.filter((l) => l.directory === 'services/worker') },
      report: plan.report,
    });
    assert.match(shownText(body), /work with its fapilog 0\.18\.1 \(locked, services\/worker\/uv\.lock\)\.$/m);
    assert.doesNotMatch(body, /services\/api/, 'nothing of the other environments');
    assert.match(
      body,
      /^- `services\/worker\/uv\.lock`: `cd services\/worker && uv lock --upgrade-package fapilog-field-mapper --upgrade-package fapilog-dedupe`$/m,
    );
    // One environment: the table reads as before (the fapilog line first, no environment headings).
    const one = await checkProject({
      files: new MemoryProjectFiles({ 'requirements.txt': 'fapilog==0.16.0\nfapilog-otel==1.0.0\n' }),
      lookup: lookup(),
    });
    const single = renderReport(one.report, { width: 1000, color: false });
    assert.match(single.split('\n')[0]!, /^fapilog 0\.16\.0 \(pinned in requirements\.txt:1\)$/);
    assert.doesNotMatch(single, /environments|^\.: /m);
  });
});
