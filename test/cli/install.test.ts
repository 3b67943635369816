/**
 * `install` against the real reference marketplace (demo catalog) on 127.0.0.1: the happy paths
 * add exactly one requirement, the refusals change nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { scanProject } from '../../src/core/project/index.ts';
import { useWorkspace } from '../helpers/workspace.ts';

const ws = useWorkspace('install');
const { copyApp, project, cli } = ws;

describe('install', () => {
  test('adds the newest compatible release to [project] dependencies, nothing else changes', async () => {
    const app = copyApp();
    const before = fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8');
    const r = await cli(['install', 'size-guard', '--path', app]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Added fapilog-size-guard>=1\.1\.0 to pyproject\.toml \[project\.dependencies\] \(fapilog-size-guard 1\.1\.0 works with fapilog 0\.16\.0\)\.$/m,
    );
    const anchor = '    "fapilog-acme-billing==0.3.0",  # internal plugin, published to our private index only\n';
    assert.ok(before.includes(anchor));
    assert.equal(
      fs.readFileSync(path.join(app, 'pyproject.toml'), 'utf8'),
      before.replace(anchor, `${anchor}    "fapilog-size-guard>=1.1.0",\n`),
    );
    const scan = await scanProject(app);
    const added = scan.manifests.find((m) => m.file === 'pyproject.toml')?.dependencies.find((d) => d.name === 'fapilog-size-guard');
    assert.equal(added?.section, 'project.dependencies');
    assert.equal(added?.specifier, '>=1.1.0');
  });

  test('--group and --dry-run: a diff for a new PEP 735 group, and no write', async () => {
    const app = copyApp();
    const before = fs.readFileSync(path.join(app, 'pyproject.toml'));
    const r = await cli(['install', 'fapilog-dedupe', '--path', app, '--group', 'test', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\+test = \[\n\+    "fapilog-dedupe>=0\.6\.0",\n\+\]$/m);
    assert.match(r.stdout, /nothing was written/);
    assert.deepEqual(fs.readFileSync(path.join(app, 'pyproject.toml')), before);
  });

  test('a pinned version into a hashed requirements file carries the release sha256', async () => {
    const dir = project({ 'requirements.txt': 'fapilog==0.16.0 \\\n    --hash=sha256:' + 'ab'.repeat(32) + '\n' });
    const r = await cli(['install', 'otel==2.0.0', '--path', dir]);
    assert.equal(r.code, 0, r.stderr);
    const res = await fetch(`${ws.apiUrl}/plugins/otel/versions/2.0.0`);
    const sha = ((await res.json()) as { files: Array<{ sha256: string }> }).files[0]!.sha256;
    assert.equal(
      fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'),
      `fapilog==0.16.0 \\\n    --hash=sha256:${'ab'.repeat(32)}\nfapilog-otel==2.0.0 \\\n    --hash=sha256:${sha}\n`,
    );
  });

  test('Poetry projects get Poetry syntax', async () => {
    const dir = project({
      'pyproject.toml': '[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfapilog = "0.16.0"\n',
    });
    const r = await cli(['install', 'loki', '--path', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'),
      '[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfapilog = "0.16.0"\nfapilog-loki = "^1.4.0"\n',
    );
  });

  test('a newer release that needs another fapilog caps the range, and the output says why', async () => {
    // kafka 2.1.0 is the newest that supports fapilog 0.16.0; 3.0.0 needs >=0.18.
    const dir = project({ 'requirements.txt': 'fapilog==0.16.0\n' });
    const r = await cli(['install', 'kafka', '--path', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'), 'fapilog==0.16.0\nfapilog-kafka>=2.1.0,<3\n');
    assert.match(r.stdout, /^Added fapilog-kafka>=2\.1\.0,<3 to requirements\.txt \[requirements\]/m);
    assert.match(r.stdout, /^Capped below 3: fapilog-kafka 3\.0\.0 needs fapilog >=0\.18, and this project uses fapilog 0\.16\.0;/m);
    // The same choice offered without any tool: the marketplace's index for fapilog 0.16.0 ends at 2.1.0.
    const indexUrl = `${ws.apiUrl.replace(/\/api\/v1$/, '')}/fapilog/0.16.0/simple/`;
    assert.match(r.stdout, new RegExp(`^With pip alone: pip install --index-url ${indexUrl.replace(/[.?]/g, '\\$&')} fapilog-kafka$`, 'm'));
    const page = (await (
      await fetch(`${indexUrl}fapilog-kafka/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } })
    ).json()) as { files: Array<{ filename: string }> };
    assert.equal(page.files.at(-1)?.filename, 'fapilog_kafka-2.1.0-py3-none-any.whl');

    // fapilog 0.13: 2.0.0 fits, 2.1.0 (a minor step) already needs >=0.14.
    const older = project({ 'requirements.txt': 'fapilog==0.13.0\n' });
    const json = await cli(['--json', 'install', 'kafka', '--path', older]);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as { added: string; cap: unknown };
    assert.equal(result.added, 'fapilog-kafka>=2.0.0,<2.1.0');
    assert.deepEqual(result.cap, { below: '2.1.0', release: '2.1.0', fapilogCompatibility: '>=0.14,<0.18' });

    // Nothing newer needs another fapilog: the range stays open and nothing is said about caps.
    const open = project({ 'requirements.txt': 'fapilog==0.18.1\n' });
    const o = await cli(['install', 'kafka', '--path', open]);
    assert.equal(o.code, 0, o.stderr);
    assert.equal(fs.readFileSync(path.join(open, 'requirements.txt'), 'utf8'), 'fapilog==0.18.1\nfapilog-kafka>=3.1.0\n');
    assert.doesNotMatch(o.stdout, /Capped/);
  });

  test('Poetry: ^X when it already stops below the misfit, an explicit range when not', async () => {
    const poetry = (fapilog: string) =>
      `[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfapilog = "${fapilog}"\n`;
    const caret = project({ 'pyproject.toml': poetry('0.16.0') });
    const a = await cli(['install', 'kafka', '--path', caret]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(fs.readFileSync(path.join(caret, 'pyproject.toml'), 'utf8'), `${poetry('0.16.0')}fapilog-kafka = "^2.1.0"\n`);
    assert.doesNotMatch(a.stdout, /Capped/);

    const ranged = project({ 'pyproject.toml': poetry('0.13.0') });
    const b = await cli(['install', 'kafka', '--path', ranged]);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(fs.readFileSync(path.join(ranged, 'pyproject.toml'), 'utf8'), `${poetry('0.13.0')}fapilog-kafka = ">=2.0.0,<2.1.0"\n`);
    assert.match(b.stdout, /^Capped below 2\.1\.0: fapilog-kafka 2\.1\.0 needs fapilog >=0\.14,<0\.18/m);
  });

  test('refuses a version incompatible with the project fapilog (exit 1, nothing written)', async () => {
    const app = copyApp();
    const before = fs.readFileSync(path.join(app, 'pyproject.toml'));
    const r = await cli(['install', 'kafka==3.0.0', '--path', app, '--group', 'dev']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'error: not installed: fapilog-kafka 3.0.0 supports fapilog >=0.18, but this project uses fapilog 0.16.0 (pinned, pyproject.toml:7); 2.1.0 is the newest release that supports it\n',
    );
    assert.deepEqual(fs.readFileSync(path.join(app, 'pyproject.toml')), before);
  });

  test('refuses when the release needs a dependency version the project pins otherwise, and names the newest that does not conflict', async () => {
    // loki 1.4.0 declares httpx>=0.27; 1.3.0 needs httpx>=0.25 and supports fapilog 0.16.
    const text = 'fapilog==0.16.0\nhttpx==0.25.2\n';
    const dir = project({ 'requirements.txt': text });
    const r = await cli(['install', 'loki', dir]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "error: not installed: fapilog-loki 1.4.0 conflicts with the project's pins: it needs httpx>=0.27, but the project has httpx==0.25.2 (requirements.txt:2); " +
        '1.3.0 is the newest release that does not conflict (install fapilog-loki==1.3.0)\n',
    );
    // And that suggestion works as given.
    const suggested = await cli(['install', 'fapilog-loki==1.3.0', dir]);
    assert.equal(suggested.code, 0, suggested.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'), /^fapilog-loki==1\.3\.0$/m);
  });

  test('no release avoids the conflict: said so', async () => {
    const text = 'fapilog==0.16.0\nhttpx==0.20.0\n';
    const dir = project({ 'requirements.txt': text });
    const r = await cli(['--json', 'install', 'loki', dir]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /it needs httpx>=0\.27, but the project has httpx==0\.20\.0 \(requirements\.txt:2\); no compatible release of it avoids the conflict\n$/,
    );
    const error = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.equal(error.error.code, 'install-refused');
    assert.match(error.error.message, /^not installed: fapilog-loki 1\.4\.0 conflicts/);
    assert.equal(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'), text);
  });

  test('other refusals: already present, unknown plugin (exit 2)', async () => {
    const app = copyApp();
    const present = await cli(['install', 'loki', '--path', app]);
    assert.equal(present.code, 2);
    assert.match(present.stderr, /fapilog-loki is already in pyproject\.toml:8 .*use `update`/);
    const unknown = await cli(['install', 'does-not-exist', '--path', app]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^error: not installed: fapilog-does-not-exist is not in the marketplace\n$/);
  });

  test('bytes are kept: installing into a Latin-1 requirements file with CRLF appends the line and changes nothing else', async () => {
    const dir = ws.tempDir('latin1-install-');
    const before = Buffer.from('# d\xe9pendances\r\nfapilog==0.16.0\r\n', 'latin1');
    fs.writeFileSync(path.join(dir, 'requirements.txt'), before);
    const r = await cli(['install', 'size-guard', '--path', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      fs.readFileSync(path.join(dir, 'requirements.txt')),
      Buffer.concat([before, Buffer.from('fapilog-size-guard>=1.1.0\r\n')]),
    );
  });
});
