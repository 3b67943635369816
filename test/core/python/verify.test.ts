import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { outsideSpansUnchanged, verifyManifestEdit } from '../../../src/core/python/verify.ts';

const before = 'fapilog==0.16.0\nfapilog-loki==1.2.0 ; python_version >= "3.10"\nfapilog-kafka[fast]==2.0.0\n';

describe('re-reading an edit before it is written', () => {
  test('the planned edit passes; the requirement reads back with the new specifier', () => {
    const after = before.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.4.0');
    assert.equal(
      verifyManifestEdit('requirements.txt', 'requirements', before, after, {
        changed: [{ name: 'fapilog-loki', section: 'requirements', rawSpecifier: '==1.4.0' }],
      }),
      null,
    );
  });

  test('anything else that changed is caught, each with a reason', () => {
    const changed = [{ name: 'fapilog-loki', section: 'requirements', rawSpecifier: '==1.4.0' }];
    const cases: Array<[string, RegExp]> = [
      [before.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.3.0'), /fapilog-loki reads back as "==1\.3\.0", expected "==1\.4\.0"/],
      [
        before.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.4.0').replace('==2.0.0', '==2.1.0'),
        /fapilog-kafka \(requirements\) changed, but it was not to be edited/,
      ],
      [before.replace('fapilog-loki==1.2.0 ; python_version >= "3.10"', 'fapilog-loki==1.4.0'), /fapilog-loki lost its extras or markers/],
      [before.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.4.0').replace('fapilog==0.16.0\n', ''), /requirements read back, expected 3/],
      [before.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.4.0').replace('[fast]', ''), /fapilog-kafka \(requirements\) changed/],
    ];
    for (const [after, why] of cases)
      assert.match(verifyManifestEdit('requirements.txt', 'requirements', before, after, { changed }) ?? 'passed', why);
    assert.match(
      verifyManifestEdit(
        'pyproject.toml',
        'pyproject',
        '[project]\ndependencies = ["fapilog-loki==1.2.0"]\n',
        '[project\ndependencies = ["fapilog-loki==1.4.0"]\n',
        { changed },
      ) ?? '',
      /the edited text does not parse/,
    );
  });

  test('an added requirement must land in its section, with its specifier, and nothing else may move', () => {
    const py = '[project]\ndependencies = [\n  "fapilog==0.16.0",\n]\n\n[dependency-groups]\ndev = ["fapilog-loki==1.2.0"]\n';
    const good = py.replace('  "fapilog==0.16.0",\n', '  "fapilog==0.16.0",\n  "fapilog-kafka>=2.0.0",\n');
    const added = [{ name: 'fapilog-kafka', section: 'project.dependencies', rawSpecifier: '>=2.0.0' }];
    assert.equal(verifyManifestEdit('pyproject.toml', 'pyproject', py, good, { added }), null);
    const wrongPlace = py.replace('dev = ["fapilog-loki==1.2.0"]', 'dev = ["fapilog-loki==1.2.0", "fapilog-kafka>=2.0.0"]');
    assert.match(
      verifyManifestEdit('pyproject.toml', 'pyproject', py, wrongPlace, { added }) ?? '',
      /fapilog-kafka was not found in project\.dependencies/,
    );
  });

  test('text outside the edited spans is compared exactly', () => {
    assert.equal(outsideSpansUnchanged('abcdef', 'abXYef', [{ start: 2, end: 4, text: 'XY' }]), true);
    assert.equal(outsideSpansUnchanged('abcdef', 'abXYeg', [{ start: 2, end: 4, text: 'XY' }]), false);
    assert.equal(outsideSpansUnchanged('abcdef', 'aXYef', [{ start: 2, end: 4, text: 'XY' }]), false);
  });
});
