/**
 * Uploads streamed to disk: a multipart/form-data parser that writes each file part straight to a
 * temporary file (hashing it on the way) and keeps only small text fields in memory. Whatever the
 * size of the upload, the parser holds at most one network chunk plus one boundary's length; the
 * old path (whole body in memory, then a FormData, then a copy per file) cost ~10x the upload.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HttpError } from './errors.ts';

export interface UploadLimits {
  /** The whole body (413 beyond). */
  maxBytes: number;
  /** One text field, e.g. the metadata JSON (413 beyond). */
  maxFieldBytes: number;
  /** Parts in all (400 beyond). */
  maxParts: number;
}

export interface UploadedFile {
  field: string;
  filename: string;
  /** Where the bytes are: a temporary file in the directory given, named with `tempPrefix`. */
  path: string;
  size: number;
  sha256: string;
}

export interface Upload {
  fields: Map<string, string>;
  files: UploadedFile[];
  /** Most bytes the parser held at once (the bound the tests check). */
  peakBuffered: number;
  /** Removes every temporary file still on disk (after a failure, or what the store did not take). */
  discard(): void;
}

const MAX_HEADER_BYTES = 8 * 1024;

export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !b) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'publish expects multipart/form-data (with a boundary) with a metadata part and file parts',
    );
  }
  return b;
}

interface PartHead {
  field: string;
  filename: string | null;
}

function parseHead(text: string): PartHead {
  const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(text)?.[1];
  if (disposition === undefined) throw invalid('a part has no Content-Disposition: form-data header');
  const param = (key: string): string | null => {
    const m =
      new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ??
      new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
    return m ? m[1]!.replace(/\\(.)/g, '$1') : null;
  };
  const field = param('name');
  if (field === null) throw invalid('a part has no name');
  return { field, filename: param('filename') };
}

const invalid = (why: string) => new HttpError(400, 'invalid_multipart', `the request body is not valid multipart/form-data: ${why}`);

/**
 * Reads a multipart body from `body` (the request), file parts into `dir` as `${tempPrefix}...`.
 * On any failure every temporary file is removed before the error propagates.
 */
export async function receiveUpload(
  body: AsyncIterable<Buffer | Uint8Array | string>,
  contentType: string,
  dir: string,
  tempPrefix: string,
  limits: UploadLimits,
): Promise<Upload> {
  const boundary = boundaryOf(contentType);
  // Searching for CRLF--boundary everywhere works for the first one too once a CRLF is put in front.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  const files: UploadedFile[] = [];
  const temps: string[] = [];
  const discard = () => {
    for (const t of temps) fs.rmSync(t, { force: true });
  };

  type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  let state: State = 'preamble';
  let buf: Buffer = Buffer.from('\r\n');
  let total = 0;
  let peak = 0;
  let parts = 0;
  let head: PartHead | null = null;
  let field: Buffer[] = [];
  let fieldSize = 0;
  let file: { handle: fs.promises.FileHandle; hash: ReturnType<typeof createHash>; size: number; path: string } | null = null;

  const emit = async (data: Buffer): Promise<void> => {
    if (data.length === 0) return;
    if (file) {
      file.hash.update(data);
      file.size += data.length;
      await file.handle.write(data);
      return;
    }
    fieldSize += data.length;
    if (fieldSize > limits.maxFieldBytes) {
      throw new HttpError(413, 'too_large', `the ${JSON.stringify(head?.field ?? '')} part exceeds ${limits.maxFieldBytes} bytes`);
    }
    field.push(Buffer.from(data));
  };

  const finishPart = async (): Promise<void> => {
    if (!head) return;
    if (file) {
      await file.handle.sync(); // as durable as the store's own writes before it is renamed in
      await file.handle.close();
      files.push({ field: head.field, filename: head.filename ?? '', path: file.path, size: file.size, sha256: file.hash.digest('hex') });
      file = null;
    } else {
      fields.set(head.field, Buffer.concat(field).toString('utf8'));
      field = [];
      fieldSize = 0;
    }
    head = null;
  };

  const startPart = async (text: string): Promise<void> => {
    head = parseHead(text);
    if (++parts > limits.maxParts) throw invalid(`more than ${limits.maxParts} parts`);
    if (head.filename !== null) {
      const p = path.join(dir, `${tempPrefix}${randomBytes(8).toString('hex')}-upload`);
      temps.push(p);
      file = { handle: await fs.promises.open(p, 'wx'), hash: createHash('sha256'), size: 0, path: p };
    }
  };

  // Consumes as much of `buf` as the state machine can; returns when it needs more bytes.
  const step = async (): Promise<void> => {
    for (;;) {
      if (state === 'done') {
        buf = Buffer.alloc(0); // the epilogue is ignored
        return;
      }
      if (state === 'preamble' || state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Everything but a possible partial delimiter at the end can go.
          const keep = Math.min(buf.length, delimiter.length - 1);
          if (state === 'body') await emit(buf.subarray(0, buf.length - keep));
          buf = Buffer.from(buf.subarray(buf.length - keep));
          return;
        }
        if (state === 'body') {
          await emit(buf.subarray(0, at));
          await finishPart();
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'after-delimiter';
        continue;
      }
      if (state === 'after-delimiter') {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
          continue;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          if (buf.length > 256) throw invalid('junk after a boundary');
          return;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw invalid('junk after a boundary');
        buf = buf.subarray(eol + 2);
        state = 'headers';
        continue;
      }
      if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw invalid(`part headers over ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        await startPart(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        state = 'body';
        continue;
      }
    }
  };

  try {
    for await (const raw of body) {
      const chunk =
        typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      total += chunk.length;
      if (total > limits.maxBytes) throw new HttpError(413, 'too_large', `the request body exceeds ${limits.maxBytes} bytes`);
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      peak = Math.max(peak, buf.length);
      await step();
    }
    await step();
    if ((state as State) !== 'done') throw invalid((state as State) === 'preamble' ? 'no boundary found' : 'the body ends inside a part');
  } catch (err) {
    if (file) await (file as { handle: fs.promises.FileHandle }).handle.close().catch(() => undefined);
    discard();
    throw err;
  }
  return { fields, files, peakBuffered: peak, discard };
}
