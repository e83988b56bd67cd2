import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BadRequestError } from '../common/errors/domain-errors';
import { STORAGE, type Storage, type UserRecord } from '../storage/ports';
import { hashApiToken, looksLikeApiToken } from './api-tokens';
import { CallerCache, type CachedCaller } from './caller-cache';
import { AccessTokenVerifier, issueAccessToken } from './jwt-tokens';
import { LoginRateLimiter } from './login-rate-limiter';
import { hashPassword, verifyDummyPassword, verifyPassword } from './passwords';

/** Extracts the token of `Authorization: Bearer <token>`; the scheme is case-insensitive (docs/api-conventions.md#authentication-levels). */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

/** docs/auth.md#two-kinds-of-bearer-token: `last_used` is written at most once a minute, so a busy token costs no write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class AuthService {
  private readonly callers: CallerCache;
  private readonly accessTokens: AccessTokenVerifier;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly rateLimiter: LoginRateLimiter,
  ) {
    this.callers = new CallerCache(storage.authChanges);
    this.accessTokens = new AccessTokenVerifier({ secretKey: config.secretKey, unifiedSecret: config.unifiedSecret });
  }

  /**
   * The active user behind an Authorization header, or null for any kind of failure: an access JWT
   * (docs/auth.md#two-kinds-of-bearer-token) or a Maestro API token (docs/auth.md#two-kinds-of-bearer-token) that is neither revoked nor expired.
   */
  async authenticate(header: string | undefined, now = new Date()): Promise<UserRecord | null> {
    const token = bearerToken(header);
    if (!token) return null;
    if (looksLikeApiToken(token)) return this.apiTokenCaller(token, now);
    const userId = this.accessTokenSubject(token);
    if (!userId) return null;
    const key = `jwt:${userId}`;
    const cached = this.callers.get(key);
    if (cached) return cached.user;
    const mark = this.callers.mark();
    const user = await this.activeUser(userId);
    if (user) this.callers.set(key, { user, token: null }, mark);
    return user;
  }

  private async activeUser(userId: string): Promise<UserRecord | null> {
    const user = await this.storage.users.findById(userId);
    return user && user.isActive ? user : null;
  }

  private accessTokenSubject(token: string): string | null {
    return this.accessTokens.subject(token);
  }

  /** The active owner of a valid API token; a remembered token is re-checked for expiry and `last_used` on every use. */
  private async apiTokenCaller(token: string, now: Date): Promise<UserRecord | null> {
    const hash = hashApiToken(token);
    const key = `token:${hash}`;
    const mark = this.callers.mark();
    const cached = this.callers.get(key);
    let caller: CachedCaller | undefined = cached;
    if (!caller) {
      const record = await this.storage.apiTokens.findByHash(hash);
      if (!record || record.revokedAt !== null) return null;
      const user = await this.activeUser(record.userId);
      if (!user) return null;
      caller = { user, token: { id: record.id, expiresAt: record.expiresAt, lastUsed: record.lastUsed } };
    }
    const { id, expiresAt, lastUsed } = caller.token!;
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) return null;
    if (lastUsed === null || now.getTime() - lastUsed.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.storage.apiTokens.touch(id, now, LAST_USED_RESOLUTION_MS);
      caller = { user: caller.user, token: { id, expiresAt, lastUsed: now } };
    }
    if (caller !== cached) this.callers.set(key, caller, mark);
    return caller.user;
  }

  /**
   * The user when `username`/`password` are right and the user is active; otherwise counts a
   * failure for the rate limit (docs/auth.md#login-rate-limit) and throws 400 `LOGIN_BAD_CREDENTIALS`.
   */
  private async checkCredentials(username: string, password: string, address: string): Promise<UserRecord> {
    const user = await this.storage.users.findByUsername(username);
    if (!user) {
      await verifyDummyPassword(); // same time as a wrong password (docs/auth.md#endpoints)
    } else {
      const check = await verifyPassword(password, user.hashedPassword);
      if (check.ok && user.isActive) {
        await this.rateLimiter.recordSuccess(username, address);
        if (check.needsRehash) {
          // Upgrade legacy bcrypt hashes to argon2id once the password is known (docs/auth.md#the-user-object).
          const upgraded = { ...user, hashedPassword: await hashPassword(password) };
          await this.storage.users.update(upgraded);
          return upgraded;
        }
        return user;
      }
    }
    await this.rateLimiter.recordFailure(username, address);
    throw new BadRequestError('LOGIN_BAD_CREDENTIALS');
  }

  /** Form login by username (docs/auth.md#endpoints). */
  async login(username: string, password: string, address: string): Promise<{ access_token: string; token_type: 'bearer' }> {
    const user = await this.checkCredentials(username, password, address);
    if (!user.isVerified) throw new BadRequestError('LOGIN_USER_NOT_VERIFIED');
    return {
      access_token: issueAccessToken(user.id, this.config.secretKey, this.config.accessTokenExpireSeconds),
      token_type: 'bearer',
    };
  }

  /** `POST /user/update-password` (docs/auth.md#endpoints): credentials in the form, verification not required. */
  async updatePassword(username: string, password: string, newPassword: string | undefined, address: string): Promise<null> {
    const user = await this.checkCredentials(username, password, address);
    if (newPassword !== undefined) {
      await this.storage.users.update({ ...user, hashedPassword: await hashPassword(newPassword) });
    }
    return null;
  }
}
