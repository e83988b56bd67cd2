import Fastify from 'fastify';
import { clientAddress, compileTrustedProxies, publicBaseUrl } from './forwarded';

/**
 * A Fastify server configured as app.factory.ts does, on a random loopback port, answering what the
 * helpers make of a real request (the TCP peer is therefore 127.0.0.1).
 */
async function resolve(trusted: string[], headers: Record<string, string>) {
  const fastify = Fastify({ trustProxy: trusted.length > 0 ? trusted : false });
  fastify.get('/', (request) => ({
    address: clientAddress(request),
    base: publicBaseUrl({ configured: null, host: request.host, protocol: request.protocol }),
  }));
  const origin = await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(origin, { headers });
    return (await response.json()) as { address: string; base: string };
  } finally {
    await fastify.close();
  }
}

describe('forwarding headers are believed only from TRUSTED_PROXIES (issue #11 defect 4)', () => {
  const spoofed = { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-host': 'evil.example.org', 'x-forwarded-proto': 'https' };

  it('ignores them by default, even from a loopback peer', async () => {
    const seen = await resolve([], spoofed);
    expect(seen.address).toBe('127.0.0.1');
    expect(seen.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('ignores them from a peer outside the list', async () => {
    const seen = await resolve(['10.0.0.0/8'], spoofed);
    expect(seen.address).toBe('127.0.0.1');
    expect(seen.base).not.toContain('evil');
  });

  it('takes the right-most hop that is not a trusted proxy', async () => {
    // The client prepended a forged hop; the trusted proxy appended the peer it saw.
    expect((await resolve(['loopback'], { 'x-forwarded-for': '1.2.3.4, 203.0.113.7' })).address).toBe('203.0.113.7');
    expect((await resolve(['127.0.0.1', '10.0.0.0/8'], { 'x-forwarded-for': '1.2.3.4, 203.0.113.7, 10.0.0.9' })).address).toBe('203.0.113.7');
    expect((await resolve(['loopback'], {})).address).toBe('127.0.0.1');
  });

  it('builds invite links from a trusted proxy\'s forwarded host and scheme', async () => {
    expect((await resolve(['loopback'], spoofed)).base).toBe('https://evil.example.org');
    expect(publicBaseUrl({ configured: 'https://kci.example.org/', host: 'h', protocol: 'http' })).toBe('https://kci.example.org');
  });

  it('refuses a malformed list as Fastify would', () => {
    expect(() => compileTrustedProxies(['10.0.0.0/8', 'loopback', 'fd00::/8', '192.0.2.1'])).not.toThrow();
    expect(() => compileTrustedProxies(['10.0.0.0/33'])).toThrow();
    expect(() => compileTrustedProxies(['proxy.example.org'])).toThrow();
  });
});
