/**
 * The co-upgrade of one environment as a pure planner: fapilog to the release that unlocks the
 * environment's held-back plugins (the report's `environments[].upgrade`), and those plugins
 * (plus any whose current release that fapilog would rule out) to the releases that work with it,
 * in one set of verified FileChanges. The bot opens it as one pull request.
 */
import type { ReportUpgrade } from '../analysis/report.ts';
import { FAPILOG } from '../analysis/fapilog-version.ts';
import { sameVersion } from '../analysis/versions.ts';
import { CoreError } from '../errors.ts';
import { packageName } from '../names.ts';
import type { RangeStrategy } from '../python/strategies.ts';
import type { CheckResult } from './check.ts';
import { environmentLockPlans, planEdits, type EditRequest, type UpdatePlan } from './plan-update.ts';

export interface UpgradePlan extends Omit<UpdatePlan, 'strategy'> {
  environment: string;
  upgrade: ReportUpgrade;
}

/** The co-upgrade of `environment` (a directory of `report.environments`), or null when nothing is held back there. */
export function planFapilogUpgrade(check: CheckResult, environment: string, strategy: RangeStrategy = 'auto'): UpgradePlan | null {
  const { report, scan, entries } = check;
  if (scan.invalid.length > 0) {
    throw new CoreError('invalid-manifest', scan.invalid.map((i) => `${i.file}: ${i.reason}`).join('; '), {
      files: scan.invalid.map((i) => i.file),
    });
  }
  const env = report.environments?.find((e) => e.dir === environment);
  const upgrade = env?.upgrade ?? null;
  if (!env || !upgrade) return null;
  const requests: EditRequest[] = [];
  // fapilog itself, wherever the environment's manifests name it.
  for (const m of scan.manifests) {
    if (!env.manifests.includes(m.file)) continue;
    for (const d of m.dependencies) {
      if (d.name === FAPILOG && !d.ignored)
        requests.push({
          dependency: d,
          target: upgrade.fapilog,
          strategy,
          package: FAPILOG,
          status: 'held-back',
          current: env.fapilog.version,
        });
    }
  }
  const table = new Map<string, NonNullable<CheckResult['plugins'][string]>>();
  for (const [k, v] of Object.entries(check.plugins)) if (v) table.set(packageName(k), v);
  for (const p of upgrade.plugins) {
    const found = entries.find(
      (e) => e.entry.package === p.package && e.entry.location.file === p.file && e.entry.location.line === p.line,
    );
    if (!found) continue;
    const release = table.get(p.package)?.releases.find((r) => sameVersion(r.version, p.to));
    requests.push({
      dependency: found.dependency,
      target: p.to,
      strategy,
      sha256: release?.files.map((f) => f.sha256) ?? null,
      package: p.package,
      status: found.entry.status,
      current: p.from,
      environments: [environment],
    });
  }
  const { changes, planned, skipped } = planEdits(scan, requests);
  return { report, environment, upgrade, changes, planned, skipped, lock: environmentLockPlans(scan, planned) };
}
