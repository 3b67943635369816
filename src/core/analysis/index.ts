/** Report building: pure analysis of a scanned project against marketplace data. */
export {
  analyse,
  buildReport,
  pluginDependencies,
  pluginPackages,
  type AnalysedEntry,
  type AnalysisInput,
  type PluginDependencies,
} from './build-report.ts';
export { resolveFapilogVersion, type FapilogInfo, type FapilogResolution } from './fapilog-version.ts';
export { analyseDependency, isCompatible, minimumFapilogFor, STATUS_PRECEDENCE, type PluginContext } from './statuses.ts';
export { isStuck, isUpdatable, UPDATABLE } from './updatable.ts';
export * from './report.ts';
export { decide, failingStatuses, failsOnPublisherChange, failureReasons, FAIL_ON, FailOn } from './policy.ts';
export { entryPublisherChange, installPublisherChange, publisherWarning, targetVersion } from './publisher.ts';
