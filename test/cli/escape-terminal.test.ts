/**
 * Issue 13, defect 3 (the CLI half): control bytes and ANSI escapes from manifests and marketplace
 * answers reached the terminal. The probes: a uv.lock package name and a Poetry key holding ESC,
 * OSC 8 (a hidden hyperlink), BEL, a lone CR (overwrites the line) and C1 CSI; a marketplace
 * description and yank reason holding `ESC[2J` (clear screen) and OSC 0 (window title). Every
 * byte the CLI writes passes terminalStream: the only escapes left are the colours it painted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { STYLES } from '../../src/cli/output/color.ts';
import { paint, renderFields, renderTable, terminalLine, terminalStream } from '../../src/cli/output/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';
import { hostileString, params } from '../helpers/property.ts';

const HOSTILE = '\u001b[2J\u001b]0;owned\u0007\u009b31m\rHIDDEN';
const CATALOG = {
  fapilog_versions: ['0.16.0'],
  plugins: [
    {
      name: 'evil',
      description: `Ships logs ${HOSTILE} \u001b]8;;https://evil\u0007click\u001b]8;;\u0007`,
      author: `Mallory\u001b[8m`,
      owner: 'o',
      plugin_type: 'sink',
      license: 'MIT',
      homepage: 'https://example.com',
      repository: 'https://example.com/r',
      ratings: [5],
      releases: [
        {
          version: '1.0.0',
          fapilog_compatibility: '>=0.3',
          requires_python: '>=3.9',
          dependencies: [],
          published_at: '2025-01-01T00:00:00+00:00',
          downloads: 1,
          yanked_reason: `bad ${HOSTILE}`,
        },
        {
          version: '1.1.0',
          fapilog_compatibility: '>=0.3',
          requires_python: '>=3.9',
          dependencies: [],
          published_at: '2025-02-01T00:00:00+00:00',
          downloads: 1,
        },
      ],
    },
  ],
};

const PYPROJECT = `[project]
name = "evil-app"
version = "0.1.0"
dependencies = ["fapilog==0.16.0", "fapilog-evil==1.0.0"]

[tool.poetry.dependencies]
"fapilog-y\\u001b[2J\\r\\u0007" = 5
`;
const LOCK_NAME = 'fapilog-evil \\u001b]8;;https://evil\\u0007link\\u009b2J';
const UV_LOCK = `version = 1\n\n[[package]]\nname = "${LOCK_NAME}"\nversion = "1.0.0"\n\n[[package]]\nname = "${LOCK_NAME}"\nversion = "1.1.0"\n`;

/** Controls other than a tab, a newline (and the CR of a CRLF), and ESC other than our colours. */
// eslint-disable-next-line no-control-regex
const FOREIGN = /[\u0000-\u0008\u000b\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]|\r(?!\n)|\u001b(?!\[(?:1|2|22|3[1-6]|39)m)/;

describe('CLI output: no control sequence from a manifest or the marketplace', () => {
  let server: TestServer;
  let dir: string;
  let app: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-escape-cli-'));
    writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(CATALOG));
    app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'pyproject.toml'), PYPROJECT);
    writeFileSync(path.join(app, 'uv.lock'), UV_LOCK);
    server = await startTestServer({ seed: path.join(dir, 'catalog.json') });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ FAPILOG_MARKETPLACE_URL: server.apiUrl, FAPILOG_MARKETPLACE_CACHE: path.join(dir, 'cache') });

  for (const isTTY of [false, true]) {
    test(`outdated, info, search and list${isTTY ? ' on a colour terminal' : ''}: only our colours, the text still shown`, async () => {
      const runs = [
        await runCli(['outdated', app], { env: env(), isTTY }),
        await runCli(['info', 'evil'], { env: env(), isTTY }),
        await runCli(['info', 'evil', '--version', '1.0.0'], { env: env(), isTTY }),
        await runCli(['search', 'logs'], { env: env(), isTTY }),
        await runCli(['list'], { env: env(), isTTY }),
      ];
      for (const r of runs) {
        assert.doesNotMatch(r.stdout, FOREIGN, JSON.stringify(r.stdout));
        assert.doesNotMatch(r.stderr, FOREIGN, JSON.stringify(r.stderr));
      }
      const [outdated, info] = runs;
      assert.match(outdated!.stdout + outdated!.stderr, /fapilog-y\\u001b\[2J\\u000d\\u0007/);
      assert.match(outdated!.stdout + outdated!.stderr, /\\u001b\]8;;https:\/\/evil\\u0007link\\u009b2j/);
      assert.match(info!.stdout, /Ships logs \\u001b\[2J\\u001b\]0;owned\\u0007\\u009b31m\\u000dHIDDEN/);
      if (isTTY) assert.match(outdated!.stdout, /\u001b\[(1|2|3[1-6])m/, 'colours still painted');
    });
  }

  test('--json keeps the data exact and the bytes inert', async () => {
    const r = await runCli(['outdated', app, '--json'], { env: env() });
    assert.doesNotMatch(r.stdout, FOREIGN);
    const report = JSON.parse(r.stdout) as { plugins: Array<{ package: string; note: string }>; warnings: string[] };
    const evil = report.plugins.find((p) => p.package === 'fapilog-evil');
    assert.ok(evil?.note.includes(`bad ${HOSTILE}`), JSON.stringify(evil));
    assert.ok(
      report.warnings.some((w) => w.includes('fapilog-evil \u001b]8;;https://evil\u0007link\u009b2j')),
      JSON.stringify(report.warnings),
    );
  });

  test('an error quoting a manifest shows its controls, not obeys them', async () => {
    const bad = path.join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(
      path.join(bad, 'pyproject.toml'),
      '[project]\nname = "x"\ndependencies = ["fapilog-evil==1.0.0"]\n\u001b[2J\u001b]0;owned\u0007 = = =\n',
    );
    const r = await runCli(['update', bad], { env: env() });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout + r.stderr, FOREIGN, JSON.stringify(r.stderr));
  });
});

