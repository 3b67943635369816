/**
 * The built files in a dist directory and what is inside them: a wheel's
 * `*.dist-info/METADATA` and `entry_points.txt` (zip, read with fflate) and an sdist's top-level
 * `PKG-INFO` (tar.gz, read with tar). Only the members we need are decompressed.
 */
import { gunzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { Parser, type ReadEntry } from 'tar';
import type { ProjectFiles } from '../files.ts';
import { sha256Hex } from '../sha256.ts';
import { entryDigest, recordProblem, type EntryDigest } from './record.ts';

export type ArtifactKind = 'wheel' | 'sdist';

export interface ArtifactFile {
  filename: string;
  kind: ArtifactKind;
  size: number;
  sha256: string;
  data: Uint8Array;
}

export class ArtifactError extends Error {
  readonly filename: string;
  constructor(filename: string, message: string) {
    super(`${filename}: ${message}`);
    this.name = 'ArtifactError';
    this.filename = filename;
  }
}

export function artifactKind(filename: string): ArtifactKind | null {
  if (filename.endsWith('.whl')) return 'wheel';
  if (filename.endsWith('.tar.gz')) return 'sdist';
  return null;
}

/**
 * Wheels and sdists among the dist directory's files, sorted by name (wheels first), with size
 * and sha256. Other files (build logs, `.gitignore`) are not published and are returned as `ignored`.
 */
export async function readDist(dist: ProjectFiles): Promise<{ files: ArtifactFile[]; ignored: string[] }> {
  const files: ArtifactFile[] = [];
  const ignored: string[] = [];
  for (const filename of (await dist.list()).map((e) => e.path).sort()) {
    const kind = artifactKind(filename);
    if (!kind) {
      ignored.push(filename);
      continue;
    }
    const data = await dist.read(filename);
    if (data === null) continue;
    files.push({ filename, kind, size: data.byteLength, sha256: sha256Hex(data), data });
  }
  files.sort((a, b) => (a.kind === b.kind ? a.filename.localeCompare(b.filename) : a.kind === 'wheel' ? -1 : 1));
  return { files, ignored };
}

export interface WheelContents {
  /** `fapilog_loki-1.0.0.dist-info` */
  distInfo: string;
  metadataText: string;
  entryPointsText: string | null;
}

/** Reads the wheel's dist-info; throws ArtifactError when it is not a wheel. */
export function readWheel(filename: string, data: Uint8Array): WheelContents {
  const wanted = /^[^/]+\.dist-info\/(METADATA|entry_points\.txt)$/;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(data, { filter: (f) => wanted.test(f.name) });
  } catch (err) {
    throw new ArtifactError(filename, `not a readable zip archive (${(err as Error).message})`);
  }
  const metadataName = Object.keys(members).find((n) => n.endsWith('/METADATA'));
  if (!metadataName) throw new ArtifactError(filename, 'no *.dist-info/METADATA inside');
  const distInfo = metadataName.slice(0, metadataName.indexOf('/'));
  const entryPoints = members[`${distInfo}/entry_points.txt`];
  return {
    distInfo,
    metadataText: strFromU8(members[metadataName] as Uint8Array),
    entryPointsText: entryPoints ? strFromU8(entryPoints) : null,
  };
}

/** Why the wheel's RECORD does not match its entries, or null (src/core/publish/record.ts). */
export function wheelRecordProblem(filename: string, data: Uint8Array): string | null {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(data);
  } catch (err) {
    return `not a readable zip archive (${(err as Error).message})`;
  }
  const entries = new Map<string, EntryDigest>();
  for (const [name, bytes] of Object.entries(members)) if (!name.endsWith('/')) entries.set(name, entryDigest(bytes));
  const recordName = Object.keys(members).find((n) => /^[^/]+\.dist-info\/RECORD$/.test(n)) ?? null;
  const problem = recordProblem(recordName === null ? null : strFromU8(members[recordName] as Uint8Array), recordName, entries);
  return problem === null ? null : `${filename}: ${problem}`;
}

export interface SdistContents {
  /** The top-level directory, `fapilog_loki-1.0.0`. */
  root: string;
  pkgInfoText: string;
}

/** Reads the sdist's top-level `PKG-INFO`; throws ArtifactError when it is not a tar.gz sdist. */
export async function readSdist(filename: string, data: Uint8Array): Promise<SdistContents> {
  let tarData: Buffer;
  try {
    tarData = gunzipSync(data);
  } catch (err) {
    throw new ArtifactError(filename, `not a gzip archive (${(err as Error).message})`);
  }
  const found = await new Promise<{ root: string; text: string } | null>((resolve, reject) => {
    let result: { root: string; text: string } | null = null;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const m = /^(?:\.\/)?([^/]+)\/PKG-INFO$/.exec(entry.path);
        if (!m || result) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          result = { root: m[1] as string, text: Buffer.concat(chunks).toString('utf8') };
        });
      },
    });
    parser.on('error', (err: Error) => reject(new ArtifactError(filename, `not a readable tar archive (${err.message})`)));
    parser.on('end', () => resolve(result));
    parser.end(tarData);
  });
  if (!found) throw new ArtifactError(filename, 'no top-level PKG-INFO inside');
  return { root: found.root, pkgInfoText: found.text };
}

export interface EntryPoint {
  group: string;
  name: string;
  value: string;
}

/** `entry_points.txt` is INI: `[group]` sections of `name = module:attr` lines. */
export function parseEntryPoints(text: string): EntryPoint[] {
  const out: EntryPoint[] = [];
  let group: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      group = (section[1] as string).trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (group === null || eq <= 0) continue;
    out.push({ group, name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return out;
}
