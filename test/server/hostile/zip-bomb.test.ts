/**
 * Issue 13, defect 4: a 1 MB wheel whose METADATA inflates to 1 GiB drove the server to 2.1 GB,
 * froze it for seconds and ended in a 500; uploads cost ~10x their size in memory. Now archive
 * inspection inflates at most a bounded number of bytes (400 naming the limit) and uploads
 * stream to disk through a parser whose buffer stays bounded whatever the upload's size.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DEFAULT_ZIP_LIMITS, readZipEntries } from '../../../server/archive.ts';
import { receiveUpload } from '../../../server/upload.ts';
import { ErrorBody } from '../../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { getJson, metadataFor, publish, sha256 } from '../util.ts';

const GiB = 1024 * 1024 * 1024;

/** Raw deflate of `size` bytes: a real METADATA head, then zeros, compressed as a stream (memory stays small). */
async function deflateBomb(head: string, size: number): Promise<Buffer> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  deflate.write(Buffer.from(head));
  const zeros = Buffer.alloc(4 * 1024 * 1024);
  for (let left = size - head.length; left > 0; left -= zeros.length) {
    if (!deflate.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** A one-entry zip by hand (deflate, CRC left 0: the server does not get that far). */
function zipOf(name: string, compressed: Buffer, declaredSize: number): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + n.length + compressed.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + n.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, compressed, central, n, eocd]);
}

const FILENAME = 'fapilog_bomb-1.0.0-py3-none-any.whl';
const ENTRY = 'fapilog_bomb-1.0.0.dist-info/METADATA';
let bomb: Buffer;
let liar: Buffer;
let server: TestServer;
let token: string;

before(async () => {
  const compressed = await deflateBomb('Metadata-Version: 2.1\nName: fapilog-bomb\nVersion: 1.0.0\n', GiB);
  bomb = zipOf(ENTRY, compressed, GiB); // honest about its size
  liar = zipOf(ENTRY, compressed, 1000); // claims 1000 bytes
  server = await startTestServer();
  token = await server.createToken('mallory');
});
after(() => server.stop());

describe('zip bombs', () => {
  test('the bomb is about 1 MB and inflates to 1 GiB', () => {
    assert.ok(bomb.length < 1.2 * 1024 * 1024 && bomb.length > 0.5 * 1024 * 1024, `${bomb.length} bytes`);
  });

  for (const [what, wheel] of [
    ['declaring its real size', () => bomb],
    ['declaring 1000 bytes', () => liar],
  ] as const) {
    test(`publishing it (${what}) is a 400 naming the limit; nothing stored; the server keeps answering`, async () => {
      const data = wheel();
      const file = { filename: FILENAME, data };
      const [r, parallel] = await Promise.all([
        publish(server.apiUrl, 'bomb', metadataFor('bomb', '1.0.0', [file]), [file], token),
        getJson(`${server.apiUrl}/fapilog/versions`),
      ]);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      const err = ErrorBody.parse(r.body).error;
      assert.equal(err.code, 'archive_too_large');
      assert.match(err.message, new RegExp(`${DEFAULT_ZIP_LIMITS.maxEntryBytes} bytes per entry`));
      assert.equal(parallel.status, 200);
      assert.equal((await getJson(`${server.apiUrl}/plugins/bomb`)).status, 404);
      const dir = path.join(server.dataDir, 'files', 'fapilog-bomb');
      assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir) : [], [], 'the streamed upload was removed');
    });
  }

  test('readZipEntries applies the total limit across entries', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-zip-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const small = zlib.deflateRawSync(Buffer.alloc(3000, 0x41));
    const file = path.join(dir, 'a.whl');
    fs.writeFileSync(file, zipOf('x/METADATA', small, 3000));
    assert.equal(readZipEntries(file, 'a.whl', () => true)[0]!.data.length, 3000);
    assert.throws(
      () => readZipEntries(file, 'a.whl', () => true, { maxEntryBytes: 10_000, maxTotalBytes: 2000, maxEntries: 10 }),
      /over the limit of 2000 bytes in all/,
    );
    assert.throws(
      () => readZipEntries(file, 'a.whl', () => true, { maxEntryBytes: 1000, maxTotalBytes: 10_000, maxEntries: 10 }),
      /1000 bytes per entry/,
    );
    fs.writeFileSync(file, Buffer.from('not a zip at all'));
    assert.throws(
      () => readZipEntries(file, 'a.whl', () => true),
      (e: Error & { status?: number }) => e.status === 400 && /not a valid zip/.test(e.message),
    );
  });
});

describe('streamed uploads', () => {
  async function* multipart(boundary: string, fileSize: number, chunk: number): AsyncGenerator<Buffer> {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"a":1}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.whl"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const block = Buffer.alloc(chunk);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
    for (let sent = 0; sent < fileSize; sent += chunk) yield block.subarray(0, Math.min(chunk, fileSize - sent));
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }

  test('a 64 MiB file part is written to disk while the parser holds at most one chunk and a boundary', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-upload-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const size = 64 * 1024 * 1024;
    const chunk = 64 * 1024;
    const expected = createHash('sha256');
    for await (const c of multipart('b0undary', size, chunk)) if (c.length === chunk || c.length === size % chunk) expected.update(c);
    const up = await receiveUpload(multipart('b0undary', size, chunk), 'multipart/form-data; boundary=b0undary', dir, '.tmp-', {
      maxBytes: 2 * size,
      maxFieldBytes: 1024,
      maxParts: 4,
    });
    assert.equal(up.fields.get('metadata'), '{"a":1}');
    assert.equal(up.files.length, 1);
    assert.equal(up.files[0]!.size, size);
    assert.equal(fs.statSync(up.files[0]!.path).size, size);
    assert.equal(up.files[0]!.sha256, expected.digest('hex'));
    assert.ok(up.peakBuffered <= chunk + 1024, `peak buffer ${up.peakBuffered} bytes for a ${size}-byte upload`);
    up.discard();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('boundaries split across chunks of any size parse the same', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-upload-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const whole: Buffer[] = [];
    for await (const c of multipart('xyz', 5000, 1000)) whole.push(c);
    const body = Buffer.concat(whole);
    const reference = sha256(body.subarray(body.indexOf('\r\n\r\n', body.indexOf('filename')) + 4, body.length - '\r\n--xyz--\r\n'.length));
    for (const step of [1, 2, 3, 7, 13, 64, 4096]) {
      async function* pieces() {
        for (let i = 0; i < body.length; i += step) yield body.subarray(i, i + step);
      }
      const up = await receiveUpload(pieces(), 'multipart/form-data; boundary="xyz"', dir, '.tmp-', {
        maxBytes: 1e6,
        maxFieldBytes: 1024,
        maxParts: 4,
      });
      assert.equal(up.fields.get('metadata'), '{"a":1}', `step ${step}`);
      assert.equal(up.files[0]!.size, 5000, `step ${step}`);
      assert.equal(up.files[0]!.sha256, reference, `step ${step}`);
      up.discard();
    }
  });

  test('over the body limit is a 413 and the partial file is removed', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-upload-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(
      receiveUpload(multipart('b', 1024 * 1024, 4096), 'multipart/form-data; boundary=b', dir, '.tmp-', {
        maxBytes: 100_000,
        maxFieldBytes: 1024,
        maxParts: 4,
      }),
      (e: Error & { status?: number }) => e.status === 413,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
