/**
 * API tokens (`maestro_apitoken`, docs/auth.md#two-kinds-of-bearer-token) and the login rate-limit counters
 * (`maestro_ratelimit`, docs/auth.md#login-rate-limit), Maestro's own collections (docs/deployment.md#running-on-mongodb). Only token hashes are stored.
 */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { isObjectIdString } from '../../common/object-id';
import { DuplicateKeyError, type ApiTokenRecord, type ApiTokenRepository, type RateLimitRecord, type RateLimitRepository } from '../ports';
import type { MongoContext } from './mongo-context';

const hex = (value: unknown): string => (value instanceof ObjectId ? value.toHexString() : String(value));
const dateOrNull = (value: unknown): Date | null => (value instanceof Date ? value : null);

/** User ids are ObjectIds in KernelCI's `user` collection, and stored as such. */
export function userIdValue(userId: string): ObjectId | string {
  return isObjectIdString(userId) ? new ObjectId(userId) : userId;
}

export function apiTokenToDocument(token: ApiTokenRecord): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(token.id),
    user_id: userIdValue(token.userId),
    name: token.name,
    prefix: token.prefix,
    token_hash: token.tokenHash,
    created: token.created,
    expires_at: token.expiresAt,
    last_used: token.lastUsed,
    revoked_at: token.revokedAt,
  };
}

export function apiTokenFromDocument(document: Document): ApiTokenRecord {
  return {
    id: hex(document._id),
    userId: hex(document.user_id),
    name: String(document.name),
    prefix: String(document.prefix),
    tokenHash: String(document.token_hash),
    created: document.created,
    expiresAt: dateOrNull(document.expires_at),
    lastUsed: dateOrNull(document.last_used),
    revokedAt: dateOrNull(document.revoked_at),
  };
}

export class MongoApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get tokens() {
    return this.ctx.collection('maestro_apitoken');
  }

  async insert(token: ApiTokenRecord): Promise<void> {
    await this.ctx.insert('maestro_apitoken', apiTokenToDocument(token));
  }

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const document = await this.tokens.findOne({ token_hash: { $eq: tokenHash } }, this.ctx.session);
    return document ? apiTokenFromDocument(document) : null;
  }

  /** Newest first; `_id` (creation order) breaks ties, as `seq` does on PostgreSQL. */
  async listByUser(userId: string): Promise<ApiTokenRecord[]> {
    const documents = await this.tokens.find({ user_id: { $eq: userIdValue(userId) } }, { ...this.ctx.session, sort: { created: -1, _id: -1 } }).toArray();
    return documents.map(apiTokenFromDocument);
  }

  /** One atomic update keeps the first revocation time (`$ifNull` in an update pipeline). */
  async revoke(userId: string, id: string, at: Date): Promise<boolean> {
    if (!isObjectIdString(id)) return false;
    const after = await this.ctx.modify('maestro_apitoken', { _id: new ObjectId(id), user_id: { $eq: userIdValue(userId) } }, [
      { $set: { revoked_at: { $ifNull: ['$revoked_at', at] } } },
    ]);
    return after !== null;
  }

  async touch(id: string, at: Date, minIntervalMs: number): Promise<void> {
    if (!isObjectIdString(id)) return;
    await this.ctx.modify('maestro_apitoken', touchFilter(new ObjectId(id), at, minIntervalMs), { $set: { last_used: at } });
  }

  async deleteByUser(userId: string): Promise<void> {
    await this.ctx.remove('maestro_apitoken', { user_id: { $eq: userIdValue(userId) } });
  }

  purge(before: Date): Promise<number> {
    return this.ctx.remove('maestro_apitoken', { $or: [{ revoked_at: { $lt: before } }, { expires_at: { $lt: before } }] });
  }
}

/** A token whose last recorded use is absent or at least `minIntervalMs` before `at` (pure). */
export function touchFilter(id: ObjectId, at: Date, minIntervalMs: number): Document {
  return { _id: id, $or: [{ last_used: null }, { last_used: { $lte: new Date(at.getTime() - minIntervalMs) } }] };
}

/**
 * The update pipeline of one failed login (pure): a window [now, now + windowMs) with count 1 when
 * the key has none or its window ended at `now`, else count + 1. Constants are `$literal`s, so no
 * value can be read as a field path or an operator.
 */
export function rateLimitHitPipeline(now: Date, windowMs: number): Document[] {
  const expired = { $or: [{ $eq: [{ $type: '$expires' }, 'missing'] }, { $lte: ['$expires', { $literal: now }] }] };
  return [
    {
      $set: {
        count: { $cond: [expired, 1, { $add: ['$count', 1] }] },
        window_start: { $cond: [expired, { $literal: now }, '$window_start'] },
        expires: { $cond: [expired, { $literal: new Date(now.getTime() + windowMs) }, '$expires'] },
      },
    },
  ];
}

export function rateLimitFromDocument(document: Document): RateLimitRecord {
  return { key: String(document.key), count: Number(document.count), windowStart: document.window_start, expires: document.expires };
}

export class MongoRateLimitRepository implements RateLimitRepository {
  constructor(private readonly ctx: MongoContext) {}

  async active(keys: string[], now: Date): Promise<RateLimitRecord[]> {
    if (keys.length === 0) return [];
    const documents = await this.ctx
      .collection('maestro_ratelimit')
      .find({ key: { $in: keys }, expires: { $gt: now } }, this.ctx.session)
      .toArray();
    return documents.map(rateLimitFromDocument);
  }

  /**
   * One atomic upsert, so concurrent replicas each count. Two first hits of a key race on its
   * unique index; the loser's upsert is retried once and then increments.
   */
  async hit(key: string, windowMs: number, now: Date): Promise<RateLimitRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        const after = await this.ctx.modify('maestro_ratelimit', { key: { $eq: key } }, rateLimitHitPipeline(now, windowMs), { upsert: true });
        return rateLimitFromDocument(after!);
      } catch (error) {
        if (!(error instanceof DuplicateKeyError) || attempt > 0) throw error;
      }
    }
  }

  async clear(key: string): Promise<void> {
    await this.ctx.remove('maestro_ratelimit', { key: { $eq: key } });
  }

  purgeExpired(now: Date): Promise<number> {
    return this.ctx.remove('maestro_ratelimit', { expires: { $lte: now } });
  }
}
