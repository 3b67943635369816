/**
 * Annotations (the Action's workflow commands, the bot's check run): one per plugin with a
 * problem (and one more when its publisher changed), on the manifest line that pins it.
 * Rendered from a Report; the file path is made relative to the workspace because GitHub
 * resolves annotation paths against the repository root, while the Report's are relative to the
 * checked directory.
 */
import path from 'node:path';
import type { PluginEntry, Report, Status } from '../analysis/report.ts';
import { isUpdatable } from '../analysis/updatable.ts';
import { publisherWarning } from '../analysis/publisher.ts';
import { singleLine } from './escape.ts';
import { DEFAULT_UPDATE_COMMAND } from './summary.ts';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
  /** Posix path relative to the workspace. */
  file: string;
  startLine: number;
  endLine?: number;
  /** Only when the requirement sits on one line (GitHub ignores columns across lines). */
  startColumn?: number;
  /** Inclusive, as GitHub draws it. */
  endColumn?: number;
}

const LEVEL: Record<Status, AnnotationLevel | null> = {
  'up-to-date': null,
  outdated: 'warning',
  'held-back': 'warning',
  incompatible: 'error',
  yanked: 'error',
  vulnerable: 'error',
  unknown: 'notice',
};

function title(p: PluginEntry): string {
  const pinned = p.current ? `${p.package} ${p.current}` : p.package;
  switch (p.status) {
    case 'outdated':
      return `${pinned} is outdated${p.latestCompatible ? `: ${p.latestCompatible} is available` : ''}`;
    case 'held-back':
      return `${p.package} is held back by fapilog${p.requiresFapilog ? ` (newer releases need fapilog ${p.requiresFapilog})` : ''}`;
    case 'incompatible':
      return `${pinned} is incompatible with your fapilog`;
    case 'yanked':
      return `${pinned} was yanked`;
    case 'vulnerable':
      return `${pinned} is affected by ${(p.advisories ?? []).map((a) => a.id).join(', ') || 'a security advisory'}`;
    default:
      return `${p.package}: not found in the marketplace`;
  }
}

function message(p: PluginEntry, updateCommand: string): string {
  const fix = isUpdatable(p) ? ` Fix: ${updateCommand} ${p.package}` : '';
  return `${p.note}${fix}`;
}

/** Turns `report.root`-relative manifest paths into workspace-relative posix paths. */
export function workspacePath(report: Report, file: string, workspace: string): string {
  const abs = path.resolve(report.root, file);
  const rel = path.relative(path.resolve(workspace), abs);
  return rel.split(path.sep).join('/');
}

/**
 * One annotation per plugin with a problem, and a warning per changed publisher. `workspace` is
 * where annotation paths are relative to (the repository root); `updateCommand` is the fix a
 * front end suggests.
 */
export function renderAnnotations(report: Report, workspace: string, updateCommand = DEFAULT_UPDATE_COMMAND): Annotation[] {
  const out: Annotation[] = [];
  for (const p of report.plugins) {
    const level = LEVEL[p.status];
    if (level !== null) out.push(at(report, p, workspace, { level, title: title(p), message: message(p, updateCommand) }));
    // Its own annotation, so that it shows whatever the status's annotation says.
    const change = p.publisherChange;
    if (change) {
      out.push(
        at(report, p, workspace, {
          level: 'warning',
          title: `${p.package} ${change.version}: the publisher changed`,
          message:
            `${publisherWarning(p.package, change)}. Check that the new publisher is one you trust ` +
            `before moving to ${change.version}.`,
        }),
      );
    }
  }
  return out;
}

/** An annotation on the requirement's own span. */
function at(report: Report, p: PluginEntry, workspace: string, what: Pick<Annotation, 'level' | 'title' | 'message'>): Annotation {
  const loc = p.location;
  // One line each, controls visible: titles and messages hold manifest and marketplace text.
  const a: Annotation = {
    level: what.level,
    title: singleLine(what.title),
    message: singleLine(what.message),
    file: workspacePath(report, loc.file, workspace),
    startLine: loc.line,
  };
  if (loc.endLine === loc.line) {
    a.startColumn = loc.column;
    // The Report's endColumn is exclusive; GitHub's is the last column highlighted.
    a.endColumn = Math.max(loc.column, loc.endColumn - 1);
  } else {
    a.endLine = loc.endLine;
  }
  return a;
}
