/**
 * Issue 18, class 4: with the issuer's discovery document failing, every junk token cost an
 * outbound fetch (up to 5 s each); a huge discovery or JWKS answer was read whole before its size
 * was checked. Failures are remembered with a doubling backoff, and the cap holds while reading.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAILURE_BACKOFF_MS, OidcVerifier } from '../../../server/auth/oidc.ts';
import { HttpError } from '../../../server/errors.ts';

interface Peer {
  url: string;
  hits: Map<string, number>;
  /** Bytes of the endless answers the peer managed to write before the client went. */
  streamed: number;
  close(): Promise<void>;
}

/** `/broken/...` answers 500; `/huge/...` streams JSON whitespace without end; counts every hit. */
async function startPeer(): Promise<Peer> {
  const peer: Peer = { url: '', hits: new Map(), streamed: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    peer.hits.set(path, (peer.hits.get(path) ?? 0) + 1);
    if (path.startsWith('/broken')) {
      res.writeHead(500).end('down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"keys": [');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = 256; // 16 MiB in all, if nobody stops it
    const pump = () => {
      while (left > 0) {
        left--;
        peer.streamed += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end(']}');
    };
    res.on('close', () => (left = 0));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  peer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  peer.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Well-formed enough to reach the key fetch: an allowed alg and the verifier's issuer. */
const junk = (iss: string, n: number) =>
  `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss, jti: `j${n}`, exp: 2e9, iat: 1e9 })}.${Buffer.from(`sig${n}`).toString('base64url')}`;

async function outcome(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  assert.fail('expected a rejection');
}

let peer: Peer;
before(async () => {
  peer = await startPeer();
});
after(() => peer.close());

describe('OIDC fetch failures are remembered', () => {
  test('40 junk tokens against a failing discovery document cost one fetch; retried after a doubling backoff', async () => {
    let now = 1_000_000;
    const issuer = `${peer.url}/broken/a`;
    const v = new OidcVerifier({ issuer, clock: () => now }, () => new Date());
    const where = '/broken/a/.well-known/openid-configuration';
    for (let i = 0; i < 40; i++) {
      const err = await outcome(v.verify(junk(issuer, i), 'aud'));
      assert.equal(err.status, 503);
      assert.equal(err.code, 'issuer_unavailable');
    }
    assert.equal(peer.hits.get(where), 1);
    now += FAILURE_BACKOFF_MS.first;
    await outcome(v.verify(junk(issuer, 41), 'aud'));
    assert.equal(peer.hits.get(where), 2, 'retried once the backoff passed');
    now += FAILURE_BACKOFF_MS.first;
    const err = await outcome(v.verify(junk(issuer, 42), 'aud'));
    assert.equal(peer.hits.get(where), 2, 'the second failure waits twice as long');
    assert.match(err.message, /not retried for 2 s/);
  });

  test('a failing JWKS is remembered the same way', async () => {
    let now = 1_000_000;
    const issuer = `${peer.url}/iss-b`;
    const v = new OidcVerifier({ issuer, jwksUrl: `${peer.url}/broken/jwks-b`, clock: () => now }, () => new Date());
    for (let i = 0; i < 40; i++) {
      const err = await outcome(v.verify(junk(issuer, i), 'aud'));
      assert.equal(err.status, 503, err.message);
    }
    assert.equal(peer.hits.get('/broken/jwks-b'), 1);
    now += FAILURE_BACKOFF_MS.first;
    await outcome(v.verify(junk(issuer, 41), 'aud'));
    assert.equal(peer.hits.get('/broken/jwks-b'), 2);
  });
});

describe('the 64 KiB cap holds while reading', () => {
  for (const which of ['discovery', 'jwks'] as const) {
    test(`an endless ${which} document is cut off, not read whole`, async (t) => {
      peer.streamed = 0;
      const issuer = `${peer.url}/huge/${which}`;
      const v = new OidcVerifier({ issuer, ...(which === 'jwks' ? { jwksUrl: `${peer.url}/huge/jwks` } : {}) }, () => new Date());
      const err = await outcome(v.verify(junk(issuer, 1), 'aud'));
      assert.equal(err.status, 503);
      assert.match(err.message, /larger than 64 KiB/);
      await new Promise((r) => setTimeout(r, 50));
      t.diagnostic(`the peer wrote ${(peer.streamed / 1024 / 1024).toFixed(1)} MiB of 16 MiB`);
      assert.ok(peer.streamed < 8 * 1024 * 1024, `the peer wrote ${peer.streamed} bytes before the verifier stopped reading`);
    });
  }
});
