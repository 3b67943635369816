/**
 * The planners on in-memory projects (no temp dirs): the bytes they plan, byte for byte, for the
 * files that used to come out wrong (a backslash continuation, a Latin-1 comment, a BOM with
 * CRLF, an include that leaves the root, a pyproject.toml that does not parse).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkProject,
  CoreError,
  InstallRefused,
  MemoryProjectFiles,
  planInstall,
  planUpdate,
  type PluginLookup,
  type ProjectFiles,
} from '../../../src/core/project/index.ts';
import type { BatchEntry } from '../../../src/core/marketplace/schemas.ts';
import { FAPILOG_VERSIONS, entry, release } from '../analysis/builders.ts';

const LOKI = entry(release('fapilog-loki', '1.2.0', '>=0.15'), release('fapilog-loki', '1.4.0', '>=0.16'));
const KAFKA = entry(release('fapilog-kafka', '2.0.0', '>=0.16'));

/** Marketplace answers from a table, recording what was asked (one batch per check). */
function lookupOf(table: Record<string, BatchEntry>): PluginLookup & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    async batch(names) {
      asked.push(names);
      return Object.fromEntries(names.map((n) => [n, table[n] ?? null]));
    },
    async fapilogVersions() {
      return FAPILOG_VERSIONS;
    },
    status: () => ({ url: 'http://marketplace.test/api/v1', stale: false }),
  };
}

const lookup = () => lookupOf({ 'fapilog-loki': LOKI, 'fapilog-kafka': KAFKA });
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const bytes = (u: Uint8Array) => Buffer.from(u);

