import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeName, packageName, shortName, isPluginPackage, isValidProjectName } from '../../src/core/names.ts';

test('PEP 503 normalisation', () => {
  assert.equal(normalizeName('Fapilog_Loki'), 'fapilog-loki');
  assert.equal(normalizeName('fapilog..audit__trail'), 'fapilog-audit-trail');
});

test('short names and package names map both ways', () => {
  assert.equal(shortName('fapilog-loki'), 'loki');
  assert.equal(shortName('FAPILOG_loki'), 'loki');
  assert.equal(shortName('loki'), 'loki');
  assert.equal(packageName('loki'), 'fapilog-loki');
  assert.equal(packageName('fapilog.Loki'), 'fapilog-loki');
  assert.equal(isPluginPackage('fapilog'), false);
  assert.equal(isPluginPackage('fapilog-'), false);
  assert.equal(isPluginPackage('fapilog-x'), true);
});

test('project name grammar rejects traversal and separators', () => {
  assert.equal(isValidProjectName('fapilog-loki'), true);
  assert.equal(isValidProjectName('../etc'), false);
  assert.equal(isValidProjectName('a/b'), false);
  assert.equal(isValidProjectName('-a'), false);
});
