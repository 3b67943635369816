/**
 * Trusted publishing endpoints: the audience a workflow asks GitHub for, the exchange of a GitHub
 * OIDC token for a short-lived publish token, and the trusted publishers of a plugin, managed by
 * its owner (an API token; a trusted-publishing token cannot register publishers).
 */
import {
  OidcTokenRequest,
  TrustedPublisherRequest,
  type OidcAudience,
  type TrustedPublisherList,
} from '../../src/core/marketplace/schemas.ts';
import { parseJsonBody } from '../body.ts';
import { HttpError, notFound } from '../errors.ts';
import type { RequestContext, Router } from '../router.ts';
import { pluginPackage } from '../validation.ts';
import { API } from './plugins.ts';

/** The plugin's package, after checking that the caller owns it (or, for an unpublished name, may claim it). */
async function ownedPackage(ctx: RequestContext): Promise<{ pkg: string; owner: string }> {
  const pkg = pluginPackage(ctx.params['name']!);
  const owner = ctx.requireOwner(pkg).owner;
  const plugin = await ctx.store.pluginRow(pkg);
  if (plugin && plugin.owner !== owner) throw new HttpError(403, 'forbidden', `${pkg} belongs to another owner`);
  return { pkg, owner };
}

export function registerOidcRoutes(router: Router): void {
  router.add('GET', `${API}/oidc/audience`, (ctx) => {
    const body: OidcAudience = { audience: ctx.trusted.audience() };
    return { status: 200, json: body };
  });

  router.add('POST', `${API}/oidc/token`, async (ctx) => {
    const { token } = await parseJsonBody(ctx, OidcTokenRequest);
    return { status: 200, json: await ctx.trusted.exchange(token), headers: { 'Cache-Control': 'no-store' } };
  });

  router.add('GET', `${API}/plugins/{name}/publishers`, async (ctx) => {
    const { pkg } = await ownedPackage(ctx);
    const body: TrustedPublisherList = { publishers: await ctx.trusted.publishers.list(pkg) };
    return { status: 200, json: body };
  });

  router.add('POST', `${API}/plugins/{name}/publishers`, async (ctx) => {
    const { pkg, owner } = await ownedPackage(ctx);
    const req = await parseJsonBody(ctx, TrustedPublisherRequest);
    return { status: 201, json: await ctx.trusted.publishers.add(pkg, owner, req) };
  });

  router.add('DELETE', `${API}/plugins/{name}/publishers/{id}`, async (ctx) => {
    const { pkg, owner } = await ownedPackage(ctx);
    const raw = ctx.params['id']!;
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
    const publisher = Number.isNaN(id) ? null : await ctx.trusted.publishers.get(id);
    // Another owner's pending publisher of the same name is theirs to remove, not this caller's.
    if (!publisher || publisher.package !== pkg || publisher.owner !== owner)
      throw notFound(`trusted publisher ${raw.slice(0, 40)} of ${pkg}`);
    await ctx.trusted.publishers.remove(id);
    return { status: 204, body: '' };
  });
}
