/** The program as a whole: help on every command, exit codes, configuration, the generated reference. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Help, type Command } from 'commander';
import { buildProgram, valueOptionsOf } from '../../src/cli/program.ts';
import { COMMAND_NAMES, commandsFor, loadCommands } from '../../src/cli/commands/index.ts';
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

const ALL_COMMANDS = await loadCommands();

describe('the program', () => {
  const program = buildProgram(
    { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 80 },
    { code: EXIT.ok },
    ALL_COMMANDS,
  );
  const commands = allCommands(program);

  test('registers the discovery commands', () => {
    for (const name of ['search', 'list', 'info'])
      assert.ok(
        commands.some((c) => c.join(' ') === name),
        name,
      );
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

describe('commands loaded on demand', () => {
  const io = { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 80 };

  test('each module registers exactly the command of its name, and together they are the whole program', async () => {
    for (const name of COMMAND_NAMES) {
      const one = buildProgram(io, { code: EXIT.ok }, await loadCommands([name]));
      assert.deepEqual(
        one.commands.map((c) => c.name()),
        [name],
      );
    }
    const all = buildProgram(io, { code: EXIT.ok }, ALL_COMMANDS);
    assert.deepEqual(
      all.commands.map((c) => c.name()),
      COMMAND_NAMES,
    );
  });

  test('a command line loads the command it names, past global options and their values; else every command', () => {
    const values = valueOptionsOf(buildProgram(io, { code: EXIT.ok }, []));
    assert.deepEqual([...values].sort(), ['--cache-dir', '--index-url', '--marketplace-url', '--retries', '--timeout', '--token']);
    assert.deepEqual(commandsFor(['outdated', '.', '--json'], values), ['outdated']);
    assert.deepEqual(commandsFor(['--json', '--token', 'list', 'info', 'x'], values), ['info']);
    assert.deepEqual(commandsFor(['--timeout=5', '--offline', 'search', 'loki'], values), ['search']);
    for (const argv of [[], ['--help'], ['-V'], ['help', 'outdated'], ['outdatd'], ['--', 'outdated'], ['--token', 'outdated']]) {
      assert.deepEqual(commandsFor(argv, values), COMMAND_NAMES, argv.join(' '));
    }
  });

  test('an unknown command still gets the suggestion drawn from every command', async () => {
    const r = await runCli(['outdatd']);
    assert.equal(r.code, EXIT.error);
    assert.match(r.stderr, /unknown command 'outdatd'.*Did you mean outdated\?/s);
  });

  test('`outdated` loads neither publishing (but who published: provenance), archives, diffs nor the server', () => {
    // A separate process: this one has long loaded every module.
    const hook = `import { registerHooks } from 'node:module'; import { writeSync } from 'node:fs';
      registerHooks({ load(url, ctx, next) { writeSync(2, 'loaded ' + url + '\\n'); return next(url, ctx); } });`;
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, main, 'outdated', '--help'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    const loaded = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('loaded '))
      .map((l) => l.slice('loaded '.length));
    assert.ok(
      loaded.some((u) => u.endsWith('/src/cli/commands/outdated.ts')),
      'outdated.ts itself',
    );
    const unwanted = loaded.filter((u) =>
      /\/src\/core\/publish\/(?!provenance\.ts)|\/server\/|\/node_modules\/(tar|fflate|diff)\/|\/src\/cli\/commands\/(?!(outdated|index)\.ts)/.test(
        u,
      ),
    );
    assert.deepEqual(unwanted, []);
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
    const program = buildProgram(
      { stdout: () => {}, stderr: () => {}, env: {}, cwd: '/', isTTY: false, columns: 80 },
      { code: EXIT.ok },
      ALL_COMMANDS,
    );
    for (const path of allCommands(program)) assert.match(docs, new RegExp(`^#+ \`${path.join(' ')}[ \`]`, 'm'), path.join(' '));
    for (const opt of program.options) assert.ok(docs.includes(`\`${opt.flags}\``), opt.flags);
    for (const env of ['FAPILOG_MARKETPLACE_URL', 'FAPILOG_MARKETPLACE_TOKEN', 'FAPILOG_MARKETPLACE_CACHE', 'NO_COLOR'])
      assert.ok(docs.includes(`\`${env}\``), env);
    for (const code of Object.values(EXIT)) assert.match(docs, new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
