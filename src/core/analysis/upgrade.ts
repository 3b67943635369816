/**
 * "What a fapilog upgrade would unlock", per environment: the lowest known fapilog release that
 * unlocks the newest release of each held-back plugin, and every plugin that would move with it
 * (held-back ones to what it unlocks, others whose current release it would rule out). The bot's
 * co-upgrade pull request moves exactly these.
 */
import type { BatchEntry, Release } from '../marketplace/schemas.ts';
import { isPrerelease } from '../pep440/index.ts';
import type { PluginEntry, ReportUpgrade } from './report.ts';
import { exactFapilogFor, isAffected, isCompatible } from './statuses.ts';
import { compareVersions, isValidVersion } from './versions.ts';

/** The releases an upgrade may move to: final, not yanked, and not affected by an advisory. */
function finals(entry: BatchEntry | null | undefined): Release[] {
  return (entry?.releases ?? []).filter((r) => !r.yanked && !isAffected(r) && isValidVersion(r.version) && !isPrerelease(r.version));
}

function newestWith(releases: readonly Release[], fapilog: string): Release | null {
  let best: Release | null = null;
  for (const r of releases) if (isCompatible(r, fapilog) && (best === null || compareVersions(r.version, best.version) > 0)) best = r;
  return best;
}

/**
 * The upgrade for one environment's entries (those it alone installs), or null when nothing is
 * held back or no known fapilog unlocks anything.
 */
export function environmentUpgrade(
  entries: readonly PluginEntry[],
  fapilog: string | null,
  table: ReadonlyMap<string, BatchEntry | null>,
  fapilogVersions: readonly string[],
): ReportUpgrade | null {
  if (fapilog === null) return null;
  const held = entries.filter((e) => e.status === 'held-back' && e.current !== null);
  let target: string | null = null;
  for (const e of held) {
    const newer = finals(table.get(e.package)).filter((r) => compareVersions(r.version, e.current as string) > 0);
    // The newest release some known fapilog unlocks, and exactly which fapilog that is.
    const unlocks = newer
      .map((r) => ({ r, f: exactFapilogFor(r, fapilogVersions, fapilog) }))
      .filter((x): x is { r: Release; f: string } => x.f !== null)
      .sort((a, b) => compareVersions(b.r.version, a.r.version))[0];
    if (unlocks && (target === null || compareVersions(unlocks.f, target) > 0)) target = unlocks.f;
  }
  if (target === null) return null;
  const to = target;
  const plugins: ReportUpgrade['plugins'] = [];
  const stuck: string[] = [];
  for (const e of entries) {
    if (e.current === null || e.status === 'unknown') continue;
    const releases = finals(table.get(e.package));
    const currentRelease = (table.get(e.package)?.releases ?? []).find((r) => r.version === e.current);
    const keeps = currentRelease !== undefined && isCompatible(currentRelease, to);
    const best = newestWith(releases, to);
    const at = { package: e.package, file: e.location.file, line: e.location.line, from: e.current };
    if (e.status === 'held-back' && best && compareVersions(best.version, e.current) > 0) {
      plugins.push({ ...at, to: best.version, unlocked: true });
    } else if (!keeps) {
      if (best) plugins.push({ ...at, to: best.version, unlocked: false });
      else stuck.push(e.package);
    }
  }
  if (!plugins.some((p) => p.unlocked)) return null;
  return { fapilog: to, plugins, stuck: [...new Set(stuck)] };
}

/** `fapilog 0.18.1 would unlock: fapilog-kafka 3.1.0, fapilog-field-mapper 0.3.0` */
export function upgradeLine(upgrade: ReportUpgrade): string {
  const unlocked = [...new Map(upgrade.plugins.filter((p) => p.unlocked).map((p) => [p.package, `${p.package} ${p.to}`])).values()];
  const moved = [...new Map(upgrade.plugins.filter((p) => !p.unlocked).map((p) => [p.package, `${p.package} ${p.to}`])).values()];
  const also = moved.length > 0 ? `; also moves ${moved.join(', ')}` : '';
  const stuck = upgrade.stuck.length > 0 ? `; no release of ${upgrade.stuck.join(', ')} works with it` : '';
  return `fapilog ${upgrade.fapilog} would unlock: ${unlocked.join(', ')}${also}${stuck}`;
}
