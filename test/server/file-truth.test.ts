/**
 * The files are the truth: what a release needs (fapilog range, Requires-Python, dependencies)
 * comes from the wheel's METADATA, checked against its RECORD and the sdist's PKG-INFO; a JSON
 * that says otherwise is refused naming the field and both values.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ErrorBody, PublishResponse, Release, SimpleProject } from '../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { build, cleanupTemp, tempDir } from '../core/publish/helpers.ts';
import { recordOf } from '../core/publish/helpers.ts';
import { getJson, metadataFor, publish, sdistFor, wheelFor } from './util.ts';

let server: TestServer;
let alice: string;
before(async () => {
  server = await startTestServer();
  alice = await server.createToken('alice');
});
after(async () => {
  await server.stop();
  await cleanupTemp();
});

function errorOf(r: { status: number; body: unknown }): { code: string; message: string } {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  return ErrorBody.parse(r.body).error;
}

/** Rewrites entries of a wheel; RECORD is left as it was unless `fixRecord`. */
function rewrite(data: Uint8Array, change: (files: Record<string, Uint8Array>) => void, fixRecord = false): Uint8Array {
  const files = unzipSync(data);
  change(files);
  if (fixRecord) {
    const record = Object.keys(files).find((n) => n.endsWith('.dist-info/RECORD'))!;
    files[record] = strToU8(recordOf(files, record));
  }
  return zipSync(files);
}

