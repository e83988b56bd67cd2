/**
 * Who is calling and under which public URL, from behind a proxy (contract §4.3 "Public base URL",
 * §4.9 client address). Forwarding headers are believed only when the TCP peer is not a global
 * address (loopback, private, link-local, unique-local): that peer is a proxy of the deployment, while
 * a client on the Internet could write any header it likes.
 */
import { isIP } from 'node:net';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4-mapped peers are judged as IPv4. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1] : address;
}

/** True for addresses that are not routable on the Internet: a proxy in front of the API. */
export function isNonGlobalAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = unmapped(address.trim());
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(ip) === 6) {
    const lower = ip.toLowerCase();
    return lower === '::1' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
  }
  return false;
}

/** The first hop of an RFC 7239 `Forwarded` header as lower-cased parameters (quotes removed). */
export function firstForwardedHop(value: string | undefined): Record<string, string> {
  if (!value) return {};
  const first = value.split(',')[0];
  const hop: Record<string, string> = {};
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim().toLowerCase();
    const raw = pair.slice(eq + 1).trim();
    hop[key] = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  }
  return hop;
}

/** `for=` values look like `192.0.2.1`, `"[2001:db8::1]:4711"` or `192.0.2.1:80`: keep the address. */
function stripPort(node: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(node);
  return v4WithPort ? v4WithPort[1] : node;
}

/**
 * The client address of §4.9: the TCP peer, or the first `Forwarded` `for=` hop, else the first
 * `X-Forwarded-For` entry, when the peer is a non-global (proxy) address.
 */
export function clientAddress(peer: string | undefined, headers: Headers): string {
  const direct = peer ? unmapped(peer) : 'unknown';
  if (!isNonGlobalAddress(peer)) return direct;
  const forwardedFor = firstForwardedHop(header(headers, 'forwarded')).for;
  if (forwardedFor) return stripPort(forwardedFor);
  const xff = header(headers, 'x-forwarded-for')?.split(',')[0]?.trim();
  return xff ? stripPort(xff) : direct;
}

/**
 * The public base URL of invite links (§4.3): PUBLIC_BASE_URL when configured; otherwise, behind a
 * non-global peer, host and scheme from the first `Forwarded` hop, else `X-Forwarded-Host` /
 * `X-Forwarded-Proto`; otherwise the request's own scheme and `Host`.
 */
export function publicBaseUrl(args: { configured: string | null; peer: string | undefined; headers: Headers; protocol: string }): string {
  if (args.configured) return args.configured.replace(/\/+$/, '');
  let host = header(args.headers, 'host') ?? 'localhost';
  let proto = args.protocol;
  if (isNonGlobalAddress(args.peer)) {
    const hop = firstForwardedHop(header(args.headers, 'forwarded'));
    const forwardedHost = hop.host ?? header(args.headers, 'x-forwarded-host')?.split(',')[0]?.trim();
    const forwardedProto = hop.proto ?? header(args.headers, 'x-forwarded-proto')?.split(',')[0]?.trim();
    if (forwardedHost) host = forwardedHost;
    if (forwardedProto) proto = forwardedProto.toLowerCase();
  }
  return `${proto}://${host}`;
}
