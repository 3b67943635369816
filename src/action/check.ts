/**
 * The `check` command of the Action, without @actions/*: run the shared core check, then turn the
 * Report into outputs, a summary, annotations and a pass/fail decision. The runner only carries
 * these to GitHub, so everything here is testable as plain functions.
 */
import { stat } from 'node:fs/promises';
import type { Report } from '../core/analysis/report.ts';
import type { MarketplaceSettings, SourceSettings } from '../core/config.ts';
import { openSource } from '../core/source.ts';
import { CoreError } from '../core/errors.ts';
import { MarketplaceError } from '../core/marketplace/errors.ts';
import { checkProject, DiskProjectFiles } from '../core/project/index.ts';
import type { Annotation } from '../core/render/annotations.ts';
import type { FailOn } from '../core/analysis/policy.ts';
import { InputError, insideWorkspace } from './inputs.ts';
import { renderCheck, type CheckOutputs, type FileUrl } from './outcome.ts';

export { renderCheck, reportOutputs } from './outcome.ts';

export interface CheckConfig {
  /** Directory to check, as given by the `path` input (relative to the workspace). */
  path: string;
  /** GITHUB_WORKSPACE: where annotation paths are relative to. */
  workspace: string;
  settings: MarketplaceSettings;
  /** Where the check reads plugins; default: the marketplace of `settings`. */
  source?: SourceSettings | undefined;
  fapilogVersion: string | undefined;
  ignore: string[];
  failOn: FailOn;
  /** Days a release must have been public before it is proposed (0: at once). */
  minimumReleaseAge?: number | undefined;
  /** Where the runner writes the whole report (named when outputs or the summary are cut short). */
  reportFile?: string | null;
  /** Links for the summary's `file:line` (outcome.ts fileLinker); plain text without. */
  fileUrl?: FileUrl | undefined;
}

export interface CheckDeps {
  /** Client warnings (retries, stale cache) go to the log. */
  warn: (line: string) => void;
  debug?: (line: string) => void;
}

/** What the check step hands the runner (outputs, summary, annotations, failure); not the core's CheckResult. */
export interface CheckStepResult {
  report: Report;
  outputs: CheckOutputs;
  summaryMarkdown: string;
  annotations: Annotation[];
  failed: boolean;
  failureMessage: string | null;
}

/**
 * A core error in the Action's words (inputs by their names): the one place the Action words
 * them; anything else keeps its own message.
 */
export function actionMessageFor(err: unknown): string {
  if (err instanceof CoreError) {
    switch (err.code) {
      case 'invalid-fapilog-version':
        return `Input "fapilog-version": ${JSON.stringify(err.subject ?? '')} is not a PEP 440 version`;
      case 'project-not-found':
        return `Input "path": ${err.message}`;
      default:
        return err.message;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** A failure of the run itself (not a finding): the step fails with this message. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

async function projectRoot(config: CheckConfig): Promise<string> {
  const root = insideWorkspace(config.workspace, config.path, 'path');
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new InputError('path', `${config.path} is not a directory in the workspace`);
  return root;
}

export async function checkMain(config: CheckConfig, deps: CheckDeps): Promise<CheckStepResult> {
  const root = await projectRoot(config);
  const source: SourceSettings = config.source ?? { kind: 'marketplace', marketplace: config.settings, chosenBy: 'flag' };
  const client = await openSource(source, { warn: deps.warn, ...(deps.debug ? { debug: deps.debug } : {}) });
  let report: Report;
  try {
    ({ report } = await checkProject({
      files: new DiskProjectFiles(root),
      lookup: client,
      ...(config.fapilogVersion ? { fapilogVersion: config.fapilogVersion } : {}),
      ignore: config.ignore,
      minimumReleaseAge: config.minimumReleaseAge,
    }));
  } catch (err) {
    if (err instanceof MarketplaceError && (err.unreachable || err.kind === 'offline-miss')) {
      // The client falls back to its cache when the marketplace is unreachable, so reaching
      // here means there was no cached copy to report from.
      const cacheDir = source.kind === 'index' ? source.index.cacheDir : source.marketplace.cacheDir;
      const why = source.chosenBy === 'default' ? ', asked because neither the input index-url nor marketplace-url is set' : '';
      throw new ActionError(
        `The ${client.kind === 'index' ? 'package index' : 'marketplace'} at ${client.status().url} could not ` +
          `be reached and nothing is cached in ${cacheDir ?? 'memory'} (${err.message}${why}); choose another ` +
          `source with the input index-url (a package index) or marketplace-url (a marketplace)`,
      );
    }
    throw err;
  }
  return { report, ...renderCheck(report, config) };
}
