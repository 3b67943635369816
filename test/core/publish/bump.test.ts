/** Version bumps: the next PEP 440 version, and edits that change only the version's characters. */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { BumpError, nextVersion, projectVersionSpan } from '../../../src/core/publish/bump.ts';
import { applyBump, planBumpOnDisk } from '../../../src/core/publish/disk-plugin.ts';
import { cleanupTemp, copyExample, tempDir } from './helpers.ts';

after(cleanupTemp);

describe('nextVersion', () => {
  const cases: Array<[string, string, string]> = [
    ['1.2.3', 'patch', '1.2.4'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'major', '2.0.0'],
    ['0.9', 'patch', '0.9.1'],
    ['1.2.3', 'pre', '1.2.4rc1'],
    ['1.2.4rc1', 'pre', '1.2.4rc2'],
    ['2.0.0b1', 'pre', '2.0.0b2'],
    ['1.0.0a9', 'pre', '1.0.0a10'],
    ['1.3.0.dev2', 'pre', '1.3.0rc1'],
    ['1.2.3.post1', 'pre', '1.2.4rc1'],
    ['1.2.4rc1', 'patch', '1.2.4'],
    ['2.0.0rc1', 'major', '2.0.0'],
    ['1.2.3rc1', 'minor', '1.3.0'],
    ['1.2.3', 'v1.5.0', '1.5.0'],
    ['1.2.3', '1.5.0-RC1', '1.5.0rc1'],
    ['1.2.3', '1!2.0', '1!2.0'],
  ];
  for (const [from, kind, to] of cases) {
    test(`${from} ${kind} -> ${to}`, () => assert.equal(nextVersion(from, kind), to));
  }
  test('a word that is neither a bump nor a version is an error naming it', () => {
    assert.throws(
      () => nextVersion('1.0.0', 'banana'),
      (e: unknown) => e instanceof BumpError && /"banana"/.test(e.message),
    );
    assert.throws(() => nextVersion('one', 'patch'), /not PEP 440/);
  });
});

describe('projectVersionSpan', () => {
  test('finds the string inside its quotes, in [project] only', () => {
    const text = `[tool.x]\nversion = "9"\n\n[project]\nname = "a"\nversion = '1.0'   # the version\n`;
    const span = projectVersionSpan(text);
    assert.ok(span);
    assert.equal(text.slice(span.start, span.end), '1.0');
    assert.equal(projectVersionSpan(`[project]\nname = "a"\n`), null);
  });
});

describe('planBump + applyBump', () => {
  test('the example: [project] version rewritten, every other byte kept, tag printed', async () => {
    const dir = await copyExample();
    const file = path.join(dir, 'pyproject.toml');
    const before = await readFile(file, 'utf8');
    const plan = await planBumpOnDisk(dir, 'patch');
    assert.equal(plan.from, '1.0.0');
    assert.equal(plan.to, '1.0.1');
    assert.equal(plan.tag, 'v1.0.1');
    assert.deepEqual(
      plan.edits.map((e) => path.basename(e.file)),
      ['pyproject.toml'],
    );
    await applyBump(plan);
    assert.equal(await readFile(file, 'utf8'), before.replace('version = "1.0.0"', 'version = "1.0.1"'));
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('literal quotes, comments, CRLF line endings and a version-like string elsewhere survive', async () => {
    const dir = await tempDir();
    const text = `# top comment\r\n[tool.other]\r\nversion = "1.0.0"\r\n\r\n[project]\r\nname = 'fapilog-x'   # name\r\nversion = '1.0.0'  # keep me\r\ndependencies = ["fapilog>=0.14,<0.20"]\r\n`;
    await writeFile(path.join(dir, 'pyproject.toml'), text);
    await applyBump(await planBumpOnDisk(dir, 'minor'));
    assert.equal(
      await readFile(path.join(dir, 'pyproject.toml'), 'utf8'),
      `# top comment\r\n[tool.other]\r\nversion = "1.0.0"\r\n\r\n[project]\r\nname = 'fapilog-x'   # name\r\nversion = '1.1.0'  # keep me\r\ndependencies = ["fapilog>=0.14,<0.20"]\r\n`,
    );
  });

  test('dynamic version read by hatchling from a file: that file changes, pyproject.toml does not', async () => {
    const dir = await tempDir();
    const pyproject = `[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "fapilog-x"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "src/fapilog_x/__about__.py"\n`;
    await writeFile(path.join(dir, 'pyproject.toml'), pyproject);
    await mkdir(path.join(dir, 'src', 'fapilog_x'), { recursive: true });
    const about = `"""About."""\n__author__ = "me"\n__version__ = "0.9.0rc1"  # bumped by fapilog-plugins\nVERSION_INFO = (0, 9, 0)\n`;
    const aboutFile = path.join(dir, 'src', 'fapilog_x', '__about__.py');
    await writeFile(aboutFile, about);
    const plan = await planBumpOnDisk(dir, 'pre');
    assert.equal(plan.from, '0.9.0rc1');
    assert.equal(plan.to, '0.9.0rc2');
    await applyBump(plan);
    assert.equal(await readFile(aboutFile, 'utf8'), about.replace('"0.9.0rc1"', '"0.9.0rc2"'));
    assert.equal(await readFile(path.join(dir, 'pyproject.toml'), 'utf8'), pyproject);
  });

  test('a custom [tool.hatch.version] pattern (Python named group) is honoured', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'pyproject.toml'),
      `[project]\nname = "fapilog-x"\ndynamic = ["version"]\n\n[tool.hatch.version]\npath = "version.py"\npattern = "RELEASE = '(?P<version>[^']+)'"\n`,
    );
    await writeFile(path.join(dir, 'version.py'), `__version__ = "0.0.0"\nRELEASE = '2.3.4'\n`);
    await applyBump(await planBumpOnDisk(dir, '3.0.0'));
    assert.equal(await readFile(path.join(dir, 'version.py'), 'utf8'), `__version__ = "0.0.0"\nRELEASE = '3.0.0'\n`);
  });

  test('a dynamic version not read from a file cannot be bumped, and says why', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'pyproject.toml'),
      `[project]\nname = "fapilog-x"\ndynamic = ["version"]\n\n[tool.hatch.version]\nsource = "vcs"\n`,
    );
    await assert.rejects(planBumpOnDisk(dir, 'patch'), (e: unknown) => e instanceof BumpError && /not read from a file/.test(e.message));
    await assert.rejects(planBumpOnDisk(await tempDir(), 'patch'), /no pyproject\.toml/);
  });

  test('a file changed between plan and apply is not overwritten', async () => {
    const dir = await copyExample();
    const plan = await planBumpOnDisk(dir, 'major');
    const file = path.join(dir, 'pyproject.toml');
    const changed = (await readFile(file, 'utf8')) + '\n# edited meanwhile\n';
    await writeFile(file, changed);
    await assert.rejects(applyBump(plan), /changed while bumping/);
    assert.equal(await readFile(file, 'utf8'), changed);
  });
});
