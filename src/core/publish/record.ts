/**
 * A wheel's RECORD against the archive's entries (the wheel spec, as pip checks at install): every
 * file listed once with a sha256-or-stronger hash and its size, nothing listed that is not there,
 * nothing there that is not listed (RECORD itself and its signatures excepted). The server refuses
 * a tampered wheel with this, and the client reports the same before uploading.
 */
import { createHash } from 'node:crypto';

export const RECORD_HASHES = ['sha256', 'sha384', 'sha512'] as const;
export type RecordHash = (typeof RECORD_HASHES)[number];

/** What is known of one archive entry: its size and its digests (urlsafe base64 without padding). */
export interface EntryDigest {
  size: number;
  digest: Record<RecordHash, string>;
}

export function entryDigest(data: Uint8Array): EntryDigest {
  const digest = (alg: RecordHash) => createHash(alg).update(data).digest('base64url');
  return { size: data.byteLength, digest: { sha256: digest('sha256'), sha384: digest('sha384'), sha512: digest('sha512') } };
}

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

const show = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * null when RECORD matches the entries, else why not (one sentence naming the file).
 * `entries`: every file entry of the archive (no directories); `recordName`: `x.dist-info/RECORD`,
 * or null when the archive has none.
 */
export function recordProblem(
  recordText: string | null,
  recordName: string | null,
  entries: ReadonlyMap<string, EntryDigest>,
): string | null {
  if (recordText === null || recordName === null) return 'it has no .dist-info/RECORD';
  const distInfo = recordName.slice(0, recordName.lastIndexOf('/'));
  const unsigned = new Set([`${distInfo}/RECORD`, `${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
  const listed = new Set<string>();
  for (const [i, line] of recordText.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const [file = '', hash = '', size = ''] = parseCsvLine(line);
    const where = `RECORD line ${i + 1}`;
    if (file === '') return `${where} names no file`;
    if (listed.has(file)) return `${where} lists ${show(file)} twice`;
    listed.add(file);
    if (unsigned.has(file)) continue;
    const actual = entries.get(file);
    if (!actual) return `${where} lists ${show(file)}, which is not in the archive`;
    const eq = hash.indexOf('=');
    const alg = eq > 0 ? hash.slice(0, eq) : '';
    if (!(RECORD_HASHES as readonly string[]).includes(alg)) {
      return hash === ''
        ? `${where} gives no hash for ${show(file)}`
        : `${where} hashes ${show(file)} with ${show(alg)}, not sha256 or stronger`;
    }
    const want = hash.slice(eq + 1).replace(/=+$/, '');
    const have = actual.digest[alg as RecordHash];
    if (want !== have) return `RECORD says ${show(file)} has ${alg}=${show(want)}, the archive's has ${alg}=${have}`;
    if (size !== '' && Number(size) !== actual.size)
      return `RECORD says ${show(file)} is ${show(size)} bytes, the archive's is ${actual.size}`;
  }
  for (const name of entries.keys()) {
    if (!listed.has(name) && !unsigned.has(name)) return `${show(name)} is in the archive but not in RECORD`;
  }
  return null;
}
