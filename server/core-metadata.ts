/**
 * PEP 658 / 714: a wheel's METADATA served next to it as `<file>.metadata`, so pip and uv resolve
 * without downloading wheels. It is read from the stored wheel (its RECORD was verified at
 * publish) and remembered by the wheel's sha256: a stored file never changes, so an entry is never
 * stale. The memo is bounded in bytes; past the bound the oldest entries go.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/**
 * The wheel's `*.dist-info/METADATA` and its sha256; null for an sdist or an unreadable file.
 * The wheel is a file (`path`), or bytes from the database (`read`, looked at through a temp file).
 */
export async function coreMetadataOf(
  file: { filename: string; sha256: string } & ({ path: string } | { read: () => Promise<Uint8Array> }),
): Promise<CoreMetadataFile | null> {
  if (!file.filename.endsWith('.whl')) return null;
  const hit = memo.get(file.sha256);
  if (hit !== undefined) return hit;
  const want = (n: string) => /^[^/]+\.dist-info\/METADATA$/.test(n);
  let data: Buffer | undefined;
  try {
    if ('path' in file) data = readZipEntries(file.path, file.filename, want)[0]?.data;
    else {
      const temp = path.join(os.tmpdir(), `fapilog-wheel-${randomBytes(6).toString('hex')}.whl`);
      try {
        fs.writeFileSync(temp, await file.read());
        data = readZipEntries(temp, file.filename, want)[0]?.data;
      } finally {
        fs.rmSync(temp, { force: true });
      }
    }
  } catch {
    data = undefined; // a seeded or damaged file: offered without metadata, as before
  }
  return remember(file.sha256, data ? { data, sha256: createHash('sha256').update(data).digest('hex') } : null);
}
