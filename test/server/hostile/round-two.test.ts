/**
 * Issue 18, the server's connection layer: a refused request's body was drained to the end (300 MB
 * read after a 401); sockets that never send a byte were held without bound; trusting proxies by
 * hop count let a client that reaches the server directly pick its own rate-limit bucket.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createMarketplace, type MarketplaceOptions } from '../../../server/index.ts';
import { CATALOG_FILE } from '../../helpers/server.ts';
import http from 'node:http';

async function start(opts: Partial<MarketplaceOptions> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-round2-'));
  const m = await createMarketplace({ dataDir, rateLimit: { limit: 100_000, windowSeconds: 60 }, ...opts });
  const url = new URL(await m.listen(0, '127.0.0.1'));
  return {
    m,
    url,
    port: Number(url.port),
    async stop() {
      await m.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const MiB = 1024 * 1024;

/**
 * Sends `head` and then a chunked body of up to `total` bytes as fast as the server takes it;
 * returns how much the server took before it closed the connection, and what it answered.
 */
function pushBody(port: number, head: string, total: number): Promise<{ sent: number; response: string }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let response = '';
    let sent = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      const taken = sent - sock.writableLength;
      sock.destroy();
      resolve({ sent: taken, response });
    };
    sock.on('data', (c: Buffer) => (response += c.toString('latin1')));
    sock.on('error', finish);
    sock.on('close', finish);
    sock.write(head);
    const pump = () => {
      while (!done && sent < total) {
        sent += frame.length;
        if (!sock.write(frame)) return void sock.once('drain', pump);
      }
      if (!done) {
        sock.write('0\r\n\r\n');
        // Everything went through: the server drained it all. Give the answer a moment, then stop.
        idle = setTimeout(finish, 2000);
      }
    };
    pump();
  });
}

describe('a refused request is answered, then its connection closed (not drained)', () => {
  const TOTAL = 128 * MiB;
  const post = (token?: string) =>
    `POST /api/v1/plugins/drain/versions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`;

  test('401: no token', async (t) => {
    const s = await start();
    t.after(() => s.stop());
    const { sent, response } = await pushBody(s.port, post(), TOTAL);
    assert.match(response, /^HTTP\/1\.1 401 /);
    assert.match(response, /connection: close/i);
    t.diagnostic(`taken before the close: ${(sent / MiB).toFixed(1)} MiB of ${TOTAL / MiB} MiB`);
    assert.ok(sent < 32 * MiB, `the server took ${(sent / MiB).toFixed(1)} MiB of a refused body`);
  });

  test('413: a JSON body over its 64 KiB limit (chunked, so only counting finds it)', async (t) => {
    const s = await start({ seedFile: CATALOG_FILE });
    t.after(() => s.stop());
    const token = await s.m.createToken('rater');
    const head = `PUT /api/v1/plugins/loki/rating HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer ${token}\r\n\r\n`;
    const { sent, response } = await pushBody(s.port, head, TOTAL);
    assert.match(response, /^HTTP\/1\.1 413 /);
    t.diagnostic(`taken before the close: ${(sent / MiB).toFixed(1)} MiB of ${TOTAL / MiB} MiB`);
    assert.ok(sent < 32 * MiB, `the server took ${(sent / MiB).toFixed(1)} MiB of a refused body`);
  });

  test('413: an upload over the limit', async (t) => {
    const s = await start({ maxUploadBytes: MiB });
    t.after(() => s.stop());
    const { sent, response } = await pushBody(s.port, post(await s.m.createToken('big')), TOTAL);
    assert.match(response, /^HTTP\/1\.1 413 /);
    t.diagnostic(`taken before the close: ${(sent / MiB).toFixed(1)} MiB of ${TOTAL / MiB} MiB`);
    assert.ok(sent < 32 * MiB, `the server took ${(sent / MiB).toFixed(1)} MiB of a refused body`);
  });

  test('429: over the rate limit', async (t) => {
    const s = await start({ rateLimit: { limit: 1, windowSeconds: 60 } });
    t.after(() => s.stop());
    await (await fetch(new URL('/api/v1/fapilog/versions', s.url))).arrayBuffer();
    const { sent, response } = await pushBody(s.port, post(), TOTAL);
    assert.match(response, /^HTTP\/1\.1 429 /);
    t.diagnostic(`taken before the close: ${(sent / MiB).toFixed(1)} MiB of ${TOTAL / MiB} MiB`);
    assert.ok(sent < 32 * MiB, `the server took ${(sent / MiB).toFixed(1)} MiB of a refused body`);
  });

  test('a refused GET without a body keeps its connection (nothing to drain)', async (t) => {
    const s = await start();
    t.after(() => s.stop());
    const res = await fetch(new URL('/api/v1/plugins/no-such-plugin', s.url));
    await res.arrayBuffer();
    assert.equal(res.status, 404);
    assert.notEqual(res.headers.get('connection'), 'close');
  });
});

