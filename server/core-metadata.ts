/**
 * PEP 658 / 714: a wheel's METADATA served next to it as `<file>.metadata`, so pip and uv resolve
 * without downloading wheels. It is read from the stored wheel (its RECORD was verified at
 * publish) and remembered by the wheel's sha256: a stored file never changes, so an entry is never
 * stale. The memo is bounded in bytes; past the bound the oldest entries go.
 */
import { createHash } from 'node:crypto';
import { readZipEntries } from './archive.ts';

export interface CoreMetadataFile {
  data: Buffer;
  sha256: string;
}

const MAX_MEMO_BYTES = 32 * 1024 * 1024;
const memo = new Map<string, CoreMetadataFile | null>();
let memoBytes = 0;

function remember(key: string, value: CoreMetadataFile | null): CoreMetadataFile | null {
  const size = (value?.data.length ?? 0) + 128;
  while (memoBytes + size > MAX_MEMO_BYTES && memo.size > 0) {
    const [oldest, entry] = memo.entries().next().value as [string, CoreMetadataFile | null];
    memo.delete(oldest);
    memoBytes -= (entry?.data.length ?? 0) + 128;
  }
  memo.set(key, value);
  memoBytes += size;
  return value;
}

/** The wheel's `*.dist-info/METADATA` and its sha256; null for an sdist or an unreadable file. */
export function coreMetadataOf(file: { path: string; filename: string; sha256: string }): CoreMetadataFile | null {
  if (!file.filename.endsWith('.whl')) return null;
  const hit = memo.get(file.sha256);
  if (hit !== undefined) return hit;
  let data: Buffer | undefined;
  try {
    data = readZipEntries(file.path, file.filename, (n) => /^[^/]+\.dist-info\/METADATA$/.test(n))[0]?.data;
  } catch {
    data = undefined; // a seeded or damaged file: offered without metadata, as before
  }
  return remember(file.sha256, data ? { data, sha256: createHash('sha256').update(data).digest('hex') } : null);
}
