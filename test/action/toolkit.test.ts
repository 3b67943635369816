/**
 * src/action/toolkit.ts against @actions/core itself: the same calls must write the same bytes
 * (stdout commands, GITHUB_OUTPUT blocks, the summary file), read the same inputs, and get the same
 * OIDC token with the same request. The only difference allowed is setOutput's random delimiter.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '@actions/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as toolkit from '../../src/action/toolkit.ts';
import { REPO } from './harness.ts';

const TOOLKIT = path.join(REPO, 'src', 'action', 'toolkit.ts');

/** Runs fn with process.stdout.write captured (fn is synchronous: nothing else writes meanwhile). */
function stdoutOf(fn: () => void): string {
  const original = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

const NASTY = 'a%b\rc\nd:e,f 100%25 ::error::x';
const PROPS: toolkit.AnnotationProperties[] = [
  {},
  { title: 'T, with: all\nkinds%', file: 'dir/a b,c:d.toml', startLine: 3, endLine: 4, startColumn: 1, endColumn: 9 },
  { file: 'requirements.txt', startLine: 12 },
  { title: '', startLine: 0 },
  { title: undefined as unknown as string },
];

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  process.exitCode = 0;
});

describe('toolkit writes what @actions/core writes', () => {
  test('info, debug, setSecret', () => {
    for (const m of [NASTY, '', 'plain', 'ünïcode ✓']) {
      assert.equal(stdoutOf(() => toolkit.info(m)), stdoutOf(() => core.info(m)));
      assert.equal(stdoutOf(() => toolkit.debug(m)), stdoutOf(() => core.debug(m)));
      assert.equal(stdoutOf(() => toolkit.setSecret(m)), stdoutOf(() => core.setSecret(m)));
    }
    assert.equal(stdoutOf(() => toolkit.setSecret('s3cr%et')), '::add-mask::s3cr%25et\n');
  });

  test('error, warning, notice with every shape of properties', () => {
    for (const p of PROPS) {
      for (const m of [NASTY, 'x']) {
        assert.equal(stdoutOf(() => toolkit.error(m, p)), stdoutOf(() => core.error(m, p)), JSON.stringify(p));
        assert.equal(stdoutOf(() => toolkit.warning(m, p)), stdoutOf(() => core.warning(m, p)), JSON.stringify(p));
        assert.equal(stdoutOf(() => toolkit.notice(m, p)), stdoutOf(() => core.notice(m, p)), JSON.stringify(p));
      }
    }
    assert.equal(stdoutOf(() => toolkit.warning('m', PROPS[2])), '::warning file=requirements.txt,line=12::m\n');
  });

  test('setFailed: exit code 1 and an error command', () => {
    const ours = stdoutOf(() => toolkit.setFailed(NASTY));
    assert.equal(process.exitCode, 1);
    process.exitCode = 0;
    const theirs = stdoutOf(() => core.setFailed(NASTY));
    assert.equal(process.exitCode, 1);
    assert.equal(ours, theirs);
  });

  test('getInput and isDebug read the same variables', () => {
    process.env['INPUT_MARKETPLACE-URL'] = '  http://x/api/v1 \n';
    process.env['INPUT_WITH_SPACE'] = ' v ';
    for (const name of ['marketplace-url', 'with space', 'missing', 'Marketplace-Url']) assert.equal(toolkit.getInput(name), core.getInput(name), name);
    assert.equal(toolkit.getInput('marketplace-url'), 'http://x/api/v1');
    for (const v of [undefined, '1', 'true', '0']) {
      if (v === undefined) delete process.env['RUNNER_DEBUG'];
      else process.env['RUNNER_DEBUG'] = v;
      assert.equal(toolkit.isDebug(), core.isDebug(), String(v));
    }
  });

  describe('files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'fapilog-toolkit-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('setOutput: the same heredoc blocks in GITHUB_OUTPUT (up to the random delimiter)', () => {
      const values: unknown[] = ['one line', 'two\nlines\r\n', '', 42, { a: [1, 'b'] }, null, NASTY];
      const run = (set: (n: string, v: unknown) => void, file: string): string => {
        writeFileSync(file, '');
        process.env['GITHUB_OUTPUT'] = file;
        values.forEach((v, i) => set(`out-${i}`, v));
        return readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_UUID');
      };
      const ours = run((n, v) => toolkit.setOutput(n, v), path.join(dir, 'ours'));
      const theirs = run((n, v) => core.setOutput(n, v), path.join(dir, 'theirs'));
      assert.equal(ours, theirs);
      assert.match(ours, /^out-1<<ghadelimiter_UUID\ntwo\nlines\r\n\nghadelimiter_UUID\n/m);
      // Each block has a fresh delimiter.
      const raw = readFileSync(path.join(dir, 'ours'), 'utf8').match(/ghadelimiter_[0-9a-f-]{36}/g) ?? [];
      assert.equal(new Set(raw).size, values.length);
    });

    test('setOutput without GITHUB_OUTPUT: the stdout command', () => {
      delete process.env['GITHUB_OUTPUT'];
      assert.equal(stdoutOf(() => toolkit.setOutput('n', NASTY)), stdoutOf(() => core.setOutput('n', NASTY)));
    });

    test('setOutput to a missing file fails as @actions/core does', () => {
      process.env['GITHUB_OUTPUT'] = path.join(dir, 'nope', 'output');
      assert.throws(() => core.setOutput('n', 'v'), /^Error: Missing file at path: /);
      assert.throws(() => toolkit.setOutput('n', 'v'), /^Error: Missing file at path: /);
    });

    test('appendSummary: the same bytes as summary.addRaw(md, true).write()', async () => {
      const md = '## fapilog plugins\n\n| a | b |\n|---|---|\n| `x` | ✓ |';
      for (const [name, write] of [
        ['ours', () => toolkit.appendSummary(md)],
        ['theirs', () => core.summary.addRaw(md, true).write().then(() => undefined)],
      ] as const) {
        const file = path.join(dir, `summary-${name}`);
        writeFileSync(file, 'before\n');
        process.env['GITHUB_STEP_SUMMARY'] = file;
        await write();
        await write();
      }
      assert.equal(readFileSync(path.join(dir, 'summary-ours'), 'utf8'), readFileSync(path.join(dir, 'summary-theirs'), 'utf8'));
      assert.equal(readFileSync(path.join(dir, 'summary-ours'), 'utf8'), `before\n${md}\n${md}\n`);
      delete process.env['GITHUB_STEP_SUMMARY'];
      await assert.rejects(toolkit.appendSummary(md), /Unable to find environment variable for \$GITHUB_STEP_SUMMARY/);
      // (core.summary remembers the path of its first write, so it cannot be asked again here.)
    });
  });
});

