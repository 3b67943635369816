import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { TOOL_VERSION, USER_AGENT } from '../../src/core/version.ts';

test('TOOL_VERSION matches package.json and is semver', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(TOOL_VERSION, pkg.version);
  assert.ok(semver.valid(TOOL_VERSION));
  assert.equal(USER_AGENT, `fapilog-plugins/${pkg.version}`);
});
