/** `fapilog-plugins version`: rewrites the example's version in place and prints the tag to push. */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { run } from '../../src/cli/program.ts';
import { runCli } from '../helpers/cli.ts';
import { cleanupTemp, copyExample } from '../core/publish/helpers.ts';

after(cleanupTemp);

test('version patch [path]: byte-for-byte edit, tag printed; --dry-run writes nothing; --json', async () => {
  const dir = await copyExample();
  const file = path.join(dir, 'pyproject.toml');
  const original = await readFile(file, 'utf8');

  const dry = await runCli(['version', 'minor', dir, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would change version 1\.0\.0 -> 1\.1\.0/);
  assert.equal(await readFile(file, 'utf8'), original);

  const r = await runCli(['version', 'patch', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /changed version 1\.0\.0 -> 1\.0\.1 in .*pyproject\.toml/);
  assert.match(r.stdout, /^tag to push: v1\.0\.1$/m);
  assert.equal(await readFile(file, 'utf8'), original.replace('version = "1.0.0"', 'version = "1.0.1"'));

  const pre = await runCli(['--json', 'version', 'pre'], { cwd: dir });
  assert.equal(pre.code, 0, pre.stderr);
  assert.deepEqual(JSON.parse(pre.stdout), { from: '1.0.1', to: '1.0.2rc1', tag: 'v1.0.2rc1', files: ['pyproject.toml'], written: true });

  const same = await runCli(['version', 'v1.0.2rc1', dir]);
  assert.equal(same.code, 0);
  assert.match(same.stdout, /already 1\.0\.2rc1.*nothing changed/);
});

test('a lower version: the backport warning comes after the change and before the tag and next-step lines', async () => {
  const dir = await copyExample();
  // stdout and stderr into one stream, in the order a terminal shows them.
  const lines: string[] = [];
  const io = {
    stdout: (t: string) => void lines.push(t),
    stderr: (t: string) => void lines.push(t),
    env: {},
    cwd: dir,
    isTTY: false,
    columns: 80,
  };
  const code = await run(['version', '0.9.0'], io);
  assert.equal(code, 0, lines.join(''));
  assert.deepEqual(
    lines
      .join('')
      .split('\n')
      .map((l) => l.split(' ')[0]),
    ['changed', 'warning:', 'tag', 'next:', ''],
  );
  assert.match(
    lines.join(''),
    /^warning: 0\.9\.0 is lower than the current 1\.0\.0; if 1\.0\.0 is published, 0\.9\.0 is a backport, not the latest release$/m,
  );

  const json = await runCli(['--json', 'version', '0.8.0'], { cwd: dir });
  assert.equal(json.code, 0, json.stderr);
  assert.match(json.stderr, /^warning: 0\.8\.0 is lower than the current 0\.9\.0;/);
  assert.equal(JSON.parse(json.stdout).to, '0.8.0');
});

test('a bad bump or a project without a version is exit 2 with one line', async () => {
  const dir = await copyExample();
  const bad = await runCli(['version', 'banana', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: "banana" is neither major, minor, patch, pre nor a PEP 440 version\n$/);
  const none = await runCli(['version', 'patch', path.join(dir, 'src')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no pyproject\.toml/);
});

test('bytes are kept: a Latin-1 version file is edited in place; a pyproject.toml that is not UTF-8 is refused unchanged', async () => {
  const dir = await copyExample();
  const pyproject = path.join(dir, 'pyproject.toml');
  const text = await readFile(pyproject, 'utf8');
  await writeFile(
    pyproject,
    text.replace('version = "1.0.0"', 'dynamic = ["version"]') + '\n[tool.hatch.version]\npath = "src/about.py"\n',
  );
  await mkdir(path.join(dir, 'src'), { recursive: true });
  const about = path.join(dir, 'src', 'about.py');
  await writeFile(about, Buffer.from('# -*- coding: latin-1 -*-\r\n# \xa9 caf\xe9\r\n__version__ = "1.0.0"\r\n', 'latin1'));
  const r = await runCli(['version', 'patch', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    await readFile(about),
    Buffer.from('# -*- coding: latin-1 -*-\r\n# \xa9 caf\xe9\r\n__version__ = "1.0.1"\r\n', 'latin1'),
  );

  const bad = await copyExample();
  const badFile = path.join(bad, 'pyproject.toml');
  const latin = Buffer.concat([await readFile(badFile), Buffer.from('# caf\xe9\n', 'latin1')]);
  await writeFile(badFile, latin);
  const refused = await runCli(['version', 'patch', bad]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /pyproject\.toml is not valid UTF-8 \(byte 0xE9 at line \d+, column 6\)/);
  assert.deepEqual(await readFile(badFile), latin);
});
