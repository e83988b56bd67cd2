import { createHash } from 'node:crypto';
import { generateApiToken, hashApiToken, looksLikeApiToken, looksLikeJwt } from './api-tokens';
import { issueAccessToken } from './jwt-tokens';

describe('API tokens', () => {
  it('generates mst_ + 43 base64url characters from 32 random bytes', () => {
    const { token } = generateApiToken();
    expect(token).toMatch(/^mst_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
  });

  it('gives the first 8 characters as prefix and the SHA-256 hex as hash', () => {
    const { token, prefix, hash } = generateApiToken();
    expect(prefix).toBe(token.slice(0, 8));
    expect(prefix).toMatch(/^mst_.{4}$/);
    expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never repeats a token', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateApiToken().token));
    expect(seen.size).toBe(200);
  });

  it('hashApiToken is SHA-256 hex, deterministic', () => {
    // Known vector: sha256("abc").
    expect(hashApiToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const { token, hash } = generateApiToken();
    expect(hashApiToken(token)).toBe(hash);
  });

  it('looksLikeApiToken accepts generated tokens only', () => {
    expect(looksLikeApiToken(generateApiToken().token)).toBe(true);
    expect(looksLikeApiToken('mst_' + 'A'.repeat(42))).toBe(false);
    expect(looksLikeApiToken('mst_' + 'A'.repeat(44))).toBe(false);
    expect(looksLikeApiToken('mst_' + 'A'.repeat(42) + '=')).toBe(false);
    expect(looksLikeApiToken('mst_' + 'A'.repeat(42) + '+')).toBe(false);
    expect(looksLikeApiToken('MST_' + 'A'.repeat(43))).toBe(false);
    expect(looksLikeApiToken(' mst_' + 'A'.repeat(43))).toBe(false);
    expect(looksLikeApiToken(issueAccessToken('6526448e7d140ee220971a0e', 'k', 60))).toBe(false);
    expect(looksLikeApiToken('')).toBe(false);
    expect(looksLikeApiToken(undefined)).toBe(false);
  });

  it('looksLikeJwt recognises two dots, and never an API token', () => {
    expect(looksLikeJwt(issueAccessToken('6526448e7d140ee220971a0e', 'k', 60))).toBe(true);
    expect(looksLikeJwt('a.b.c')).toBe(true);
    expect(looksLikeJwt(generateApiToken().token)).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('')).toBe(false);
    expect(looksLikeJwt(null)).toBe(false);
  });
});
