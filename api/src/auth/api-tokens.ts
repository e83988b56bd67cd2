/**
 * Maestro API tokens (docs/auth.md#two-kinds-of-bearer-token): opaque `mst_` + 43 base64url characters
 * (32 random bytes). Only the SHA-256 hash is stored; the prefix is kept so users can tell their
 * tokens apart in listings without the secret part.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'mst_';
const API_TOKEN_PATTERN = /^mst_[A-Za-z0-9_-]{43}$/;

export interface GeneratedApiToken {
  /** The plaintext; returned to the user once, at creation, and never stored. */
  token: string;
  /** First 8 characters (`mst_` + 4), shown in listings. */
  prefix: string;
  /** SHA-256 hex of the plaintext: what the database keeps and looks up. */
  hash: string;
}

export function generateApiToken(): GeneratedApiToken {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, 8), hash: hashApiToken(token) };
}

/**
 * SHA-256 hex. A plain fast hash is enough here: the token carries 256 random bits, so there is
 * nothing to brute-force, and lookups by hash need a deterministic value.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(s: unknown): s is string {
  return typeof s === 'string' && API_TOKEN_PATTERN.test(s);
}

/** JWTs (header.payload.signature) contain exactly two dots; API tokens contain none (docs/auth.md#two-kinds-of-bearer-token). */
export function looksLikeJwt(s: unknown): s is string {
  return typeof s === 'string' && s.split('.').length === 3;
}
