/**
 * One plugin dependency against its marketplace releases and the project's fapilog: the
 * current version, the newest (compatible) release, a status and a one-sentence note.
 *
 * Status precedence, strongest first (a dependency gets the first that applies):
 *
 *   unknown > vulnerable > yanked > incompatible > outdated > held-back > up-to-date
 *
 * - unknown: the plugin is not in the marketplace, or the current version is not one of its
 *   releases, or no release satisfies the specifier: nothing else can be judged.
 * - vulnerable: a security advisory affects the current release: the most serious problem.
 * - yanked: the current release was withdrawn; that outranks compatibility because the fix
 *   (move off it) is the same either way and more urgent.
 * - incompatible: the current release's fapilog_compatibility does not admit the project's
 *   fapilog; the code may not even load.
 * - outdated: a newer release that supports the project's fapilog exists. It outranks
 *   held-back because something can be done now (newer releases needing a newer fapilog are
 *   still mentioned in the note).
 * - held-back: newer releases exist but every one of them needs a newer fapilog.
 * - up-to-date: none of the above.
 *
 * Releases an advisory affects are never "latest compatible" (so never proposed): with no
 * unaffected compatible release, there is none, and the note says why. A waiting period
 * (`minimumReleaseAge`) keeps releases younger than that out of "latest compatible" too, except
 * for a project on a vulnerable release (any unaffected release fixes what it is exposed to);
 * the entry's `waiting` names the newest one held back that way.
 */
import type { BatchEntry, Plugin, Release, ReleaseAdvisory } from '../marketplace/schemas.ts';
import type { Dependency, LockedVersion } from '../python/types.ts';
import { shortName } from '../names.ts';
import type { PluginEntry, Status } from './report.ts';
import { admits, compareVersions, isValidVersion, mentionsPrerelease, pinnedVersion, sameVersion, sortDescending } from './versions.ts';
import { isPrerelease } from '../pep440/index.ts';
import { entryPublisherChange, publisherNote } from './publisher.ts';

export const STATUS_PRECEDENCE: readonly Status[] = [
  'unknown',
  'vulnerable',
  'yanked',
  'incompatible',
  'outdated',
  'held-back',
  'up-to-date',
];

const DAY_MS = 86_400_000;

/** The waiting period: a release is proposed once public `days` days at `now` (ms since the epoch). */
export interface ReleaseAge {
  days: number;
  now: number;
}

/** Advisories affecting a release (none for a release from a source that has no advisories). */
export function releaseAdvisories(release: Pick<Release, 'advisories'>): readonly ReleaseAdvisory[] {
  return release.advisories ?? [];
}

export function isAffected(release: Pick<Release, 'advisories'>): boolean {
  return releaseAdvisories(release).length > 0;
}

/**
 * When a release may be proposed under a waiting period: its publish time plus the period, or null
 * when the publish time is unknown (null: a package index without PEP 700 upload times; the epoch
 * from older clients' caches): such a release waits, as Renovate's default does, unless it fixes an advisory.
 */
export function proposableFrom(release: Pick<Release, 'published_at'>, days: number): number | null {
  if (release.published_at === null) return null;
  const at = Date.parse(release.published_at);
  return Number.isNaN(at) || at <= 0 ? null : at + days * DAY_MS;
}

function isMature(release: Release, age: ReleaseAge | undefined): boolean {
  if (!age || age.days <= 0) return true;
  const from = proposableFrom(release, age.days);
  return from !== null && from <= age.now;
}

