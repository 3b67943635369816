/**
 * `fapilog-plugins publish` in-process against the real reference server: published, unchanged
 * on a re-run, version taken with different files, 401/403 naming the credential (never the
 * token), --dry-run, --strict, --json and the tag from GITHUB_REF.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { build, cleanupTemp, copyExample, edit, pool, tempDir } from '../core/publish/helpers.ts';

let server: TestServer;
let owner: string;
let project: string;
let dist: string;
let editedDist: string;
let wheelOnly: string;
let unbounded: string;

const sha = async (file: string) =>
  (await import('node:crypto'))
    .createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

before(async () => {
  server = await startTestServer({ seed: true });
  owner = await server.createToken('example-author');
  project = await copyExample();
  const edited = await copyExample();
  await edit(path.join(edited, 'README.md'), (t) =>
    t.replace('ready for container log collectors.', 'ready for log collectors of any kind.'),
  );
  // docs/publishing.md's failing example: a wheel only, and a fapilog requirement without upper bound.
  unbounded = await copyExample();
  await edit(path.join(unbounded, 'pyproject.toml'), (t) => t.replace('"fapilog>=0.14,<0.20"', '"fapilog>=0.14"'));
  const dists = await pool([
    () => build(project),
    () => build(edited),
    () => build(project, { only: 'wheel' }),
    () => build(unbounded, { outDir: path.join(unbounded, 'dist'), only: 'wheel' }),
  ]);
  [dist, editedDist, wheelOnly] = dists as [string, string, string];
});
after(async () => {
  await server?.stop();
  await cleanupTemp();
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['--marketplace-url', server.apiUrl, 'publish', ...args], { env });

describe('publish', () => {
  test("docs/publishing.md's failing example is what the CLI prints for it", async () => {
    const r = await runCli(['--marketplace-url', server.apiUrl, 'publish', '--tag', 'v1.1.0'], {
      cwd: unbounded,
      env: { FAPILOG_MARKETPLACE_TOKEN: owner },
    });
    const shown = `$ fapilog-plugins publish --tag v1.1.0\n${r.stdout}${r.stderr}$ echo $?\n${r.code}\n`;
    const doc = await readFile(new URL('../../docs/publishing.md', import.meta.url), 'utf8');
    const m = /<!-- failing-example:start -->\n```console\n([\s\S]*?)```\n<!-- failing-example:end -->/.exec(doc);
    assert.ok(m, 'the failing-example markers are missing');
    assert.equal(m[1], shown, 'docs/publishing.md: paste this run into the failing-example block');
  });

  test('--dry-run with a tag that disagrees prints files, the finding and its fix, and exits 1', async () => {
    const r = await cli([project, '--dist', dist, '--dry-run', '--tag', 'v1.2.0'], { FAPILOG_MARKETPLACE_TOKEN: owner });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /error tag-mismatch: tag v1\.2\.0 names version 1\.2\.0, but the project's version is 1\.0\.0/);
    assert.match(r.stdout, /fix: Run `fapilog-plugins version 1\.2\.0`/);
    assert.match(r.stderr, /not published: 1 error \(tag-mismatch\)/);
  });

  test('the tag defaults to GITHUB_REF when it is a tag', async () => {
    const r = await cli([project, '--dist', dist, '--dry-run'], { GITHUB_REF: 'refs/tags/v9.9.9' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /tag v9\.9\.9 names version 9\.9\.9/);
    const branch = await cli([project, '--dist', dist, '--dry-run'], { GITHUB_REF: 'refs/heads/main' });
    assert.equal(branch.code, 0, branch.stdout + branch.stderr);
    assert.match(branch.stdout, /dry run: fapilog-stdout-json 1\.0\.0 would be published/);
  });

  test('--strict makes a warning (no sdist) fail; without it the dry run passes', async () => {
    const lenient = await cli([project, '--dist', wheelOnly, '--dry-run']);
    assert.equal(lenient.code, 0, lenient.stdout);
    assert.match(lenient.stdout, /warning sdist-missing/);
    const strict = await cli([project, '--dist', wheelOnly, '--dry-run', '--strict']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /not published: 1 warning \(--strict\) \(sdist-missing\)/);
  });

  test('no token: exit 2 and says where a token comes from', async () => {
    const r = await cli([project, '--dist', dist, '--tag', 'v1.0.0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /publishing needs a token: pass --token or set FAPILOG_MARKETPLACE_TOKEN/);
  });

  test('an unknown token: 401 names the credential (--token), never its value', async () => {
    const bogus = 'fmp_not-a-real-token-1234567890';
    const r = await runCli(['--marketplace-url', server.apiUrl, '--token', bogus, 'publish', project, '--dist', dist]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /did not accept the token from --token \(HTTP 401/);
    assert.ok(!r.stdout.includes(bogus) && !r.stderr.includes(bogus));
  });

  test('published, then unchanged on a re-run, with every file and its sha256 printed', async () => {
    const first = await cli([project, '--dist', dist, '--tag', 'v1.0.0'], { FAPILOG_MARKETPLACE_TOKEN: owner });
    assert.equal(first.code, 0, first.stderr);
    for (const f of ['fapilog_stdout_json-1.0.0-py3-none-any.whl', 'fapilog_stdout_json-1.0.0.tar.gz']) {
      const line = first.stdout.split('\n').find((l) => l.includes(f));
      assert.ok(line, `${f} is listed`);
      assert.ok(line.includes(`sha256:${await sha(path.join(dist, f))}`), line);
      // Binary units, as the Action summary and the findings print them.
      assert.ok(line.includes(`  ${((await stat(path.join(dist, f))).size / 1024).toFixed(1)} KiB  `), line);
    }
    assert.match(first.stdout, /^published fapilog-stdout-json 1\.0\.0$/m);
    assert.match(first.stdout, new RegExp(`${server.apiUrl.replace(/[.]/g, '\\.')}/plugins/stdout-json/versions/1\\.0\\.0`));
    assert.ok(!first.stdout.includes(owner) && !first.stderr.includes(owner));

    const again = await cli([project, '--dist', dist, '--tag', 'v1.0.0'], { FAPILOG_MARKETPLACE_TOKEN: owner });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^unchanged: fapilog-stdout-json 1\.0\.0 is already published with identical files$/m);

    const info = await runCli(['--marketplace-url', server.apiUrl, '--json', 'info', 'stdout-json']);
    const shown = JSON.parse(info.stdout) as { plugin: { version: string; plugin_type: string; fapilog_compatibility: string } };
    assert.equal(shown.plugin.version, '1.0.0');
    assert.equal(shown.plugin.plugin_type, 'sink');
    assert.equal(shown.plugin.fapilog_compatibility, '>=0.14,<0.20');
  });

  test('different files for the published version: exit 1, the version is taken, publish a new one', async () => {
    const r = await cli([project, '--dist', editedDist, '--tag', 'v1.0.0'], { FAPILOG_MARKETPLACE_TOKEN: owner });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /error version-taken: fapilog-stdout-json 1\.0\.0 is already published with different files/);
    assert.match(r.stdout, /publish a new version/);
    assert.match(r.stdout, /fapilog-plugins version patch/);
  });

  test('past a stale cache (--prefer-offline) the upload reaches the server, whose 409 gives the same advice', async () => {
    const a = await copyExample();
    await edit(path.join(a, 'pyproject.toml'), (t) => t.replace('version = "1.0.0"', 'version = "1.0.1"'));
    const b = await copyExample();
    await edit(path.join(b, 'pyproject.toml'), (t) => t.replace('version = "1.0.0"', 'version = "1.0.1"'));
    await edit(path.join(b, 'README.md'), (t) => t.replace('## Install', 'Now with more words.\n\n## Install'));
    const [distA, distB] = (await pool([() => build(a), () => build(b)])) as [string, string];
    const staleCache = await tempDir('fapilog-stale-cache-');
    // This cache learns the releases while 1.0.1 does not exist yet (with the token that later
    // publishes: cache entries are kept per token)...
    const look = await cli([a, '--dist', distA, '--dry-run'], { FAPILOG_MARKETPLACE_TOKEN: owner, FAPILOG_MARKETPLACE_CACHE: staleCache });
    assert.equal(look.code, 0, look.stderr);
    const pub = await cli([a, '--dist', distA, '--tag', 'v1.0.1'], {
      FAPILOG_MARKETPLACE_TOKEN: owner,
      FAPILOG_MARKETPLACE_CACHE: await tempDir(),
    });
    assert.equal(pub.code, 0, pub.stderr);
    // ...so with --prefer-offline the pre-check sees no 1.0.1 and the server's own check answers.
    const r = await cli([b, '--dist', distB, '--tag', 'v1.0.1', '--prefer-offline'], {
      FAPILOG_MARKETPLACE_TOKEN: owner,
      FAPILOG_MARKETPLACE_CACHE: staleCache,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /version-taken/);
    assert.match(r.stderr, /fapilog-stdout-json 1\.0\.1 is already taken on the marketplace with different files \(HTTP 409/);
    assert.match(r.stderr, /bump the version \(`fapilog-plugins version patch`\), rebuild and publish the new version/);
  });

  test("another owner's token: 403 says which credential and that the owner's token is needed", async () => {
    const stranger = await server.createToken('someone-else');
    const r = await cli([project, '--dist', dist, '--tag', 'v1.0.0'], { FAPILOG_MARKETPLACE_TOKEN: stranger });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /the token from FAPILOG_MARKETPLACE_TOKEN may not publish fapilog-stdout-json \(HTTP 403: fapilog-stdout-json belongs to another owner\)/,
    );
    assert.match(r.stderr, /needs a token of the plugin's owner/);
    assert.ok(!r.stdout.includes(stranger) && !r.stderr.includes(stranger));
  });

  test('--json: one document with files, findings and the outcome', async () => {
    // --json is a global option; given after the command it still applies.
    const r = await cli([project, '--dist', dist, '--tag', 'v1.0.0', '--json'], { FAPILOG_MARKETPLACE_TOKEN: owner });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      status: string;
      version: string;
      files: Array<{ sha256: string }>;
      findings: unknown[];
      url: string;
    };
    assert.equal(doc.status, 'unchanged');
    assert.equal(doc.version, '1.0.0');
    assert.equal(doc.files.length, 2);
    assert.deepEqual(doc.findings, []);
    assert.match(doc.url, /\/plugins\/stdout-json\/versions\/1\.0\.0$/);
  });
});

describe("publish: a newcomer's slips", () => {
  test('an old build left in dist/: only the real mismatch, with the advice to clean dist/', async () => {
    // Its own marketplace: 1.0.0 of this build is published there first, as in real life.
    const own = await startTestServer({ seed: false });
    try {
      const token = await own.createToken('example-author');
      const dir = await copyExample();
      const distDir = path.join(dir, 'dist');
      await build(dir, { outDir: distDir });
      const first = await runCli(['--marketplace-url', own.apiUrl, 'publish', dir, '--tag', 'v1.0.0'], {
        env: { FAPILOG_MARKETPLACE_TOKEN: token },
      });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      const bump = await runCli(['version', 'minor', dir]);
      assert.equal(bump.code, 0, bump.stderr);
      await build(dir, { outDir: distDir }); // without cleaning dist/
      const r = await runCli(['--marketplace-url', own.apiUrl, '--json', 'publish', dir, '--tag', 'v1.1.0'], {
        env: { FAPILOG_MARKETPLACE_TOKEN: token },
      });
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as { version: string; findings: Array<{ code: string; message: string; fix: string }> };
      assert.equal(doc.version, '1.1.0');
      assert.deepEqual(
        doc.findings.map((f) => f.code),
        ['version-mismatch'],
        'no false tag-mismatch, no false version-taken',
      );
      assert.equal(
        doc.findings[0]?.message,
        "the dist directory holds files of another version, left by an older build: fapilog_stdout_json-1.0.0-py3-none-any.whl (1.0.0), fapilog_stdout_json-1.0.0.tar.gz (1.0.0); the project's version is 1.1.0",
      );
      assert.match(doc.findings[0]?.fix ?? '', /^Clean the dist directory \(`rm -rf dist`\) and rebuild/);
      assert.equal(r.stderr, 'not published: 1 error (version-mismatch)\n');
    } finally {
      await own.stop();
    }
  });

  test('a path that does not exist: exit 2, one line', async () => {
    const missing = path.join(await tempDir(), 'no-such-plugin');
    const r = await cli([missing, '--dry-run']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `error: ${missing}: no such file or directory\n`);
  });
});
