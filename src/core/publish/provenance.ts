/**
 * Who published a release, and whether that changed between two releases. Pure: the analysis,
 * the CLI, the Action and the bot all ask the same question and must get the same answer.
 *
 * A change worth a warning is one an attacker who took over a name would cause: another
 * repository (by id, so a deleted and re-created repository of the same name counts), another
 * repository owner, another OIDC issuer, a token publish after trusted ones, or another token
 * owner. Moving from token publishing to trusted publishing is the path every plugin is asked to
 * take, so it is not flagged; nor is a renamed repository (same id) or a new workflow file in
 * the same repository.
 */
import { GITHUB_OIDC_ISSUER, type Provenance, type TrustedProvenance } from '../marketplace/schemas.ts';

export { Provenance, TrustedProvenance, TokenProvenance, GITHUB_OIDC_ISSUER } from '../marketplace/schemas.ts';

export const PUBLISHER_CHANGE_REASONS = [
  'another-issuer',
  'another-repository',
  'another-owner',
  'token-after-trusted',
  'another-token-owner',
] as const;
export type PublisherChangeReason = (typeof PUBLISHER_CHANGE_REASONS)[number];

export interface PublisherChange {
  from: Provenance;
  to: Provenance;
  reason: PublisherChangeReason;
}

/** null when nothing is known on either side, or the publisher is the same one. */
export function publisherChange(previous: Provenance | null | undefined, next: Provenance | null | undefined): PublisherChange | null {
  if (!previous || !next) return null;
  const change = (reason: PublisherChangeReason): PublisherChange => ({ from: previous, to: next, reason });
  if (previous.kind === 'trusted') {
    if (next.kind === 'token') return change('token-after-trusted');
    if (next.issuer !== previous.issuer) return change('another-issuer');
    if (next.repository_id !== previous.repository_id) return change('another-repository');
    if (next.repository_owner_id !== previous.repository_owner_id) return change('another-owner');
    return null;
  }
  if (next.kind === 'trusted') return null;
  return next.owner === previous.owner ? null : change('another-token-owner');
}

/** `owner/repo/.github/workflows/release.yml@refs/tags/v1` -> `release.yml`. */
export function workflowFile(workflowRef: string): string {
  const path = workflowRef.split('@')[0] ?? workflowRef;
  return path.slice(path.lastIndexOf('/') + 1);
}

function trustedText(p: TrustedProvenance): string {
  const where = p.issuer === GITHUB_OIDC_ISSUER ? p.repository : `${p.repository} at ${p.issuer}`;
  const env = p.environment ? `, environment ${p.environment}` : '';
  return `${where} (repository id ${p.repository_id}), workflow ${workflowFile(p.workflow_ref)}${env}`;
}

/** One line: `trusted publisher acme/fapilog-loki (repository id 123), workflow release.yml` or `token of owner alice`. */
export function describePublisher(p: Provenance | null | undefined): string {
  if (!p) return 'unknown (published before the marketplace recorded publishers)';
  if (p.kind === 'token') return `token of owner ${p.owner}`;
  return `trusted publisher ${trustedText(p)}`;
}

/** Full detail of one trusted publish (for `info`): the commit and ref the release was built from. */
export function describeTrustedBuild(p: TrustedProvenance): string {
  return `${p.workflow_ref} at ${p.sha.slice(0, 12)} (${p.ref})`;
}

const REASON_TEXT: Record<PublisherChangeReason, string> = {
  'another-issuer': 'signed by another OIDC issuer',
  'another-repository': 'published from another repository',
  'another-owner': 'the repository now has another owner',
  'token-after-trusted': 'published with an API token after trusted publishes',
  'another-token-owner': 'published with the token of another owner',
};

/** Why two publishers differ, in words: `published from another repository`. */
export function describeChangeReason(reason: PublisherChangeReason): string {
  return REASON_TEXT[reason];
}

/** One line for a warning, an annotation or a PR body: both publishers and why they differ. */
export function describePublisherChange(c: PublisherChange): string {
  return `publisher changed (${REASON_TEXT[c.reason]}): was ${describePublisher(c.from)}, now ${describePublisher(c.to)}`;
}