/** Opens `n` sockets that never send a byte; resolves with a counter of the ones closed so far. */
async function silentSockets(port: number, n: number) {
  const state = { closed: 0, sockets: [] as net.Socket[] };
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => resolve());
          s.on('error', () => resolve());
          s.on('close', () => state.closed++);
          // Reading (and discarding) is what lets a socket see the server's FIN and close; it still
          // sends nothing.
          s.resume();
          state.sockets.push(s);
        }),
    ),
  );
  return state;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

describe('connections are capped, and a silent one is dropped', () => {
  test('beyond --max-connections, sockets are closed as they arrive', async (t) => {
    const s = await start({ connections: { maxConnections: 8, headersTimeoutMs: 60_000 } });
    const idle = await silentSockets(s.port, 20);
    t.after(async () => {
      for (const sock of idle.sockets) sock.destroy();
      await s.stop();
    });
    assert.ok(await until(() => idle.closed >= 12, 5000), `closed ${idle.closed} of 20 with a cap of 8`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(idle.closed, 12, 'the 8 within the cap stay (their time is not up)');
  });

  test('a socket that sends nothing is closed after the headers timeout, and clients get in again', async (t) => {
    const s = await start({ connections: { maxConnections: 8, headersTimeoutMs: 300 } });
    const idle = await silentSockets(s.port, 8);
    t.after(async () => {
      for (const sock of idle.sockets) sock.destroy();
      await s.stop();
    });
    assert.ok(await until(() => idle.closed === 8, 10_000), `only ${idle.closed} of 8 silent sockets were closed`);
    const res = await fetch(new URL('/api/v1/fapilog/versions', s.url));
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  });
});

describe('trusted proxies by address', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => {
    // The trusted proxy connects from 127.0.0.2; a client from 127.0.0.1 reaches the server directly.
    s = await start({ rateLimit: { limit: 2, windowSeconds: 60 }, trustProxy: '127.0.0.2, 192.168.0.0/16' });
  });
  after(() => s.stop());

  const get = (from: string, xff: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: s.port,
          path: '/api/v1/fapilog/versions',
          localAddress: from,
          headers: { 'X-Forwarded-For': xff },
          agent: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
    });

  test('a direct client cannot choose its bucket with X-Forwarded-For; clients behind the proxy each have one', async () => {
    const direct: number[] = [];
    for (const claimed of ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4']) direct.push(await get('127.0.0.1', claimed));
    assert.deepEqual(direct, [200, 200, 429, 429]);
    // Through the proxy: the address it appended is the client, whatever the client put in front.
    const proxied: number[] = [];
    for (const chain of ['5.5.5.5', '9.9.9.9, 5.5.5.5', '8.8.8.8, 5.5.5.5', '6.6.6.6']) proxied.push(await get('127.0.0.2', chain));
    assert.deepEqual(proxied, [200, 200, 429, 200]);
  });

  test('a malformed list is refused with the entry named', async () => {
    await assert.rejects(
      createMarketplace({ dataDir: path.join(os.tmpdir(), 'fapilog-never-made'), trustProxy: '10.0.0.0/33' }),
      /10\.0\.0\.0\/33/,
    );
    await assert.rejects(
      createMarketplace({ dataDir: path.join(os.tmpdir(), 'fapilog-never-made'), trustProxy: 'proxy.local' }),
      /proxy\.local/,
    );
    assert.equal(fs.existsSync(path.join(os.tmpdir(), 'fapilog-never-made')), false, 'nothing was created');
  });
});
