import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readManifest } from '../../../src/core/python/scan.ts';
import { discoverFiles, scanProject } from '../../../src/core/project/disk-scan.ts';
import { manifestKindOf, selectProjectFiles } from '../../../src/core/python/discover.ts';
import { resolveInclude } from '../../../src/core/python/scan.ts';
import { LockfileError } from '../../../src/core/python/lockfiles.ts';
import { lockCommand, readLockfile } from '../../../src/core/python/formats.ts';
import { expandGroup } from '../../../src/core/python/pyproject.ts';
import { parseRequirement, RequirementSyntaxError } from '../../../src/core/python/pep508.ts';

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fapilog-scan-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

describe('discovery', () => {
  test('names that are manifests', () => {
    assert.equal(manifestKindOf('requirements-dev.txt'), 'requirements');
    assert.equal(manifestKindOf('deps/prod.in'), 'requirements');
    assert.equal(manifestKindOf('requirements/base.txt'), 'requirements');
    assert.equal(manifestKindOf('notes.txt'), null);
    assert.equal(manifestKindOf('MANIFEST.in'), null);
    assert.equal(manifestKindOf('src/config.h.in'), null);
    assert.equal(manifestKindOf('a/Pipfile.lock'), 'lockfile');
    assert.equal(manifestKindOf('setup.cfg'), 'setup.cfg');
  });

  test('skips VCS, virtualenvs (by pyvenv.cfg too), node_modules, caches and build output', async () => {
    const dir = await project({
      'requirements.txt': 'fapilog\n',
      '.git/requirements.txt': 'x\n',
      'venv/requirements.txt': 'x\n',
      'custom-env/pyvenv.cfg': 'home = /usr\n',
      'custom-env/requirements.txt': 'x\n',
      'lib/site-packages/pkg/requirements.txt': 'x\n',
      '.tox/py311/requirements.txt': 'x\n',
      '.nox/s/requirements.txt': 'x\n',
      'dist/requirements.txt': 'x\n',
      'src/app/__pycache__/requirements.txt': 'x\n',
      'src/app/requirements.in': 'fapilog-loki\n',
    });
    try {
      assert.deepEqual(
        (await discoverFiles(dir)).map((f) => f.relative),
        ['requirements.txt', 'src/app/requirements.in'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scanProject', () => {
  test('a self-include and a mutual include terminate, each file read once', async () => {
    const dir = await project({
      'requirements.txt': '-r requirements.txt\n-r more.txt\nfapilog\n',
      'more.txt': '-r requirements.txt\n-r more.txt\nfapilog-loki\n',
    });
    try {
      const scan = await scanProject(dir);
      assert.deepEqual(
        scan.manifests.map((m) => m.file),
        ['requirements.txt', 'more.txt'],
      );
      assert.deepEqual(
        scan.manifests.flatMap((m) => m.dependencies.map((d) => d.name)),
        ['fapilog', 'fapilog-loki'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a file given as root is scanned alone, relative to its directory', async () => {
    const dir = await project({
      'app/reqs.txt': 'fapilog==0.4.2\n-r extra.txt\n',
      'app/extra.txt': 'fapilog-audit\n',
      'app/requirements.txt': 'other\n',
    });
    try {
      const scan = await scanProject(path.join(dir, 'app/reqs.txt'));
      assert.equal(scan.root, path.join(dir, 'app'));
      assert.deepEqual(
        scan.manifests.map((m) => [m.file, m.includedFrom]),
        [
          ['reqs.txt', null],
          ['extra.txt', 'reqs.txt'],
        ],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing root is a clear error', async () => {
    await assert.rejects(scanProject('/nonexistent/fapilog-project'), /\/nonexistent\/fapilog-project: no such file or directory/);
  });

  test('a broken lockfile is a warning naming the file, not a crash', async () => {
    const dir = await project({ 'requirements.txt': 'fapilog\n', 'Pipfile.lock': '{"default": {"fapilog": {"version": 42}}}' });
    try {
      const scan = await scanProject(dir);
      assert.equal(scan.locked.size, 0);
      assert.match(scan.warnings.join('\n'), /Pipfile\.lock: unexpected shape at default\.fapilog\.version/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('readManifest and lockfiles', () => {
  test('unknown manifest names are refused', () => {
    assert.throws(() => readManifest('notes.md', 'x'), /not a manifest this tool reads/);
    assert.equal(readManifest('whatever.txt', 'fapilog\n', 'requirements').dependencies[0]?.name, 'fapilog');
  });

  test('lockfile shapes are validated', () => {
    assert.deepEqual(readLockfile('uv.lock', '[[package]]\nname = "Fapilog_Loki"\nversion = "1.2.0"\n'), [
      { name: 'fapilog-loki', version: '1.2.0', category: null },
    ]);
    assert.throws(
      () => readLockfile('poetry.lock', '[[package]]\nversion = "1.0"\n'),
      (e: unknown) => e instanceof LockfileError && /package\.0\.name/.test(e.message),
    );
    assert.throws(() => readLockfile('Pipfile.lock', 'not json'), /not JSON/);
  });

  test('lock commands', () => {
    assert.equal(lockCommand('uv.lock', 'fapilog-loki').display, 'uv lock --upgrade-package fapilog-loki');
    assert.equal(lockCommand('sub/poetry.lock', 'fapilog-loki').display, 'poetry update --lock fapilog-loki');
    assert.equal(lockCommand('pdm.lock', 'fapilog-loki').display, 'pdm update --no-sync --update-reuse fapilog-loki');
    assert.deepEqual(lockCommand('Pipfile.lock', 'x').args, ['lock']);
    assert.throws(() => lockCommand('yarn.lock', 'x'), LockfileError);
  });

  test('PEP 735 group closure tolerates cycles', () => {
    assert.deepEqual(expandGroup({ dev: ['test', 'lint'], lint: ['dev'], test: ['typing'] }, 'dev').sort(), [
      'dev',
      'lint',
      'test',
      'typing',
    ]);
  });

  test('PEP 508 parsing reports offsets and errors', () => {
    const r = parseRequirement('fapilog-loki [http2] (>=1.0, <2) ; python_version >= "3.10"');
    assert.deepEqual([r.name, r.extras, r.specifier, r.markers], ['fapilog-loki', ['http2'], '>=1.0, <2', 'python_version >= "3.10"']);
    assert.deepEqual(r.specifierSpan, { start: 22, end: 31 });
    assert.throws(() => parseRequirement('fapilog-loki extra'), RequirementSyntaxError);
  });
});

describe('discovery is a pure function of the path list', () => {
  test('same choices as the walk: skipped folders, virtualenvs by pyvenv.cfg, walk order, kinds', () => {
    const paths = [
      'z/requirements.txt',
      'a.txt',
      'requirements.txt',
      'a/pyproject.toml',
      '.git/requirements.txt',
      'pkg.egg-info/requires.txt',
      'tools/env1/pyvenv.cfg',
      'tools/env1/requirements.txt',
      'tools/requirements.in',
      'src/MANIFEST.in',
      'uv.lock',
      'node_modules/x/Pipfile',
      'requirements/base.txt',
      'build/requirements.txt',
    ];
    assert.deepEqual(selectProjectFiles(paths), [
      { relative: 'a/pyproject.toml', kind: 'pyproject' },
      { relative: 'requirements/base.txt', kind: 'requirements' },
      { relative: 'requirements.txt', kind: 'requirements' },
      { relative: 'tools/requirements.in', kind: 'requirements' },
      { relative: 'uv.lock', kind: 'lockfile' },
      { relative: 'z/requirements.txt', kind: 'requirements' },
    ]);
    // A pyvenv.cfg at the root does not make the project itself a virtualenv.
    assert.deepEqual(
      selectProjectFiles(['pyvenv.cfg', 'requirements.txt']).map((f) => f.relative),
      ['requirements.txt'],
    );
  });

  test('includes resolve inside the root, or not at all', () => {
    assert.equal(resolveInclude('app/requirements.txt', 'base.txt'), 'app/base.txt');
    assert.equal(resolveInclude('app/requirements.txt', '../common/base.txt'), 'common/base.txt');
    assert.equal(resolveInclude('app/requirements.txt', '..\\common\\base.txt'), 'common/base.txt');
    assert.equal(resolveInclude('app/requirements.txt', '../../etc/passwd'), null);
    assert.equal(resolveInclude('requirements.txt', '/etc/passwd'), null);
    assert.equal(resolveInclude('requirements.txt', 'C:\\x.txt'), null);
    assert.equal(resolveInclude('requirements.txt', '~/x.txt'), null);
    assert.equal(resolveInclude('requirements.txt', '.'), null);
  });
});
