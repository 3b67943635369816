import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRelease, dependencyConflicts, parseInstallRequest, upperCap } from '../../../src/core/analysis/choose-release.ts';
import { InstallRefused } from '../../../src/core/errors.ts';
import { addToPep508Array, addToPoetryTable, addToRequirements, chooseTarget } from '../../../src/core/python/insert.ts';
import { FAPILOG_VERSIONS, dep, entry, release, scan } from './builders.ts';

describe('adding a PEP 508 string to a pyproject array, byte-exact elsewhere', () => {
  test('multi-line array with trailing comma and a comment on the last line', () => {
    const before =
      '[project]\nname = "x"\ndependencies = [\n  "fapilog==0.16.0",\n  \'httpx>=0.27\',  # http client\n]\n\n[tool.uv]\npackage = false\n';
    const after = addToPep508Array(before, ['project'], 'dependencies', 'fapilog-loki>=1.4.0');
    assert.equal(
      after,
      '[project]\nname = "x"\ndependencies = [\n  "fapilog==0.16.0",\n  \'httpx>=0.27\',  # http client\n  \'fapilog-loki>=1.4.0\',\n]\n\n[tool.uv]\npackage = false\n',
    );
  });

  test('multi-line array without trailing comma gets one, the new item has none', () => {
    const before = '[project]\ndependencies = [\n    "fapilog==0.16.0"\n]\n';
    assert.equal(
      addToPep508Array(before, ['project'], 'dependencies', 'fapilog-loki>=1.4.0'),
      '[project]\ndependencies = [\n    "fapilog==0.16.0",\n    "fapilog-loki>=1.4.0"\n]\n',
    );
  });

  test('closing bracket on the last element line', () => {
    const before = '[project]\ndependencies = [\n    "a",\n    "b"]\n';
    assert.equal(addToPep508Array(before, ['project'], 'dependencies', 'c'), '[project]\ndependencies = [\n    "a",\n    "b",\n    "c"]\n');
  });

  test('one-line and empty arrays', () => {
    assert.equal(
      addToPep508Array('[project]\ndependencies = ["a", "b"]\n', ['project'], 'dependencies', 'c'),
      '[project]\ndependencies = ["a", "b", "c"]\n',
    );
    assert.equal(addToPep508Array('[project]\ndependencies = []\n', ['project'], 'dependencies', 'c'), '[project]\ndependencies = ["c"]\n');
  });

  test('CRLF files stay CRLF', () => {
    const before = '[project]\r\ndependencies = [\r\n    "a",\r\n]\r\n';
    assert.equal(
      addToPep508Array(before, ['project'], 'dependencies', 'c'),
      '[project]\r\ndependencies = [\r\n    "a",\r\n    "c",\r\n]\r\n',
    );
  });

  test('a missing key goes at the end of its table; a missing table at the end of the file', () => {
    const before = '[project]\nname = "x"\n\n[tool.uv]\npackage = false\n';
    assert.equal(
      addToPep508Array(before, ['project'], 'dependencies', 'c'),
      '[project]\nname = "x"\ndependencies = [\n    "c",\n]\n\n[tool.uv]\npackage = false\n',
    );
    assert.equal(
      addToPep508Array(before, ['dependency-groups'], 'dev', 'c'),
      '[project]\nname = "x"\n\n[tool.uv]\npackage = false\n\n[dependency-groups]\ndev = [\n    "c",\n]\n',
    );
  });
});

describe('Poetry tables and requirements files', () => {
  test('a Poetry dependency line goes after the last key of its table', () => {
    const before =
      '[tool.poetry.dependencies]\npython = "^3.11"\nfapilog = "0.16.0"  # pinned\n\n[build-system]\nrequires = ["poetry-core"]\n';
    assert.equal(
      addToPoetryTable(before, ['tool', 'poetry', 'dependencies'], 'fapilog-loki', '^1.4.0'),
      '[tool.poetry.dependencies]\npython = "^3.11"\nfapilog = "0.16.0"  # pinned\nfapilog-loki = "^1.4.0"\n\n[build-system]\nrequires = ["poetry-core"]\n',
    );
  });

  test('a new Poetry group table is appended', () => {
    const before = '[tool.poetry.dependencies]\npython = "^3.11"\n';
    assert.equal(
      addToPoetryTable(before, ['tool', 'poetry', 'group', 'dev', 'dependencies'], 'fapilog-loki', '^1.4.0'),
      '[tool.poetry.dependencies]\npython = "^3.11"\n\n[tool.poetry.group.dev.dependencies]\nfapilog-loki = "^1.4.0"\n',
    );
  });

  test('requirements: appended, with a newline added when the file lacked one', () => {
    assert.equal(addToRequirements('fapilog==0.16.0', 'fapilog-loki>=1.4.0'), 'fapilog==0.16.0\nfapilog-loki>=1.4.0\n');
    assert.equal(addToRequirements('a\n', 'b \\\n    --hash=sha256:00'), 'a\nb \\\n    --hash=sha256:00\n');
  });
});

