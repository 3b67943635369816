/** The Python manifest engine: reading projects, PEP 440 answers, and minimal rewrites. */
export { scanProject, readManifest } from './scan.ts';
export { discoverFiles, manifestKindOf, SKIPPED_DIRS } from './discover.ts';
export { readLockfile, lockCommand, LOCKFILE_NAMES, LockfileError } from './lockfiles.ts';
export { parseRequirement, exactPin, RequirementSyntaxError } from './pep508.ts';
export { poetryToPep440, PoetryConstraintError } from './poetry.ts';
export { expandGroup } from './pyproject.ts';
export { planSpecifier, planHashes, applyEdits, EditError } from './rewrite.ts';
export type { Edit, SpecifierPlan } from './rewrite.ts';
export { newSpecifierValue, pep440NewValue, poetryNewValue, pipfileNewValue, RANGE_STRATEGIES, StrategyError } from './strategies.ts';
export type { RangeStrategy } from './strategies.ts';
export { writeManifestAtomically, expectSpecifier, AtomicWriteError } from './atomic.ts';
export type { ManifestVerifier } from './atomic.ts';
export * as pep440 from './pep440.ts';
export type * from './types.ts';
