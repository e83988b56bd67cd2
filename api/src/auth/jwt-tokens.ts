/**
 * The three HS256 JWTs of docs/auth.md#two-kinds-of-bearer-token: access tokens (docs/auth.md#two-kinds-of-bearer-token, wire-compatible with fastapi-users so
 * KernelCI and Maestro accept each other's tokens over a shared user collection), invite tokens and
 * password-reset tokens (docs/auth.md#invite-and-password-reset-tokens). Verification never throws on a bad token: it answers null or a
 * failure reason, and callers turn that into the contract's error.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { sign, verify, type JwtPayload } from 'jsonwebtoken';
import type { UserRecord } from '../storage/ports';
import { hashPassword, verifyPassword } from './passwords';

export const ACCESS_AUDIENCE = 'fastapi-users:auth';
export const RESET_AUDIENCE = 'fastapi-users:reset';
const RESET_LIFETIME_SECONDS = 3600;

const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** True when the token's HMAC-SHA256 signature was made with `secret` (constant-time compare). */
function signedWith(token: string, secret: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries to read
 * it as a PEM public key and only falls back to a secret key when that throws: a fifth of the API's
 * CPU time per authenticated request under load (docs/adr/0018-write-path.md).
 */
const secretKeys = new Map<string, KeyObject>();
function secretKeyObject(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/**
 * Claims of an HS256 token signed with the first of `secrets` that matches, after jsonwebtoken's own
 * checks (algorithm pinned to HS256, `exp`/`nbf` when present, audience when asked). Trying the keys
 * by signature first means a token signed with SECRET_KEY is judged by SECRET_KEY only (docs/auth.md#two-kinds-of-bearer-token).
 */
function verifiedClaims(
  token: unknown,
  secrets: readonly string[],
  options: { audience?: string; now?: Date } = {},
): JwtPayload | null {
  if (typeof token !== 'string') return null;
  const secret = secrets.find((s) => signedWith(token, s));
  if (secret === undefined) return null;
  try {
    const claims = verify(token, secretKeyObject(secret), {
      algorithms: ['HS256'],
      ...(options.audience !== undefined && { audience: options.audience }),
      ...(options.now && { clockTimestamp: epochSeconds(options.now) }),
    });
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v !== '';

// ---------------------------------------------------------------------------------------------------
// Access tokens (docs/auth.md#two-kinds-of-bearer-token)

/** Claims exactly `sub`, `aud: ["fastapi-users:auth"]`, `exp` (no `iat`), like fastapi-users. */
export function issueAccessToken(userId: string, secret: string, expiresSeconds: number, now = new Date()): string {
  const claims = { sub: userId, aud: [ACCESS_AUDIENCE], exp: epochSeconds(now) + expiresSeconds };
  return sign(claims, secret, { algorithm: 'HS256', noTimestamp: true });
}

export interface AccessTokenKeys {
  secretKey: string;
  /** Key shared with other KernelCI services; ignored when unset or empty. */
  unifiedSecret?: string | null;
  now?: Date;
}

/**
 * `{ sub }` when the token is a valid access token, else null. The caller still has to check that
 * `sub` names an existing, active user (docs/api-conventions.md#authentication-levels). Invite and reset tokens fail here on the audience.
 */
export function verifyAccessToken(token: unknown, keys: AccessTokenKeys): { sub: string } | null {
  const claims = accessClaims(token, keys);
  return claims ? { sub: claims.sub } : null;
}

function accessClaims(token: unknown, keys: AccessTokenKeys): (JwtPayload & { sub: string }) | null {
  const secrets = keys.unifiedSecret ? [keys.secretKey, keys.unifiedSecret] : [keys.secretKey];
  const claims = verifiedClaims(token, secrets, { audience: ACCESS_AUDIENCE, now: keys.now });
  return claims && nonEmptyString(claims.sub) ? (claims as JwtPayload & { sub: string }) : null;
}

/** Verified access tokens remembered at most; the oldest is dropped first. */
const MAX_VERIFIED_TOKENS = 1000;

/**
 * {@link verifyAccessToken} for one process's keys, remembering each token it has verified by its
 * exact text (docs/adr/0018-write-path.md): a client sends the same token with every request, and
 * checking it again (two HMACs, base64 and JSON decoding, jsonwebtoken's claim checks) was about
 * 6 % of the API's time on a create. The answer for a given text cannot change while the keys stay
 * the same, except by expiry: `exp` is checked again on every use, exactly as jsonwebtoken checks it
 * (expired from the second `exp` on). Access tokens cannot be revoked (docs/auth.md); whether their
 * user is still active is the caller's question, asked on every request as before.
 */
export class AccessTokenVerifier {
  private readonly verified = new Map<string, { sub: string; exp: number | null }>();

  constructor(private readonly keys: Omit<AccessTokenKeys, 'now'>) {}

  subject(token: string, now = new Date()): string | null {
    const known = this.verified.get(token);
    if (known) return known.exp === null || epochSeconds(now) < known.exp ? known.sub : null;
    const claims = accessClaims(token, { ...this.keys, now });
    if (!claims) return null;
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { sub: claims.sub, exp: typeof claims.exp === 'number' ? claims.exp : null });
    return claims.sub;
  }
}

// ---------------------------------------------------------------------------------------------------
// Invite tokens (docs/auth.md#invite-and-password-reset-tokens, POST /user/accept-invite in docs/auth.md#endpoints)

export function issueInviteToken(args: {
  userId: string;
  email: string;
  secret: string;
  expiresSeconds: number;
  now?: Date;
}): string {
  const iat = epochSeconds(args.now ?? new Date());
  const claims = { sub: args.userId, email: args.email, purpose: 'invite', iat, exp: iat + args.expiresSeconds };
  return sign(claims, args.secret, { algorithm: 'HS256' });
}

/**
 * `bad` → 400 `Invalid or expired invite token` (signature, expiry, not a JWT);
 * `wrong-purpose` → 400 `Invalid invite token` (`purpose` is not `invite`, or `sub`/`email` missing).
 * On `ok` the caller continues with the user lookup and the email/verified checks of docs/auth.md#endpoints.
 */
export type InviteTokenCheck =
  | { ok: true; sub: string; email: string }
  | { ok: false; reason: 'bad' | 'wrong-purpose' };

/** Signed with SECRET_KEY only, never UNIFIED_SECRET (docs/auth.md#invite-and-password-reset-tokens). */
export function verifyInviteToken(token: unknown, secret: string, now?: Date): InviteTokenCheck {
  const claims = verifiedClaims(token, [secret], { now });
  if (!claims) return { ok: false, reason: 'bad' };
  if (claims.purpose !== 'invite' || !nonEmptyString(claims.sub) || !nonEmptyString(claims.email)) {
    return { ok: false, reason: 'wrong-purpose' };
  }
  return { ok: true, sub: claims.sub, email: claims.email };
}

// ---------------------------------------------------------------------------------------------------
// Password-reset tokens (docs/auth.md#invite-and-password-reset-tokens, POST /user/reset-password in docs/auth.md#endpoints)

/**
 * fastapi-users' reset token: `password_fgpt` is an argon2id hash of the user's current
 * `hashed_password` string, so the token dies as soon as the password changes.
 */
export async function issueResetToken(args: {
  userId: string;
  hashedPassword: string;
  secret: string;
  now?: Date;
}): Promise<string> {
  const claims = {
    sub: args.userId,
    password_fgpt: await hashPassword(args.hashedPassword),
    aud: RESET_AUDIENCE,
    exp: epochSeconds(args.now ?? new Date()) + RESET_LIFETIME_SECONDS,
  };
  return sign(claims, args.secret, { algorithm: 'HS256', noTimestamp: true });
}

type ResetUser = Pick<UserRecord, 'hashedPassword' | 'isActive'>;

/**
 * The user id and the loaded user when the token is valid, else null (→ 400
 * `RESET_PASSWORD_BAD_TOKEN`): bad signature, expired, wrong audience, missing claims, unknown or
 * inactive user, or a password changed since issue. `loadUser` must answer null for unknown or
 * malformed ids; its own errors (database down) propagate.
 */
export async function verifyResetToken<U extends ResetUser>(
  token: unknown,
  secret: string,
  loadUser: (id: string) => Promise<U | null>,
  now?: Date,
): Promise<{ sub: string; user: U } | null> {
  const claims = verifiedClaims(token, [secret], { audience: RESET_AUDIENCE, now });
  if (!claims || !nonEmptyString(claims.sub) || !nonEmptyString(claims.password_fgpt)) return null;
  const user = await loadUser(claims.sub);
  if (!user || !user.isActive) return null;
  const fingerprint = await verifyPassword(user.hashedPassword, claims.password_fgpt);
  return fingerprint.ok ? { sub: claims.sub, user } : null;
}
