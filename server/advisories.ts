/**
 * Taking in an advisory (the API's `POST /advisories` and `admin advisory import`) and a plugin's
 * deprecation: which of the marketplace's plugins a record names, who may speak for them (each
 * one's owner, or an admin), and the store. A record naming a package the marketplace does not
 * hold is refused, naming the field: a typo would otherwise store an advisory that warns nobody.
 */
import { advisoryPackages } from '../src/core/advisories/affects.ts';
import type { Osv } from '../src/core/advisories/osv.ts';
import type { AdvisorySaved, Deprecation, DeprecationRequest } from '../src/core/marketplace/schemas.ts';
import { isValidProjectName, normalizeName } from '../src/core/names.ts';
import { HttpError } from './errors.ts';
import { saveAdvisory, setDeprecation } from './store/advisories.ts';
import type { PluginRow, Store } from './store/index.ts';
import { isoTimestamp } from './time.ts';
import { printable } from './validation.ts';

/** Who asks: a token's owner, and whether it is an admin token (the admin CLI is one). */
export interface Actor {
  owner: string;
  admin: boolean;
}

export async function importAdvisory(store: Store, osv: Osv, actor: Actor): Promise<AdvisorySaved> {
  const rows: PluginRow[] = [];
  for (const pkg of advisoryPackages(osv)) {
    const row = await store.pluginRow(pkg);
    if (!row) {
      const i = osv.affected.findIndex((a) => normalizeName(a.package.name) === pkg);
      throw new HttpError(
        404,
        'not_found',
        `affected[${i}].package.name: ${printable(pkg)} is not a plugin of this marketplace (the advisory ${osv.id} names it)`,
      );
    }
    if (row.owner !== actor.owner && !actor.admin) {
      throw new HttpError(403, 'forbidden', `only the owner of ${row.package} (or an admin token) may publish advisories for it`);
    }
    rows.push(row);
  }
  const status = await saveAdvisory(
    store,
    osv,
    rows.map((r) => Number(r.id)),
    actor.owner,
    isoTimestamp(),
  );
  return { status, plugins: rows.map((r) => r.package), advisory: osv };
}

/** The owner (or an admin) marks a plugin deprecated or archived, or (null) neither. */
export async function deprecate(
  store: Store,
  row: PluginRow,
  request: DeprecationRequest | null,
  actor: Actor,
): Promise<Deprecation | null> {
  if (row.owner !== actor.owner && !actor.admin) {
    throw new HttpError(403, 'forbidden', `only the owner of ${row.package} (or an admin token) may deprecate or archive it`);
  }
  let deprecation: Deprecation | null = null;
  if (request) {
    const replacement = request.replacement ? request.replacement.trim() : null;
    if (replacement !== null && !isValidProjectName(replacement)) {
      throw new HttpError(400, 'invalid_body', `replacement: ${printable(replacement)} is not a package name`);
    }
    if (replacement !== null && normalizeName(replacement) === row.package) {
      throw new HttpError(400, 'invalid_body', `replacement: ${row.package} cannot replace itself`);
    }
    deprecation = {
      state: request.state,
      reason: request.reason,
      replacement: replacement === null ? null : normalizeName(replacement),
      since: isoTimestamp(),
    };
  }
  await setDeprecation(store, Number(row.id), deprecation);
  return deprecation;
}