describe('planUpdate on in-memory projects', () => {
  test('a backslash-continued requirement keeps its line breaks', async () => {
    const files = new MemoryProjectFiles({
      'requirements.txt': 'fapilog==0.16.0\nfapilog-loki==\\\n    1.2.0 \\\n    ; python_version >= "3.10"\n',
    });
    const plan = await planUpdate({ files, lookup: lookup() });
    assert.equal(plan.changes.length, 1);
    assert.equal(
      Buffer.from(plan.changes[0]!.after).toString('utf8'),
      'fapilog==0.16.0\nfapilog-loki==\\\n    1.4.0 \\\n    ; python_version >= "3.10"\n',
    );
    assert.deepEqual(
      plan.planned.map((p) => [p.package, p.from, p.to]),
      [['fapilog-loki', '==    1.2.0', '==    1.4.0']],
    );
  });

  test('a Latin-1 comment comes out byte-identical (no U+FFFD), only the version changes', async () => {
    const before = latin1("# d\xe9pendances de l'\xe9quipe\nfapilog==0.16.0\nfapilog-loki==1.2.0  # caf\xe9\n");
    const files = new MemoryProjectFiles({ 'requirements.txt': before });
    const plan = await planUpdate({ files, lookup: lookup() });
    const change = plan.changes[0]!;
    assert.deepEqual(bytes(change.before), bytes(before));
    assert.deepEqual(
      bytes(change.after),
      bytes(latin1("# d\xe9pendances de l'\xe9quipe\nfapilog==0.16.0\nfapilog-loki==1.4.0  # caf\xe9\n")),
    );
    assert.ok(!bytes(change.after).includes(Buffer.from([0xef, 0xbf, 0xbd])), 'no replacement character');
    // The diff shows the byte rather than a replacement character.
    assert.match(change.diff, /caf\\xE9/);
  });

  test('stray binary bytes and a BOM with CRLF survive around the edit', async () => {
    const before = new Uint8Array([
      ...utf8('\ufefffapilog==0.16.0\r\n# \u00e9t\u00e9 '),
      0xff,
      0xfe,
      0x80,
      ...utf8('\r\nfapilog-loki==1.2.0\r\n'),
    ]);
    const files = new MemoryProjectFiles({ 'requirements.txt': before });
    const plan = await planUpdate({ files, lookup: lookup() });
    const expected = new Uint8Array([
      ...utf8('\ufefffapilog==0.16.0\r\n# \u00e9t\u00e9 '),
      0xff,
      0xfe,
      0x80,
      ...utf8('\r\nfapilog-loki==1.4.0\r\n'),
    ]);
    assert.deepEqual(bytes(plan.changes[0]!.after), bytes(expected));
  });

  test('a pyproject.toml with a BOM and CRLF line endings: one span changes, every other byte stays', async () => {
    const text =
      '\ufeff[project]\r\nname = "app"\r\ndependencies = [\r\n    "fapilog==0.16.0",\r\n    "fapilog-loki==1.2.0",  # logs\r\n]\r\n';
    const files = new MemoryProjectFiles({ 'pyproject.toml': utf8(text) });
    const plan = await planUpdate({ files, lookup: lookup() });
    assert.deepEqual(bytes(plan.changes[0]!.after), bytes(utf8(text.replace('fapilog-loki==1.2.0', 'fapilog-loki==1.4.0'))));
    assert.equal(bytes(plan.changes[0]!.after).subarray(0, 3).toString('hex'), 'efbbbf');
  });

  test('a pyproject.toml that is not UTF-8 is refused with a typed error, not mangled', async () => {
    const files = new MemoryProjectFiles({
      'pyproject.toml': latin1('[project]\nname = "x" # caf\xe9\ndependencies = ["fapilog==0.16.0", "fapilog-loki==1.2.0"]\n'),
    });
    await assert.rejects(planUpdate({ files, lookup: lookup() }), (e: unknown) => {
      assert.ok(e instanceof CoreError);
      assert.equal(e.code, 'invalid-manifest');
      assert.deepEqual(e.files, ['pyproject.toml']);
      assert.match(e.message, /not valid UTF-8 \(byte 0xE9 at line 2, column 17\)/);
      return true;
    });
  });

  test('an invalid pyproject.toml is an error, not "nothing to update"', async () => {
    const files = new MemoryProjectFiles({
      'pyproject.toml': '[project\ndependencies = ["fapilog-loki==1.2.0"]\n',
      'requirements.txt': 'fapilog-loki==1.2.0\n',
    });
    await assert.rejects(
      planUpdate({ files, lookup: lookup() }),
      (e: unknown) => e instanceof CoreError && e.code === 'invalid-manifest' && /^pyproject\.toml: invalid TOML at line 2/.test(e.message),
    );
    // The check itself still reports (with the problem as a warning), so `outdated` keeps working.
    const check = await checkProject({ files, lookup: lookup() });
    assert.ok(check.report.warnings.some((w) => /pyproject\.toml: invalid TOML/.test(w)));
  });

  test('an include that leaves the root is not read; the warning names it and echoes no content', async () => {
    const reads: string[] = [];
    const inner = new MemoryProjectFiles({
      'app/requirements.txt': '-r ../../outside.txt\n-r /etc/passwd\n-c ../constraints.txt\n-r ./base/../base.txt\nfapilog-loki==1.2.0\n',
      'constraints.txt': 'fapilog==0.16.0\n',
      'app/base.txt': 'fapilog-kafka==2.0.0\nthis line is not a requirement TOKEN-123\n',
    });
    const files: ProjectFiles = { label: inner.label, list: () => inner.list(), read: (p) => (reads.push(p), inner.read(p)) };
    const check = await checkProject({ files, lookup: lookup() });
    assert.ok(
      reads.every((p) => !p.startsWith('/') && !p.split('/').includes('..')),
      `read outside the root: ${reads.join(', ')}`,
    );
    assert.deepEqual(reads.sort(), ['app/base.txt', 'app/requirements.txt', 'constraints.txt']);
    const w = check.report.warnings.join('\n');
    assert.match(w, /app\/requirements\.txt:1: included file \.\.\/\.\.\/outside\.txt is outside the project; not read/);
    assert.match(w, /app\/requirements\.txt:2: included file \/etc\/passwd is outside the project; not read/);
    assert.match(w, /app\/base\.txt:2: not a requirement/);
    assert.doesNotMatch(w, /TOKEN-123/);
    const manifest = check.scan.manifests.find((m) => m.file === 'app/requirements.txt');
    assert.deepEqual(manifest?.includes, ['constraints.txt', 'app/base.txt']);
    // The constraint file inside the root still counts: fapilog 0.16.0, so loki moves to 1.4.0.
    const plan = await planUpdate({ check });
    assert.deepEqual(
      plan.changes.map((c) => [c.path, Buffer.from(c.after).toString()]),
      [
        [
          'app/requirements.txt',
          '-r ../../outside.txt\n-r /etc/passwd\n-c ../constraints.txt\n-r ./base/../base.txt\nfapilog-loki==1.4.0\n',
        ],
      ],
    );
  });

  test('a prior check result plans the same changes with no second lookup (the bot path)', async () => {
    const files = new MemoryProjectFiles({ 'requirements.txt': 'fapilog==0.16.0\nfapilog-loki==1.2.0\n', 'uv.lock': '' });
    const l = lookup();
    const check = await checkProject({ files, lookup: l });
    const fromCheck = await planUpdate({ check, strategy: 'pin' });
    const direct = await planUpdate({ files, lookup: lookup(), strategy: 'pin' });
    assert.equal(l.asked.length, 1);
    assert.deepEqual(fromCheck.changes, direct.changes);
    assert.deepEqual(
      fromCheck.lock.map((x) => x.display),
      ['uv lock --upgrade-package fapilog-loki'],
    );
    // Each report entry comes with the very dependency it was made from.
    assert.equal(check.entries[0]?.dependency.location.line, 2);
    assert.equal(check.entries[0]?.entry.package, 'fapilog-loki');
  });

  test('asking for a plugin the project does not use is a typed error', async () => {
    const files = new MemoryProjectFiles({ 'requirements.txt': 'fapilog-loki==1.2.0\n' });
    await assert.rejects(
      planUpdate({ files, lookup: lookup(), names: ['kafka'] }),
      (e: unknown) => e instanceof CoreError && e.code === 'unknown-plugin' && e.subject === 'fapilog-kafka',
    );
  });
});

