/**
 * A set of planned changes in words: a one-line title and a Markdown body fragment, for a pull
 * request (the bot), a commit message or a summary. Untrusted text (names, versions, reasons)
 * is escaped; titles are one plain line without control characters.
 */
import { reportEnvironments, type Report } from '../analysis/report.ts';
import type { LockPlan, PlannedChange, SkippedChange } from '../project/plan-update.ts';
import { publisherWarning } from '../analysis/publisher.ts';
import { singleLine } from './escape.ts';
import { cell, code, codeCell, text } from './markdown.ts';
import { fapilogLine, type SummaryWording } from './summary.ts';

/** A table cell or list text (markdown.ts escapes HTML too: PR bodies render it). */
const safe = cell;

/** A title is one plain line: line breaks become spaces, other controls are made visible. */
function plain(s: string): string {
  return singleLine(s).trim();
}

/** `Update fapilog-loki to 1.4.0`, `Update fapilog-loki and fapilog-kafka`, `Update 3 fapilog plugins`. */
export function planTitle(planned: readonly PlannedChange[]): string {
  const packages = [...new Set(planned.map((c) => c.package))];
  if (packages.length === 0) return 'Update fapilog plugins';
  if (packages.length === 1) {
    const targets = [...new Set(planned.map((c) => c.target))];
    return plain(`Update ${packages[0]}${targets.length === 1 ? ` to ${targets[0]}` : ''}`);
  }
  if (packages.length === 2) return plain(`Update ${packages[0]} and ${packages[1]}`);
  return `Update ${packages.length} fapilog plugins`;
}

export interface PlanBodyInput {
  planned: readonly PlannedChange[];
  skipped?: readonly SkippedChange[] | undefined;
  lock?: readonly LockPlan[] | undefined;
  /** When given, the fapilog version the targets were chosen for is stated. */
  report?: Report | undefined;
}

/**
 * The body fragment: what moves where and why (with a warning for each target whose publisher
 * changed: `PlannedChange.publisherChange`, which planUpdate fills), what was left alone, and the
 * lock commands to run.
 */
export function planBody(plan: PlanBodyInput, wording: SummaryWording = {}): string {
  const lines: string[] = [];
  if (plan.report) {
    const envs = reportEnvironments(plan.report);
    if (envs.length <= 1) lines.push(`Targets chosen for ${fapilogLine(plan.report, wording)}.`, '');
    else {
      // Each environment's own fapilog, for the environments these changes touch.
      const touched = new Set(plan.planned.flatMap((c) => c.environments ?? []));
      const shown = envs.filter((e) => touched.size === 0 || touched.has(e.dir));
      lines.push("Targets chosen for each environment's own fapilog:", '');
      for (const e of shown) lines.push(`- ${code(e.dir)}: ${fapilogLine(plan.report, wording, e.fapilog)}`);
      lines.push('');
    }
  }
  if (plan.planned.length > 0) {
    lines.push('| Plugin | From | To | Status | Where |', '| --- | --- | --- | --- | --- |');
    for (const c of plan.planned) {
      const spec =
        c.from === c.to
          ? `${codeCell(c.to || '(any)')} (already admits ${safe(c.target)}; lockfile only)`
          : `${codeCell(c.from || '(any)')} → ${codeCell(c.to)}`;
      lines.push(
        `| ${safe(c.package)} | ${safe(c.current)} | ${safe(c.target)} | ${safe(c.status)}${c.downgrade ? ' (a downgrade, to leave it)' : ''} | ${safe(`${c.file}:${c.line}`)} ${spec}${c.hashesReplaced ? ' (hashes replaced)' : ''} |`,
      );
    }
    lines.push('');
    const changed = [...new Set(plan.planned.flatMap((c) => (c.publisherChange ? [publisherWarning(c.package, c.publisherChange)] : [])))];
    if (changed.length > 0) {
      lines.push('> [!WARNING]', '> **Publisher changed:** check that each new publisher is one you trust before merging.', '>');
      for (const w of changed) lines.push(`> - ${text(w)}`);
      lines.push('');
    }
  }
  const skipped = plan.skipped ?? [];
  if (skipped.length > 0) {
    lines.push('Not updated:', '');
    for (const s of skipped) lines.push(`- ${code(s.package)} (${safe(`${s.file}:${s.line}`)}): ${safe(s.reason)}`);
    lines.push('');
  }
  const lock = plan.lock ?? [];
  if (lock.length > 0) {
    lines.push('Lockfiles are not edited by hand; refresh them with:', '');
    for (const l of lock) lines.push(`- ${code(l.lockfile)}: ${code(l.display)}${l.directory ? ` in ${code(l.directory)}` : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
