/**
 * What an uploaded release file says about itself, read with bounded cost: a wheel's
 * `*.dist-info/METADATA` after every entry was checked against its RECORD (so the metadata is the
 * one pip installs), and an sdist's top-level PKG-INFO. The marketplace stores what these declare,
 * not what the publisher's JSON says (routes/publish.ts compares the two).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { normalizeName } from '../src/core/names.ts';
import { parseCoreMetadata, type CoreMetadata } from '../src/core/publish/metadata.ts';
import { entryDigest, recordProblem, type EntryDigest } from '../src/core/publish/record.ts';
import { HASH_ZIP_LIMITS, readZipEntries, visitZipEntries } from './archive.ts';
import { HttpError } from './errors.ts';
import { printable, sameVersion } from './validation.ts';

export interface InspectedWheel {
  metadata: CoreMetadata;
  /** The METADATA file's bytes exactly (served as the PEP 658 `.metadata` file). */
  metadataBytes: Buffer;
}

/**
 * Checks the wheel (one `.dist-info`, RECORD matching every entry: hash with sha256 or stronger,
 * size, nothing missing, nothing extra) and returns its METADATA, which must name this package
 * and version. 400 `invalid_file`, `record_mismatch` or `archive_too_large` otherwise.
 */
export function inspectWheel(file: string, filename: string, pkg: string, version: string): InspectedWheel {
  // dist-info files first, under the small per-entry limit: a METADATA bomb is refused as one.
  readZipEntries(file, filename, (n) => /^[^/]+\.dist-info\/[^/]+$/.test(n));
  const entries = new Map<string, EntryDigest>();
  let record: Buffer | null = null;
  let recordName: string | null = null;
  let metadataBytes: Buffer | null = null;
  const names = visitZipEntries(
    file,
    filename,
    (n) => !n.endsWith('/'),
    HASH_ZIP_LIMITS,
    (name, data) => {
      if (entries.has(name)) throw new HttpError(400, 'invalid_file', `${filename} holds ${printable(name)} twice`);
      entries.set(name, entryDigest(data));
      if (/^[^/]+\.dist-info\/RECORD$/.test(name)) {
        recordName = name;
        record = data;
      }
      if (/^[^/]+\.dist-info\/METADATA$/.test(name)) metadataBytes = data;
    },
  );
  const distInfos = new Set(names.map((n) => /^([^/]+\.dist-info)\//.exec(n)?.[1]).filter((d): d is string => d !== undefined));
  if (distInfos.size > 1)
    throw new HttpError(
      400,
      'invalid_file',
      `${filename} has ${distInfos.size} .dist-info directories (${[...distInfos].map(printable).join(', ')}); a wheel has one`,
    );
  if (metadataBytes === null) throw new HttpError(400, 'invalid_file', `${filename} has no .dist-info/METADATA`);
  const problem = recordProblem(record === null ? null : (record as Buffer).toString('utf8'), recordName, entries);
  if (problem)
    throw new HttpError(
      400,
      'record_mismatch',
      `${filename}: ${problem}; the wheel's RECORD must list every file with its sha256 and size`,
    );
  const metadata = parseMetadata(metadataBytes as Buffer, filename, 'METADATA');
  checkNameVersion(metadata, filename, 'METADATA', pkg, version);
  return { metadata, metadataBytes: metadataBytes as Buffer };
}

function parseMetadata(data: Buffer, filename: string, what: string): CoreMetadata {
  try {
    return parseCoreMetadata(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (err) {
    throw new HttpError(
      400,
      'invalid_file',
      `${filename}: its ${what} is not readable core metadata (${(err as Error).message.split('\n')[0]})`,
    );
  }
}

function checkNameVersion(meta: CoreMetadata, filename: string, what: string, pkg: string, version: string): void {
  if (normalizeName(meta.name) !== pkg || !sameVersion(meta.version, version)) {
    throw new HttpError(
      400,
      'invalid_file',
      `${filename}: its ${what} says ${printable(meta.name || '?')} ${printable(meta.version || '?')}, expected ${pkg} ${version}`,
    );
  }
}

export interface InspectedSdist {
  /** `dynamic` lists the fields the wheel may fill in differently. */
  metadata: CoreMetadata;
}

/** Decompressed tar bytes read while looking for PKG-INFO, and PKG-INFO's own size. */
export const SDIST_LIMITS = { maxScanBytes: 64 * 1024 * 1024, maxPkgInfoBytes: 1024 * 1024 };

/** The sdist's top-level PKG-INFO (tar.gz streamed through gunzip with a cap, or zip), checked for name and version. */
export async function inspectSdist(file: string, filename: string, pkg: string, version: string): Promise<InspectedSdist> {
  let data: Buffer | null;
  if (filename.endsWith('.zip')) {
    data = readZipEntries(file, filename, (n) => /^[^/]+\/PKG-INFO$/.test(n))[0]?.data ?? null;
  } else {
    data = await readTarPkgInfo(file, filename);
  }
  if (data === null) throw new HttpError(400, 'invalid_file', `${filename} has no top-level PKG-INFO`);
  const metadata = parseMetadata(data, filename, 'PKG-INFO');
  checkNameVersion(metadata, filename, 'PKG-INFO', pkg, version);
  return { metadata };
}

function readTarPkgInfo(file: string, filename: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | null, value: Buffer | null = null) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const source = fs.createReadStream(file);
    const gunzip = zlib.createGunzip();
    let scanned = 0;
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        if (!/^(?:\.\/)?[^/]+\/PKG-INFO$/.test(entry.path)) {
          entry.resume();
          return;
        }
        if (entry.size > SDIST_LIMITS.maxPkgInfoBytes) {
          done(new HttpError(400, 'archive_too_large', `${filename}: PKG-INFO is over the limit of ${SDIST_LIMITS.maxPkgInfoBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => done(null, Buffer.concat(chunks)));
      },
    });
    const broken = (err: Error) =>
      done(new HttpError(400, 'invalid_file', `${filename} is not a readable tar.gz archive (${err.message.split('\n')[0]})`));
    source.on('error', (err) => done(err));
    gunzip.on('error', broken);
    parser.on('error', broken);
    gunzip.on('data', (chunk: Buffer) => {
      scanned += chunk.length;
      if (scanned > SDIST_LIMITS.maxScanBytes) {
        done(
          new HttpError(400, 'archive_too_large', `${filename}: no top-level PKG-INFO within the first ${SDIST_LIMITS.maxScanBytes} bytes`),
        );
        return;
      }
      parser.write(chunk);
    });
    parser.on('end', () => done(null, null));
    gunzip.on('end', () => parser.end());
    source.pipe(gunzip);
  });
}
