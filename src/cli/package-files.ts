/**
 * Files the npm package ships beside its code (examples/, app.yml), found from wherever this
 * module's code was loaded: the checkout's TypeScript sources, the tsc output beside them, or the
 * bundled CLI in lib/cli/ (where the sources' relative URLs would point outside the package).
 * The package root is the nearest directory above that holds this tool's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_NAME } from '../core/version.ts';

let root: string | undefined;

function packageRoot(): string {
  if (root !== undefined) return root;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === TOOL_NAME) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`no ${TOOL_NAME} package.json above ${start}`);
  }
}

/** The absolute path of `relative` (slash-separated) in the package. */
export function packageFile(relative: string): string {
  return path.join(packageRoot(), ...relative.split('/'));
}
