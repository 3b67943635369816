/**
 * What every medium's escaping shares: which characters are "control" (they move the cursor,
 * start an escape sequence, reorder or hide text) and how one is shown instead, as `\uXXXX`.
 * That spelling is also a valid JSON string escape, so a visible control inside JSON output keeps
 * the document parseable.
 *
 * The media themselves: Markdown in ./markdown.ts, workflow commands in src/action/log.ts,
 * terminals in src/cli/output/sanitize.ts.
 */

/**
 * C0, DEL, C1 (U+0080-U+009F: 8-bit CSI/OSC to some terminals), the bidi embeddings, overrides
 * and isolates, LRM/RLM, the line/paragraph separators and a stray BOM. Zero-width joiners stay:
 * emoji are made of them.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `\u001b` for ESC: the visible spelling of one control character. */
export function visibleControl(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Every control character made visible (newlines and tabs too). */
export function showControls(s: string): string {
  return s.replace(CONTROL_CHARS, visibleControl);
}

/**
 * One line of text: each run of line breaks (`\r\n`, `\n`, `\r`, U+2028/9) becomes one space,
 * tabs become spaces, and any other control character is made visible.
 */
export function singleLine(s: string): string {
  return showControls(s.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\t/g, ' '));
}
