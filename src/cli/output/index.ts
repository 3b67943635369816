/** Shared rendering for every command's human output. */
export { paint, stripAnsi, STYLES, type Paint, type Style } from './color.ts';
export {
  renderTable,
  renderFields,
  truncate,
  textWidth,
  fitWidths,
  wrapLine,
  wrapText,
  type Cell,
  type Column,
  type TableOptions,
} from './table.ts';
export { formatCount, formatDate, formatRating, writeJson } from './format.ts';
export { terminalLine, terminalStream, terminalText } from './sanitize.ts';
