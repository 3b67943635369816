/**
 * Which X-Forwarded-For entries are believed: only those appended by a proxy whose address is in
 * the trusted list (addresses and CIDR ranges, as Express's and Fastify's `trustProxy` take them).
 * Trusting by hop count let a client that reaches the server directly name its own address (and
 * so its rate-limit bucket); by address, a direct client's header is never read.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export type TrustedProxies = BlockList | null;

/** Named ranges, as in Express: `loopback`, `linklocal`, `uniquelocal` (private networks). */
const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * The trusted proxies from comma-separated addresses, CIDRs and names; an empty list trusts none.
 * Throws an Error naming the first entry that is not an address or a range.
 */
export function parseTrustedProxies(text: string | readonly string[] | undefined): TrustedProxies {
  const entries = (typeof text === 'string' ? text.split(',') : (text ?? [])).map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    for (const item of NAMED[entry.toLowerCase()] ?? [entry]) {
      const [addr, bits, extra] = item.split('/');
      const family = isIP(addr ?? '');
      if (family === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR range: ${JSON.stringify(entry)}`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) {
        list.addAddress(addr!, type);
        continue;
      }
      const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) throw new Error(`not a CIDR prefix length: ${JSON.stringify(entry)}`);
      list.addSubnet(addr!, prefix, type);
    }
  }
  return list;
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is 1.2.3.4. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address: the socket's, unless it is a trusted proxy; then X-Forwarded-For is read
 * from the right (each proxy appends the address it saw) past every trusted proxy, and the first
 * address that is not one is the client. Anything further left is the client's own claim.
 */
export function clientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const socket = normalize(req.socket.remoteAddress ?? 'unknown');
  if (!trusted || !isTrusted(trusted, socket)) return socket;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => normalize(s.trim()));
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // Junk where an address should be: the last good one is as far as the chain can be believed.
    if (hop.length === 0 || hop.length > 64 || isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(trusted, hop)) break;
  }
  return client;
}
