/**
 * action.yml, the inputs schema and docs/action.md must describe the same inputs and outputs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { INPUT_DOCS, INPUT_NAMES, OUTPUT_DOCS, inputsTable, outputsTable, parseInputs } from '../../src/action/inputs.ts';

const repo = new URL('../../', import.meta.url);
const actionYml = readFileSync(new URL('action.yml', repo), 'utf8');
const docs = readFileSync(new URL('docs/action.md', repo), 'utf8');
const readme = readFileSync(new URL('README.md', repo), 'utf8');

/**
 * Reads one top-level mapping of action.yml (`inputs:` or `outputs:`) as name -> { key: value }.
 * action.yml is kept in this plain shape (two-space indents, one-line quoted scalars), which the
 * reader rejects loudly if it changes, rather than pulling in a YAML parser for one test.
 */
function section(name: string): Map<string, Record<string, string>> {
  const lines = actionYml.split('\n');
  const start = lines.indexOf(`${name}:`);
  assert.ok(start >= 0, `action.yml has a top-level ${name}:`);
  const out = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) break;
    const item = /^ {2}([a-z][a-z-]*):$/.exec(line);
    const field = /^ {4}([a-z-]+): (.*)$/.exec(line);
    if (item?.[1]) {
      current = {};
      out.set(item[1], current);
    } else if (field?.[1] && field[2] !== undefined && current) {
      const raw = field[2];
      const quoted = /^'(.*)'$/.exec(raw);
      current[field[1]] = quoted?.[1] !== undefined ? quoted[1].replace(/''/g, "'") : raw;
    } else {
      assert.fail(`action.yml: unexpected line in ${name}: ${line}`);
    }
  }
  return out;
}

function between(text: string, start: string, end: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  assert.ok(a >= 0 && b > a, `the document has ${start} ... ${end}`);
  return text.slice(text.indexOf('\n', a) + 1, b).trim();
}

describe('action.yml', () => {
  test('runs on node24 from dist/index.js', () => {
    assert.match(actionYml, /^runs:\n {2}using: 'node24'\n {2}main: 'dist\/index\.js'$/m);
    assert.match(actionYml, /^name: '.+'$/m);
    assert.match(actionYml, /^description: '.+'$/m);
    assert.match(actionYml, /^branding:\n {2}icon: '[a-z-]+'\n {2}color: '[a-z]+'$/m);
  });

  test('declares exactly the schema inputs, with the same descriptions and defaults', () => {
    const inputs = section('inputs');
    assert.deepEqual([...inputs.keys()], INPUT_NAMES);
    for (const name of INPUT_NAMES) {
      const yml = inputs.get(name) ?? {};
      const doc = INPUT_DOCS[name];
      assert.equal(yml['description'], doc.description, `${name}: description`);
      assert.equal(yml['default'] ?? '', doc.default, `${name}: default`);
      assert.equal(yml['required'], 'false', `${name}: required`);
    }
  });

  test('the declared defaults are what the schema applies to an empty input', () => {
    const fromYml = Object.fromEntries(INPUT_NAMES.map((n) => [n, INPUT_DOCS[n].default]));
    assert.deepEqual(parseInputs(fromYml), parseInputs({}));
  });

  test('declares exactly the documented outputs', () => {
    const outputs = section('outputs');
    assert.deepEqual([...outputs.keys()], Object.keys(OUTPUT_DOCS));
    for (const [name, description] of Object.entries(OUTPUT_DOCS)) {
      assert.equal(outputs.get(name)?.['description'], description, `${name}: description`);
    }
  });
});

describe('docs/action.md', () => {
  test('the inputs and outputs tables are the generated ones', () => {
    assert.equal(between(docs, '<!-- inputs:start', '<!-- inputs:end -->'), inputsTable());
    assert.equal(between(docs, '<!-- outputs:start', '<!-- outputs:end -->'), outputsTable());
  });

  test('documents the permissions and the three kinds of workflow', () => {
    assert.match(docs, /permissions:\n {2}contents: read/);
    assert.match(docs, /schedule:\n {4}- cron:/);
    assert.match(docs, /pull_request:/);
    assert.match(docs, /tags: \['v\*'\]/);
  });
});

