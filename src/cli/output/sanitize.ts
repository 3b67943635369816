/**
 * What reaches a terminal: text from a manifest or a marketplace answer must not be able to move
 * the cursor, recolour or hide output, set the window title, print a hyperlink (OSC 8) or ring
 * the bell. Two layers:
 *
 * - `terminalText` / `terminalLine` for a value a printer places (a table cell, a field, a note):
 *   every control character, ESC included, is shown as `\uXXXX` (escape.ts); a cell is one line;
 * - `terminalStream` for everything written to stdout/stderr (program.ts wraps the CLI's io with
 *   it): line breaks, tabs and the colours paint() writes (SGR `ESC[31m`...) pass, everything
 *   else is made visible, so a command that prints raw text cannot leak a control sequence
 *   either. `\uXXXX` is also a JSON string escape, so --json stays parseable.
 */
import { CONTROL_CHARS, singleLine, visibleControl } from '../../core/render/escape.ts';

/** A value inside a line the printer lays out: one line, controls visible. */
export function terminalLine(s: string): string {
  return singleLine(s);
}

/** A value that may span lines where the renderer put them: controls visible, `\n` kept. */
export function terminalText(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(CONTROL_CHARS, (c) => (c === '\n' ? c : visibleControl(c)));
}

// The SGR codes paint() writes (color.ts STYLES; test/cli/escape-terminal.test.ts keeps the two
// in step); any other ESC, lone or in another sequence, is made visible.
// eslint-disable-next-line no-control-regex
const STREAM =
  /(\u001b\[(?:1|2|22|3[1-6]|39)m)|(\r\n)|[\n\t]|([\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069])/g;

// Every character STREAM might change: without one (most output, and all of --json's megabytes of
// line breaks) the text passes as it is, without a replacer call per line break.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A chunk of output on its way to a terminal (or a pipe): only our own escapes survive. */
export function terminalStream(s: string): string {
  if (!SUSPECT.test(s)) return s;
  return s.replace(STREAM, (m, sgr: string | undefined, crlf: string | undefined, control: string | undefined) => {
    if (sgr !== undefined || crlf !== undefined || control === undefined) return m;
    return visibleControl(control);
  });
}
