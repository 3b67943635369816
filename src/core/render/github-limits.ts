/**
 * GitHub's caps on what a step shows, in one place for every front end that writes to GitHub
 * (the Action's annotations, job summary and outputs; the bot's comments and check runs). Past
 * them GitHub drops things silently (annotations beyond 10 per level per step), or whole (a job
 * summary over 1 MiB is rejected, outputs over 1 MB per job fail the job). Everything here keeps
 * the most important part, and says what was left out.
 */
import type { Report, Status } from '../analysis/report.ts';
import type { Annotation, AnnotationLevel } from './annotations.ts';

export const GITHUB_LIMITS = {
  /** Annotations GitHub shows per level (error, warning, notice) for one step. */
  annotationsPerLevelPerStep: 10,
  /** Annotations GitHub shows for one job, all steps together. */
  annotationsPerJob: 50,
  /** A step's job summary; over it the whole summary is rejected. */
  summaryBytes: 1024 * 1024,
  /** All outputs of one job together. */
  outputBytesPerJob: 1_000_000,
  /** An issue or pull request comment or body. */
  commentChars: 65_536,
} as const;

/** The summary's share: room is left for the line a failing runner appends. */
export const SUMMARY_BUDGET_BYTES = GITHUB_LIMITS.summaryBytes - 16 * 1024;
/** The `report` output's share of the job's 1 MB, leaving the rest to the job's other steps. */
export const REPORT_OUTPUT_BUDGET_BYTES = 512 * 1024;

const LEVELS: readonly AnnotationLevel[] = ['error', 'warning', 'notice'];

/**
 * At most `perLevel` annotations of each level and `total` in all, errors first, then warnings,
 * then notices (each in report order); when any are left out, one more annotation of the most
 * severe level that lost some says how many, and it counts within the caps (so GitHub shows it).
 */
export function limitAnnotations(
  all: readonly Annotation[],
  limits: { perLevel?: number; total?: number; hint?: string } = {},
): Annotation[] {
  const perLevel = limits.perLevel ?? GITHUB_LIMITS.annotationsPerLevelPerStep;
  const total = limits.total ?? GITHUB_LIMITS.annotationsPerJob;
  const byLevel = new Map(LEVELS.map((l) => [l, all.filter((a) => a.level === l)]));
  const kept = new Map(LEVELS.map((l) => [l, Math.min(perLevel, byLevel.get(l)!.length)]));
  const sum = () => LEVELS.reduce((n, l) => n + kept.get(l)!, 0);
  const leastSevereWithAny = () => [...LEVELS].reverse().find((l) => kept.get(l)! > 0);
  // The job-wide cap takes from the least severe first.
  while (sum() > total) kept.set(leastSevereWithAny()!, kept.get(leastSevereWithAny()!)! - 1);
  const moreLevel = LEVELS.find((l) => kept.get(l)! < byLevel.get(l)!.length);
  if (moreLevel) {
    // One slot for "and N more" at the most severe level that lost some, within both caps.
    if (kept.get(moreLevel)! + 1 > perLevel) kept.set(moreLevel, kept.get(moreLevel)! - 1);
    if (sum() + 1 > total) kept.set(leastSevereWithAny()!, kept.get(leastSevereWithAny()!)! - 1);
  }
  const left: string[] = [];
  let omitted = 0;
  for (const l of LEVELS) {
    const n = byLevel.get(l)!.length - kept.get(l)!;
    if (n > 0) left.push(`${n} ${l}${n === 1 ? '' : 's'}`);
    omitted += n;
  }
  const out: Annotation[] = [];
  for (const l of LEVELS) {
    out.push(...byLevel.get(l)!.slice(0, kept.get(l)!));
    if (l === moreLevel) out.push(moreAnnotation(l, omitted, left, limits.hint));
  }
  return out;
}

