/**
 * Issue 13, defect 6 (the server's part): `batch?names=__proto__` dropped that key; a release
 * file missing on disk gave an empty reply logged as 200; `serve --data-dir` on an unusable path
 * hung silently; behind a reverse proxy every anonymous client shared one rate-limit bucket.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientAddress, createMarketplace, parseTrustedProxies } from '../../../server/index.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { ErrorBody, Release } from '../../../src/core/marketplace/schemas.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { settingsFor } from '../../core/marketplace/settings.ts';
import { getJson, metadataFor, publish, wheelFor } from '../util.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(() => server.stop());

describe('batch keys', () => {
  test('__proto__ and constructor are own keys of the answer, mapped to null', async () => {
    const res = await fetch(`${server.apiUrl}/plugins/batch?names=__proto__,constructor,loki`);
    assert.equal(res.status, 200);
    const body = JSON.parse(await res.text()) as { plugins: Record<string, unknown> };
    assert.deepEqual(Object.keys(body.plugins).sort(), ['__proto__', 'constructor', 'loki']);
    assert.equal(body.plugins['__proto__'], null);
    assert.equal(body.plugins['constructor'], null);
  });

  test('the client keeps __proto__ as its own key, null, next to a real plugin', async () => {
    const client = new MarketplaceClient(settingsFor(server.apiUrl));
    const out = await client.batch(['__proto__', 'loki']);
    assert.ok(Object.hasOwn(out, '__proto__'));
    assert.equal(out['__proto__'], null);
    assert.equal(out['loki']?.plugin.name, 'loki');
  });
});

describe('a release file missing from the store', () => {
  test('is a 500 with the code file_missing, for GET and HEAD, not an empty 200', async () => {
    const token = await server.createToken('alice');
    const wheel = wheelFor('vanishing', '1.0.0');
    assert.equal((await publish(server.apiUrl, 'vanishing', metadataFor('vanishing', '1.0.0', [wheel]), [wheel], token)).status, 201);
    const rel = Release.parse((await getJson(`${server.apiUrl}/plugins/vanishing/versions/1.0.0`)).body);
    const store = server.marketplace.store;
    if (store.filesDir) fs.rmSync(path.join(store.filesDir, 'fapilog-vanishing', wheel.filename));
    else
      await store.transaction((tx) =>
        tx.run('DELETE FROM file_data WHERE file_id = (SELECT id FROM files WHERE filename = ?)', wheel.filename),
      );
    const r = await getJson(rel.files[0]!.url);
    assert.equal(r.status, 500);
    assert.equal(ErrorBody.parse(r.body).error.code, 'file_missing');
    const head = await fetch(rel.files[0]!.url, { method: 'HEAD' });
    assert.equal(head.status, 500);
    // The server goes on answering.
    assert.equal((await getJson(`${server.apiUrl}/plugins/loki`)).status, 200);
  });
});

describe('serve --data-dir on an unusable path', () => {
  const unusable = [
    ['under /proc (mkdir -p used to spin forever there)', '/proc/fapilog-no-such-dir/data'],
    ['under a regular file', path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-dd-')), 'file', 'data')],
  ] as const;
  for (const [what, dir] of unusable) {
    test(`${what}: exit 2 with one line`, async () => {
      if (dir.includes('file')) fs.writeFileSync(path.dirname(dir), 'not a directory');
      const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      clearTimeout(killer);
      assert.equal(code, 2, `stderr: ${stderr}`);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, /^error: cannot use data dir .+: E[A-Z]+ /);
    });
  }
});

describe('--trust-proxy', () => {
  const fake = (socket: string, xff?: string) =>
    ({ socket: { remoteAddress: socket }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

  test('the client address is the first X-Forwarded-For entry, from the right, that is not a trusted proxy; off by default', () => {
    const one = parseTrustedProxies('10.0.0.1');
    assert.equal(clientAddress(fake('10.0.0.1', '1.1.1.1'), null), '10.0.0.1');
    assert.equal(clientAddress(fake('10.0.0.1', '1.1.1.1'), one), '1.1.1.1');
    // A client that sends its own X-Forwarded-For cannot pick its bucket: the proxy appended the real one.
    assert.equal(clientAddress(fake('10.0.0.1', '6.6.6.6, 1.1.1.1'), one), '1.1.1.1');
    assert.equal(clientAddress(fake('10.0.0.1', '1.1.1.1, 10.0.0.2'), parseTrustedProxies('10.0.0.0/24')), '1.1.1.1');
    assert.equal(clientAddress(fake('10.0.0.1'), one), '10.0.0.1', 'no header: the socket');
    assert.equal(
      clientAddress(fake('10.0.0.1', '10.0.0.3'), parseTrustedProxies('10.0.0.0/8')),
      '10.0.0.3',
      'all trusted: the furthest one',
    );
    assert.equal(clientAddress(fake('::ffff:10.0.0.1', '1.1.1.1'), one), '1.1.1.1', 'an IPv4-mapped socket address');
  });

  async function statuses(trustProxy: string | undefined): Promise<number[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-proxy-'));
    const m = await createMarketplace({
      dataDir: dir,
      rateLimit: { limit: 2, windowSeconds: 60 },
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    try {
      const url = await m.listen(0, '127.0.0.1');
      const out: number[] = [];
      for (const client of ['1.1.1.1', '1.1.1.1', '1.1.1.1', '2.2.2.2']) {
        const res = await fetch(`${url}/api/v1/fapilog/versions`, { headers: { 'X-Forwarded-For': client } });
        await res.arrayBuffer();
        out.push(res.status);
      }
      return out;
    } finally {
      await m.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('behind a trusted proxy each client has its own bucket', async () => {
    assert.deepEqual(await statuses('127.0.0.1'), [200, 200, 429, 200]);
  });

  test('by default the header is ignored: everything through the proxy shares one bucket', async () => {
    assert.deepEqual(await statuses(undefined), [200, 200, 429, 429]);
  });
});

describe('request deadline', () => {
  test('a publish whose body stalls is cut off with 503, and its partial upload is removed', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fapilog-deadline-'));
    const m = await createMarketplace({ dataDir: dir, requestTimeoutMs: 300 });
    t.after(async () => {
      await m.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const base = new URL(await m.listen(0, '127.0.0.1'));
    const token = await m.createToken('slowpoke');
    const { default: http } = await import('node:http');
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: '/api/v1/plugins/slow/versions',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'multipart/form-data; boundary=zz', 'Content-Length': '10000000' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // A file part begins, then nothing more: the server has a temporary file open.
      req.write('--zz\r\nContent-Disposition: form-data; name="file"; filename="fapilog_slow-1.0.0.tar.gz"\r\n\r\n' + 'x'.repeat(1000));
    });
    assert.equal(answer.status, 503);
    assert.equal(ErrorBody.parse(JSON.parse(answer.body)).error.code, 'timeout');
    const pkgDir = path.join(dir, 'files', 'fapilog-slow');
    for (let i = 0; i < 50 && fs.existsSync(pkgDir) && fs.readdirSync(pkgDir).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(fs.existsSync(pkgDir) ? fs.readdirSync(pkgDir) : [], [], 'the partial upload was removed');
    assert.equal((await getJson(`${base.origin}/api/v1/plugins/slow`)).status, 404);
  });
});
