/**
 * The publish rules (src/core/publish/rules.ts) from hand-written plain facts, nothing built:
 * every finding code, its message and fix, and the order (errors first, table order). How the
 * facts are read from real wheels and sdists is findings.test.ts's business.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Release } from '../../../src/core/marketplace/schemas.ts';
import { FINDINGS, FINDING_CODES, type FindingCode } from '../../../src/core/publish/findings.ts';
import { applyRules, RULES, type PluginFacts } from '../../../src/core/publish/rules.ts';

const WHEEL = 'fapilog_x-1.0.0-py3-none-any.whl';
const SDIST = 'fapilog_x-1.0.0.tar.gz';
const covered = new Set<FindingCode>();

function facts(change: Partial<PluginFacts> = {}): PluginFacts {
  return {
    projectError: null,
    unreadable: [],
    files: [
      { filename: WHEEL, kind: 'wheel', size: 5000, sha256: 'a'.repeat(64) },
      { filename: SDIST, kind: 'sdist', size: 4000, sha256: 'b'.repeat(64) },
    ],
    maxFileSize: 20 * 1024 * 1024,
    recordProblems: [],
    declaration: {
      ok: true,
      value: { fapilog_compatibility: '>=0.14,<0.20', requires_python: '>=3.10', dependencies: [] },
      source: `${WHEEL}'s METADATA`,
    },
    described: true,
    fromMetadata: true,
    name: 'fapilog-x',
    names: [
      { where: WHEEL, from: 'built', value: 'fapilog-x' },
      { where: SDIST, from: 'built', value: 'fapilog_x' },
      { where: 'pyproject.toml', from: 'project', value: 'fapilog-x' },
    ],
    versions: [
      { where: WHEEL, from: 'built', value: '1.0.0' },
      { where: SDIST, from: 'built', value: '1.0.0' },
      { where: 'pyproject.toml', from: 'project', value: '1.0.0' },
    ],
    version: '1.0.0',
    tag: 'v1.0.0',
    fapilog: { text: 'fapilog<0.20,>=0.14', specifier: '<0.20,>=0.14' },
    entryPoints: [{ group: 'fapilog.sinks', name: 'x', value: 'fapilog_x:Sink' }],
    readme: {
      from: 'metadata',
      contentType: 'text/markdown',
      original: '# fapilog-x\n\nA sink.\n',
      text: '# fapilog-x\n\nA sink.\n',
      summary: 'A sink.',
    },
    licenseDeclared: true,
    repository: 'https://github.com/acme/fapilog-x',
    marketplace: { unreachable: null, fapilogVersions: ['0.14.0', '0.16.0', '0.19.2'], releases: [] },
    ...change,
  };
}

function release(version: string, files: Array<{ filename: string; sha256: string }>): Release {
  return {
    name: 'x',
    package: 'fapilog-x',
    version,
    fapilog_compatibility: '>=0.14',
    requires_python: null,
    dependencies: [],
    yanked: false,
    yanked_reason: null,
    published_at: '2026-01-01T00:00:00Z',
    readme: '',
    files: files.map((f) => ({ ...f, size: 1, url: `https://files.example/${f.filename}` })),
  } as Release;
}

/** Exactly these codes, in this order, each with the table's severity and one-line texts; returns the findings. */
function expect(f: PluginFacts, codes: FindingCode[]) {
  const found = applyRules(f);
  assert.deepEqual(
    found.map((x) => x.code),
    codes,
    found.map((x) => `${x.code}: ${x.message}`).join('\n'),
  );
  for (const x of found) {
    assert.equal(x.severity, FINDINGS[x.code].severity);
    assert.ok(x.message !== '' && !x.message.includes('\n') && x.fix !== '' && !x.fix.includes('\n'), x.code);
    covered.add(x.code);
  }
  return found;
}