function moreAnnotation(level: AnnotationLevel, omitted: number, left: string[], hint: string | undefined): Annotation {
  return {
    level,
    title: `and ${omitted} more`,
    message:
      `${omitted} more annotation${omitted === 1 ? ' was' : 's were'} left out (${left.join(', ')}): ` +
      `GitHub shows ${GITHUB_LIMITS.annotationsPerLevelPerStep} per level per step and ` +
      `${GITHUB_LIMITS.annotationsPerJob} per job.${hint ? ` ${hint}` : ''}`,
    file: '',
    startLine: 0,
  };
}

/**
 * `markdown` if it fits in `maxBytes` (UTF-8) and `maxChars`; otherwise its first lines that fit,
 * an open code fence closed, and `note(omitted)` as the last paragraph saying what was left out.
 */
export function fitMarkdown(
  markdown: string,
  limits: { maxBytes?: number; maxChars?: number },
  note: (omitted: { lines: number; bytes: number }) => string,
): string {
  const maxBytes = limits.maxBytes ?? Infinity;
  const maxChars = limits.maxChars ?? Infinity;
  const fits = (s: string) => s.length <= maxChars && Buffer.byteLength(s, 'utf8') <= maxBytes;
  if (fits(markdown)) return markdown;
  const lines = markdown.split('\n');
  const totalBytes = Buffer.byteLength(markdown, 'utf8');
  // The note's own size barely depends on the numbers in it: measured with the largest.
  const reserve = note({ lines: lines.length, bytes: totalBytes });
  const room = { bytes: maxBytes - Buffer.byteLength(reserve, 'utf8') - 16, chars: maxChars - reserve.length - 16 };
  let bytes = 0;
  let chars = 0;
  let keep = 0;
  let fenced = false;
  for (; keep < lines.length; keep++) {
    const line = lines[keep]!;
    const b = Buffer.byteLength(line, 'utf8') + 1;
    // Room for a closing fence too, should the cut fall inside a code block.
    if (bytes + b + 4 > room.bytes || chars + line.length + 1 + 4 > room.chars) break;
    bytes += b;
    chars += line.length + 1;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
  }
  const head = lines.slice(0, keep);
  if (fenced) head.push('```');
  const omitted = { lines: lines.length - keep, bytes: totalBytes - bytes };
  return `${head.join('\n')}\n\n${note(omitted)}\n`;
}

/** Problems first (the most severe first), then the rest, each in report order. */
const ORDER: Record<Status, number> = {
  vulnerable: 0,
  yanked: 1,
  incompatible: 2,
  'held-back': 3,
  outdated: 4,
  unknown: 5,
  'up-to-date': 6,
};

/**
 * The report as JSON in at most `maxBytes`: whole when it fits; otherwise with the most important
 * plugins that fit (problems first), the counts still those of the whole report, and a warning
 * saying how many plugins were left out and where the whole report is (`fullReport`).
 */
export function boundedReportJson(report: Report, maxBytes: number, fullReport: string | null): { json: string; omitted: number } {
  const whole = JSON.stringify(report);
  if (Buffer.byteLength(whole, 'utf8') <= maxBytes) return { json: whole, omitted: 0 };
  const ranked = report.plugins.map((p, i) => ({ p, i })).sort((a, b) => ORDER[a.p.status] - ORDER[b.p.status] || a.i - b.i);
  const trimmed = (n: number) => {
    const keep = new Set(ranked.slice(0, n).map((r) => r.i));
    const omitted = report.plugins.length - n;
    const warning =
      `the report output was trimmed to stay under GitHub's output limit: ${omitted} of ` +
      `${report.plugins.length} plugins left out (problems kept ` +
      `first)${fullReport ? `; the whole report is in ${fullReport}` : ''}`;
    return JSON.stringify({ ...report, plugins: report.plugins.filter((_, i) => keep.has(i)), warnings: [...report.warnings, warning] });
  };
  let lo = 0;
  let hi = report.plugins.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Buffer.byteLength(trimmed(mid), 'utf8') <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  return { json: trimmed(lo), omitted: report.plugins.length - lo };
}
