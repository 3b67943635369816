/**
 * Issue 13, defect 3: manifest and marketplace text reached the Action's log raw. The probe: a
 * Poetry dependency key and a uv.lock package name with an escaped newline followed by
 * `::error file=x,line=1::...` / `::warning ...`, a yank reason from the marketplace with
 * `\r\n##[error]` and ANSI/OSC escapes. Before the fix the runner saw `::error file=x,line=1::pwned`
 * as a line of its own (an annotation on a file of the attacker's choice); now every line that
 * starts with `::` is one of ours, and the job summary renders without HTML or broken tables.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { commandData, commandProperty, logLine } from '../../src/action/log.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { hostileString, params } from '../helpers/property.ts';
import { annotationLines, runAction, type Run } from './harness.ts';

const YANK = 'broken\n::error file=x,line=1::pwned-yank\r\n##[error]pwned-v1 \u001b[31mred\u001b]0;title\u0007';
const CATALOG = {
  fapilog_versions: ['0.16.0'],
  plugins: [
    {
      name: 'evil',
      description: 'plain',
      author: 'a',
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
          yanked_reason: YANK,
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

// TOML basic strings: `\n` and `\u001b` are escapes, so the parsed names hold the real bytes.
const PYPROJECT = `[project]
name = "evil-app"
version = "0.1.0"
dependencies = [
    "fapilog==0.16.0",
    "fapilog-evil==1.0.0",
]

[tool.poetry.dependencies]
"fapilog-y\\n::error file=x,line=1::pwned-poetry-key" = 5
`;
const LOCK_NAME = 'fapilog-evil\\n::warning file=x,line=2::pwned-lock \\u001b]8;;https://evil\\u0007link';
const UV_LOCK = `version = 1

[[package]]
name = "${LOCK_NAME}"
version = "1.0.0"

[[package]]
name = "${LOCK_NAME}"
version = "1.1.0"
`;

const OURS = /^::(debug|error|warning|notice|group|endgroup)( [^:]*)?::/;

describe('Action log: manifest and marketplace text cannot issue workflow commands', () => {
  let server: TestServer;
  let dir: string;
  let run: Run;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-escape-'));
    writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(CATALOG));
    mkdirSync(path.join(dir, 'ws', 'app'), { recursive: true });
    writeFileSync(path.join(dir, 'ws', 'app', 'pyproject.toml'), PYPROJECT);
    writeFileSync(path.join(dir, 'ws', 'app', 'uv.lock'), UV_LOCK);
    server = await startTestServer({ seed: path.join(dir, 'catalog.json') });
    run = await runAction({
      workspace: path.join(dir, 'ws'),
      inputs: { path: 'app', 'marketplace-url': server.apiUrl, 'cache-dir': path.join(dir, 'cache') },
    });
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the probe ran: the yanked plugin fails the step and the hostile text was read', () => {
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /pwned-poetry-key/);
    assert.match(run.stdout, /pwned-lock/);
    assert.match(run.stdout, /pwned-yank/);
  });

  test('every line the runner would take as a command is one we issued, on our files', () => {
    const lines = run.stdout.split(/\r\n|\n|\r/);
    for (const line of lines) {
      const trimmed = line.trimStart();
      if (trimmed.startsWith('::')) assert.match(trimmed, OURS, `a command we did not issue: ${JSON.stringify(line)}`);
      else assert.ok(!line.includes('##['), `a ##[ command in a log line: ${JSON.stringify(line)}`);
    }
    for (const a of annotationLines(run.stdout)) {
      if (a.props['file'] !== undefined) assert.equal(a.props['file'], 'app/pyproject.toml', JSON.stringify(a));
    }
    assert.deepEqual(
      annotationLines(run.stdout).map((a) => a.level),
      ['error', 'error'],
      'one annotation for the yanked plugin and the step failure, nothing injected',
    );
    // The notes are still there, one line each, in the runner's own escaping.
    assert.ok(
      lines.some((l) => l.startsWith('note: ') && l.includes('dependency fapilog-y%0A::error file=x,line=1::pwned-poetry-key')),
      run.stdout,
    );
  });

  test('no control character from the input reaches the log (ANSI colours, OSC titles and links)', () => {
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    assert.match(run.stdout, /\\u001b\]8;;https:\/\/evil\\u0007link/);
  });

  test('the job summary renders the hostile text as text: no element, every table row whole', () => {
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.summary, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const html = micromark(run.summary, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    const allowed = new Set([
      'h2',
      'h3',
      'p',
      'strong',
      'code',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'sub',
      'ul',
      'li',
      'details',
      'summary',
    ]);
    for (const m of html.matchAll(/<\/?([a-z0-9]+)/gi)) assert.ok(allowed.has(m[1]!), `<${m[1]}> in the summary:\n${html}`);
    for (const row of html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) assert.equal([...row[1]!.matchAll(/<t[dh]>/g)].length, 6, row[0]);
    assert.ok(html.includes('pwned-yank ##[error]pwned-v1 \\u001b[31mred'), html);
  });
});

describe('log.ts escaping', () => {
  test('command data and properties escape as @actions/core does', () => {
    assert.equal(commandData('50%\r\n::x'), '50%25%0D%0A::x');
    assert.equal(commandProperty('a:b,c\n%'), 'a%3Ab%2Cc%0A%25');
  });

  test('the probes become one inert line', () => {
    assert.equal(logLine('a\n::error file=x,line=1::pwned'), 'a%0A::error file=x,line=1::pwned');
    assert.equal(logLine('  ::add-mask::x'), '  %3A:add-mask::x');
    assert.equal(logLine('x ##[error]y'), 'x #%23[error]y');
    assert.equal(logLine('\u001b[31mred\u0007'), '\\u001b[31mred\\u0007');
  });

  test('any text: one line, no command, no control, and nothing lost', () => {
    const decode = (s: string) =>
      s
        .replace(/^(\s*)%3A/, '$1:')
        .replace(/#%23\[/g, '##[')
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%');
    fc.assert(
      fc.property(hostileString(), (s) => {
        const line = logLine(s);
        assert.ok(!/[\r\n]/.test(line));
        assert.ok(!line.trimStart().startsWith('::'), line);
        assert.ok(!line.includes('##['), line);
        // eslint-disable-next-line no-control-regex
        assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(line), line);
        // eslint-disable-next-line no-control-regex
        if (!/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\\]/.test(s))
          assert.equal(decode(line), s);
      }),
      params(500),
    );
  });
});
