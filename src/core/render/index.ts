/** Reports and plans to text, shared by the Action, the bot and the CLI; rendering decides nothing. */
export {
  renderSummary,
  fapilogLine,
  byManifest,
  manifestTable,
  pluginRow,
  howToFix,
  publisherCallout,
  calloutLines,
  STATUS_LABEL,
  DEFAULT_UPDATE_COMMAND,
  type SummaryWording,
} from './summary.ts';
export { renderAnnotations, workspacePath, type Annotation, type AnnotationLevel } from './annotations.ts';
export { pullRequestTitle, pullRequestBody, commitMessage, type PullRequestInput, type PullRequestUnit } from './pull-request.ts';
export { cell, clip, code, codeCell, quietCell, quietText, text as markdownText } from './markdown.ts';
export { showControls, singleLine, visibleControl, CONTROL_CHARS } from './escape.ts';
