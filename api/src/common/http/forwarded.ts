/**
 * Who is calling and under which public URL, from behind a proxy (docs/security.md "Trusted
 * proxies"). Forwarding headers are believed only from the proxies listed in TRUSTED_PROXIES
 * (addresses, CIDRs or the names `loopback`, `linklocal`, `uniquelocal`; none by default), through
 * Fastify's own `trustProxy`: `request.ip` is the right-most `X-Forwarded-For` hop that is not a
 * trusted proxy, and `request.host` / `request.protocol` come from `X-Forwarded-Host` /
 * `X-Forwarded-Proto` only when the TCP peer is trusted. RFC 7239 `Forwarded` is not read.
 */
import proxyAddr from '@fastify/proxy-addr';

/** Checks a TRUSTED_PROXIES list the way Fastify will compile it; throws on a bad entry. */
export function compileTrustedProxies(entries: string[]): void {
  proxyAddr.compile(entries);
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one address whatever the socket family. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1] : address;
}

/** The caller's address as Fastify resolved it under TRUSTED_PROXIES. */
export function clientAddress(request: { ip?: string }): string {
  return request.ip ? unmapped(request.ip) : 'unknown';
}

/**
 * The public base URL of invite links: PUBLIC_BASE_URL when configured, otherwise the request's
 * scheme and host (forwarded ones only from a trusted proxy, see above).
 */
export function publicBaseUrl(args: { configured: string | null; host: string | undefined; protocol: string }): string {
  if (args.configured) return args.configured.replace(/\/+$/, '');
  return `${args.protocol.toLowerCase()}://${args.host || 'localhost'}`;
}
