/**
 * Aligned text tables that fit the terminal: columns marked `shrink` give up width (their cells
 * end in `…`) until the table fits; when that is not enough (a 60-column terminal), columns with
 * a `priority` go by it, lowest first: a `wrap` column moves under its row, word-wrapped, any
 * other is left out. So a narrow terminal gets fewer columns, not rows that all wrap. Widths are
 * measured on plain text; colour is applied after padding so escapes never disturb alignment.
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
  /** When the table does not fit: lower goes first (default: never). */
  priority?: number;
  /** Its turn by priority moves the cells under their row (wrapped) instead of leaving them out. */
  wrap?: boolean;
  /** The header used when the table does not fit at natural width (`compatible` for `latest compatible`). */
  shortHeader?: string;
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

/** Words of plain `text` in lines of at most `width` characters; a longer word (a URL, a hash) is split, never cut. */
export function wrapText(text: string, width: number): string[] {
  const room = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate) <= room) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    const chars = [...word];
    while (chars.length > room) lines.push(chars.splice(0, room).join(''));
    line = chars.join('');
  }
  if (line !== '') lines.push(line);
  return lines;
}

interface Layout {
  /** Indexes of the columns shown side by side, in order. */
  shown: number[];
  /** Indexes of the columns shown under each row. */
  below: number[];
  headers: string[];
  widths: number[];
}

const total = (widths: number[], gap: number) => widths.reduce((a, b) => a + b, 0) + gap * Math.max(0, widths.length - 1);

/** Which columns are shown where, and how wide, for the table to fit `width`. */
export function layoutTable(columns: Column[], texts: string[][], width: number, gap: number): Layout {
  const natural = (i: number, header: string) => Math.max(textWidth(header), ...texts.map((r) => textWidth(r[i]!)));
  const all = columns.map((_, i) => i);
  const full = all.map((i) => natural(i, columns[i]!.header));
  if (total(full, gap) <= width) return { shown: all, below: [], headers: columns.map((c) => c.header), widths: full };
  const headers = columns.map((c) => c.shortHeader ?? c.header);
  let shown = all;
  const below: number[] = [];
  for (;;) {
    const cols = shown.map((i) => columns[i]!);
    const widths = fitWidths(
      cols,
      shown.map((i) => natural(i, headers[i]!)),
      width,
      gap,
    );
    const next = shown.filter((i) => columns[i]!.priority !== undefined).sort((a, b) => columns[a]!.priority! - columns[b]!.priority!)[0];
    if (total(widths, gap) <= width || next === undefined) return { shown, below, headers, widths };
    if (columns[next]!.wrap) below.push(next);
    shown = shown.filter((i) => i !== next);
  }
}

export function renderTable(columns: Column[], rows: Cell[][], options: TableOptions): string {
  const gap = options.gap ?? 2;
  const p = paint(options.color);
  const texts = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const { shown, below, headers, widths } = layoutTable(columns, texts, options.width, gap);

  const line = (cells: string[], styles: Array<Style | undefined>) => {
    const parts = shown.map((c, k) => {
      const col = columns[c]!;
      const w = widths[k]!;
      const cut = truncate(cells[c]!, w);
      const pad = ' '.repeat(Math.max(0, w - textWidth(cut)));
      const last = k === shown.length - 1;
      const styled = p(styles[c], cut);
      if (col.align === 'right') return pad + styled;
      return last ? styled : styled + pad;
    });
    return parts.join(' '.repeat(gap)).replace(/\s+$/, '');
  };

  const out = [
    line(
      headers,
      columns.map(() => 'bold'),
    ),
  ];
  rows.forEach((row, r) => {
    const styles = columns.map((col, i) => {
      const cell = row[i];
      return typeof cell === 'object' && cell.style !== undefined ? cell.style : col.style;
    });
    out.push(line(texts[r]!, styles));
    // Moved under the row: indented, so the eye still reads the rows first.
    for (const c of below) {
      for (const text of wrapText(texts[r]![c]!, Math.max(10, options.width - 4))) out.push(`    ${p(styles[c], text)}`);
    }
  });
  return out.join('\n') + '\n';
}

/** `label  value` pairs, labels aligned; a long value wraps under itself (a cut URL or command is of no use). */
export function renderFields(fields: Array<[string, string | undefined | null]>, options: TableOptions): string {
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== null && f[1] !== '');
  const labelWidth = Math.max(0, ...shown.map(([label]) => textWidth(label)));
  const p = paint(options.color);
  const room = Math.max(10, options.width - labelWidth - 4);
  const indent = ' '.repeat(labelWidth + 4);
  return (
    shown
      .map(([label, value]) => {
        const [first = '', ...rest] = wrapText(terminalLine(value).replace(/\s+/g, ' '), room);
        return [`  ${p('dim', label.padEnd(labelWidth))}  ${first}`, ...rest.map((l) => `${indent}${l}`)].join('\n');
      })
      .join('\n') + (shown.length > 0 ? '\n' : '')
  );
}

/** A line of plain text wrapped to the width (a pipe has none: the line stays whole). */
export function wrapLine(text: string, width: number): string {
  return width >= Number.MAX_SAFE_INTEGER ? text : wrapText(text, width).join('\n');
}