describe('README.md', () => {
  test('carries the same generated inputs and outputs tables', () => {
    assert.equal(between(readme, '<!-- inputs:start', '<!-- inputs:end -->'), inputsTable());
    assert.equal(between(readme, '<!-- outputs:start', '<!-- outputs:end -->'), outputsTable());
  });

  test('shows a scheduled and a pull-request workflow with read-only permissions', () => {
    assert.match(readme, /schedule:\n {4}- cron:/);
    assert.match(readme, /pull_request:/);
    assert.match(readme, /permissions:\n {2}contents: read/);
  });
});

describe('.github/workflows', () => {
  const workflow = (name: string) => readFileSync(new URL(`.github/workflows/${name}`, repo), 'utf8');

  test('CI runs the tests on Node 24', () => {
    const ci = workflow('ci.yml');
    assert.match(ci, /node-version: 24/);
    assert.match(ci, /run: npm ci/);
    assert.match(ci, /run: npm test/);
  });

  test('check-dist rebuilds and compares dist/, which git marks generated', () => {
    assert.match(workflow('check-dist.yml'), /run: bash scripts\/check-dist\.sh/);
    assert.match(readFileSync(new URL('.gitattributes', repo), 'utf8'), /^dist\/\*\* linguist-generated=true$/m);
  });

  test('dist/licenses.txt covers the packages of index.js and of the chunks its import()s load', () => {
    const licenses = readFileSync(new URL('dist/licenses.txt', repo), 'utf8');
    // Entries are `name\nlicense\ntext\n`, two blank lines apart.
    const named = new Set(licenses.split(/\n{3,}/).map((entry) => entry.split('\n')[0]));
    // zod and smol-toml are in index.js; tar, fflate and @actions/exec only in the publish chunks.
    for (const pkg of ['zod', 'smol-toml', 'tar', 'fflate', '@actions/exec']) assert.ok(named.has(pkg), `licenses.txt names ${pkg}`);
    const chunks = readdirSync(new URL('dist/', repo)).filter((n) => /^\d+\.index\.js$/.test(n));
    assert.ok(chunks.length > 0, 'dist/ holds the import() chunks next to index.js');
    assert.match(readFileSync(new URL('dist/index.js', repo), 'utf8'), /import\("\.\/"\+/, 'index.js loads its chunks relative to itself');
  });

  test('the self-test runs this Action on examples/app against a marketplace the job starts', async () => {
    const selfTest = workflow('self-test.yml');
    assert.match(selfTest, /uses: \.\/\n\s+with:\n\s+path: examples\/app/);
    const serve = selfTest.split('\n').find((l) => l.includes('bin/fapilog-plugins.js serve')) ?? '';
    assert.match(serve, /--seed examples\/catalog\/catalog\.json/);
    // Every flag the workflow passes to `serve` exists (CLI run in-process).
    const { run } = await import('../../src/cli/program.ts');
    let help = '';
    const code = await run(['serve', '--help'], {
      stdout: (t) => void (help += t),
      stderr: (t) => void (help += t),
      env: {},
      cwd: process.cwd(),
      isTTY: false,
      columns: 200,
    });
    assert.equal(code, 0);
    const flags = serve.match(/--[a-z][a-z-]*/g) ?? [];
    assert.ok(flags.length >= 3);
    for (const flag of flags) assert.ok(help.includes(flag), `serve accepts ${flag}`);
  });
});

describe('the fail-on defaults of the CLI and the Action', () => {
  test('differ on purpose, and both help texts say why and name the other', async () => {
    const { runCli } = await import('../helpers/cli.ts');
    const { DEFAULT_FAIL_ON } = await import('../../src/cli/commands/outdated.ts');
    const help = await runCli(['outdated', '--help']);
    const flat = help.stdout.replace(/\s+/g, ' ');
    assert.equal(INPUT_DOCS['fail-on'].default, 'incompatible');
    assert.notEqual(DEFAULT_FAIL_ON, INPUT_DOCS['fail-on'].default);
    assert.match(flat, new RegExp(`default: "${DEFAULT_FAIL_ON}"\\)`));
    assert.match(flat, /The GitHub Action defaults to incompatible instead: in CI only what breaks the service fails/);
    assert.match(
      INPUT_DOCS['fail-on'].description,
      new RegExp(`\`fapilog-plugins outdated\` run by hand defaults to \`${DEFAULT_FAIL_ON}\``),
    );
  });
});
