/**
 * Aligned text tables that fit the terminal: columns marked `shrink` give up width (their cells
 * end in `…`) until the table fits. Widths are measured on plain text; colour is applied after
 * padding so escapes never disturb alignment.
 */
import { paint, type Style } from './color.ts';
import { terminalLine } from './sanitize.ts';

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** May be truncated to make the table fit (descriptions, URLs, hashes). */
  shrink?: boolean;
  /** A shrinking column keeps at least this many characters (default 8). */
  minWidth?: number;
  /** Style for every cell of this column, unless the cell has its own. */
  style?: Style;
}

export type Cell = string | { text: string; style?: Style | undefined };

export interface TableOptions {
  /** Terminal width in characters. */
  width: number;
  color: boolean;
  /** Spaces between columns (default 2). */
  gap?: number;
}

/** Display width in code points (wide East Asian characters count as one: good enough for a table). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to `width` characters, the last one an ellipsis when anything was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  return [...text].slice(0, Math.max(0, width - 1)).join('') + '…';
}

function cellText(cell: Cell | undefined): string {
  if (cell === undefined) return '';
  // Newlines and tabs would break the grid; other controls are shown, not obeyed (sanitize.ts).
  return terminalLine(typeof cell === 'string' ? cell : cell.text).replace(/\s+/g, ' ');
}

/** Column widths after shrinking `shrink` columns, widest first, until the row fits `width`. */
export function fitWidths(columns: Column[], natural: number[], width: number, gap: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, columns.length - 1) - width;
  while (excess > 0) {
    let pick = -1;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i]!;
      const min = Math.max(col.minWidth ?? 8, 1);
      if (col.shrink && widths[i]! > min && (pick === -1 || widths[i]! > widths[pick]!)) pick = i;
    }
    if (pick === -1) break; // nothing left to give: the table overflows rather than lose more
    widths[pick]!--;
    excess--;
  }
  return widths;
}

export function renderTable(columns: Column[], rows: Cell[][], options: TableOptions): string {
  const gap = options.gap ?? 2;
  const p = paint(options.color);
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const natural = columns.map((col, i) => Math.max(textWidth(col.header), ...texts.map((r) => textWidth(r[i]!))));
  const widths = fitWidths(columns, natural, options.width, gap);

  const line = (cells: string[], styles: Array<Style | undefined>) => {
    const parts = cells.map((text, i) => {
      const col = columns[i]!;
      const w = widths[i]!;
      const cut = truncate(text, w);
      const pad = ' '.repeat(Math.max(0, w - textWidth(cut)));
      const last = i === cells.length - 1;
      const styled = p(styles[i], cut);
      if (col.align === 'right') return pad + styled;
      return last ? styled : styled + pad;
    });
    return parts.join(' '.repeat(gap)).replace(/\s+$/, '');
  };

  const out = [line(columns.map((c) => c.header), columns.map(() => 'bold'))];
  rows.forEach((row, r) => {
    const styles = columns.map((col, i) => {
      const cell = row[i];
      return typeof cell === 'object' && cell.style !== undefined ? cell.style : col.style;
    });
    out.push(line(texts[r]!, styles));
  });
  return out.join('\n') + '\n';
}

/** `label  value` pairs, labels aligned, values wrapped to nothing: long values are truncated to fit. */
export function renderFields(fields: Array<[string, string | undefined | null]>, options: TableOptions): string {
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== null && f[1] !== '');
  const labelWidth = Math.max(0, ...shown.map(([label]) => textWidth(label)));
  const p = paint(options.color);
  return shown
    .map(([label, value]) => {
      const room = Math.max(10, options.width - labelWidth - 4);
      return `  ${p('dim', label.padEnd(labelWidth))}  ${truncate(terminalLine(value).replace(/\s+/g, ' '), room)}`;
    })
    .join('\n') + (shown.length > 0 ? '\n' : '');
}
