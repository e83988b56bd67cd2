import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError, NotFoundError } from '../common/errors/domain-errors';
import { formatWireDatetime } from '../common/datetime';
import { newObjectId, parseObjectId } from '../common/object-id';
import { wireDatetimeToDate } from '../common/validation/decorators';
import { STORAGE, type ApiTokenRecord, type Storage } from '../storage/ports';
import { generateApiToken } from './api-tokens';
import type { ApiTokenCreatedDto, ApiTokenCreateDto, ApiTokenDto } from './dto/api-token.dto';

/** Revoked and expired token records are kept this long for the listings (docs/deployment.md#running-on-mongodb). */
const RETENTION_MS = 30 * 24 * 3600 * 1000;

export function toApiTokenResponse(token: ApiTokenRecord): ApiTokenDto {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    created: formatWireDatetime(token.created),
    expires_at: token.expiresAt ? formatWireDatetime(token.expiresAt) : null,
    last_used: token.lastUsed ? formatWireDatetime(token.lastUsed) : null,
    revoked: token.revokedAt !== null,
  };
}

/** Revocable API tokens (docs/auth.md#two-kinds-of-bearer-token). */
@Injectable()
export class ApiTokensService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async create(userId: string, body: ApiTokenCreateDto, now = new Date()): Promise<ApiTokenCreatedDto> {
    const expiresAt = body.expires_at ? wireDatetimeToDate(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new BadRequestError('expires_at must be in the future');
    const { token, prefix, hash } = generateApiToken();
    const record: ApiTokenRecord = {
      id: newObjectId(),
      userId,
      name: body.name,
      prefix,
      tokenHash: hash,
      created: now,
      expiresAt,
      lastUsed: null,
      revokedAt: null,
    };
    await this.storage.apiTokens.insert(record);
    await this.storage.apiTokens.purge(new Date(now.getTime() - RETENTION_MS));
    return { ...toApiTokenResponse(record), token };
  }

  async list(userId: string): Promise<ApiTokenDto[]> {
    return (await this.storage.apiTokens.listByUser(userId)).map(toApiTokenResponse);
  }

  /** 404 `Token not found with id: <id>` unless the token belongs to `userId`; revoking twice is fine. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const revoked = /^[0-9a-fA-F]{24}$/.test(tokenId) && (await this.storage.apiTokens.revoke(userId, tokenId.toLowerCase(), new Date()));
    if (!revoked) throw new NotFoundError(`Token not found with id: ${tokenId}`);
  }

  /** Admin routes name the user: it must exist (malformed id → 400, unknown → 404). */
  async assertUserExists(rawUserId: string): Promise<string> {
    const id = parseObjectId(rawUserId);
    if (!(await this.storage.users.findById(id))) throw new NotFoundError(`User not found with id: ${id}`);
    return id;
  }
}
