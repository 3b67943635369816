/**
 * Sends a PublishPlan with client.publish and turns the marketplace's answer into an outcome a
 * user can act on: `published`, `unchanged` (the same files are already there: a re-run of the
 * same tag succeeds), or a failure that says what to do. Messages name the credential used
 * ("token from FAPILOG_MARKETPLACE_TOKEN"), never the token.
 */
import { MarketplaceError } from '../marketplace/errors.ts';
import type { PublishMetadataInput, PublishResponse } from '../marketplace/schemas.ts';
import type { PublishPlan } from './plan.ts';

export interface PublishSender {
  publish(name: string, metadata: PublishMetadataInput, files: Array<{ filename: string; data: Uint8Array }>): Promise<PublishResponse>;
}

export type PublishFailure = 'version-taken' | 'unauthorized' | 'forbidden' | 'no-token' | 'rejected' | 'unreachable';

export type PublishOutcome =
  | { status: 'published' | 'unchanged'; release: PublishResponse; url: string }
  | { status: 'failed'; reason: PublishFailure; message: string; httpStatus: number | null };

/** The API address of a release, which the marketplace answers with its JSON. */
export function releaseUrl(apiUrl: string, name: string, version: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/plugins/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
}

export interface ExecuteOptions {
  apiUrl: string;
  /** How the token was supplied, for messages: `token from FAPILOG_MARKETPLACE_TOKEN`. */
  credential: string;
}

export async function executePublish(plan: PublishPlan, client: PublishSender, opts: ExecuteOptions): Promise<PublishOutcome> {
  if (!plan.metadata || !plan.name || !plan.version) {
    return {
      status: 'failed',
      reason: 'rejected',
      message: 'nothing to publish: the files do not describe a plugin release',
      httpStatus: null,
    };
  }
  const pkg = plan.package ?? plan.name;
  try {
    const release = await client.publish(
      plan.name,
      plan.metadata,
      plan.files.map((f) => ({ filename: f.filename, data: f.data })),
    );
    return { status: release.status, release, url: releaseUrl(opts.apiUrl, plan.name, release.version) };
  } catch (err) {
    if (!(err instanceof MarketplaceError)) throw err;
    const server = err.message.replace(/^[A-Z]+ \S+: /, '').replace(/\s*\(HTTP \d{3}[^)]*\)\s*$/, '');
    if (err.code === 'unauthenticated' && err.status === undefined) {
      return {
        status: 'failed',
        reason: 'no-token',
        message: `publishing needs a token: pass --token or set FAPILOG_MARKETPLACE_TOKEN (the Action: the \`token\` input)`,
        httpStatus: null,
      };
    }
    switch (err.status) {
      case 409:
        return {
          status: 'failed',
          reason: 'version-taken',
          message:
            `${pkg} ${plan.version} is already taken on the marketplace with different files (HTTP 409: ` +
            `${server}); published versions never change: bump the version (\`fapilog-plugins version patch\`), ` +
            `rebuild and publish the new version`,
          httpStatus: 409,
        };
      case 401:
        return {
          status: 'failed',
          reason: 'unauthorized',
          message:
            `the marketplace did not accept the ${opts.credential} (HTTP 401: ${server}); it is unknown, ` +
            `revoked or mistyped: create a token for the owner of ${pkg} and store it as a secret`,
          httpStatus: 401,
        };
      case 403:
        return {
          status: 'failed',
          reason: 'forbidden',
          message:
            `the ${opts.credential} may not publish ${pkg} (HTTP 403: ${server}); publishing a new ` +
            `release needs a token of the plugin's owner: use the owner's token, or ask the owner to publish`,
          httpStatus: 403,
        };
      default:
        return {
          status: 'failed',
          reason: err.unreachable ? 'unreachable' : 'rejected',
          message: `the marketplace did not take ${pkg} ${plan.version}: ${err.message}`,
          httpStatus: err.status ?? null,
        };
    }
  }
}
