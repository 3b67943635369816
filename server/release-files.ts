/**
 * What an uploaded release file says about itself, read with bounded cost: a wheel's
 * `*.dist-info/METADATA` after every entry was checked against its RECORD (so the metadata is the
 * one pip installs), and an sdist's top-level PKG-INFO. The marketplace stores what these declare,
 * not what the publisher's JSON says (routes/publish.ts compares the two).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { normalizeName } from '../src/core/names.ts';
import { parseCoreMetadata, parseHeaders, type CoreMetadata } from '../src/core/publish/metadata.ts';
import { HASH_ZIP_LIMITS, readZipEntries, visitZipEntries } from './archive.ts';
import { HttpError } from './errors.ts';
import { printable, sameVersion } from './validation.ts';

export interface InspectedWheel {
  metadata: CoreMetadata;
  /** The METADATA file's bytes exactly (served as the PEP 658 `.metadata` file). */
  metadataBytes: Buffer;
}

const RECORD_HASHES = new Set(['sha256', 'sha384', 'sha512']);

/** One line of a RECORD (Python's csv dialect: fields may be quoted, `""` is a quote). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

function recordMismatch(filename: string, why: string): HttpError {
  return new HttpError(400, 'record_mismatch', `${filename}: ${why}; the wheel's RECORD must list every file with its sha256 and size`);
}

/**
 * Checks the wheel (one `.dist-info`, RECORD matching every entry: hash with sha256 or stronger,
 * size, nothing missing, nothing extra) and returns its METADATA, which must name this package
 * and version. 400 `invalid_file`, `record_mismatch` or `archive_too_large` otherwise.
 */
export function inspectWheel(file: string, filename: string, pkg: string, version: string): InspectedWheel {
  const hashes = new Map<string, { sha256: string; sha384: string; sha512: string; size: number }>();
  let record: Buffer | null = null;
  let recordName: string | null = null;
  let metadataBytes: Buffer | null = null;
  const names = visitZipEntries(file, filename, (n) => !n.endsWith('/'), HASH_ZIP_LIMITS, (name, data) => {
    if (hashes.has(name)) throw new HttpError(400, 'invalid_file', `${filename} holds ${printable(name)} twice`);
    const digest = (alg: string) => createHash(alg).update(data).digest('base64url');
    hashes.set(name, { sha256: digest('sha256'), sha384: digest('sha384'), sha512: digest('sha512'), size: data.length });
    if (/^[^/]+\.dist-info\/RECORD$/.test(name)) {
      recordName = name;
      record = data;
    }
    if (/^[^/]+\.dist-info\/METADATA$/.test(name)) metadataBytes = data;
  });
  const distInfos = new Set(names.map((n) => /^([^/]+\.dist-info)\//.exec(n)?.[1]).filter((d): d is string => d !== undefined));
  if (distInfos.size > 1) throw new HttpError(400, 'invalid_file', `${filename} has ${distInfos.size} .dist-info directories (${[...distInfos].map(printable).join(', ')}); a wheel has one`);
  if (metadataBytes === null) throw new HttpError(400, 'invalid_file', `${filename} has no .dist-info/METADATA`);
  if (record === null || recordName === null) throw recordMismatch(filename, 'it has no .dist-info/RECORD');
  const distInfo = (recordName as string).slice(0, (recordName as string).indexOf('/'));
  const unsigned = new Set([`${distInfo}/RECORD`, `${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
  const listed = new Set<string>();
  const lines = (record as Buffer).toString('utf8').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const [rawPath = '', hash = '', size = ''] = parseCsvLine(line);
    const where = `RECORD line ${i + 1}`;
    if (rawPath === '') throw recordMismatch(filename, `${where} names no file`);
    if (listed.has(rawPath)) throw recordMismatch(filename, `${where} lists ${printable(rawPath)} twice`);
    listed.add(rawPath);
    if (unsigned.has(rawPath)) continue;
    const actual = hashes.get(rawPath);
    if (!actual) throw recordMismatch(filename, `${where} lists ${printable(rawPath)}, which is not in the archive`);
    const eq = hash.indexOf('=');
    const alg = eq > 0 ? hash.slice(0, eq) : '';
    if (!RECORD_HASHES.has(alg)) {
      throw recordMismatch(filename, hash === '' ? `${where} gives no hash for ${printable(rawPath)}` : `${where} hashes ${printable(rawPath)} with ${printable(alg)}, not sha256 or stronger`);
    }
    const want = hash.slice(eq + 1).replace(/=+$/, '');
    const have = actual[alg as 'sha256' | 'sha384' | 'sha512'];
    if (want !== have) throw recordMismatch(filename, `RECORD says ${printable(rawPath)} has ${alg}=${printable(want)}, the archive's has ${alg}=${have}`);
    if (size !== '' && Number(size) !== actual.size) throw recordMismatch(filename, `RECORD says ${printable(rawPath)} is ${printable(size)} bytes, the archive's is ${actual.size}`);
  }
  for (const name of hashes.keys()) {
    if (!listed.has(name) && !unsigned.has(name)) throw recordMismatch(filename, `${printable(name)} is in the archive but not in RECORD`);
  }
  const metadata = parseMetadata(metadataBytes as Buffer, filename, 'METADATA');
  checkNameVersion(metadata, filename, 'METADATA', pkg, version);
  return { metadata, metadataBytes: metadataBytes as Buffer };
}

function parseMetadata(data: Buffer, filename: string, what: string): CoreMetadata {
  try {
    return parseCoreMetadata(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (err) {
    throw new HttpError(400, 'invalid_file', `${filename}: its ${what} is not readable core metadata (${(err as Error).message.split('\n')[0]})`);
  }
}

function checkNameVersion(meta: CoreMetadata, filename: string, what: string, pkg: string, version: string): void {
  if (normalizeName(meta.name) !== pkg || !sameVersion(meta.version, version)) {
    throw new HttpError(400, 'invalid_file', `${filename}: its ${what} says ${printable(meta.name || '?')} ${printable(meta.version || '?')}, expected ${pkg} ${version}`);
  }
}

export interface InspectedSdist {
  metadata: CoreMetadata;
  /** Fields PKG-INFO marks `Dynamic` (metadata 2.2+): lowercase header names; they may differ in the wheel. */
  dynamic: Set<string>;
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
  const { headers } = parseHeaders(data.toString('utf8'));
  const dynamic = new Set((headers.get('dynamic') ?? []).map((d) => d.trim().toLowerCase()));
  return { metadata, dynamic };
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
    const broken = (err: Error) => done(new HttpError(400, 'invalid_file', `${filename} is not a readable tar.gz archive (${err.message.split('\n')[0]})`));
    source.on('error', (err) => done(err));
    gunzip.on('error', broken);
    parser.on('error', broken);
    gunzip.on('data', (chunk: Buffer) => {
      scanned += chunk.length;
      if (scanned > SDIST_LIMITS.maxScanBytes) {
        done(new HttpError(400, 'archive_too_large', `${filename}: no top-level PKG-INFO within the first ${SDIST_LIMITS.maxScanBytes} bytes`));
        return;
      }
      parser.write(chunk);
    });
    parser.on('end', () => done(null, null));
    gunzip.on('end', () => parser.end());
    source.pipe(gunzip);
  });
}
