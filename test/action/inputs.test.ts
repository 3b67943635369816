import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, parseInputs } from '../../src/action/inputs.ts';

describe('parseInputs', () => {
  test('defaults when nothing is given', () => {
    const i = parseInputs({});
    assert.equal(i.command, 'check');
    assert.equal(i.path, '.');
    assert.equal(i['fail-on'], 'incompatible');
    assert.deepEqual(i.ignore, []);
    assert.equal(i['marketplace-url'], undefined);
    assert.equal(i.token, undefined);
    assert.equal(i['packages-dir'], 'dist');
    assert.equal(i['dry-run'], false);
    assert.equal(i.strict, false);
    assert.equal(i.build, false);
  });

  test('values are trimmed and typed', () => {
    const i = parseInputs({
      command: ' publish ',
      'fail-on': 'held-back',
      ignore: 'loki, fapilog-splunk\n\n  audit \n',
      'fapilog-version': '0.5.2',
      'marketplace-url': 'http://127.0.0.1:8080/api/v1',
      'dry-run': 'True',
      strict: 'FALSE',
      build: 'true',
    });
    assert.equal(i.command, 'publish');
    assert.equal(i['fail-on'], 'held-back');
    assert.deepEqual(i.ignore, ['loki', 'fapilog-splunk', 'audit']);
    assert.equal(i['fapilog-version'], '0.5.2');
    assert.equal(i['marketplace-url'], 'http://127.0.0.1:8080/api/v1');
    assert.equal(i['dry-run'], true);
    assert.equal(i.strict, false);
    assert.equal(i.build, true);
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['fail-on', { 'fail-on': 'sometimes' }, /expected one of incompatible, publisher-changed, outdated, held-back, never, got "sometimes"/],
    ['command', { command: 'deploy' }, /expected one of check, publish/],
    ['marketplace-url', { 'marketplace-url': 'ftp://example.org' }, /http\(s\) URL/],
    ['fapilog-version', { 'fapilog-version': 'latest-ish' }, /not a PEP 440 version/],
    ['dry-run', { 'dry-run': 'yes' }, /expected true or false/],
    ['ignore', { ignore: 'loki, bad name!' }, /"bad name!" is not a plugin name/],
  ];
  for (const [name, raw, why] of bad) {
    test(`a bad ${name} is named`, () => {
      assert.throws(
        () => parseInputs(raw),
        (err: unknown) => {
          assert.ok(err instanceof InputError);
          assert.equal(err.input, name);
          assert.ok(err.message.startsWith(`Input "${name}": `), err.message);
          assert.match(err.message, why);
          return true;
        },
      );
    });
  }
});