describe('the wheel is the truth', () => {
  test('the lying wheel (JSON: no dependencies, >=3.9; METADATA: evil-backdoor, <3) is refused naming both fields and values', async () => {
    const wheel = wheelFor('liar', '1.0.0', { dependencies: ['evil-backdoor'], requiresPython: '<3' });
    const meta = metadataFor('liar', '1.0.0', [wheel], { dependencies: [], requires_python: '>=3.9' });
    const err = errorOf(await publish(server.apiUrl, 'liar', meta, [wheel], alice));
    assert.equal(err.code, 'metadata_mismatch');
    assert.match(err.message, /metadata\.requires_python is ">=3\.9", but fapilog_liar-1\.0\.0-py3-none-any\.whl's METADATA says "<3"/);
    assert.match(err.message, /metadata\.dependencies is \[\], but .*METADATA says \["evil-backdoor"\]/);
    assert.equal((await getJson(`${server.apiUrl}/plugins/liar`)).status, 404, 'nothing was stored');
  });

  test("a JSON fapilog range other than the wheel's is refused; the same range written differently is accepted", async () => {
    const wheel = wheelFor('ranged', '1.0.0', { compat: '>=0.14,<0.20' });
    const wrong = errorOf(
      await publish(server.apiUrl, 'ranged', metadataFor('ranged', '1.0.0', [wheel], { fapilog_compatibility: '>=0.14' }), [wheel], alice),
    );
    assert.equal(wrong.code, 'metadata_mismatch');
    assert.match(wrong.message, /metadata\.fapilog_compatibility is ">=0\.14", but .*METADATA says ">=0\.14,<0\.20"/);
    const same = await publish(
      server.apiUrl,
      'ranged',
      metadataFor('ranged', '1.0.0', [wheel], { fapilog_compatibility: '< 0.20.0, >=0.14' }),
      [wheel],
      alice,
    );
    assert.equal(same.status, 201, JSON.stringify(same.body));
    assert.equal(PublishResponse.parse(same.body).fapilog_compatibility, '>=0.14,<0.20', "the wheel's text is stored");
  });

  test('fields left out of the JSON are taken from METADATA, and the catalog and simple index show them', async () => {
    const wheel = wheelFor('quiet', '1.0.0', { compat: '>=0.15,<0.18', requiresPython: '>=3.10', dependencies: ['httpx>=0.27'] });
    const { fapilog_compatibility: _c, requires_python: _p, ...meta } = metadataFor('quiet', '1.0.0', [wheel]);
    const r = await publish(server.apiUrl, 'quiet', meta, [wheel], alice);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const rel = Release.parse((await getJson(`${server.apiUrl}/plugins/quiet/versions/1.0.0`)).body);
    assert.deepEqual([rel.fapilog_compatibility, rel.requires_python, rel.dependencies], ['>=0.15,<0.18', '>=3.10', ['httpx>=0.27']]);
    const simple = SimpleProject.parse(
      (await getJson(`${server.url}/simple/fapilog-quiet/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } })).body,
    );
    assert.equal(simple.files[0]!['requires-python'], '>=3.10');
  });

  test('a wheel without a usable fapilog requirement is refused naming it', async () => {
    const base = wheelFor('nofapilog', '1.0.0');
    const data = rewrite(
      base.data,
      (files) => {
        const name = Object.keys(files).find((n) => n.endsWith('/METADATA'))!;
        files[name] = strToU8(
          strFromU8(files[name]!).replace(/^Requires-Dist: fapilog.*\n/m, 'Requires-Dist: fapilog>=0.14; extra == "fapilog"\n'),
        );
      },
      true,
    );
    const wheel = { filename: base.filename, data };
    const { fapilog_compatibility: _c, ...meta } = metadataFor('nofapilog', '1.0.0', [wheel]);
    const err = errorOf(await publish(server.apiUrl, 'nofapilog', meta, [wheel], alice));
    assert.equal(err.code, 'invalid_file');
    assert.match(err.message, /fapilog_compatibility: no runtime requirement on "fapilog"/);
  });
});

describe('RECORD is verified', () => {
  const cases: Array<[string, (files: Record<string, Uint8Array>) => void, RegExp]> = [
    [
      'a file changed after RECORD was written',
      (f) => {
        f['fapilog_tamper/__init__.py'] = strToU8('import os; os.system("curl evil")\n');
      },
      /RECORD says "fapilog_tamper\/__init__\.py" has sha256=.*the archive's has sha256=/,
    ],
    [
      'a file added without a RECORD line',
      (f) => {
        f['fapilog_tamper/extra.py'] = strToU8('x = 1\n');
      },
      /"fapilog_tamper\/extra\.py" is in the archive but not in RECORD/,
    ],
    [
      'a RECORD line for a file that is not there',
      (f) => {
        delete f['fapilog_tamper/__init__.py'];
      },
      /lists "fapilog_tamper\/__init__\.py", which is not in the archive/,
    ],
    [
      'no RECORD at all',
      (f) => {
        delete f['fapilog_tamper-1.0.0.dist-info/RECORD'];
      },
      /it has no \.dist-info\/RECORD/,
    ],
    [
      'an md5 hash',
      (f) => {
        const r = 'fapilog_tamper-1.0.0.dist-info/RECORD';
        f[r] = strToU8(strFromU8(f[r]!).replace(/^(fapilog_tamper\/__init__\.py),sha256=[^,]+/m, '$1,md5=1B2M2Y8AsgTpgAmY7PhCfg'));
      },
      /with "md5", not sha256 or stronger/,
    ],
  ];
  for (const [what, change, message] of cases) {
    test(`refused: ${what}`, async () => {
      const base = wheelFor('tamper', '1.0.0');
      const wheel = { filename: base.filename, data: rewrite(base.data, change) };
      const err = errorOf(await publish(server.apiUrl, 'tamper', metadataFor('tamper', '1.0.0', [wheel]), [wheel], alice));
      assert.equal(err.code, 'record_mismatch');
      assert.match(err.message, message);
    });
  }

  test('the untampered wheel of the same project is accepted', async () => {
    const wheel = wheelFor('tamper', '1.0.0');
    const r = await publish(server.apiUrl, 'tamper', metadataFor('tamper', '1.0.0', [wheel]), [wheel], alice);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
});

describe('the sdist agrees', () => {
  test('an sdist whose PKG-INFO declares another range is refused naming the field and both files', async () => {
    const wheel = wheelFor('split', '1.0.0', { compat: '>=0.14,<0.20' });
    const sdist = sdistFor('split', '1.0.0', { compat: '>=0.14' });
    const err = errorOf(
      await publish(
        server.apiUrl,
        'split',
        metadataFor('split', '1.0.0', [wheel, sdist], { fapilog_compatibility: '>=0.14,<0.20' }),
        [wheel, sdist],
        alice,
      ),
    );
    assert.equal(err.code, 'metadata_mismatch');
    assert.match(
      err.message,
      /fapilog_compatibility: fapilog_split-1\.0\.0\.tar\.gz's PKG-INFO says ">=0\.14", but fapilog_split-1\.0\.0-py3-none-any\.whl's METADATA says ">=0\.14,<0\.20"/,
    );
  });

  test('an sdist alone is read through its PKG-INFO', async () => {
    const sdist = sdistFor('sdist-only', '1.0.0', { compat: '>=0.16', dependencies: ['orjson'] });
    const { fapilog_compatibility: _c, requires_python: _p, ...meta } = metadataFor('sdist-only', '1.0.0', [sdist]);
    const r = await publish(server.apiUrl, 'sdist-only', meta, [sdist], alice);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(
      [PublishResponse.parse(r.body).fapilog_compatibility, PublishResponse.parse(r.body).dependencies],
      ['>=0.16', ['orjson']],
    );
  });
});

test('a project built with hatchling: extras and markers understood, wheel and sdist agree, JSON may be left out', async () => {
  const dir = path.join(await tempDir(), 'fapilog-marked');
  fs.mkdirSync(path.join(dir, 'src', 'fapilog_marked'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'pyproject.toml'),
    [
      '[build-system]',
      'requires = ["hatchling"]',
      'build-backend = "hatchling.build"',
      '[project]',
      'name = "fapilog-marked"',
      'version = "2.0.0"',
      'requires-python = ">=3.9"',
      'dependencies = [\'fapilog[redis]<0.20,>=0.15; python_version >= "3.9"\', "orjson>=3"]',
      '[project.optional-dependencies]',
      'dev = ["pytest>=8", "fapilog>=0.1"]',
      '[project.entry-points."fapilog.sinks"]',
      'marked = "fapilog_marked:MarkedSink"',
      '[tool.hatch.build.targets.wheel]',
      'packages = ["src/fapilog_marked"]',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'src', 'fapilog_marked', '__init__.py'), 'class MarkedSink:\n    name = "marked"\n');
  const dist = await build(dir);
  const files = fs
    .readdirSync(dist)
    .sort()
    .map((filename) => ({ filename, data: new Uint8Array(fs.readFileSync(path.join(dist, filename))) }));
  assert.deepEqual(
    files.map((f) => f.filename),
    ['fapilog_marked-2.0.0-py3-none-any.whl', 'fapilog_marked-2.0.0.tar.gz'],
  );
  const { fapilog_compatibility: _c, requires_python: _p, ...meta } = metadataFor('marked', '2.0.0', files);
  const r = await publish(server.apiUrl, 'marked', meta, files, alice);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const rel = PublishResponse.parse(r.body);
  assert.equal(rel.fapilog_compatibility, '>=0.15,<0.20');
  assert.equal(rel.requires_python, '>=3.9');
  assert.deepEqual(rel.dependencies, ['orjson>=3'], 'the extra-only requirements are not runtime dependencies');

  // The same files with a JSON that claims a dependency less: refused.
  const lie = await publish(server.apiUrl, 'marked', { ...meta, dependencies: [] }, files, alice);
  assert.match(errorOf(lie).message, /metadata\.dependencies is \[\], but .*METADATA says \["orjson>=3"\]/);
});