/**
 * Runs `body` (an async function body with `toolkit` and `core` in scope) in a child Node: both
 * print to stdout, which the test runner of this process uses for its own reports.
 */
function inChild(body: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const code = `import * as toolkit from ${JSON.stringify(pathToFileURL(TOOLKIT).href)}; import * as core from '@actions/core';\n` + `try { ${body} } catch (e) { console.log('THREW ' + e.message); }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, stdout, stderr }));
  });
}

describe('getIDToken: the request core.getIDToken makes, with Node fetch', () => {
  let server: http.Server;
  let base = '';
  const seen: Array<{ url: string; authorization: string | undefined; accept: string | undefined }> = [];
  let script: Array<{ status: number; body: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept });
      const next = script.shift() ?? { status: 200, body: JSON.stringify({ value: `jwt-for-${new URL(req.url ?? '', 'http://x').searchParams.get('audience')}` }) };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/token?api-version=2.0`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const env = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: base, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' });
  const audience = 'https://plugins.example/a b&c';

  test('same URL, same bearer, same token, same mask and debug lines', async () => {
    seen.length = 0;
    const ours = await inChild(`console.log('TOKEN ' + await toolkit.getIDToken(${JSON.stringify(audience)}));`, env());
    const theirs = await inChild(`console.log('TOKEN ' + await core.getIDToken(${JSON.stringify(audience)}));`, env());
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, theirs.stdout);
    assert.match(ours.stdout, new RegExp(`::add-mask::jwt-for-https://plugins.example/a b&c\nTOKEN jwt-for-https://plugins.example/a b&c\n$`));
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.url, `/token?api-version=2.0&audience=${encodeURIComponent(audience)}`);
    assert.deepEqual(seen[0], seen[1]);
    assert.equal(seen[0]?.authorization, 'Bearer request-token');
  });

  test('retries 503, fails on 500 and on an answer without a value, and needs both variables', async () => {
    const call = `console.log('TOKEN ' + await toolkit.getIDToken('aud'));`;
    seen.length = 0;
    script = [{ status: 503, body: '' }];
    assert.match((await inChild(call, env())).stdout, /^TOKEN jwt-for-aud$/m);
    assert.equal(seen.length, 2);
    script = [{ status: 500, body: 'boom' }];
    assert.match((await inChild(call, env())).stdout, /^THREW Failed to get ID Token: HTTP 500: boom$/m);
    script = [{ status: 200, body: '{"token":"x"}' }];
    assert.match((await inChild(call, env())).stdout, /^THREW Failed to get ID Token: the answer has no usable "value"/m);
    assert.match((await inChild(call, { ACTIONS_ID_TOKEN_REQUEST_URL: base })).stdout, /^THREW Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable$/m);
    assert.match((await inChild(call, {})).stdout, /^THREW Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable$/m);
  });
});
