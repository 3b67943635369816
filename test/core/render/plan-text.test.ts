import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { howToFix, planBody, planTitle } from '../../../src/core/render/index.ts';
import { isUpdatable } from '../../../src/core/analysis/updatable.ts';
import type { PlannedChange } from '../../../src/core/project/index.ts';
import { sampleReport } from '../../action/report-fixture.ts';

const change = (p: Partial<PlannedChange>): PlannedChange => ({
  package: 'fapilog-loki',
  file: 'requirements.txt',
  line: 2,
  section: 'requirements',
  status: 'outdated',
  current: '1.2.0',
  target: '1.4.0',
  from: '==1.2.0',
  to: '==1.4.0',
  hashesReplaced: false,
  ...p,
});

describe('plan text for a PR or a commit', () => {
  test('titles: one plugin with its target, two by name, more by count', () => {
    assert.equal(planTitle([change({})]), 'Update fapilog-loki to 1.4.0');
    assert.equal(planTitle([change({}), change({ file: 'b.txt' })]), 'Update fapilog-loki to 1.4.0');
    assert.equal(planTitle([change({}), change({ package: 'fapilog-kafka', target: '2.1.0' })]), 'Update fapilog-loki and fapilog-kafka');
    assert.equal(planTitle([change({}), change({ package: 'a' }), change({ package: 'b' })]), 'Update 3 fapilog plugins');
    assert.equal(planTitle([change({ target: '1.4.0\n::error::x' })]), 'Update fapilog-loki to 1.4.0 ::error::x');
  });

  test('the body tables each change, lists skips and lock commands, and escapes what it did not write', () => {
    const body = planBody({
      planned: [change({ hashesReplaced: true }), change({ package: 'fapilog-x|y', from: '>=1', to: '>=1', target: '1.5.0' })],
      skipped: [{ package: 'fapilog-kafka', file: 'pyproject.toml', line: 9, reason: 'held-back: needs <b>fapilog</b> | 0.19' }],
      lock: [
        { lockfile: 'svc/uv.lock', directory: 'svc', command: 'uv', args: ['lock'], display: 'uv lock --upgrade-package fapilog-loki' },
      ],
    });
    assert.match(
      body,
      /^\| fapilog-loki \| 1\.2\.0 \| 1\.4\.0 \| outdated \| requirements\.txt:2 `==1\.2\.0` → `==1\.4\.0` \(hashes replaced\) \|$/m,
    );
    assert.match(body, /^\| fapilog-x\\\|y \| .*`>=1` \(already admits 1\.5\.0; lockfile only\)/m);
    assert.match(body, /^- `fapilog-kafka` \(pyproject\.toml:9\): held-back: needs &lt;b&gt;fapilog&lt;\/b&gt; \\\| 0\.19$/m);
    assert.match(body, /^- `svc\/uv\.lock`: `uv lock --upgrade-package fapilog-loki` in `svc`$/m);
  });

  test('"how to fix" names exactly the entries isUpdatable says yes to', () => {
    const report = sampleReport('/project');
    const lines = howToFix(report, { updateCommand: 'fapilog-bot update' }).join('\n');
    const updatable = [...new Set(report.plugins.filter(isUpdatable).map((p) => p.package))];
    assert.ok(updatable.length > 0);
    assert.ok(lines.includes(`\`fapilog-bot update ${updatable.join(' ')}\``), lines);
  });
});