describe('publish rules over plain facts', () => {
  test('a sound plugin: no findings', () => {
    expect(facts(), []);
  });

  test('files: none, no wheel, no sdist, too large', () => {
    expect(facts({ files: [] }), ['wheel-missing']);
    assert.equal(applyRules(facts({ files: [] }))[0]?.message, 'no wheel or sdist found in the dist directory');
    assert.equal(expect(facts({ files: [facts().files[1]!] }), ['wheel-missing'])[0]?.message, `no wheel among ${SDIST}`);
    expect(facts({ files: [facts().files[0]!] }), ['sdist-missing']);
    const [big] = expect(facts({ maxFileSize: 4500 }), ['file-too-large']);
    assert.equal(big?.message, `${WHEEL} is 4.9 KiB, over the 4.4 KiB limit`);
  });

  test('unreadable pyproject.toml and built files, errors before warnings', () => {
    const found = expect(
      facts({
        projectError: 'pyproject.toml is not valid TOML: x',
        unreadable: [`${SDIST}: no top-level PKG-INFO inside`],
        repository: null,
      }),
      ['pyproject-invalid', 'artifact-unreadable', 'repository-url-missing'],
    );
    assert.equal(found[1]?.message, `${SDIST}: no top-level PKG-INFO inside`);
  });

  test('names: not fapilog-*, and files that disagree', () => {
    const [n] = expect(facts({ name: 'stdout-json', names: [{ where: WHEEL, from: 'built', value: 'stdout-json' }] }), ['name-not-plugin']);
    assert.equal(n?.message, '"stdout-json" (normalised "stdout-json") does not start with "fapilog-"');
    assert.equal(n?.fix, 'Rename the project to "fapilog-stdout-json" in pyproject.toml [project] name.');
    const [m] = expect(facts({ names: [...facts().names, { where: 'other.whl', from: 'built', value: 'fapilog-y' }] }), ['name-mismatch']);
    assert.match(m?.message ?? '', /^different names: .*other\.whl says "fapilog-y"$/);
  });

  test('versions: invalid, an old build left in dist/, a project bumped after its build, a tag that names another', () => {
    expect(facts({ versions: [{ where: WHEEL, from: 'built', value: '1.0.x' }], version: '1.0.x', tag: null }), ['version-invalid']);
    const stale = facts({ versions: [...facts().versions, { where: 'fapilog_x-0.9.0-py3-none-any.whl', from: 'built', value: '0.9.0' }] });
    const [old] = expect(stale, ['version-mismatch']);
    assert.match(
      old?.message ?? '',
      /left by an older build: fapilog_x-0\.9\.0-py3-none-any\.whl \(0\.9\.0\); the project's version is 1\.0\.0$/,
    );
    assert.match(old?.fix ?? '', /rm -rf dist/);
    const bumped = facts({
      versions: [
        { where: WHEEL, from: 'built', value: '1.0.0' },
        { where: 'the hatch version file', from: 'project', value: '1.1.0' },
      ],
    });
    assert.equal(
      expect(bumped, ['version-mismatch'])[0]?.message,
      `different versions: ${WHEEL} says 1.0.0, the hatch version file says 1.1.0`,
    );
    const [tag] = expect(facts({ tag: 'v1.1.0' }), ['tag-mismatch']);
    assert.equal(tag?.message, "tag v1.1.0 names version 1.1.0, but the project's version is 1.0.0");
    assert.match(tag?.fix ?? '', /^Run `fapilog-plugins version 1\.1\.0`/);
    assert.equal(expect(facts({ tag: 'release-one' }), ['tag-mismatch'])[0]?.fix, 'Push a tag named after the version, e.g. v1.0.0.');
    expect(facts({ tag: 'V1.0' }), []);
  });

  test("what the marketplace reads from the files: a wheel's RECORD, requirements the files disagree on", () => {
    const record = `${WHEEL}: RECORD says "fapilog_x/__init__.py" has sha256=abc, but it has sha256=def`;
    assert.equal(expect(facts({ recordProblems: [record] }), ['record-mismatch'])[0]?.message, record);
    const disagree = `fapilog_compatibility: ${SDIST}'s PKG-INFO says ">=0.14", but ${WHEEL}'s METADATA says ">=0.14,<0.20"`;
    const mismatch = { ok: false as const, code: 'metadata_mismatch' as const, field: 'fapilog_compatibility' as const, message: disagree };
    assert.equal(expect(facts({ declaration: mismatch }), ['metadata-mismatch'])[0]?.message, disagree);
    // No usable fapilog requirement: said once, by the requirement rule; a disagreement is still said.
    const unusable = {
      ok: false as const,
      code: 'invalid_file' as const,
      field: 'fapilog_compatibility' as const,
      message: 'no runtime requirement on "fapilog" in Requires-Dist',
    };
    expect(facts({ declaration: unusable, fapilog: null }), ['fapilog-requirement-missing']);
    expect(facts({ declaration: unusable }), ['metadata-mismatch']);
    expect(facts({ declaration: mismatch, fapilog: null }), ['fapilog-requirement-missing', 'metadata-mismatch']);
    // Files of two versions: only that is said.
    expect(facts({ declaration: mismatch, versions: [...facts().versions, { where: 'old.whl', from: 'built', value: '0.9' }] }), [
      'version-mismatch',
    ]);
  });

  test('the fapilog requirement: missing, not a range, unbounded, admitting no release', () => {
    expect(facts({ fapilog: null }), ['fapilog-requirement-missing']);
    expect(facts({ fapilog: null, described: false, entryPoints: null, readme: { ...facts().readme, from: 'none' } }), []);
    assert.equal(
      expect(facts({ fapilog: { text: 'fapilog', specifier: '' } }), ['fapilog-specifier-invalid'])[0]?.message,
      '"fapilog": no version specifier',
    );
    assert.equal(
      expect(facts({ fapilog: { text: 'fapilog @ https://x/f.whl', specifier: null } }), ['fapilog-specifier-invalid'])[0]?.message,
      '"fapilog @ https://x/f.whl": a URL requirement',
    );
    assert.equal(
      expect(facts({ fapilog: { text: 'fapilog>=0.14', specifier: '>=0.14' } }), ['fapilog-specifier-unbounded'])[0]?.message,
      '"fapilog>=0.14" has no upper bound',
    );
    const [none] = expect(facts({ fapilog: { text: 'fapilog>=5,<6', specifier: '>=5,<6' } }), ['fapilog-specifier-unsatisfiable']);
    assert.equal(none?.message, '"fapilog>=5,<6" admits none of the 3 known fapilog releases (newest 0.19.2)');
    assert.equal(none?.fix, 'Widen the requirement to admit a released fapilog, e.g. "fapilog>=0.19.2".');
  });

  test('entry points: none in a fapilog group, the legacy group', () => {
    assert.equal(expect(facts({ entryPoints: [] }), ['entry-point-missing'])[0]?.message, 'the wheel has no entry points');
    const legacy = [{ group: 'fapilog.plugins', name: 'x', value: 'fapilog_x:Sink' }];
    const [missing, old] = expect(facts({ entryPoints: legacy }), ['entry-point-missing', 'entry-point-legacy-group']);
    assert.equal(missing?.message, 'no entry point in a fapilog group (found: fapilog.plugins)');
    assert.match(missing?.fix ?? '', /^Move "x" to \[project\.entry-points\."fapilog\.sinks"\]/);
    assert.equal(old?.message, 'entry point "x = fapilog_x:Sink" is in the legacy "fapilog.plugins" group');
  });

  test('README, license, repository', () => {
    const none = { ...facts().readme, from: 'none' as const, original: '' };
    assert.equal(
      expect(facts({ readme: none }), ['readme-missing'])[0]?.message,
      'the wheel has no long description and the project has no README',
    );
    assert.equal(expect(facts({ readme: none, fromMetadata: false }), ['readme-missing'])[0]?.message, 'the project has no README');
    const text = 'TODO: describe your plugin\n\n![b](http://ci.example.com/b.png)\n';
    const [template, image] = expect(facts({ readme: { ...facts().readme, original: text } }), [
      'readme-template',
      'readme-insecure-image',
    ]);
    assert.match(template?.message ?? '', /^the README still contains "TODO: describe your plugin"/);
    assert.equal(image?.fix, 'Use https://ci.example.com/b.png (if the host serves https) or a relative path.');
    assert.equal(
      expect(facts({ licenseDeclared: false }), ['license-missing'])[0]?.message,
      'the metadata has no License-Expression, License, License-File or license classifier',
    );
    assert.equal(
      expect(facts({ licenseDeclared: false, fromMetadata: false }), ['license-missing'])[0]?.message,
      'pyproject.toml declares no license',
    );
    expect(facts({ repository: null }), ['repository-url-missing']);
  });

  test('the marketplace: unreachable, the version taken with other files, a backport, a re-run', () => {
    assert.equal(
      expect(facts({ marketplace: { unreachable: 'could not ask the marketplace: ECONNREFUSED', fapilogVersions: null, releases: [] } }), [
        'marketplace-unreachable',
      ])[0]?.message,
      'could not ask the marketplace: ECONNREFUSED',
    );
    const ours = facts().files.map((f) => ({ filename: f.filename, sha256: f.sha256 }));
    const market = (releases: Release[]) => ({ marketplace: { unreachable: null, fapilogVersions: ['0.16.0'], releases } });
    const [taken] = expect(facts(market([release('1.0', [{ filename: WHEEL, sha256: 'c'.repeat(64) }])])), ['version-taken']);
    assert.match(
      taken?.message ?? '',
      /^fapilog-x 1\.0 is already published with different files \(fapilog_x-1\.0\.0-py3-none-any\.whl cccccccccccc\)/,
    );
    expect(facts(market([release('1.0.0', ours)])), []);
    assert.equal(
      expect(facts(market([release('2.0.0', [])])), ['version-backport'])[0]?.message,
      '1.0.0 is lower than the newest published version 2.0.0',
    );
    // Files of two versions: the marketplace is not judged by either.
    expect(
      facts({ ...market([release('2.0.0', [])]), versions: [...facts().versions, { where: 'old.whl', from: 'built', value: '0.9' }] }),
      ['version-mismatch'],
    );
  });

  test('every finding code is said by some rule above, and the table lists each rule once', () => {
    assert.deepEqual([...covered].sort(), [...FINDING_CODES].sort());
    assert.equal(new Set(RULES.map((r) => r.about)).size, RULES.length);
  });
});
