/**
 * Limits at the connection layer, below any route: how many sockets the server holds, how long a
 * socket may stay silent before its first request, how long headers may take, and closing (not
 * draining) a connection whose request was refused before its body was read.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Sockets held at once; further ones are closed as they arrive (default 512). */
  maxConnections?: number;
  /** A socket that has not sent a complete request head within this is closed (default 10 s). */
  headersTimeoutMs?: number;
  /** An idle keep-alive socket is closed after this (default 5 s). */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_MAX_CONNECTIONS = 512;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;

const firstRequest = new WeakMap<Socket, NodeJS.Timeout>();

/** Node's own checks for slow headers run every `connectionsCheckingInterval`: a fraction of the limit. */
export function checkingIntervalFor(limits: ConnectionLimits): number {
  const headers = limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  return Math.max(50, Math.min(5_000, Math.floor(headers / 4)));
}

export function applyConnectionLimits(server: Server, limits: ConnectionLimits, requestTimeoutMs: number): void {
  const headersTimeout = limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  server.maxConnections = limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(headersTimeout, requestTimeoutMs);
  // Node's headersTimeout starts at a request's first byte: a socket that sends nothing at all
  // would hold its descriptor forever. Those get the same time for their first request.
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), headersTimeout);
    timer.unref();
    firstRequest.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  server.on('request', (req: IncomingMessage) => {
    const timer = firstRequest.get(req.socket);
    if (timer) {
      clearTimeout(timer);
      firstRequest.delete(req.socket);
    }
  });
}

/**
 * For an answer sent before the request's body was read (401, 413, 429, ...): the connection is
 * closed once the answer is out, instead of reading (and discarding) whatever the client still
 * sends. Call before the answer's headers are written.
 */
export function closeUnreadRequest(req: IncomingMessage, res: ServerResponse): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.complete || res.headersSent) return;
  const socket = req.socket;
  res.setHeader('Connection', 'close');
  // Node ends a `Connection: close` socket with destroySoon(): FIN, then destroy once the answer is
  // flushed. Destroyed with the client's upload still arriving, the kernel answers it with a reset,
  // and a client still writing its body sees EPIPE/ECONNRESET instead of the answer. So the socket
  // lingers (as nginx's lingering_close does): half-closed, discarding what still arrives, until
  // the client stops or a small budget of time or bytes is spent. Never drained to the end.
  if (socket) socket.destroySoon = () => linger(socket);
}

/** How long, and how much, a refused request's connection is read and discarded after its answer. */
export const LINGER_MS = 2_000;
export const LINGER_BYTES = 1 << 20;

function linger(socket: Socket): void {
  socket.end();
  let discarded = 0;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) socket.destroy();
  });
  socket.resume();
}
