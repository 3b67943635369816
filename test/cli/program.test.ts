/** The program as a whole: help on every command, exit codes, configuration, the generated reference. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Help, type Command } from 'commander';
import { buildProgram } from '../../src/cli/program.ts';
import { EXIT } from '../../src/cli/errors.ts';
import { SearchResult } from '../../src/core/marketplace/schemas.ts';
import { DOCS_FILE, renderCliDocs } from '../../scripts/gen-cli-docs.ts';
import { runCli } from '../helpers/cli.ts';
import { samplePlugin, sendJson, startPeer } from '../core/marketplace/peer.ts';
import { tempDir } from '../core/marketplace/settings.ts';

function allCommands(cmd: Command, prefix: string[] = []): string[][] {
  const visible = new Help().visibleCommands(cmd).filter((c) => c.name() !== 'help');
  return visible.flatMap((c) => [[...prefix, c.name()], ...allCommands(c, [...prefix, c.name()])]);
}

describe('the program', () => {
  const program = buildProgram({ stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 80 }, { code: EXIT.ok });
  const commands = allCommands(program);

  test('registers the discovery commands', () => {
    for (const name of ['search', 'list', 'info']) assert.ok(commands.some((c) => c.join(' ') === name), name);
  });

  test('--help works on the program and on every command, exit 0, on stdout', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /^Usage: fapilog-plugins \[options\] \[command\]/);
    for (const path of commands) {
      const r = await runCli([...path, '--help']);
      assert.equal(r.code, 0, `${path.join(' ')} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: fapilog-plugins ${path.join(' ')}`), path.join(' '));
    }
  });

  test('--version and -V print the package version, exit 0; the `version` command is still there', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${pkg.version}\n`);
      assert.equal(r.stderr, '');
    }
    const help = await runCli(['version', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: fapilog-plugins version \[options\] <bump> \[path\]/);
  });

  test('an unknown command or option is exit 2 with one line', async () => {
    for (const argv of [['frobnicate'], ['list', '--frobnicate']]) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^error: unknown (command|option)/);
    }
  });

  test('bad global values are exit 2 with one line', async () => {
    const url = await runCli(['list', '--marketplace-url', 'not a url']);
    assert.equal(url.code, 2);
    assert.equal(url.stderr, 'error: invalid --marketplace-url: Invalid URL\n');
    const retries = await runCli(['list', '--retries', 'many']);
    assert.equal(retries.code, 2);
    assert.match(retries.stderr, /^error: option '--retries <n>' argument 'many' is invalid/);
  });

  test('the environment given to run() configures the marketplace; flags override it', async () => {
    const hits: string[] = [];
    const a = await startPeer((req, res) => {
      hits.push(`a ${req.path}`);
      sendJson(res, 200, { plugins: [samplePlugin()], total: 1, page: 1, per_page: 20 });
    });
    const b = await startPeer((req, res) => {
      hits.push(`b ${req.path}`);
      sendJson(res, 200, { plugins: [], total: 0, page: 1, per_page: 20 });
    });
    try {
      const saved = process.env['FAPILOG_MARKETPLACE_URL'];
      // The outer process's environment must not leak into an in-process run.
      process.env['FAPILOG_MARKETPLACE_URL'] = 'http://127.0.0.1:9/never';
      try {
        const env = { FAPILOG_MARKETPLACE_URL: a.apiUrl, FAPILOG_MARKETPLACE_CACHE: tempDir() };
        const viaEnv = await runCli(['list', '--json'], { env });
        assert.equal(viaEnv.code, 0, viaEnv.stderr);
        assert.equal(SearchResult.parse(JSON.parse(viaEnv.stdout)).total, 1);
        const viaFlag = await runCli(['list', '--json', '--marketplace-url', b.apiUrl], { env });
        assert.equal(viaFlag.code, 0, viaFlag.stderr);
        assert.equal(SearchResult.parse(JSON.parse(viaFlag.stdout)).total, 0);
      } finally {
        if (saved === undefined) delete process.env['FAPILOG_MARKETPLACE_URL'];
        else process.env['FAPILOG_MARKETPLACE_URL'] = saved;
      }
      assert.deepEqual(hits, ['a /plugins?page=1&per_page=20', 'b /plugins?page=1&per_page=20']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('global options work after the command name too', async () => {
    const p = await startPeer((_req, res) => sendJson(res, 200, { plugins: [], total: 0, page: 1, per_page: 20 }));
    try {
      const r = await runCli(['list', '--json', '--marketplace-url', p.apiUrl, '--cache-dir', tempDir()]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(p.requests.length, 1);
    } finally {
      await p.close();
    }
  });
});

describe('docs/cli.md', () => {
  test('is generated from the current commander definitions (run `npx node scripts/gen-cli-docs.ts`)', () => {
    const want = renderCliDocs().split('\n');
    const have = readFileSync(DOCS_FILE, 'utf8').split('\n');
    const first = want.findIndex((line, i) => line !== have[i]);
    const at = first === -1 && have.length !== want.length ? Math.min(have.length, want.length) : first;
    assert.equal(
      at,
      -1,
      `docs/cli.md is out of date (line ${at + 1}: has ${JSON.stringify(have[at])}, should be ${JSON.stringify(want[at])}): run \`npx node scripts/gen-cli-docs.ts\``,
    );
  });

  test('documents every command, global option, environment variable and exit code', () => {
    const docs = renderCliDocs();
    const program = buildProgram({ stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 80 }, { code: EXIT.ok });
    for (const path of allCommands(program)) assert.match(docs, new RegExp(`^#+ \`${path.join(' ')}[ \`]`, 'm'), path.join(' '));
    for (const opt of program.options) assert.ok(docs.includes(`\`${opt.flags}\``), opt.flags);
    for (const env of ['FAPILOG_MARKETPLACE_URL', 'FAPILOG_MARKETPLACE_TOKEN', 'FAPILOG_MARKETPLACE_CACHE', 'NO_COLOR']) assert.ok(docs.includes(`\`${env}\``), env);
    for (const code of Object.values(EXIT)) assert.match(docs, new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