describe('sanitize.ts', () => {
  test('our colours pass, every other sequence is shown', () => {
    for (const [open, close] of Object.values(STYLES)) {
      assert.equal(terminalStream(`\u001b[${open}mx\u001b[${close}m`), `\u001b[${open}mx\u001b[${close}m`);
    }
    assert.equal(terminalStream('a\u001b[8mb\u001b]0;t\u0007\r\n\rc\u009b'), 'a\\u001b[8mb\\u001b]0;t\\u0007\r\n\\u000dc\\u009b');
    assert.equal(paint(true)('red', 'x\u001b[2J'), '\u001b[31mx\\u001b[2J\u001b[39m');
  });

  test('text with nothing to change passes as the same string (the fast path), lines and tabs included', () => {
    const plain = '{\n\t"a": "b \u00e9 \u2014"\n}\n'.repeat(1000);
    assert.equal(terminalStream(plain), plain);
    // One character the fast path must not let through, at the end of a long clean text.
    assert.equal(terminalStream(`${plain}\u2028`), `${plain}\\u2028`);
    assert.equal(terminalStream(`${plain}\r`), `${plain}\\u000d`);
  });

  test('any text: a cell, a field or a painted value carries no control of its own', () => {
    fc.assert(
      fc.property(hostileString(), (s) => {
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(terminalLine(s), /[\u0000-\u001f\u007f-\u009f]/);
        assert.doesNotMatch(terminalStream(s), FOREIGN);
        const table = renderTable([{ header: 'A' }, { header: 'B', style: 'red' }], [[s, s]], { width: 80, color: true });
        assert.equal(table.split('\n').length, 3, JSON.stringify(table));
        assert.doesNotMatch(table, FOREIGN);
        assert.doesNotMatch(renderFields([['label', s]], { width: 80, color: true }), FOREIGN);
        assert.doesNotMatch(paint(true)('bold', s), FOREIGN);
      }),
      params(500),
    );
  });
});