describe('choosing the manifest', () => {
  const none = new Set<string>();
  test('PEP 621 first, groups to an existing extra, else PEP 735', () => {
    const py = '[project]\nname = "x"\n[project.optional-dependencies]\naws = []\n';
    assert.equal(chooseTarget({ pyproject: py, existing: none }).kind, 'pep508-array');
    assert.equal(chooseTarget({ pyproject: py, existing: none }, 'aws').section, 'project.optional-dependencies.aws');
    assert.equal(chooseTarget({ pyproject: py, existing: none }, 'dev').section, 'dependency-groups.dev');
  });
  test('Poetry, then requirements.in over requirements.txt', () => {
    assert.equal(chooseTarget({ pyproject: '[tool.poetry]\nname = "x"\n', existing: none }).section, 'tool.poetry.dependencies');
    assert.equal(chooseTarget({ pyproject: '[tool.poetry]\n', existing: none }, 'test').section, 'tool.poetry.group.test.dependencies');
    assert.equal(chooseTarget({ existing: new Set(['requirements.txt', 'requirements.in']) }).file, 'requirements.in');
    assert.equal(chooseTarget({ existing: new Set(['requirements-dev.txt']) }, 'dev').file, 'requirements-dev.txt');
    assert.throws(() => chooseTarget({ existing: new Set(['requirements.txt']) }, 'dev'), InstallRefused);
    assert.throws(() => chooseTarget({ pyproject: '[tool.black]\n', existing: none }), /no manifest to add to/);
  });
});

describe('choosing the release', () => {
  const loki = entry(
    release('fapilog-loki', '1.0.0', '>=0.8,<0.14', { dependencies: ['httpx>=0.24'] }),
    release('fapilog-loki', '1.4.0', '>=0.15,<0.20', { dependencies: ['httpx>=0.27', 'lz4>=4 ; extra == "fast"'] }),
    release('fapilog-loki', '1.5.0', '>=0.15', { yanked: true, yanked_reason: 'broken' }),
    release('fapilog-loki', '2.0.0', '>=0.18'),
  );

  test('requests parse as name or name==version', () => {
    assert.deepEqual(parseInstallRequest('loki'), { package: 'fapilog-loki', version: null });
    assert.deepEqual(parseInstallRequest('Fapilog_Loki==1.4.0'), { package: 'fapilog-loki', version: '1.4.0' });
    assert.throws(() => parseInstallRequest('loki>=1'), /is not <name> or <name>==<version>/);
  });

  test('the newest compatible final release by default', () => {
    const r = chooseRelease({ package: 'fapilog-loki', version: null }, loki, scan([dep('fapilog==0.16.0')]), FAPILOG_VERSIONS);
    assert.equal(r.release.version, '1.4.0');
  });

  test('refusals: incompatible, yanked, unknown version, unknown plugin', () => {
    const s = scan([dep('fapilog==0.16.0')]);
    assert.throws(
      () => chooseRelease({ package: 'fapilog-loki', version: '2.0.0' }, loki, s, FAPILOG_VERSIONS),
      (e: unknown) =>
        e instanceof InstallRefused &&
        e.reason === 'incompatible' &&
        /2\.0\.0 supports fapilog >=0\.18, but this project uses fapilog 0\.16\.0.*1\.4\.0 is the newest/.test(e.message),
    );
    assert.throws(() => chooseRelease({ package: 'fapilog-loki', version: '1.5.0' }, loki, s, FAPILOG_VERSIONS), /was yanked: broken/);
    assert.throws(() => chooseRelease({ package: 'fapilog-loki', version: '9.0' }, loki, s, FAPILOG_VERSIONS), /has no release 9\.0/);
    assert.throws(() => chooseRelease({ package: 'fapilog-nope', version: null }, null, s, FAPILOG_VERSIONS), /not in the marketplace/);
    assert.throws(
      () =>
        chooseRelease({ package: 'fapilog-nope', version: null }, null, s, FAPILOG_VERSIONS, undefined, {
          url: 'https://pypi.org/simple/',
          kind: 'index',
        }),
      /fapilog-nope is not on the index https:\/\/pypi\.org\/simple\/$/,
    );
    const old = scan([dep('fapilog==0.3.0')]);
    assert.throws(
      () => chooseRelease({ package: 'fapilog-loki', version: null }, loki, old, FAPILOG_VERSIONS),
      /no release of fapilog-loki supports fapilog 0\.3\.0/,
    );
  });

  test('declared dependencies are checked against pins and locked versions, extras-only ones are not', () => {
    const rel = loki.releases[1]!;
    assert.deepEqual(dependencyConflicts(rel, scan([dep('httpx==0.27.2'), dep('lz4==3.0')])), []);
    const pinned = scan([dep('httpx==0.25.0', { file: 'requirements.txt' })]);
    assert.match(
      dependencyConflicts(rel, pinned)[0] ?? '',
      /needs httpx>=0\.27, but the project has httpx==0\.25\.0 \(requirements\.txt:\d+\)/,
    );
    const locked = scan([dep('httpx>=0.20')], { httpx: '0.26.0' });
    assert.match(dependencyConflicts(rel, locked)[0] ?? '', /httpx==0\.26\.0 \(uv\.lock\)/);
    assert.throws(
      () =>
        chooseRelease(
          { package: 'fapilog-loki', version: null },
          loki,
          scan([dep('fapilog==0.16.0'), dep('httpx==0.25.0')]),
          FAPILOG_VERSIONS,
        ),
      (e: unknown) => e instanceof InstallRefused && e.reason === 'conflict',
    );
  });
});