/** `GHSA-1 (summary) and PYSEC-2 (summary)` */
export function advisoryList(advisories: readonly ReleaseAdvisory[]): string {
  const parts = advisories.map((a) => (a.summary ? `${a.id} (${a.summary.replace(/\.$/, '')})` : a.id));
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

export interface PluginContext {
  /** The fapilog version statuses are judged against; null when nothing is known (every release then counts as compatible). */
  fapilog: string | null;
  /** Every fapilog release the marketplace knows (for held-back's "needs fapilog X"). */
  fapilogVersions: readonly string[];
  /** fapilog is not a dependency: `fapilog` is only the newest release, not the project's own. */
  fapilogAssumed?: boolean | undefined;
  /** The lockfile's resolved version of this plugin, if any. */
  locked: LockedVersion | undefined;
  /** The marketplace's answer: null or undefined when the plugin is not there. */
  entry: BatchEntry | null | undefined;
  /** Where the answers came from, so a note about a missing plugin names it (absent: "the marketplace"). */
  source?: { url: string; kind?: 'marketplace' | 'index' | undefined } | undefined;
  /**
   * The environments the requirement is installed into, each with its fapilog (absent or one:
   * judged against `fapilog` alone). A file shared by several gets the answer all of them can run.
   */
  environments?: ReadonlyArray<{ dir: string; fapilog: string | null; assumed: boolean }> | undefined;
  /** The waiting period for new releases (absent or 0 days: none). */
  releaseAge?: ReleaseAge | undefined;
}

/** "0.14.2 (services/api) and 0.18.1 (services/worker)" */
function fapilogList(envs: ReadonlyArray<{ dir: string; fapilog: string | null }>): string {
  const parts = envs.map((e) => `${e.fapilog ?? 'unknown'} (${e.dir})`);
  return parts.length <= 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "not in the marketplace" / "not on the index https://…": the source that lacks the plugin, named. */
function notThere(pkg: string, source: PluginContext['source']): string {
  const where = source?.kind === 'index' ? `not on the index ${source.url}` : 'not in the marketplace';
  return `${pkg} is ${where}, so its releases cannot be checked.`;
}

/** "the marketplace knows" / "the index lists". */
function notARelease(pkg: string, version: string, source: PluginContext['source']): string {
  return `${pkg} ${version} is not a release ${source?.kind === 'index' ? 'the index lists' : 'the marketplace knows'}.`;
}

function newest(releases: readonly Release[]): Release | null {
  let best: Release | null = null;
  for (const r of releases) if (best === null || compareVersions(r.version, best.version) > 0) best = r;
  return best;
}

/**
 * A corrected range says so, with when and why, and the range its files declare:
 * ` (corrected 2026-03-01: breaks on 0.17's sink API; declared >=0.14,<0.20)`.
 */
export function correctionNote(release: Pick<Release, 'compatibility_correction'>): string {
  const c = release.compatibility_correction;
  return c ? ` (corrected ${c.corrected_at.slice(0, 10)}: ${c.reason.replace(/\.$/, '')}; declared ${c.declared})` : '';
}

export function isCompatible(release: Pick<Release, 'fapilog_compatibility'>, fapilog: string | null): boolean {
  return fapilog === null || admits(release.fapilog_compatibility, fapilog, true);
}

/** Compatible with the fapilog of every environment the requirement is installed into. */
function compatibleEverywhere(release: Pick<Release, 'fapilog_compatibility'>, ctx: PluginContext): boolean {
  const envs = ctx.environments;
  if (!envs || envs.length <= 1) return isCompatible(release, ctx.fapilog);
  return envs.every((e) => isCompatible(release, e.fapilog));
}

/** The lowest known fapilog release that `release` itself accepts (finals before pre-releases), or null. */
export function exactFapilogFor(release: Release, fapilogVersions: readonly string[], above: string | null): string | null {
  return minimumFapilogFor([release], fapilogVersions, above);
}

/** The lowest known fapilog above the project's one that any of `releases` accepts (finals before pre-releases). */
export function minimumFapilogFor(releases: readonly Release[], fapilogVersions: readonly string[], above: string | null): string | null {
  const ascending = sortDescending(fapilogVersions).reverse();
  const pool = ascending.filter((v) => above === null || compareVersions(v, above) > 0);
  const accepted = (v: string) => releases.some((r) => admits(r.fapilog_compatibility, v, true));
  return pool.find((v) => !isPrerelease(v) && accepted(v)) ?? pool.find(accepted) ?? null;
}

/** The PEP 440 specifiers whose union is the dependency's constraint (Poetry `||` has several). */
export function alternativesOf(dep: Dependency): string[] {
  return dep.alternatives && dep.alternatives.length > 0 ? dep.alternatives : [dep.specifier];
}

interface Current {
  version: string | null;
  source: PluginEntry['currentSource'];
}

/**
 * Locked, else pinned, else what a resolver would pick: the newest non-yanked release the
 * specifier allows whose fapilog requirement holds (a plugin's fapilog_compatibility is its
 * Requires-Dist on fapilog, so pip and uv backtrack past releases that need another fapilog).
 */
function currentVersion(dep: Dependency, ctx: PluginContext, releases: readonly Release[]): Current {
  if (ctx.locked) return { version: ctx.locked.version, source: 'locked' };
  const pinned = dep.pinned ?? pinnedVersion(dep.specifier);
  if (pinned) return { version: pinned, source: 'pinned' };
  if (releases.length === 0 || dep.url) return { version: null, source: 'none' };
  const allowed = releases.filter((r) => admits(alternativesOf(dep), r.version));
  const live = allowed.filter((r) => !r.yanked);
  // Only yanked releases match: pip would refuse, but the yanked one is what the project asked for.
  const pick = newest(live.filter((r) => compatibleEverywhere(r, ctx))) ?? newest(live) ?? newest(allowed);
  return pick ? { version: pick.version, source: 'range' } : { version: null, source: 'none' };
}

export function analyseDependency(dep: Dependency, ctx: PluginContext): PluginEntry {
  const pkg = dep.name;
  const fv = ctx.fapilog;
  const releases = (ctx.entry?.releases ?? []).filter((r) => isValidVersion(r.version));
  const current = currentVersion(dep, ctx, releases);
  const usesPrerelease = (current.version !== null && isPrerelease(current.version)) || mentionsPrerelease(alternativesOf(dep));
  const candidates = releases.filter((r) => !r.yanked && (usesPrerelease || !isPrerelease(r.version)));
  const latest = newest(candidates);
  const currentRelease = current.version === null ? undefined : releases.find((r) => sameVersion(r.version, current.version!));
  const exposure = currentRelease ? releaseAdvisories(currentRelease) : [];
  const compatible = candidates.filter((r) => compatibleEverywhere(r, ctx));
  const safe = compatible.filter((r) => !isAffected(r));
  // On a vulnerable release nothing waits: every unaffected release fixes what the project is exposed to.
  const age = exposure.length > 0 ? undefined : ctx.releaseAge;
  const latestCompatible = newest(safe.filter((r) => isMature(r, age)));
  const held = newest(safe.filter((r) => !isMature(r, age)));
  const waitingFor =
    held && age && (latestCompatible === null || compareVersions(held.version, latestCompatible.version) > 0) ? held : null;
  const shared = ctx.environments && ctx.environments.length > 1 ? ctx.environments : null;

  const base = {
    package: pkg,
    name: shortName(pkg),
    location: {
      file: dep.location.file,
      line: dep.location.line,
      column: dep.location.column,
      endLine: dep.location.endLine,
      endColumn: dep.location.endColumn,
      text: dep.location.text,
      section: dep.section,
    },
    specifier: dep.specifier,
    current: current.version,
    currentSource: current.source,
    latest: latest?.version ?? null,
    latestCompatible: latestCompatible?.version ?? null,
    currentCompatibility: currentRelease?.fapilog_compatibility ?? null,
  };
  // Keys in the schema's order: the report is not re-parsed (build-report.ts), and --json prints it as built.
  const deprecation = ctx.entry?.plugin.deprecation ?? null;
  const waiting = waitingFor && age ? waitingOf(waitingFor, age) : null;
  const entry = (status: Status, note: string, requiresFapilog: string | null = null): PluginEntry => {
    const publisherChange = currentRelease ? entryPublisherChange({ ...base, status }, releases) : null;
    const extra = [
      publisherChange ? publisherNote(publisherChange) : '',
      waiting && status !== 'unknown' ? waitingNote(waiting, age!.days) : '',
      deprecation ? deprecationNote(pkg, deprecation) : '',
    ].filter(Boolean);
    return {
      ...base,
      status,
      requiresFapilog,
      note: [note, ...extra].join(' '),
      publisherChange,
      ...(exposure.length > 0 && status === 'vulnerable' ? { advisories: [...exposure] } : {}),
      ...(deprecation ? { deprecation } : {}),
      ...(waiting && status !== 'unknown' ? { waiting } : {}),
    };
  };
  const unsafe = { exposure, affectedCompatible: compatible.filter(isAffected) };
  if (shared)
    return sharedEntry(dep, ctx, shared, { releases, candidates, current, currentRelease, latest, latestCompatible, entry, ...unsafe });
  const onFapilog = fv ? ` with fapilog ${fv}` : '';
  const projectUses = ctx.fapilogAssumed ? `statuses assume the newest fapilog, ${fv}` : `the project uses ${fv}`;

  if (!ctx.entry) return entry('unknown', notThere(pkg, ctx.source));
  if (current.version === null && dep.url) {
    return entry('unknown', `${pkg} comes from a direct reference (${dep.url}), so its version cannot be judged.`);
  }
  if (current.version === null) {
    return entry('unknown', `No release of ${pkg} satisfies ${dep.specifier || 'its specifier'}.`);
  }
  const cur = current.version;
  if (!currentRelease) return entry('unknown', notARelease(pkg, cur, ctx.source));

  const fix = latestCompatible
    ? `move to ${latestCompatible.version}, which works${onFapilog}`
    : (noSafeFix(unsafe.affectedCompatible, onFapilog) ?? `no release works${onFapilog}`);
  if (exposure.length > 0)
    return entry('vulnerable', vulnerableNote(cur, exposure, latestCompatible, unsafe.affectedCompatible, onFapilog));
  if (currentRelease.yanked) {
    const reason = currentRelease.yanked_reason ? ` (${currentRelease.yanked_reason.replace(/\.$/, '')})` : '';
    return entry('yanked', `${cur} was yanked${reason}; ${fix}.`);
  }
  if (!isCompatible(currentRelease, fv)) {
    return entry(
      'incompatible',
      `${cur} requires fapilog ${currentRelease.fapilog_compatibility}${correctionNote(currentRelease)} but ${projectUses}; ${fix}.`,
    );
  }
  if (latestCompatible && compareVersions(latestCompatible.version, cur) > 0) {
    const beyond =
      latest && compareVersions(latest.version, latestCompatible.version) > 0
        ? ` (${latest.version} needs fapilog ${latest.fapilog_compatibility}${correctionNote(latest)})`
        : '';
    return entry('outdated', `${latestCompatible.version} is available and works${onFapilog}${beyond}.`);
  }
  // Held back by fapilog alone: newer releases that are waiting or affected are not what holds it back.
  const newer = candidates.filter((r) => compareVersions(r.version, cur) > 0 && !isAffected(r) && !compatibleEverywhere(r, ctx));
  const top = newest(newer);
  if (top) {
    const requires = minimumFapilogFor(newer, ctx.fapilogVersions, fv);
    const needs = requires
      ? `fapilog ${requires} or newer${exactly(newer, requires, ctx.fapilogVersions, fv)}`
      : `fapilog ${top.fapilog_compatibility}, which no known fapilog release newer than ${fv} satisfies`;
    return entry('held-back', `${top.version} is available but needs ${needs}; ${projectUses}.`, requires);
  }
  return entry('up-to-date', `${cur} is the newest release${fv ? ` and works with fapilog ${fv}` : ''}.`);
}

/**
 * When the newest release needs more than the lowest fapilog that unlocks any newer one: the
 * exact lowest fapilog of each newer release (` (3.0.0 from fapilog 0.18.0, 3.1.0 from 0.18.1)`).
 */
function exactly(newer: readonly Release[], requires: string, fapilogVersions: readonly string[], fv: string | null): string {
  const steps = [...newer]
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((r) => ({ version: r.version, fapilog: exactFapilogFor(r, fapilogVersions, fv) }));
  if (steps.every((s) => s.fapilog !== null && sameVersion(s.fapilog, requires))) return '';
  const parts = steps.map(
    (s, i) => `${s.version} ${s.fapilog === null ? 'with no known fapilog' : `from ${i === 0 ? 'fapilog ' : ''}${s.fapilog}`}`,
  );
  return ` (${parts.join(', ')})`;
}

/** The newest release the waiting period holds back: when it was published and when it will be proposed. */
function waitingOf(release: Release, age: ReleaseAge): NonNullable<PluginEntry['waiting']> {
  const from = proposableFrom(release, age.days);
  return {
    version: release.version,
    published_at: from === null ? null : release.published_at,
    until: from === null ? null : new Date(from).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  };
}

/** `1.3.0 is waiting: published 2026-12-06, proposed from 2026-12-09 (minimum release age 3 days).` */
function waitingNote(w: NonNullable<PluginEntry['waiting']>, days: number): string {
  const period = `minimum release age ${days} day${days === 1 ? '' : 's'}`;
  if (w.until === null) return `${w.version} is waiting: its publish time is unknown (${period}).`;
  return `${w.version} is waiting: published ${w.published_at?.slice(0, 10)}, proposed from ${w.until.slice(0, 10)} (${period}).`;
}

/** ` fapilog-x is deprecated (reason); use fapilog-y instead.` */
export function deprecationNote(pkg: string, d: NonNullable<Plugin['deprecation']>): string {
  const instead = d.replacement ? `; use ${d.replacement} instead` : '';
  return `${pkg} is ${d.state} (${d.reason.replace(/\.$/, '')})${instead}.`;
}

/** When every compatible release is affected: which ones, so nobody reads "no release works" as the reason. */
function noSafeFix(affectedCompatible: readonly Release[], works: string): string | null {
  if (affectedCompatible.length === 0) return null;
  const versions = [...affectedCompatible].sort((a, b) => compareVersions(b.version, a.version)).map((r) => r.version);
  const which = versions.length === 1 ? `the only release that works${works}, ${versions[0]}, is` : `every release that works${works} is`;
  return `${which} affected by an advisory, so nothing is proposed`;
}

function vulnerableNote(
  cur: string,
  exposure: readonly ReleaseAdvisory[],
  latestCompatible: Release | null,
  affectedCompatible: readonly Release[],
  works: string,
): string {
  const head = `${cur} is affected by ${advisoryList(exposure)}`;
  if (latestCompatible) return `${head}; move to ${latestCompatible.version}, the newest release that works${works} and is not affected.`;
  const only = affectedCompatible.length === 1 && sameVersion(affectedCompatible[0]!.version, cur);
  if (only) return `${head}; it is the only release that works${works}, so nothing is proposed.`;
  return `${head}; ${noSafeFix(affectedCompatible, works) ?? `no unaffected release works${works}, so nothing is proposed`}.`;
}

interface Judged {
  releases: readonly Release[];
  candidates: readonly Release[];
  current: Current;
  currentRelease: Release | undefined;
  latest: Release | null;
  latestCompatible: Release | null;
  entry: (status: Status, note: string, requiresFapilog?: string | null) => PluginEntry;
  exposure: readonly ReleaseAdvisory[];
  affectedCompatible: readonly Release[];
}

/**
 * A requirement in a file several environments install (a shared `-r` file): one answer all of
 * them can run, or which environments disagree and why.
 */
function sharedEntry(dep: Dependency, ctx: PluginContext, envs: NonNullable<PluginContext['environments']>, j: Judged): PluginEntry {
  const pkg = dep.name;
  const { entry, current, currentRelease, latest, latestCompatible, candidates } = j;
  const everywhere = `with fapilog ${fapilogList(envs)}`;
  if (!ctx.entry) return entry('unknown', notThere(pkg, ctx.source));
  if (current.version === null && dep.url)
    return entry('unknown', `${pkg} comes from a direct reference (${dep.url}), so its version cannot be judged.`);
  if (current.version === null) return entry('unknown', `No release of ${pkg} satisfies ${dep.specifier || 'its specifier'}.`);
  const cur = current.version;
  if (!currentRelease) return entry('unknown', notARelease(pkg, cur, ctx.source));
  const disagree = () => {
    // Name who rules out the newest release, environment by environment.
    const newestOne = latest;
    const why = newestOne
      ? envs
          .filter((e) => !isCompatible(newestOne, e.fapilog))
          .map((e) => `${newestOne.version} needs fapilog ${newestOne.fapilog_compatibility} but ${e.dir} uses ${e.fapilog}`)
      : [];
    return `the environments sharing this file disagree: no release works ${everywhere}${why.length ? ` (${why.join('; ')})` : ''}`;
  };
  const fix = latestCompatible
    ? `move to ${latestCompatible.version}, which works ${everywhere}`
    : (noSafeFix(j.affectedCompatible, ` ${everywhere}`) ?? disagree());
  if (j.exposure.length > 0) {
    return entry('vulnerable', vulnerableNote(cur, j.exposure, latestCompatible, j.affectedCompatible, ` ${everywhere}`));
  }
  if (currentRelease.yanked) {
    const reason = currentRelease.yanked_reason ? ` (${currentRelease.yanked_reason.replace(/\.$/, '')})` : '';
    return entry('yanked', `${cur} was yanked${reason}; ${fix}.`);
  }
  const ruledOut = envs.filter((e) => !isCompatible(currentRelease, e.fapilog));
  if (ruledOut.length > 0) {
    const uses = ruledOut.map((e) => `${e.dir} uses ${e.fapilog}`).join(', ');
    return entry('incompatible', `${cur} requires fapilog ${currentRelease.fapilog_compatibility} but ${uses}; ${fix}.`);
  }
  if (latestCompatible && compareVersions(latestCompatible.version, cur) > 0) {
    return entry('outdated', `${latestCompatible.version} is available and works ${everywhere}.`);
  }
  const top = newest(candidates.filter((r) => compareVersions(r.version, cur) > 0 && !isAffected(r) && !compatibleEverywhere(r, ctx)));
  if (top) {
    const blockers = envs
      .filter((e) => !isCompatible(top, e.fapilog))
      .map((e) => `${e.dir} uses ${e.fapilog}`)
      .join(', ');
    return entry('held-back', `${top.version} is available but needs fapilog ${top.fapilog_compatibility}; ${blockers}.`);
  }
  return entry('up-to-date', `${cur} is the newest release and works ${everywhere}.`);
}
