/**
 * Building a FileChange from a file as it was read and its edited text, and the one check every
 * planned change passes: the new bytes are the old bytes with only the edited spans replaced.
 */
import { decodeBytes, encodeText, EncodingError } from '../bytes.ts';
import { CoreError } from '../errors.ts';
import type { Edit } from '../python/rewrite.ts';
import { outsideSpansUnchanged } from '../python/verify.ts';
import type { SourceFile } from '../python/scan.ts';
import { unifiedDiff } from './diff.ts';
import type { FileChange } from '../files.ts';

/** Bytes that are not UTF-8 show in a diff as `\xNN` (a terminal would print U+FFFD). */
function visible(text: string): string {
  return text.replace(/[\uDC80-\uDCFF]/g, (c) => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16).toUpperCase()}`);
}

/**
 * The change that turns `source` into `afterText`. `edits`, when given, are the spans that were
 * replaced: the text outside them must be untouched, and the bytes must round-trip exactly.
 */
export function fileChange(source: SourceFile, afterText: string, edits?: readonly Edit[]): FileChange {
  if (edits && !outsideSpansUnchanged(source.text, afterText, edits)) {
    throw new CoreError('edit-rejected', `${source.path}: the edit would change text outside the edited spans; nothing was changed`, {
      files: [source.path],
    });
  }
  let after: Uint8Array;
  try {
    after = encodeText(afterText);
  } catch (err) {
    if (err instanceof EncodingError)
      throw new CoreError('edit-rejected', `${source.path}: ${err.message}; nothing was changed`, { files: [source.path], cause: err });
    throw err;
  }
  // Decoding is lossless by construction; this proves it for these bytes before anyone writes them.
  if (decodeBytes(after) !== afterText) {
    throw new CoreError('edit-rejected', `${source.path}: the edited text does not survive encoding; nothing was changed`, {
      files: [source.path],
    });
  }
  return { path: source.path, before: source.bytes, after, diff: unifiedDiff(source.path, visible(source.text), visible(afterText)) };
}
