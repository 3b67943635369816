/** The Python manifest engine: formats, reading projects (through ProjectFiles), minimal rewrites and inserts. */
export { scanFiles, readManifest, resolveInclude, MAX_FILE_BYTES, type ScannedProject, type SourceFile, type ScanOptions } from './scan.ts';
export { selectProjectFiles, manifestKindOf, isSkippedDirName, isFileOfInterest, SKIPPED_DIRS, type DiscoveredFile } from './discover.ts';
export { MANIFEST_FORMATS, LOCKFILE_FORMATS, LOCKFILE_NAMES, readLockfile, lockCommand, isLockfileName } from './formats.ts';
export { LockfileError, type LockEntry, type LockCommand } from './lockfiles.ts';
export { parseRequirement, exactPin, RequirementSyntaxError } from './pep508.ts';
export { poetryToPep440, PoetryConstraintError } from './poetry.ts';
export { expandGroup } from './pyproject.ts';
export { planSpecifier, planHashes, applyEdits, EditError } from './rewrite.ts';
export type { Edit, SpecifierPlan } from './rewrite.ts';
export { chooseTarget, addToRequirements, addToPep508Array, addToPoetryTable, type InstallTarget } from './insert.ts';
export { newSpecifierValue, pep440NewValue, poetryNewValue, pipfileNewValue, RANGE_STRATEGIES, StrategyError } from './strategies.ts';
export type { RangeStrategy } from './strategies.ts';
export { expectSpecifier, verifyManifestEdit, outsideSpansUnchanged, type ManifestVerifier, type Expectation } from './verify.ts';
export * as pep440 from '../pep440/index.ts';
export type * from './types.ts';
