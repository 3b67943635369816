/**
 * The publish flow the CLI and the Action share, from a prepared PublishPlan to a verdict:
 * blocked by findings, nothing to describe, dry run, no credential, or sent (execute.ts). The
 * front ends show the plan between preparePublish and completePublish, and render the verdict;
 * the wording, the API URL (never with its user:password@) and the release URL are decided here.
 */
import { stripCredentials } from '../marketplace/errors.ts';
import type { PublishResponse } from '../marketplace/schemas.ts';
import { executePublish, type PublishFailure, type PublishSender } from './execute.ts';
import type { Finding } from './findings.ts';
import { blockingFindings, type PublishPlan } from './plan.ts';
import { describePublisher } from './provenance.ts';

export type PublishStatus = 'published' | 'unchanged' | 'dry-run' | 'failed';

/** What a front end's credential step answers: a sender that carries a token, or why there is none. */
export type Authorization =
  | { ok: true; sender: PublishSender /** How the token was supplied, for messages; never the token. */; credential: string }
  | {
      ok: false;
      message: string /** A summary section of its own (trusted publishing: the claims and the registration to make). */;
      markdown?: string;
    };

export interface CompleteOptions {
  strict: boolean;
  dryRun: boolean;
  /** The marketplace API URL as configured; shown and linked only without its credentials. */
  marketplaceUrl: string;
  /** How the front end names strict mode in messages (`--strict`, `strict: true`). */
  strictOption: string;
  /** Called after the checks and the dry run, only when something is to be sent. */
  authorize: () => Promise<Authorization>;
}

export interface PublishVerdict {
  status: PublishStatus;
  /** One line saying what happened, for the log, the terminal and the summary. */
  message: string;
  /** The release's API URL (published or unchanged), without credentials; null otherwise. */
  url: string | null;
  /** Why it failed: blocking findings, nothing publishable, no credential, or the marketplace's answer. */
  failure: 'blocked' | 'undescribable' | 'no-credential' | PublishFailure | null;
  /** The findings that stopped it (failure `blocked`). */
  blocking: Finding[];
  /** The version published (or that would be); the plan's when nothing was sent. */
  version: string | null;
  release: PublishResponse | null;
  /** The release's publisher as the marketplace recorded it. */
  publisher: string | null;
  /** A summary section from the credential step, when it refused. */
  markdown: string | null;
}

/** The tag a ref names: `refs/tags/v1.2.0` -> `v1.2.0`; other refs (branches) name none. */
export function tagFromRef(ref: string | undefined): string | undefined {
  return ref?.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/** `not published: 1 error and 2 warnings (--strict) (tag-mismatch, sdist-missing)`. */
export function notPublishedMessage(blocking: readonly Finding[], strictOption: string): string {
  const errors = blocking.filter((f) => f.severity === 'error').length;
  const warnings = blocking.length - errors;
  const parts = [
    errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'} (${strictOption})` : '',
  ].filter((p) => p !== '');
  const codes = [...new Set(blocking.map((f) => f.code))].join(', ');
  return `not published: ${parts.join(' and ')} (${codes})`;
}

export async function completePublish(plan: PublishPlan, opts: CompleteOptions): Promise<PublishVerdict> {
  const apiUrl = stripCredentials(opts.marketplaceUrl);
  const verdict = (status: PublishStatus, message: string, rest: Partial<PublishVerdict> = {}): PublishVerdict => ({
    status,
    message,
    url: null,
    failure: null,
    blocking: [],
    version: plan.version,
    release: null,
    publisher: null,
    markdown: null,
    ...rest,
  });

  const blocking = blockingFindings(plan, opts.strict);
  if (blocking.length > 0) return verdict('failed', notPublishedMessage(blocking, opts.strictOption), { failure: 'blocked', blocking });
  if (!plan.metadata) return verdict('failed', 'not published: the files do not describe a plugin release', { failure: 'undescribable' });
  if (opts.dryRun) {
    return verdict(
      'dry-run',
      plan.alreadyPublished
        ? `dry run: ${plan.package} ${plan.version} is already published with these files (a publish would report unchanged)`
        : `dry run: ${plan.package} ${plan.version} would be published to ${apiUrl}`,
    );
  }
  const auth = await opts.authorize();
  if (!auth.ok) return verdict('failed', auth.message, { failure: 'no-credential', markdown: auth.markdown ?? null });

  const outcome = await executePublish(plan, auth.sender, { apiUrl, credential: auth.credential });
  if (outcome.status === 'failed') return verdict('failed', outcome.message, { failure: outcome.reason });
  const { release } = outcome;
  return verdict(
    outcome.status,
    outcome.status === 'unchanged'
      ? `unchanged: ${plan.package} ${release.version} is already published with identical files`
      : `published ${plan.package} ${release.version}`,
    {
      url: outcome.url,
      version: release.version,
      release,
      publisher: release.provenance === undefined ? null : describePublisher(release.provenance),
    },
  );
}
