/**
 * Reading entries of an uploaded zip (a wheel) from disk with bounded cost: the central directory
 * is read with a size cap, only the wanted entries are inflated, and each one inflates into at
 * most `maxEntryBytes` (and all of them into `maxTotalBytes`) with zlib's `maxOutputLength`, so a
 * 1 MB wheel whose METADATA inflates to 1 GiB costs at most the limit, not 2 GB and a 500.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { HttpError } from './errors.ts';

export interface ZipLimits {
  /** Uncompressed bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all inspected entries together. */
  maxTotalBytes: number;
  /** Entries in the central directory. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
  maxEntries: 10_000,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function readAt(fd: number, offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, out, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/**
 * The wanted entries' contents, in central-directory order. `filename` is for messages.
 * Throws HttpError 400: `invalid_file` for a broken archive, `archive_too_large` over a limit.
 */
export function readZipEntries(
  file: string,
  filename: string,
  want: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = [];
  visitZipEntries(file, filename, want, limits, (name, data) => out.push({ name, data }));
  return out;
}

/** Limits for reading every entry once (RECORD verification): larger, each entry is dropped after hashing. */
export const HASH_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

/**
 * Every entry's name (directories included, in central-directory order) and, for the wanted
 * ones, the inflated data handed to `visit` one at a time (it need not keep them).
 */
export function visitZipEntries(
  file: string,
  filename: string,
  want: (name: string) => boolean,
  limits: ZipLimits,
  visit: (name: string, data: Buffer) => void,
): string[] {
  const broken = (why: string) => new HttpError(400, 'invalid_file', `${filename} is not a valid zip archive (${why})`);
  const tooLarge = (what: string) => new HttpError(400, 'archive_too_large', `${filename}: ${what}`);
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw broken('no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw broken('zip64 is not supported for wheels');
    if (count > limits.maxEntries) throw tooLarge(`more than ${limits.maxEntries} entries`);
    if (cdOffset + cdSize > size) throw broken('central directory out of range');
    const cd = readAt(fd, cdOffset, cdSize);
    const names: string[] = [];
    let total = 0;
    let at = 0;
    for (let n = 0; n < count; n++) {
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw broken('bad central directory entry');
      const method = cd.readUInt16LE(at + 10);
      const compressed = cd.readUInt32LE(at + 20);
      const declared = cd.readUInt32LE(at + 24);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      const localOffset = cd.readUInt32LE(at + 42);
      const name = cd.subarray(at + 46, at + 46 + nameLength).toString('utf8');
      at += 46 + nameLength + extraLength + commentLength;
      names.push(name);
      if (!want(name)) continue;
      // The declared size may lie (a bomb says it is small); it is only used to refuse early.
      const left = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
      const limitText = left === limits.maxEntryBytes ? `${limits.maxEntryBytes} bytes per entry` : `${limits.maxTotalBytes} bytes in all`;
      if (declared > left) throw tooLarge(`${name} inflates to ${declared} bytes, over the limit of ${limitText}`);
      const local = readAt(fd, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw broken(`bad local header for ${name}`);
      const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataStart + compressed > size) throw broken(`${name} runs past the end of the file`);
      if (compressed > left + 1024 * 64 && method === 0) throw tooLarge(`${name} is over the limit of ${limitText}`);
      // Deflate never needs much more than its output; a larger compressed entry is out of bounds too.
      if (compressed > left * 2 + 1024 * 64) throw tooLarge(`${name} is over the limit of ${limitText}`);
      const raw = readAt(fd, dataStart, compressed);
      let data: Buffer;
      if (method === 0) {
        data = raw;
      } else if (method === 8) {
        try {
          data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, left) });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
            throw tooLarge(`${name} inflates to more than the limit of ${limitText}`);
          }
          throw broken(`${name} does not inflate`);
        }
      } else {
        throw broken(`${name} uses compression method ${method}`);
      }
      if (data.length > left) throw tooLarge(`${name} inflates to more than the limit of ${limitText}`);
      total += data.length;
      visit(name, data);
    }
    return names;
  } finally {
    fs.closeSync(fd);
  }
}
