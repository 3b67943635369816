/**
 * Loads a demo catalog (examples/catalog/catalog.json) into a store. Idempotent: plugins and
 * releases that already exist are left alone, so a server can be restarted with the same --seed.
 */
import fs from 'node:fs';
import { packageName } from '../src/core/names.ts';
import { Catalog } from './catalog.ts';
import { canonicalVersion, sameVersion } from './validation.ts';
import { normalizeTimestamp } from './time.ts';
import { buildWheel } from './wheel.ts';
import { sha256Hex } from '../src/core/sha256.ts';
import type { Store } from './store/index.ts';

export function readCatalog(file: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read seed catalog ${file}: ${(err as Error).message}`);
  }
  const parsed = Catalog.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid seed catalog ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function seedStore(store: Store, catalog: Catalog): Promise<{ plugins: number; releases: number }> {
  await store.addFapilogVersions(catalog.fapilog_versions.map(canonicalVersion));
  let releases = 0;
  for (const p of catalog.plugins) {
    const pkg = packageName(p.name);
    for (const r of p.releases) {
      const version = canonicalVersion(r.version);
      const record = await store.record(pkg);
      if (record?.releases.some((x) => sameVersion(x.row.version, version))) continue;
      const wheel = buildWheel({
        package: pkg,
        shortName: p.name,
        version,
        summary: p.description,
        author: p.author,
        license: p.license,
        homepage: p.homepage,
        pluginType: p.plugin_type,
        fapilogCompatibility: r.fapilog_compatibility,
        requiresPython: r.requires_python,
        dependencies: r.dependencies,
      });
      await store.publish(p.owner, {
        package: pkg,
        version,
        description: p.description,
        author: p.author,
        plugin_type: p.plugin_type,
        license: p.license,
        homepage: p.homepage,
        repository: p.repository,
        fapilog_compatibility: r.fapilog_compatibility,
        requires_python: r.requires_python,
        dependencies: r.dependencies,
        readme: r.readme ?? `# ${pkg}\n\n${p.description}\n`,
        published_at: normalizeTimestamp(r.published_at),
        downloads: r.downloads,
        ...(r.yanked_reason ? { yanked_reason: r.yanked_reason } : {}),
        files: [{ filename: wheel.filename, sha256: sha256Hex(wheel.data), data: wheel.data }],
      });
      releases++;
    }
    const record = await store.record(pkg);
    if (record && p.ratings.length > 0 && (await store.rating(record.row.id)).rating_count === 0) {
      for (const [i, stars] of p.ratings.entries()) await store.rate(record.row.id, `seed:${i}`, stars);
    }
  }
  return { plugins: catalog.plugins.length, releases };
}
