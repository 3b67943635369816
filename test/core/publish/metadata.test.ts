/** Core metadata, requirements, entry points and artifacts as read from real and constructed files. */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import { after, before, describe, test } from 'node:test';
import { ArtifactError, parseEntryPoints, readDist, readSdist, readWheel } from '../../../src/core/publish/artifacts.ts';
import { pluginDistFiles } from '../../../src/core/publish/disk-plugin.ts';
import { isExtraOnly, parseCoreMetadata, parseRequirement } from '../../../src/core/publish/metadata.ts';
import { parsePyProject, ProjectError } from '../../../src/core/publish/project.ts';
import { displaySpecifier, fapilogRequirement, hasUpperBound, tagVersion } from '../../../src/core/publish/validate.ts';
import { build, cleanupTemp, EXAMPLE_PLUGIN, makeWheel, tempDir } from './helpers.ts';

let dist: string;
before(async () => {
  dist = await build(EXAMPLE_PLUGIN);
});
after(cleanupTemp);

describe('artifacts of the real example build', () => {
  test('readDist lists the wheel first, then the sdist, with sizes and sha256', async () => {
    const { files, ignored } = await readDist(pluginDistFiles(dist));
    assert.deepEqual(
      files.map((f) => f.filename),
      ['fapilog_stdout_json-1.0.0-py3-none-any.whl', 'fapilog_stdout_json-1.0.0.tar.gz'],
    );
    assert.deepEqual(ignored, []);
    const wheelBytes = await readFile(path.join(dist, 'fapilog_stdout_json-1.0.0-py3-none-any.whl'));
    assert.equal(files[0]?.size, wheelBytes.byteLength);
    assert.match(files[0]?.sha256 ?? '', /^[0-9a-f]{64}$/);
  });

  test('the wheel METADATA and entry points, and the sdist PKG-INFO, parse into the same release', async () => {
    const { files } = await readDist(pluginDistFiles(dist));
    const wheel = readWheel(files[0]!.filename, files[0]!.data);
    assert.equal(wheel.distInfo, 'fapilog_stdout_json-1.0.0.dist-info');
    const meta = parseCoreMetadata(wheel.metadataText);
    assert.equal(meta.name, 'fapilog-stdout-json');
    assert.equal(meta.version, '1.0.0');
    assert.equal(meta.licenseExpression, 'MIT');
    assert.deepEqual(meta.licenseFiles, ['LICENSE']);
    assert.deepEqual(meta.requiresDist, ['fapilog<0.20,>=0.14']);
    assert.equal(meta.requiresPython, '>=3.10');
    assert.deepEqual(
      meta.projectUrls.map((u) => u.label),
      ['Homepage', 'Repository'],
    );
    assert.equal(meta.descriptionContentType, 'text/markdown');
    assert.match(meta.description, /^# fapilog-stdout-json\n/);
    assert.deepEqual(parseEntryPoints(wheel.entryPointsText ?? ''), [
      { group: 'fapilog.sinks', name: 'stdout_json', value: 'fapilog_stdout_json:StdoutJsonSink' },
    ]);
    const sdist = await readSdist(files[1]!.filename, files[1]!.data);
    assert.equal(sdist.root, 'fapilog_stdout_json-1.0.0');
    const pkgInfo = parseCoreMetadata(sdist.pkgInfoText);
    assert.equal(pkgInfo.name, meta.name);
    assert.equal(pkgInfo.version, meta.version);
  });

  test('unreadable archives are ArtifactErrors naming the file', async () => {
    assert.throws(
      () => readWheel('x.whl', new Uint8Array([1, 2, 3])),
      (e: unknown) => e instanceof ArtifactError && /^x\.whl: not a readable zip/.test(e.message),
    );
    const noMeta = makeWheel({});
    assert.doesNotThrow(() => readWheel(noMeta.filename, noMeta.data));
    await assert.rejects(readSdist('x.tar.gz', new Uint8Array([1, 2, 3])), /x\.tar\.gz: not a gzip archive/);
    const dir = await tempDir();
    await mkdir(path.join(dir, 'pkg-1.0', 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'pkg-1.0', 'sub', 'PKG-INFO'), 'Name: nested\n');
    const tgz = path.join(dir, 'pkg-1.0.tar.gz');
    createTar({ gzip: true, cwd: dir, file: tgz, sync: true }, ['pkg-1.0']);
    await assert.rejects(readSdist('y.tar.gz', new Uint8Array(await readFile(tgz))), /y\.tar\.gz: no top-level PKG-INFO/);
  });
});

describe('parseCoreMetadata', () => {
  test('older writers: Description header with 8-space | continuation, multi-line License, folded headers', () => {
    const meta = parseCoreMetadata(
      [
        'Metadata-Version: 1.2',
        'Name: fapilog_Old',
        'Version: 0.1',
        'Summary: old style',
        'Home-page: https://github.com/o/r',
        'Author: A. Person',
        'License: Copyright (c) 2020',
        '        Permission is granted.',
        'Classifier: License :: OSI Approved :: BSD License',
        'Requires-Dist: fapilog (>=0.10)',
        'Requires-Dist: pytest ; extra == "test"',
        'Description: Old Plugin',
        '       |==========',
        '       |',
        '       |Does old things.',
        '',
      ].join('\n'),
    );
    assert.equal(meta.name, 'fapilog_Old');
    assert.equal(meta.license, 'Copyright (c) 2020\nPermission is granted.');
    assert.equal(meta.description, 'Old Plugin\n==========\n\nDoes old things.\n');
    assert.equal(meta.homePage, 'https://github.com/o/r');
    assert.deepEqual(meta.requiresDist, ['fapilog (>=0.10)', 'pytest ; extra == "test"']);
  });

  test('a METADATA without Name is an error naming the field', () => {
    assert.throws(() => parseCoreMetadata('Metadata-Version: 2.1\nVersion: 1.0\n'), /Name is missing/);
  });
});

describe('requirements', () => {
  test('parseRequirement: names, extras, parenthesised and URL forms, markers', () => {
    assert.deepEqual(parseRequirement('fapilog[otel]>=0.14,<0.20 ; python_version >= "3.10"'), {
      name: 'fapilog',
      extras: ['otel'],
      specifier: '>=0.14,<0.20',
      marker: 'python_version >= "3.10"',
    });
    assert.equal(parseRequirement('fapilog (>=0.10)')?.specifier, '>=0.10');
    assert.equal(parseRequirement('fapilog @ https://example.com/f.whl')?.specifier, null);
    assert.equal(isExtraOnly(parseRequirement('fapilog>=1 ; extra == "dev"')!), true);
  });

  test('fapilogRequirement skips extras-only lines and other packages; specifiers display lower bound first', () => {
    assert.equal(fapilogRequirement(['fapilog>=9 ; extra == "x"', 'orjson', 'Fapilog<0.20,>=0.14'])?.specifier, '<0.20,>=0.14');
    assert.equal(fapilogRequirement(['fapilog-loki>=1']), null);
    assert.equal(displaySpecifier('<0.20,>=0.14'), '>=0.14,<0.20');
    assert.equal(displaySpecifier('!=0.15.0, <1,>=0.14'), '>=0.14,<1,!=0.15.0');
  });

  test('upper bounds: <, <=, ~=, == count; >= and != do not', () => {
    assert.equal(hasUpperBound('>=0.14,<0.20'), true);
    assert.equal(hasUpperBound('~=0.14'), true);
    assert.equal(hasUpperBound('==0.18.*'), true);
    assert.equal(hasUpperBound('>=0.14,!=0.15'), false);
  });

  test('tag versions: v prefix and refs/tags/ are stripped', () => {
    assert.equal(tagVersion('refs/tags/v1.2.0'), '1.2.0');
    assert.equal(tagVersion('V2.0rc1'), '2.0rc1');
    assert.equal(tagVersion('release-1'), 'release-1');
  });
});

describe('pyproject.toml', () => {
  test('invalid TOML and wrong types are ProjectErrors naming the field', () => {
    assert.throws(
      () => parsePyProject('[project\n'),
      (e: unknown) => e instanceof ProjectError && /not valid TOML/.test(e.message),
    );
    assert.throws(() => parsePyProject('[project]\nname = "x"\ndependencies = "fapilog"\n'), /field "project\.dependencies"/);
  });
});
