/**
 * The operations every front end shares (CLI, Action, bot): check a project, plan an update or
 * an install as verified FileChanges, and the adapters that give the core a project's files
 * (disk, memory) and apply changes to disk. The core reads through ProjectFiles and never opens
 * a path itself; only the modules named disk-* touch the filesystem or run processes.
 */
export type { FileChange, ProjectEntry, ProjectFiles } from '../files.ts';
export type { PluginLookup } from './lookup.ts';
export { checkProject, type CheckOptions, type CheckResult } from './check.ts';
export type { AnalysedEntry } from '../analysis/build-report.ts';
export {
  planUpdate,
  planEdits,
  lockPlans,
  environmentLockPlans,
  environmentKey,
  type EditRequest,
  type PlanUpdateOptions,
  type UpdatePlan,
  type PlannedChange,
  type SkippedChange,
  type LockPlan,
} from './plan-update.ts';
export { planFapilogUpgrade, type UpgradePlan } from './plan-upgrade.ts';
export { planInstall, type PlanInstallOptions, type InstallPlan } from './plan-install.ts';
export { fileChange } from './changes.ts';
export { MemoryProjectFiles } from './memory-files.ts';
export { DiskProjectFiles, type DiskProjectOptions } from './disk-files.ts';
export { writeChangesToDisk, writeManifestAtomically, AtomicWriteError, type DiskWriteOptions } from './disk-writer.ts';
export { runLockTools, lockStepsNotRun, type LockStep } from './disk-lock-runner.ts';
export { scanProject, discoverFiles } from './disk-scan.ts';
export { CoreError, InstallRefused, isCoreError, CORE_ERROR_CODES, REFUSALS, type CoreErrorCode, type RefusalReason } from '../errors.ts';
export type { UpperCap } from '../analysis/choose-release.ts';
export type { RangeStrategy } from '../python/strategies.ts';
export type { Dependency } from '../python/types.ts';
export type { ScannedProject, SourceFile } from '../python/scan.ts';
