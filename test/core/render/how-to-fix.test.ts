import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { howToFix } from '../../../src/core/render/index.ts';
import { isUpdatable } from '../../../src/core/analysis/updatable.ts';
import { sampleReport } from '../../action/report-fixture.ts';

describe('how to fix', () => {
  test('"how to fix" names exactly the entries isUpdatable says yes to', () => {
    const report = sampleReport('/project');
    const lines = howToFix(report, { updateCommand: 'fapilog-bot update' }).join('\n');
    const updatable = [...new Set(report.plugins.filter(isUpdatable).map((p) => p.package))];
    assert.ok(updatable.length > 0);
    assert.ok(lines.includes(`\`fapilog-bot update ${updatable.join(' ')}\``), lines);
  });
});