describe('the upper bound of a new range', () => {
  const kafka = entry(
    release('fapilog-kafka', '2.0.0', '>=0.12,<0.18'),
    release('fapilog-kafka', '2.1.0', '>=0.14,<0.18'),
    release('fapilog-kafka', '3.0.0', '>=0.18'),
    release('fapilog-kafka', '3.1.0', '>=0.18.1'),
  );
  const at = (v: string) => kafka.releases.find((r) => r.version === v)!;

  test('below the next major when the first newer release that needs another fapilog starts one', () => {
    assert.deepEqual(upperCap(kafka.releases, at('2.1.0'), '0.16.0'), { below: '3', release: '3.0.0', fapilogCompatibility: '>=0.18' });
  });

  test('below that release itself when it is a minor or patch step', () => {
    assert.deepEqual(upperCap(kafka.releases, at('2.0.0'), '0.13.0'), {
      below: '2.1.0',
      release: '2.1.0',
      fapilogCompatibility: '>=0.14,<0.18',
    });
    assert.deepEqual(upperCap(kafka.releases, at('3.0.0'), '0.18.0'), {
      below: '3.1.0',
      release: '3.1.0',
      fapilogCompatibility: '>=0.18.1',
    });
  });

  test('none when every newer release fits, or there is none, or fapilog is unknown', () => {
    assert.equal(upperCap(kafka.releases, at('3.1.0'), '0.18.1'), null);
    assert.equal(upperCap(kafka.releases, at('2.1.0'), null), null);
    assert.equal(upperCap(kafka.releases, at('3.0.0'), '0.19.0'), null);
  });

  test('yanked releases and pre-releases do not count (pip does not pick them for a range)', () => {
    const releases = [
      release('fapilog-x', '1.0.0', '>=0.14'),
      release('fapilog-x', '1.1.0', '>=0.18', { yanked: true, yanked_reason: 'broken' }),
      release('fapilog-x', '1.2.0rc1', '>=0.18'),
      release('fapilog-x', '2.0.0', '>=0.18'),
    ];
    assert.deepEqual(upperCap(releases, releases[0]!, '0.16.0'), { below: '2', release: '2.0.0', fapilogCompatibility: '>=0.18' });
  });

  test('no major shortcut when it would also cut off a release between the major and the first misfit', () => {
    const releases = [
      release('fapilog-x', '1.0.0', '>=0.14'),
      release('fapilog-x', '2.0.0', '>=0.14'),
      release('fapilog-x', '2.1.0', '>=0.18'),
    ];
    // 1.0.0 is not the newest fit here (2.0.0 is), so the bound must stay exact.
    assert.deepEqual(upperCap(releases, releases[0]!, '0.16.0'), { below: '2.1.0', release: '2.1.0', fapilogCompatibility: '>=0.18' });
  });
});

test('dynamic PEP 621 dependencies send install to the requirements file', () => {
  const py = '[project]\nname = "x"\ndynamic = ["version", "dependencies"]\n';
  assert.equal(chooseTarget({ pyproject: py, existing: new Set(['requirements.txt']) }).file, 'requirements.txt');
  assert.equal(chooseTarget({ pyproject: py, existing: new Set(['requirements.txt']) }, 'dev').section, 'dependency-groups.dev');
});
