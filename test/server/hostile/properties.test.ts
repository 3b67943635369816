/**
 * Property-based: whatever a client puts into the query parameters or the path segments of any
 * route, the server answers with a status below 500 (a 4xx with the error shape when it refuses),
 * never a 500. fast-check shrinks a failure to the smallest input that produces it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { ErrorBody } from '../../../src/core/marketplace/schemas.ts';
import { buildRouter } from '../../../server/index.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ seed: true });
});
after(() => server.stop());

/** A raw request: the path goes out exactly as built (fetch would normalise it). */
function request(method: string, rawPath: string): Promise<{ status: number; body: string; type: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: rawPath, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

function checkAnswer(r: { status: number; body: string; type: string }, what: string): void {
  assert.ok(r.status < 500 || r.status === 503, `${what}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  assert.notEqual(r.status, 500, what);
  if (r.status < 400 || !r.body) return;
  // The web catalog's pages answer errors as an HTML page; every other route as the JSON error shape.
  if (r.type.startsWith('text/html')) assert.match(r.body, /^<!DOCTYPE html>/i, `${what}: error page`);
  else assert.ok(ErrorBody.safeParse(JSON.parse(r.body)).success, `${what}: error shape`);
}

/** Text a hostile client might send: unicode, control bytes, huge numbers, FTS and path syntax. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.stringMatching(/^[0-9]{1,40}(\.[0-9]{1,40}){0,3}$/),
  fc.constantFrom(
    '..',
    '.',
    '%',
    '%zz',
    '%00',
    '__proto__',
    'constructor',
    '"loki* ^(',
    'NEAR(a b)',
    '-1',
    '1e999',
    'NaN',
    'loki',
    '1.0.0',
    '💥',
    ' ',
  ),
  fc
    .array(fc.constantFrom('a', 'b', 'lo', 'ki', 'sink', '*', '"', '(', ')', 'OR', 'AND', 'NOT', ':', '^', '-'), { maxLength: 300 })
    .map((xs) => xs.join(' ')),
);

/** A segment: either percent-encoded hostile text, or raw URL-safe junk (including broken escapes). */
const segment = fc.oneof(
  { arbitrary: fc.constantFrom('loki', 'fapilog-loki', 'kafka', '1.0.0', '0.4.0'), weight: 2 },
  { arbitrary: fc.stringMatching(/^[0-9]{1,30}(\.[0-9]{1,30}){0,3}$/), weight: 2 },
  // Versions with numbers from small to far beyond 2^53 (22 digits and up were 500s).
  { arbitrary: fc.array(fc.bigInt({ min: 0n, max: 10n ** 35n }), { minLength: 1, maxLength: 3 }).map((ns) => ns.join('.')), weight: 2 },
  hostileText.map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9%._~!$&'()*+,;=:@-]{1,30}$/),
);

const PARAMS = ['q', 'type', 'author', 'min_rating', 'sort', 'page', 'per_page', 'names', 'x'];

describe('property: never a 500', () => {
  test('query parameters of the listing, search and batch endpoints', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/plugins', '/api/v1/plugins/search', '/api/v1/plugins/batch', '/api/v1/fapilog/versions', '/simple/'),
        fc.array(fc.tuple(fc.constantFrom(...PARAMS), hostileText), { maxLength: 5 }),
        async (route, pairs) => {
          const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const path = qs ? `${route}?${qs}` : route;
          checkAnswer(await request('GET', path), `GET ${path}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('path segments of every route, GET, HEAD and the writes without a token', async () => {
    const routes = buildRouter().routes;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        async (route, segs, head) => {
          let i = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => segs[i++ % segs.length]!);
          const method = route.method === 'GET' ? (head ? 'HEAD' : 'GET') : route.method;
          checkAnswer(await request(method, path), `${method} ${path}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});
