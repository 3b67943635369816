/**
 * A tiny misbehaving marketplace on 127.0.0.1 for fault-injection tests: the test's handler
 * decides every answer, and the peer records what arrived (method, path, headers, time).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse, n: number) => void | Promise<void>;

export interface Peer {
  /** http://127.0.0.1:PORT/api/v1 */
  apiUrl: string;
  requests: SeenRequest[];
  /** Most requests ever handled at the same time. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startPeer(handler: Handler): Promise<Peer> {
  const requests: SeenRequest[] = [];
  let active = 0;
  const peer = { requests, maxConcurrent: 0 } as Peer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').replace(/^\/api\/v1/, ''),
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(seen);
      active++;
      peer.maxConcurrent = Math.max(peer.maxConcurrent, active);
      res.on('close', () => active--);
      Promise.resolve(handler(seen, res, requests.length)).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  peer.apiUrl = `http://127.0.0.1:${port}/api/v1`;
  peer.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return peer;
}

/** Starts peers for the calling test file; every one is closed after the file. */
export function usePeers(): (handler: Handler) => Promise<Peer> {
  const peers: Peer[] = [];
  after(async () => Promise.all(peers.map((p) => p.close())));
  return async (handler) => {
    const p = await startPeer(handler);
    peers.push(p);
    return p;
  };
}

export type CountingProxy = Awaited<ReturnType<typeof startCountingProxy>>;

/**
 * The seeded reference server behind a counting proxy, for the whole calling test file (started
 * before its tests, stopped after them); the properties are set once the `before` hook ran.
 */
export function useProxiedServer(): { readonly server: TestServer; readonly proxy: CountingProxy } {
  const live = {} as { server: TestServer; proxy: CountingProxy };
  before(async () => {
    live.server = await startTestServer({ seed: true });
    live.proxy = await startCountingProxy(live.server.apiUrl);
  });
  after(async () => {
    await live.proxy?.close();
    await live.server?.stop();
  });
  return live;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v1`;
}

/** A plugin as the contract describes it, for peers that must answer correctly. */
export function samplePlugin(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'loki',
    package: 'fapilog-loki',
    version: '1.2.0',
    description: 'Ship logs to Grafana Loki',
    author: 'Fapilog Team',
    plugin_type: 'sink',
    downloads: 1234,
    rating: 4.5,
    rating_count: 10,
    homepage: null,
    repository: 'https://github.com/fapilog/fapilog-loki',
    license: 'MIT',
    fapilog_compatibility: '>=0.3,<0.5',
    dependencies: ['httpx>=0.25'],
    published_at: '2026-01-02T03:04:05+00:00',
    checksum: null,
    ...overrides,
  };
}

export function sampleRelease(version: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'loki',
    package: 'fapilog-loki',
    version,
    fapilog_compatibility: '>=0.3,<0.5',
    requires_python: '>=3.10',
    dependencies: [],
    yanked: false,
    yanked_reason: null,
    published_at: '2026-01-02T03:04:05+00:00',
    readme: '# loki',
    files: [
      {
        filename: `fapilog_loki-${version}-py3-none-any.whl`,
        sha256: 'a'.repeat(64),
        size: 2048,
        url: `/files/fapilog-loki/fapilog_loki-${version}-py3-none-any.whl`,
      },
    ],
    ...overrides,
  };
}

export interface ProxiedRequest {
  method: string;
  path: string;
  ifNoneMatch: string | undefined;
  status: number;
}

/**
 * A counting proxy on 127.0.0.1 in front of a real server: every request is forwarded unchanged
 * and recorded with its If-None-Match and the status it got, so tests can count round trips.
 */
export async function startCountingProxy(
  targetApiUrl: string,
): Promise<{ apiUrl: string; seen: ProxiedRequest[]; close(): Promise<void> }> {
  const target = new URL(targetApiUrl);
  const seen: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers.set(k, v);
      const method = req.method ?? 'GET';
      try {
        const answer = await fetch(`${target.origin}${req.url}`, {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? null : Buffer.concat(chunks),
        });
        const body = Buffer.from(await answer.arrayBuffer());
        seen.push({
          method,
          path: (req.url ?? '').replace(/^\/api\/v1/, ''),
          ifNoneMatch: req.headers['if-none-match'],
          status: answer.status,
        });
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
        });
        res.writeHead(answer.status, out);
        res.end(answer.status === 304 ? undefined : body);
      } catch (err) {
        seen.push({ method, path: req.url ?? '', ifNoneMatch: req.headers['if-none-match'], status: 502 });
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'bad_gateway', message: String(err) } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
