/**
 * Downloads per day as an inline SVG bar chart: no script, no external request, colours as
 * presentation attributes (the CSP allows no inline style). The same numbers are in a table
 * next to it for screen readers and for copying.
 */
import { html, type Html } from './html.ts';

export interface DayCount {
  /** YYYY-MM-DD (UTC) */
  day: string;
  downloads: number;
}

const WIDTH = 640;
const HEIGHT = 160;
const PAD_LEFT = 44;
const PAD_BOTTOM = 22;
const PAD_TOP = 8;

/** `days` consecutive days ending at `last` (inclusive), zero where `counts` has none. */
export function fillDays(counts: readonly DayCount[], last: string, days: number): DayCount[] {
  const byDay = new Map(counts.map((c) => [c.day, c.downloads]));
  const end = Date.parse(`${last}T00:00:00Z`);
  const out: DayCount[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ day, downloads: byDay.get(day) ?? 0 });
  }
  return out;
}

/** A round upper bound for the axis (1, 2, 5 × 10^n). */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

export function downloadsChart(series: readonly DayCount[], title: string): Html {
  const max = niceMax(Math.max(0, ...series.map((s) => s.downloads)));
  const plotW = WIDTH - PAD_LEFT - 4;
  const plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = series.length > 0 ? plotW / series.length : plotW;
  const barW = Math.max(1, slot * 0.75);
  const total = series.reduce((n, s) => n + s.downloads, 0);
  const bars = series.map((s, i) => {
    const h = (s.downloads / max) * plotH;
    const x = PAD_LEFT + i * slot + (slot - barW) / 2;
    const y = PAD_TOP + plotH - h;
    return html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="#1d5fa8"><title>${s.day}: ${s.downloads}</title></rect>`;
  });
  const first = series[0]?.day ?? '';
  const last = series[series.length - 1]?.day ?? '';
  const id = 'downloads-chart';
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${total} downloads from ${first} to ${last}; the most on one day: ${Math.max(0, ...series.map((s) => s.downloads))}.</desc>
<line x1="${PAD_LEFT}" y1="${PAD_TOP + plotH}" x2="${WIDTH - 4}" y2="${PAD_TOP + plotH}" stroke="#555" stroke-width="1"/>
<line x1="${PAD_LEFT}" y1="${PAD_TOP}" x2="${PAD_LEFT}" y2="${PAD_TOP + plotH}" stroke="#555" stroke-width="1"/>
<text x="${PAD_LEFT - 6}" y="${PAD_TOP + 10}" text-anchor="end" font-size="11" fill="#222">${max}</text>
<text x="${PAD_LEFT - 6}" y="${PAD_TOP + plotH}" text-anchor="end" font-size="11" fill="#222">0</text>
<text x="${PAD_LEFT}" y="${HEIGHT - 6}" font-size="11" fill="#222">${first}</text>
<text x="${WIDTH - 4}" y="${HEIGHT - 6}" text-anchor="end" font-size="11" fill="#222">${last}</text>
${bars}
</svg>`;
}
