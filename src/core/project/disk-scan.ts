/**
 * Disk conveniences over DiskProjectFiles for scripts, benchmarks and tests that start from a
 * path: the scan of a directory (or of one manifest file), and the discovered files with their
 * absolute paths.
 */
import path from 'node:path';
import { manifestKindOf, selectProjectFiles, type DiscoveredFile } from '../python/discover.ts';
import { scanFiles, type ScannedProject } from '../python/scan.ts';
import { DiskProjectFiles } from './disk-files.ts';

export async function scanProject(given: string): Promise<ScannedProject> {
  const { files, only } = await DiskProjectFiles.open(given);
  return scanFiles(files, { only });
}

export async function discoverFiles(root: string): Promise<Array<DiscoveredFile & { path: string }>> {
  const { files, only } = await DiskProjectFiles.open(root);
  const found =
    only !== undefined
      ? [{ relative: only, kind: manifestKindOf(only) ?? 'requirements' }]
      : selectProjectFiles((await files.list()).map((e) => e.path));
  return found.map((f) => ({ ...f, path: path.join(files.root, ...f.relative.split('/')) }));
}
