/**
 * `npm start` end to end: a real `node src/cli/main.ts demo` process starts the embedded
 * marketplace, reports on examples/app, stops the server and exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STATUSES } from '../../src/core/analysis/report.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('demo prints a report showing every status and exits 0', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('FAPILOG_')) delete env[key];
  env['NO_COLOR'] = '1';
  // process.execPath is the Node 24 running this test, as `npm start` would use.
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['src/cli/main.ts', 'demo'], { cwd: ROOT, env, timeout: 120_000 });
  assert.match(stdout, /^Demo marketplace \(examples\/catalog\) at http:\/\/127\.0\.0\.1:\d+$/m);
  assert.match(stdout, /^\$ fapilog-plugins outdated examples\/app$/m);
  assert.match(stdout, /^fapilog 0\.16\.0 \(pinned in pyproject\.toml:7\)$/m);
  const rows = stdout.split('\n').filter((l) => l.startsWith('fapilog-'));
  // vulnerable needs an advisory; the demo catalog has none (test/e2e/advisories.test.ts imports one).
  for (const status of STATUSES.filter((s) => s !== 'vulnerable')) {
    assert.ok(
      rows.some((row) => row.includes(`  ${status}  `)),
      `a row with status ${status}:\n${stdout}`,
    );
  }
  assert.equal(stderr, '');
});
