/**
 * Bytes to text and back without losing a byte. Manifests are edited as text, but a file that is
 * not valid UTF-8 (a Latin-1 comment, stray binary) must come out byte-identical outside the
 * edited span: each byte that is not part of a valid UTF-8 sequence becomes the lone surrogate
 * U+DC80+byte (Python's `surrogateescape`), which no valid UTF-8 decodes to, and turns back into
 * that byte on the way out. A byte order mark is kept as U+FEFF, never dropped.
 */

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] as number;
  const cont = (k: number) => {
    const x = b[i + k];
    return x !== undefined && (x & 0xc0) === 0x80;
  };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[i + 1] ?? 0;
    // No overlong forms (E0 80..9F) and no encoded surrogates (ED A0..BF).
    if (c === 0xe0 && c1 < 0xa0) return 0;
    if (c === 0xed && c1 > 0x9f) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[i + 1] ?? 0;
    if (c === 0xf0 && c1 < 0x90) return 0;
    if (c === 0xf4 && c1 > 0x8f) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** True when the bytes are valid UTF-8 (so `decodeBytes` needed no escapes). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The text of a file, every byte accounted for (see the module comment). */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Fall through to the byte-by-byte decoder.
  }
  let out = '';
  let runStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > runStart) out += strict.decode(bytes.subarray(runStart, end));
  };
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out += String.fromCharCode(0xdc00 + (bytes[i] as number));
    i += 1;
    runStart = i;
  }
  flush(i);
  return out;
}

export class EncodingError extends Error {
  override name = 'EncodingError';
}

/** The inverse of `decodeBytes`: escaped bytes come back as themselves, the rest as UTF-8. */
export function encodeText(text: string): Uint8Array {
  if (text.isWellFormed()) return encoder.encode(text);
  const parts: number[] = [];
  let runStart = 0;
  const flush = (end: number) => {
    if (end > runStart) for (const b of encoder.encode(text.slice(runStart, end))) parts.push(b);
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      throw new EncodingError(`lone surrogate U+${c.toString(16).toUpperCase()} at offset ${i} cannot be written`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      if (c < 0xdc80 || c > 0xdcff)
        throw new EncodingError(`lone surrogate U+${c.toString(16).toUpperCase()} at offset ${i} cannot be written`);
      flush(i);
      parts.push(c - 0xdc00);
      runStart = i + 1;
    }
  }
  flush(text.length);
  return Uint8Array.from(parts);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Where decoded text holds a byte that was not UTF-8, said for a user (`byte 0xE9 at line 2,
 * column 17`); null when there is none. Formats that must be UTF-8 (TOML) refuse with this.
 */
export function nonUtf8Position(text: string): string | null {
  const at = text.search(/[\uDC80-\uDCFF]/);
  if (at < 0) return null;
  const before = text.slice(0, at);
  const line = before.split(/\r\n|\n|\r/).length;
  const column = at - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  const byte = (text.charCodeAt(at) - 0xdc00).toString(16).toUpperCase().padStart(2, '0');
  return `byte 0x${byte} at line ${line}, column ${column}`;
}
