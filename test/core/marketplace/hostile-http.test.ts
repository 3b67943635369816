/**
 * Issue 13, defect 5: the client had no overall deadline (4 attempts x 30 s for one `info`), no
 * size cap (a 300 MB answer took 2.6 GB), read `Retry-After: -5` as "retry now", and printed
 * credentials from `--marketplace-url`. Each case against a tiny misbehaving 127.0.0.1 peer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpTransport, parseRetryAfter } from '../../../src/core/marketplace/http.ts';
import { MarketplaceClient } from '../../../src/core/marketplace/client.ts';
import { MarketplaceError, stripCredentials } from '../../../src/core/marketplace/errors.ts';
import { runCli } from '../../helpers/cli.ts';
import { closedPortUrl, samplePlugin, sendJson, usePeers } from './peer.ts';
import { settingsFor } from './settings.ts';

const peer = usePeers();
const get = (url: string) => ({ method: 'GET' as const, url, endpoint: 'GET /x' });

describe('overall deadline', () => {
  test('a server that never answers costs one deadline, not attempts x timeout', async () => {
    const p = await peer(() => undefined); // never answers
    const transport = new HttpTransport({ timeoutMs: 10_000, retries: 3, backoffMs: 1, deadlineMs: 300 });
    await assert.rejects(transport.send(get(`${p.apiUrl}/x`)), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'timeout');
      assert.equal(err.code, 'deadline');
      assert.match(err.message, /within the 0\.3s deadline for one call \(1 attempt/);
      assert.ok(err.unreachable, 'a stale cache copy may still stand in');
      return true;
    });
    assert.equal(p.requests.length, 1, 'no further attempt after the deadline');
  });

  test('waits count against the deadline: a Retry-After longer than what is left fails at once', async () => {
    const p = await peer((_req, res) => sendJson(res, 503, {}, { 'Retry-After': '5' }));
    await assert.rejects(
      new HttpTransport({ retries: 3, deadlineMs: 1000, maxWaitMs: 60_000 }).send(get(`${p.apiUrl}/x`)),
      /deadline for one call/,
    );
    assert.equal(p.requests.length, 1);
  });

  test('the default deadline is what one call may take in all', () => {
    const t = new HttpTransport();
    assert.equal(t.options.deadlineMs, 60_000);
    assert.ok(t.options.deadlineMs < t.options.timeoutMs * (t.options.retries + 1), 'below attempts x timeout (was 122 s)');
  });
});

describe('response size cap', () => {
  test('a declared Content-Length over the cap is refused without reading', async () => {
    const p = await peer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(300 * 1024 * 1024) });
      res.write('{"plugins": [');
      // never sends the rest
    });
    await assert.rejects(new HttpTransport({ maxResponseBytes: 1024 * 1024 }).send(get(`${p.apiUrl}/x`)), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.equal(err.kind, 'too-large');
      assert.match(err.message, /of 314572800 bytes is larger than the limit of 1048576 bytes/);
      return true;
    });
    assert.equal(p.requests.length, 1, 'not retried');
  });

  test('a chunked body that grows past the cap is cut off; the peer sees the connection close', async () => {
    let written = 0;
    let closedEarly = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const p = await peer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.on('close', () => (closedEarly = !res.writableFinished));
      const pump = () => {
        while (written < 300 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await assert.rejects(
      new HttpTransport({ maxResponseBytes: 1024 * 1024 }).send(get(`${p.apiUrl}/x`)),
      /body is larger than the limit of 1048576 bytes/,
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(closedEarly, 'the client stopped reading');
    assert.ok(written < 300 * 1024 * 1024, `the peer wrote ${written} bytes before the client hung up`);
  });

  test('the default cap is 64 MiB', () => {
    assert.equal(new HttpTransport().options.maxResponseBytes, 64 * 1024 * 1024);
  });
});

describe('Retry-After garbage', () => {
  test('negative, fractional and other non-dates are undefined (the default backoff applies)', () => {
    for (const v of ['-5', '5.5', '-1', '1e3', '0x10', 'soon', '', '12345678901']) assert.equal(parseRetryAfter(v), undefined, v);
    assert.equal(parseRetryAfter(' 7 '), 7000);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', Date.parse('2026-11-25T10:00:00Z')), 5000);
    assert.equal(parseRetryAfter('Wednesday, 25-Nov-26 10:00:05 GMT', Date.parse('2026-11-25T10:00:00Z')), 5000);
    assert.equal(typeof parseRetryAfter('Wed Nov 25 10:00:05 2026'), 'number', 'asctime is an HTTP-date too');
  });

  test('Retry-After: -5 means the default backoff between attempts, not four attempts at once', async () => {
    const p = await peer((_req, res, n) => (n < 3 ? sendJson(res, 503, {}, { 'Retry-After': '-5' }) : sendJson(res, 200, { ok: true })));
    const lines: string[] = [];
    const res = await new HttpTransport({ retries: 3, backoffMs: 200, debug: (m) => lines.push(m) }).send(get(`${p.apiUrl}/x`));
    assert.equal(res.status, 200);
    assert.equal(res.attempts, 3);
    const waits = lines.filter((l) => l.startsWith('waiting'));
    assert.equal(waits.length, 2);
    for (const w of waits) {
      assert.doesNotMatch(w, /with Retry-After/, 'the garbage header was not taken as a delay');
      assert.doesNotMatch(w, /^waiting 0\.0s/);
    }
  });
});

describe('credentials in the marketplace URL', () => {
  test('stripCredentials removes user:password@ from every URL in a text', () => {
    assert.equal(stripCredentials('GET http://u:p%40ss@h:1/api and https://tok@x.y/z'), 'GET http://***@h:1/api and https://***@x.y/z');
    assert.equal(stripCredentials('mail a@b.c, http://h/x@y'), 'mail a@b.c, http://h/x@y');
  });

  test('they travel as Basic auth, never in the URL, and appear in no error or debug line', async () => {
    const p = await peer((_req, res) => sendJson(res, 500, { error: { code: 'boom', message: 'boom' } }));
    const withCreds = p.apiUrl.replace('http://', 'http://alice:s3cr3t-pw@');
    const lines: string[] = [];
    const client = new MarketplaceClient(settingsFor(withCreds), { retries: 1, backoffMs: 1, debug: (m) => lines.push(m) });
    await assert.rejects(client.getPlugin('loki'), (err: unknown) => {
      assert.ok(err instanceof MarketplaceError);
      assert.ok(!err.message.includes('s3cr3t'), err.message);
      return true;
    });
    assert.equal(p.requests[0]!.headers.authorization, `Basic ${Buffer.from('alice:s3cr3t-pw').toString('base64')}`);
    assert.ok(lines.length > 0);
    for (const l of lines) assert.ok(!l.includes('s3cr3t') && !l.includes('alice:'), l);
  });

  test('the CLI prints none of them: unreachable host, and a working one with --debug', async () => {
    const closed = (await closedPortUrl()).replace('http://', 'http://bob:hunter2@');
    const down = await runCli(['info', 'loki', '--marketplace-url', closed, '--retries', '0']);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /cannot reach/);
    assert.ok(!down.stderr.includes('hunter2') && !down.stdout.includes('hunter2'), down.stderr);

    const p = await peer((req, res) =>
      req.path.startsWith('/plugins/loki/versions')
        ? sendJson(res, 200, { versions: [], releases: [] })
        : sendJson(res, 200, samplePlugin()),
    );
    const up = await runCli(['info', 'loki', '--debug', '--marketplace-url', p.apiUrl.replace('http://', 'http://bob:hunter2@')]);
    assert.equal(up.code, 0, up.stderr);
    assert.ok(!up.stderr.includes('hunter2') && !up.stdout.includes('hunter2'));
    assert.match(up.stderr, /\*\*\*@127\.0\.0\.1/);
  });
});

describe('versions the client sends', () => {
  test('a version with a number above 2^53-1 is refused before any request', async () => {
    const p = await peer((_req, res) => sendJson(res, 200, {}));
    const client = new MarketplaceClient(settingsFor(p.apiUrl));
    for (const call of [() => client.release('loki', `1.${'9'.repeat(22)}`), () => client.download('loki', '9007199254740993')]) {
      await assert.rejects(
        call(),
        (err: unknown) => err instanceof MarketplaceError && err.kind === 'invalid-request' && /above 9007199254740991/.test(err.message),
      );
    }
    assert.equal(p.requests.length, 0);
  });
});
