/**
 * ANSI styling, switched on by the caller (ctx.color: a TTY and no NO_COLOR), never by sniffing
 * the process here, so that tests and --json stay plain.
 */
export const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof STYLES;

import { terminalStream } from './sanitize.ts';

export type Paint = (style: Style | undefined, text: string) => string;

export function paint(enabled: boolean): Paint {
  return (style, raw) => {
    // Painted text is often a manifest's or a marketplace's: no control sequence of its own.
    const text = terminalStream(raw);
    if (!enabled || style === undefined || text === '') return text;
    const [open, close] = STYLES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/** Text without ANSI escapes, e.g. to measure it. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
