import { clientAddress, firstForwardedHop, isNonGlobalAddress, publicBaseUrl } from './forwarded';

describe('forwarding headers (contract §4.3, §4.9)', () => {
  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.1.1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['8.8.8.8', false],
    ['2001:4860::8888', false],
    ['::ffff:8.8.8.8', false],
    [undefined, false],
  ])('%s is non-global: %s', (address, expected) => {
    expect(isNonGlobalAddress(address)).toBe(expected);
  });

  it('reads the first Forwarded hop, with quotes', () => {
    expect(firstForwardedHop('for="[2001:db8::1]:4711";proto=https;host=api.example.org, for=10.0.0.1')).toEqual({
      for: '[2001:db8::1]:4711',
      proto: 'https',
      host: 'api.example.org',
    });
  });

  it('takes the client address from forwarding headers only behind a non-global peer', () => {
    expect(clientAddress('10.0.0.2', { forwarded: 'for=203.0.113.7:1234', 'x-forwarded-for': '198.51.100.1' })).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.2', { 'x-forwarded-for': '198.51.100.1, 10.0.0.1' })).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', {})).toBe('10.0.0.2');
    expect(clientAddress('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' })).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', {})).toBe('203.0.113.9');
  });

  it('builds the public base URL from PUBLIC_BASE_URL, trusted forwarding headers, or the request', () => {
    const headers = { host: 'internal:8001', forwarded: 'proto=https;host=api.example.org', 'x-forwarded-host': 'other.example.org' };
    expect(publicBaseUrl({ configured: 'https://kci.example.org/', peer: '127.0.0.1', headers, protocol: 'http' })).toBe('https://kci.example.org');
    expect(publicBaseUrl({ configured: null, peer: '127.0.0.1', headers, protocol: 'http' })).toBe('https://api.example.org');
    expect(
      publicBaseUrl({ configured: null, peer: '192.168.0.5', headers: { host: 'h', 'x-forwarded-host': 'x.example.org', 'x-forwarded-proto': 'https' }, protocol: 'http' }),
    ).toBe('https://x.example.org');
    expect(publicBaseUrl({ configured: null, peer: '8.8.8.8', headers, protocol: 'http' })).toBe('http://internal:8001');
  });
});