describe('planInstall on in-memory projects', () => {
  test('into a BOM + CRLF pyproject.toml: CRLF kept, BOM kept, nothing else changed', async () => {
    const text = '\ufeff[project]\r\nname = "app"\r\ndependencies = [\r\n    "fapilog==0.16.0",\r\n]\r\n';
    const files = new MemoryProjectFiles({ 'pyproject.toml': utf8(text) });
    const plan = await planInstall({ files, lookup: lookup(), requirement: 'kafka' });
    assert.equal(plan.file, 'pyproject.toml');
    assert.equal(plan.added, 'fapilog-kafka>=2.0.0');
    assert.equal(
      Buffer.from(plan.change.after).toString('utf8'),
      '\ufeff[project]\r\nname = "app"\r\ndependencies = [\r\n    "fapilog==0.16.0",\r\n    "fapilog-kafka>=2.0.0",\r\n]\r\n',
    );
  });

  test('into a Latin-1 requirements file with hashes: bytes kept, pinned with every hash', async () => {
    const before = latin1('# \xe9quipe\nfapilog==0.16.0 \\\n    --hash=sha256:' + 'a'.repeat(64) + '\n');
    const files = new MemoryProjectFiles({ 'requirements.txt': before });
    const plan = await planInstall({ files, lookup: lookup(), requirement: 'fapilog-loki' });
    const sha = LOKI.releases[1]!.files[0]!.sha256;
    assert.deepEqual(
      bytes(plan.change.after),
      Buffer.concat([bytes(before), Buffer.from(`fapilog-loki==1.4.0 \\\n    --hash=sha256:${sha}\n`)]),
    );
  });

  test('refusals are typed (InstallRefused with its reason) and plan nothing', async () => {
    const files = new MemoryProjectFiles({ 'requirements.txt': 'fapilog==0.15.0\nfapilog-loki==1.2.0\n' });
    await assert.rejects(
      planInstall({ files, lookup: lookup(), requirement: 'loki' }),
      (e: unknown) => e instanceof InstallRefused && e.reason === 'already-present' && e.code === 'install-refused',
    );
    await assert.rejects(
      planInstall({ files, lookup: lookup(), requirement: 'kafka' }),
      (e: unknown) => e instanceof InstallRefused && e.reason === 'incompatible',
    );
    const empty = new MemoryProjectFiles({ 'README.md': 'hi\n' });
    await assert.rejects(
      planInstall({ files: empty, lookup: lookup(), requirement: 'kafka' }),
      (e: unknown) => e instanceof InstallRefused && e.reason === 'no-manifest',
    );
  });
});
