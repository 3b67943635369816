/**
 * The progress line (src/cli/output/progress.ts): on a terminal only, only for work past its first
 * second, redrawn with the elapsed seconds, erased when the work ends and around other stderr
 * lines. The clock is node:test's mock, so nothing here depends on how fast the machine is.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgress } from '../../src/cli/output/progress.ts';
import { commandContext, type CliIo } from '../../src/cli/context.ts';
import { Command } from 'commander';

const ERASE = '\r\x1b[2K';

describe('progress line', () => {
  test('nothing for work under a second; after it, the label and the seconds, erased at the end', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    const out: string[] = [];
    const quick = startProgress('checking plugins', { tty: true, write: (s) => out.push(s) });
    t.mock.timers.tick(999);
    quick.done();
    t.mock.timers.tick(5000);
    assert.equal(out.length, 0, 'a quick job draws nothing, and nothing after it ends');

    const slow = startProgress('checking plugins', { tty: true, write: (s) => out.push(s) });
    t.mock.timers.tick(1000);
    assert.deepEqual(out, [`${ERASE}checking plugins (1 s)`]);
    t.mock.timers.tick(1000);
    t.mock.timers.tick(1000);
    assert.deepEqual(out.slice(1), [`${ERASE}checking plugins (2 s)`, `${ERASE}checking plugins (3 s)`]);
    slow.done();
    assert.equal(out.at(-1), ERASE, 'erased when done');
    const n = out.length;
    t.mock.timers.tick(5000);
    assert.equal(out.length, n, 'no redraw after done');
  });

  test('not a terminal: never drawn', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    const out: string[] = [];
    const p = startProgress('uploading', { tty: false, write: (s) => out.push(s) });
    t.mock.timers.tick(10_000);
    p.done();
    assert.deepEqual(out, []);
  });

  test('a warning during the work erases the line first and draws it again after', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    let stderr = '';
    const io: CliIo = {
      stdout: () => undefined,
      stderr: (s) => void (stderr += s),
      env: {},
      cwd: '/',
      isTTY: false,
      columns: 80,
      stderrIsTTY: true,
    };
    const ctx = commandContext(io, new Command());
    let release!: () => void;
    const work = ctx.withProgress('checking plugins', () => new Promise<void>((r) => (release = r)));
    t.mock.timers.tick(1000);
    ctx.warn('retrying GET /plugins/batch');
    release();
    await work;
    assert.equal(
      stderr,
      `${ERASE}checking plugins (1 s)${ERASE}warning: retrying GET /plugins/batch\n${ERASE}checking plugins (1 s)${ERASE}`,
    );
  });
});
