/**
 * PUT /api/v1/plugins/{name}/versions/{version}/compatibility: the owner (or an admin token)
 * narrows a published release's fapilog range with a reason, without re-releasing. The declared
 * range (what the files say) is kept; every answer uses the corrected one and says so.
 */
import { CompatibilityRequest } from '../../src/core/marketplace/schemas.ts';
import { sameSpecifier, widening } from '../../src/core/pep440/index.ts';
import { displaySpecifier } from '../../src/core/publish/declared.ts';
import { parseJsonBody } from '../body.ts';
import { HttpError, notFound } from '../errors.ts';
import type { RequestContext, Router } from '../router.ts';
import { releaseView } from '../store/index.ts';
import { isoTimestamp } from '../time.ts';
import { pluginPackage, printable, sameVersion, specifierProblem } from '../validation.ts';
import { API } from './plugins.ts';

export function registerCompatRoutes(router: Router): void {
  router.add('PUT', `${API}/plugins/{name}/versions/{version}/compatibility`, correct);
}

async function correct(ctx: RequestContext) {
  const raw = ctx.params['name']!;
  const record = await ctx.store.record(pluginPackage(raw));
  if (!record) throw notFound(`plugin ${printable(raw)}`);
  const version = ctx.params['version']!;
  const release = record.releases.find((r) => sameVersion(r.row.version, version));
  if (!release) throw notFound(`version ${printable(version)} of ${record.row.package}`);
  const who = ctx.requireOwner();
  if (who.owner !== record.row.owner && !who.admin) {
    throw new HttpError(403, 'forbidden', `only the owner of ${record.row.package} (or an admin token) may correct its compatibility`);
  }
  const body = await parseJsonBody(ctx, CompatibilityRequest);
  const spec = body.fapilog_compatibility.trim();
  const problem = specifierProblem(spec);
  if (problem) throw new HttpError(400, 'invalid_body', `fapilog_compatibility: ${problem}`);
  const declared = release.row.fapilog_compatibility;
  const added = widening(spec, declared, await ctx.store.fapilogVersions());
  if (added !== null) {
    throw new HttpError(
      400,
      'not_narrower',
      `fapilog_compatibility ${printable(spec)} admits fapilog ${added}, which ${record.row.package} ${release.row.version}'s files do not (they declare ${printable(declared)}); a correction may only narrow the declared range`,
    );
  }
  // The declared range again: the correction goes, the release is as published.
  const correction = sameSpecifier(spec, declared)
    ? null
    : { fapilog_compatibility: displaySpecifier(spec), reason: body.reason, corrected_by: who.owner, corrected_at: isoTimestamp() };
  await ctx.store.correctCompatibility(release.row.id, correction);
  const fresh = (await ctx.store.record(record.row.package))!;
  return { status: 200, json: releaseView(fresh, fresh.releases.find((r) => r.row.id === release.row.id)!, ctx.baseUrl) };
}
