import type { PlannedChange } from '../../src/core/project/index.ts';

/** A planned change (fapilog-loki 1.2.0 -> 1.4.0 in requirements.txt:2) with `p` over it, for renderer tests. */
export function plannedChange(p: Partial<PlannedChange> = {}): PlannedChange {
  return {
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
  };
}
