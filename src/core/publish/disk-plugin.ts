/**
 * A plugin project and its dist directory on disk, as the ProjectFiles publishing reads (the CLI,
 * the Action and scripts start from paths): the project's own files (pyproject.toml, the version
 * file hatchling reads, the README, the LICENSE files at its root) and every file of the dist
 * directory at any size (an oversized wheel is a finding, not a read error); and writing a
 * version bump, file by file, each atomically and only while it still holds the planned bytes.
 */
import path from 'node:path';
import { replaceFileAtomically } from '../atomic-file.ts';
import { decodeBytes } from '../bytes.ts';
import { DiskProjectFiles } from '../project/disk-files.ts';
import { BumpError, planBump, verifyBumpEdit, type BumpPlan } from './bump.ts';
import { preparePublish, type PrepareOptions, type PublishPlan } from './plan.ts';

const everything = () => true;

/** The project directory: its root's files listed (LICENSE*), any file inside it read by path. */
export function pluginProjectFiles(dir: string): DiskProjectFiles {
  return new DiskProjectFiles(dir, { select: everything, topLevelOnly: true });
}

/** The dist directory: every file at its root, whatever its size. */
export function pluginDistFiles(dir: string): DiskProjectFiles {
  return new DiskProjectFiles(dir, { select: everything, topLevelOnly: true, maxFileBytes: Number.POSITIVE_INFINITY });
}

export interface DiskPrepareOptions extends Omit<PrepareOptions, 'project' | 'dist'> {
  projectDir: string;
  /** Where the built files are, relative to projectDir; default `dist`. */
  distDir?: string | undefined;
}

export function preparePublishOnDisk(opts: DiskPrepareOptions): Promise<PublishPlan> {
  const { projectDir: given, distDir: distGiven, ...rest } = opts;
  const projectDir = path.resolve(given);
  return preparePublish({
    ...rest,
    project: pluginProjectFiles(projectDir),
    dist: pluginDistFiles(path.resolve(projectDir, distGiven ?? 'dist')),
  });
}

export function planBumpOnDisk(projectDir: string, kind: string): Promise<BumpPlan> {
  return planBump(pluginProjectFiles(path.resolve(projectDir)), kind);
}

/** The absolute path of a bump edit's file. */
export function bumpFilePath(plan: BumpPlan, file: string): string {
  return path.join(plan.projectDir, ...file.split('/'));
}

/** Writes each edit atomically, after checking the file is unchanged and the edit reads back as the new version. */
export async function applyBump(plan: BumpPlan): Promise<void> {
  const files = pluginProjectFiles(plan.projectDir);
  for (const edit of plan.edits) {
    const target = bumpFilePath(plan, edit.file);
    const current = await files.read(edit.file);
    if (current === null || decodeBytes(current) !== edit.oldText)
      throw new BumpError(`${target} changed while bumping; run the command again`);
    await verifyBumpEdit(plan, edit, files);
    await replaceFileAtomically(target, edit.newText);
  }
}
