/**
 * Download statistics: the range a request asks for (validated, bounded) and the contract object
 * (PluginStats) built from per-release per-day rows. The rows come from the store's
 * `downloads_daily` table (written in batches by downloads.ts).
 */
import { DEFAULT_STATS_DAYS, MAX_STATS_DAYS, StatsQuery, type DayDownloads, type PluginStats } from '../src/core/marketplace/schemas.ts';
import { HttpError } from './errors.ts';
import { compareVersions, queryParams } from './validation.ts';

/** Days the store keeps per release: at least the longest range the endpoint answers. */
export const RETENTION_DAYS = MAX_STATS_DAYS + 1;

const DAY_MS = 86_400_000;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

let todayMemo: { day: string; from: number; until: number } | undefined;

/**
 * Today's UTC day, as `dayOf(new Date())` gives it, worked out once a day: cached answers vary by
 * it, so every cached read asks, and toISOString per request was a tenth of a cache hit's own work.
 */
export function today(now: number = Date.now()): string {
  if (todayMemo === undefined || now < todayMemo.from || now >= todayMemo.until) {
    const day = dayOf(new Date(now));
    const from = Date.parse(`${day}T00:00:00Z`);
    todayMemo = { day, from, until: from + DAY_MS };
  }
  return todayMemo.day;
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

function isRealDay(day: string): boolean {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`))) === day;
}

/** `from`/`to` of the query (default: the 30 days ending today), or a 400 naming the parameter. */
export function statsRange(url: URL, today: string): { from: string; to: string } {
  const query = queryParams(url, StatsQuery);
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v !== undefined && !isRealDay(v))
      throw new HttpError(400, 'invalid_parameter', `invalid query parameter ${key}: ${v} is not a calendar day`);
  }
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(DEFAULT_STATS_DAYS - 1));
  if (from > to) throw new HttpError(400, 'invalid_parameter', `invalid query parameter from: ${from} is after to (${to})`);
  const span = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
  if (span > MAX_STATS_DAYS)
    throw new HttpError(
      400,
      'invalid_parameter',
      `invalid query parameter from: the range may span at most ${MAX_STATS_DAYS} days (asked: ${span})`,
    );
  return { from, to };
}

export interface DailyRow {
  release_id: number;
  day: string;
  downloads: number;
}

export function buildStats(
  plugin: { name: string; package: string },
  releases: ReadonlyArray<{ id: number; version: string }>,
  rows: readonly DailyRow[],
  range: { from: string; to: string },
): PluginStats {
  const perDay = new Map<string, number>();
  const perRelease = new Map<number, DayDownloads[]>();
  for (const r of rows) {
    if (r.day < range.from || r.day > range.to) continue;
    const n = Number(r.downloads);
    perDay.set(r.day, (perDay.get(r.day) ?? 0) + n);
    const list = perRelease.get(Number(r.release_id)) ?? [];
    list.push({ day: r.day, downloads: n });
    perRelease.set(Number(r.release_id), list);
  }
  const days: DayDownloads[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push({ day: d, downloads: perDay.get(d) ?? 0 });
  const out = [...releases]
    .sort((a, b) => compareVersions(b.version, a.version))
    .flatMap((rel) => {
      const list = (perRelease.get(Number(rel.id)) ?? []).sort((a, b) => (a.day < b.day ? -1 : 1));
      return list.length > 0 ? [{ version: rel.version, total: list.reduce((n, x) => n + x.downloads, 0), days: list }] : [];
    });
  return {
    name: plugin.name,
    package: plugin.package,
    from: range.from,
    to: range.to,
    total: days.reduce((n, x) => n + x.downloads, 0),
    days,
    releases: out,
  };
}
