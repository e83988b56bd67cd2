import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BadRequestError } from '../common/errors/domain-errors';
import { STORAGE, type Storage, type UserRecord } from '../storage/ports';
import { issueAccessToken, verifyAccessToken } from './jwt-tokens';
import { hashPassword, verifyDummyPassword, verifyPassword } from './passwords';

/** Extracts the token of `Authorization: Bearer <token>`; the scheme is case-insensitive (contract §2.3). */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /** The active user behind an Authorization header, or null for any kind of failure. */
  async authenticate(header: string | undefined): Promise<UserRecord | null> {
    const token = bearerToken(header);
    if (!token) return null;
    const claims = verifyAccessToken(token, { secretKey: this.config.secretKey, unifiedSecret: this.config.unifiedSecret ?? undefined });
    if (!claims) return null;
    const user = await this.storage.users.findById(claims.sub);
    return user && user.isActive ? user : null;
  }

  /** Form login by username (contract §4.3). */
  async login(username: string, password: string): Promise<{ access_token: string; token_type: 'bearer' }> {
    const user = await this.storage.users.findByUsername(username);
    if (!user) {
      await verifyDummyPassword();
      throw new BadRequestError('LOGIN_BAD_CREDENTIALS');
    }
    const check = await verifyPassword(password, user.hashedPassword);
    if (!check.ok || !user.isActive) throw new BadRequestError('LOGIN_BAD_CREDENTIALS');
    if (!user.isVerified) throw new BadRequestError('LOGIN_USER_NOT_VERIFIED');
    if (check.needsRehash) {
      // Upgrade legacy bcrypt hashes to argon2id on a successful login (contract §4.1).
      await this.storage.users.update({ ...user, hashedPassword: await hashPassword(password) });
    }
    return {
      access_token: issueAccessToken(user.id, this.config.secretKey, this.config.accessTokenExpireSeconds),
      token_type: 'bearer',
    };
  }
}
