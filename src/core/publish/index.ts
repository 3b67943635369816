/** Publishing: validation of a plugin project and its built files, README extraction, version bumps. */
export { preparePublish, blockingFindings, type PublishPlan, type PlanFile, type PrepareOptions, type PublishLookups } from './plan.ts';
export {
  completePublish,
  notPublishedMessage,
  tagFromRef,
  type Authorization,
  type CompleteOptions,
  type PublishStatus,
  type PublishVerdict,
} from './flow.ts';
export { executePublish, releaseUrl, type PublishOutcome, type PublishSender, type ExecuteOptions } from './execute.ts';
export {
  FINDINGS,
  FINDING_CODES,
  failingFindings,
  isFailing,
  findingsMarkdownTable,
  type Finding,
  type FindingCode,
  type Severity,
} from './findings.ts';
export { planBump, nextVersion, BUMP_KINDS, BumpError, type BumpPlan } from './bump.ts';
export {
  applyBump,
  planBumpOnDisk,
  preparePublishOnDisk,
  pluginProjectFiles,
  pluginDistFiles,
  type DiskPrepareOptions,
} from './disk-plugin.ts';
export { DEFAULT_MAX_FILE_SIZE, tagVersion } from './validate.ts';
export { formatSize, parseSize } from '../size.ts';
