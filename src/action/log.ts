/**
 * The Action's log is read by the runner: a line that starts with `::` (after leading blanks) is
 * a workflow command (`::error file=...::`, `::add-mask::`, `::stop-commands::`), and the older
 * `##[command]` form is matched anywhere in a line. Text from a manifest, a marketplace answer or
 * an upload therefore never reaches stdout as is:
 *
 * - in a command's message or properties, @actions/core's own escaping (toCommandValue,
 *   escapeData, escapeProperty) applies; `commandData` / `commandProperty` are the same rules
 *   for anything we issue ourselves;
 * - in a plain log line (core.info), `logLine` keeps the line one line (`%0A`, `%0D`: the
 *   runner's own spelling), makes other controls visible (ANSI escapes would recolour or hide
 *   the log), and breaks a leading `::` and any `##[` so the runner sees no command.
 */
import { CONTROL_CHARS, visibleControl } from '../core/render/escape.ts';

/** A workflow command's data: what @actions/core's escapeData does. */
export function commandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: escapeProperty (`:` and `,` end a property). */
export function commandProperty(s: string): string {
  return commandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One plain log line that embeds untrusted text, made inert for the runner. */
export function logLine(s: string): string {
  const oneLine = commandData(s).replace(/\t/g, ' ').replace(CONTROL_CHARS, visibleControl);
  // `%3A:` reads as "::" escaped, in the runner's own spelling; `#%23[` likewise for `##[`.
  return oneLine.replace(/^(\s*):(?=:)/, '$1%3A').replace(/##\[/g, '#%23[');
}
