/**
 * Formats carry their write side: every place `chooseTarget` can pick is written by its format's
 * `add`, in a syntax whose `install` says what goes there; `update` asks the same syntax table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestFormat, MANIFEST_FORMATS } from '../../../src/core/python/formats.ts';
import { chooseTarget } from '../../../src/core/python/insert.ts';
import { newSpecifierValue, SPECIFIER_SYNTAXES } from '../../../src/core/python/strategies.ts';

const dep = { package: 'fapilog-loki', version: '1.4.0', pin: false, below: null, hashes: null };

test('each target chooseTarget picks is added by its format, in a syntax that can install', () => {
  const projects = [
    { pyproject: '[project]\nname = "app"\ndependencies = ["fapilog>=0.16"]\n', existing: new Set<string>() },
    { pyproject: '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n', existing: new Set<string>() },
    { pyproject: undefined, existing: new Set(['requirements.txt']) },
  ];
  const written: string[] = [];
  for (const files of projects) {
    const target = chooseTarget(files);
    const format = MANIFEST_FORMATS.find((f) => f.claims(target.file.split('/').pop()!, ''))!;
    assert.ok(format.add, `${format.kind} can be written`);
    const { text } = SPECIFIER_SYNTAXES[target.syntax].install!(dep);
    written.push(format.add(files.pyproject ?? 'fapilog==0.16.0\n', target, dep.package, text));
  }
  assert.deepEqual(written, [
    '[project]\nname = "app"\ndependencies = ["fapilog>=0.16", "fapilog-loki>=1.4.0"]\n',
    '[tool.poetry]\nname = "app"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfapilog-loki = "^1.4.0"\n',
    'fapilog==0.16.0\nfapilog-loki>=1.4.0\n',
  ]);
  assert.equal(manifestFormat('setup.cfg').add, undefined, 'install never writes setup.cfg');
});

test("install's text per syntax: pins, caps (moot under Poetry's caret), hashes", () => {
  const pep508 = SPECIFIER_SYNTAXES.pep508.install!;
  const poetry = SPECIFIER_SYNTAXES.poetry.install!;
  assert.deepEqual(pep508({ ...dep, below: '3' }), { text: 'fapilog-loki>=1.4.0,<3', specifier: '>=1.4.0,<3', capped: true });
  assert.deepEqual(pep508({ ...dep, pin: true, below: '3' }), { text: 'fapilog-loki==1.4.0', specifier: '==1.4.0', capped: false });
  assert.deepEqual(pep508({ ...dep, hashes: ['ab', 'cd'] }), {
    text: 'fapilog-loki==1.4.0 \\\n    --hash=sha256:ab \\\n    --hash=sha256:cd',
    specifier: '==1.4.0',
    capped: false,
  });
  assert.deepEqual(poetry({ ...dep, below: '2' }), { text: '^1.4.0', specifier: '^1.4.0', capped: false }, '^1.4.0 stops below 2 already');
  assert.deepEqual(poetry({ ...dep, below: '1.5.0' }), { text: '>=1.4.0,<1.5.0', specifier: '>=1.4.0,<1.5.0', capped: true });
  assert.deepEqual(poetry({ ...dep, pin: true }), { text: '1.4.0', specifier: '1.4.0', capped: false });
  assert.equal(SPECIFIER_SYNTAXES.pipfile.install, undefined, 'install never writes a Pipfile');
  assert.equal(newSpecifierValue('^1.2', 'poetry', '2.1.0', 'bump'), SPECIFIER_SYNTAXES.poetry.newValue('^1.2', '2.1.0', 'bump'));
});
