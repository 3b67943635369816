import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, EditError, planHashes, planSpecifier } from '../../../src/core/python/rewrite.ts';
import { readManifest } from '../../../src/core/python/scan.ts';
import { StrategyError } from '../../../src/core/python/strategies.ts';

const H = (c: string): string => c.repeat(64);

describe('applyEdits', () => {
  test('changes only the edited spans', () => {
    assert.equal(
      applyEdits('abcdef', [
        { start: 4, end: 5, text: 'XY' },
        { start: 1, end: 2, text: '' },
      ]),
      'acdXYf',
    );
    assert.equal(applyEdits('abc', []), 'abc');
    assert.equal(applyEdits('abc', [{ start: 3, end: 3, text: '!' }]), 'abc!');
  });
  test('refuses overlapping or out-of-range edits', () => {
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { start: 1, end: 4, text: '' },
          { start: 3, end: 5, text: '' },
        ]),
      EditError,
    );
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 9, text: '' }]), /outside the text/);
  });
});

describe('planSpecifier', () => {
  test('inserts a specifier where none was written, before extras-free markers', () => {
    const text = 'fapilog-loki ; python_version >= "3.10"\n';
    const dep = readManifest('requirements.txt', text).dependencies[0]!;
    const plan = planSpecifier(dep, '1.4.0', 'pin');
    assert.equal(applyEdits(text, [plan.edit!]), 'fapilog-loki==1.4.0 ; python_version >= "3.10"\n');
  });
  test('no edit when the specifier already admits the target', () => {
    const dep = readManifest('requirements.txt', 'fapilog-audit>=1.0\n').dependencies[0]!;
    const plan = planSpecifier(dep, '1.3.0', 'auto');
    assert.equal(plan.edit, null);
    assert.equal(plan.to, '>=1.0');
  });
  test('URL requirements and unreadable constraints are refused with the reason', () => {
    const url = readManifest('requirements.txt', 'fapilog-x @ https://e.example/x.whl\n').dependencies[0]!;
    assert.throws(() => planSpecifier(url, '1.0.0', 'auto'), /no version specifier to change/);
    const bad = readManifest('requirements.txt', 'fapilog-x>=>1\n').dependencies[0]!;
    assert.throws(() => planSpecifier(bad, '1.0.0', 'auto'), StrategyError);
  });
  test('Poetry tables keep Poetry syntax and quotes', () => {
    const text = '[tool.poetry.dependencies]\nfapilog-loki = { version = \'^1.2\', extras = ["http2"] }  # sink\n';
    const dep = readManifest('pyproject.toml', text).dependencies[0]!;
    const plan = planSpecifier(dep, '1.4.0', 'bump');
    assert.equal(
      applyEdits(text, [plan.edit!]),
      '[tool.poetry.dependencies]\nfapilog-loki = { version = \'^1.4\', extras = ["http2"] }  # sink\n',
    );
  });
});

describe('planHashes', () => {
  test('keeps CRLF continuation layout', () => {
    const text = `fapilog==0.4.2 \\\r\n    --hash=sha256:${H('1')}\r\nrequests==2.0\r\n`;
    const dep = readManifest('requirements.txt', text).dependencies[0]!;
    const edit = planHashes(dep, text, [H('a'), H('b')])!;
    assert.equal(
      applyEdits(text, [edit]),
      `fapilog==0.4.2 \\\r\n    --hash=sha256:${H('a')} \\\r\n    --hash=sha256:${H('b')}\r\nrequests==2.0\r\n`,
    );
  });
  test('keeps the `--hash value` form and the separator between existing hashes', () => {
    const text = `fapilog==0.4.2 --hash sha256:${H('1')}  --hash sha256:${H('2')}\n`;
    const dep = readManifest('requirements.txt', text).dependencies[0]!;
    assert.deepEqual(dep.hashes, [H('1'), H('2')]);
    const edit = planHashes(dep, text, [H('c')])!;
    assert.equal(applyEdits(text, [edit]), `fapilog==0.4.2 --hash sha256:${H('c')}\n`);
  });
  test('adds no hashes where there were none, and rejects non-sha256 values', () => {
    const text = 'fapilog==0.4.2\n';
    assert.equal(planHashes(readManifest('requirements.txt', text).dependencies[0]!, text, [H('a')]), null);
    const hashed = `fapilog==0.4.2 --hash=sha256:${H('1')}\n`;
    assert.throws(() => planHashes(readManifest('requirements.txt', hashed).dependencies[0]!, hashed, ['xyz']), /not a sha256/);
  });
});
