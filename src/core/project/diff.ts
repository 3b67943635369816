/** Unified diffs of manifest edits, as `git diff` shows them (a/ and b/ prefixes, 3 lines of context). */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 });
  // jsdiff starts with an `Index:`-style separator line that git and patch(1) do not need.
  return patch.replace(/^=+\n/, '');
}
