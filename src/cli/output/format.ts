/** Small formatters shared by the commands' human output. */
import type { CliIo } from '../context.ts';

/** `12,345`: grouped the same way in every locale, so output and tests agree. */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `4.6 (23)`, or `-` when nobody rated. */
export function formatRating(rating: number, count: number): string {
  return count === 0 ? '-' : `${rating.toFixed(1)} (${count})`;
}

/** The date part of an ISO timestamp. */
/** A day, or `unknown` when the source did not say (a package index without upload times). */
export function formatDate(iso: string | null): string {
  return iso === null ? 'unknown' : iso.slice(0, 10);
}

/** --json output: the payload alone, one document, on stdout. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
