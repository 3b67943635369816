/** Plain column output for listings (admin tokens, advisories): no terminal width fitting, one row a line. */
import type { Osv } from '../../core/advisories/osv.ts';

/** Left-aligned columns, two spaces apart; the first row is the header. */
export function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** Advisories as `advisory list` and `admin advisory list` print them, newest first as given. */
export function advisoryColumns(found: readonly Osv[]): string {
  if (found.length === 0) return 'no advisories\n';
  const rows = found.map((a) => [
    a.id,
    a.modified.slice(0, 10),
    a.affected.map((x) => x.package.name).join(','),
    a.withdrawn ? `(withdrawn) ${a.summary}` : a.summary,
  ]);
  return columns([['id', 'modified', 'packages', 'summary'], ...rows]);
}
