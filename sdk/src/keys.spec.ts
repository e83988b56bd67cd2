import { canonicalJson, deriveKey, MAX_DERIVED_KEY_LENGTH, newIdempotencyKey } from './keys';
import { isValidationError } from './errors';

// Test-only: an independent SHA-256 to check the Web Crypto path against.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createHash } = require('node:crypto') as typeof import('node:crypto');

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,null,"x"]},"b":1}');
  });
  it('is independent of key order', () => {
    expect(canonicalJson({ x: 1, y: { p: 1, q: 2 } })).toBe(canonicalJson({ y: { q: 2, p: 1 }, x: 1 }));
  });
  it('serialises Dates through toJSON', () => {
    expect(canonicalJson([new Date('2026-01-01T00:00:00Z')])).toBe('["2026-01-01T00:00:00.000Z"]');
  });
  it.each([[1n], [() => 1], [Symbol('s')], [NaN], [Infinity]])('refuses %p', (v) => {
    expect(() => canonicalJson([v])).toThrow();
  });
  it('refuses cycles but allows repeated references', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('deriveKey', () => {
  it('is namespace + ":" + base64url SHA-256 of the canonical JSON of the parts', async () => {
    const key = await deriveKey('results', '65a3982ee98651d0fe82b010');
    const expected = createHash('sha256').update('["65a3982ee98651d0fe82b010"]').digest('base64url');
    expect(key).toBe(`results:${expected}`);
    expect(key).toMatch(/^results:[A-Za-z0-9_-]{43}$/);
  });
  it('is stable across key order and differs across parts and namespaces', async () => {
    const a = await deriveKey('smoke', { id: 'k', arch: 'x86_64' });
    expect(await deriveKey('smoke', { arch: 'x86_64', id: 'k' })).toBe(a);
    expect(await deriveKey('smoke', { arch: 'arm64', id: 'k' })).not.toBe(a);
    expect(await deriveKey('other', { arch: 'x86_64', id: 'k' })).not.toBe(a);
    expect(await deriveKey('smoke', 'a', 'b')).not.toBe(await deriveKey('smoke', 'ab'));
  });
  it('stays within 200 visible ASCII characters', async () => {
    const key = await deriveKey('n'.repeat(156), 'x'.repeat(10_000));
    expect(key.length).toBe(MAX_DERIVED_KEY_LENGTH);
    expect(key).toMatch(/^[\x21-\x7e]+$/);
  });
  it.each([[''], ['has space'], ['ünïcode'], ['n'.repeat(157)]])('refuses the namespace %p', async (ns) => {
    const error: unknown = await deriveKey(ns, 1).then(() => undefined, (e: unknown) => e);
    expect(isValidationError(error)).toBe(true);
  });
});

describe('newIdempotencyKey', () => {
  it('returns fresh UUIDs', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
