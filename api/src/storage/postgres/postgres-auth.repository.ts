import {
  DuplicateKeyError,
  type ApiTokenRecord,
  type ApiTokenRepository,
  type RateLimitRecord,
  type RateLimitRepository,
} from '../ports';
import type { AuthChanged } from './postgres-user.repository';
import { PG_UNIQUE_VIOLATION, pgErrorCode, type SqlExecutor } from './sql-client';

interface ApiTokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created: Date;
  expires_at: Date | null;
  last_used: Date | null;
  revoked_at: Date | null;
}

const SELECT_TOKEN = 'SELECT id, user_id, name, prefix, token_hash, created, expires_at, last_used, revoked_at FROM maestro_apitoken';

function rowToToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    tokenHash: row.token_hash,
    created: new Date(row.created),
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    lastUsed: row.last_used ? new Date(row.last_used) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  };
}

export class PostgresApiTokenRepository implements ApiTokenRepository {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly changed: AuthChanged = () => undefined,
  ) {}

  async insert(token: ApiTokenRecord): Promise<void> {
    try {
      await this.sql.query(
        `INSERT INTO maestro_apitoken (id, user_id, name, prefix, token_hash, created, expires_at, last_used, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [token.id, token.userId, token.name, token.prefix, token.tokenHash, token.created, token.expiresAt, token.lastUsed, token.revokedAt],
      );
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DuplicateKeyError('maestro_apitoken');
      throw error;
    }
  }

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const { rows } = await this.sql.query<ApiTokenRow>(`${SELECT_TOKEN} WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? rowToToken(rows[0]) : null;
  }

  async listByUser(userId: string): Promise<ApiTokenRecord[]> {
    const { rows } = await this.sql.query<ApiTokenRow>(`${SELECT_TOKEN} WHERE user_id = $1 ORDER BY created DESC, seq DESC`, [userId]);
    return rows.map(rowToToken);
  }

  async revoke(userId: string, id: string, at: Date): Promise<boolean> {
    const { rows } = await this.sql.query(
      `UPDATE maestro_apitoken SET revoked_at = COALESCE(revoked_at, $3) WHERE user_id = $1 AND id = $2 RETURNING id`,
      [userId, id, at],
    );
    if (rows.length > 0) this.changed(userId);
    return rows.length > 0;
  }

  async touch(id: string, at: Date, minIntervalMs: number): Promise<void> {
    await this.sql.query(
      `UPDATE maestro_apitoken SET last_used = $2
       WHERE id = $1 AND (last_used IS NULL OR last_used <= $2::timestamptz - $3 * interval '1 millisecond')`,
      [id, at, minIntervalMs],
    );
  }

  async deleteByUser(userId: string): Promise<void> {
    await this.sql.query('DELETE FROM maestro_apitoken WHERE user_id = $1', [userId]);
    this.changed(userId);
  }

  async purge(before: Date): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM maestro_apitoken WHERE revoked_at < $1 OR expires_at < $1', [before]);
    return rowCount;
  }
}

interface RateLimitRow {
  key: string;
  count: number;
  window_start: Date;
  expires: Date;
}

const rowToCounter = (row: RateLimitRow): RateLimitRecord => ({
  key: row.key,
  count: Number(row.count),
  windowStart: new Date(row.window_start),
  expires: new Date(row.expires),
});

export class PostgresRateLimitRepository implements RateLimitRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async active(keys: string[], now: Date): Promise<RateLimitRecord[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.sql.query<RateLimitRow>(
      'SELECT key, count, window_start, expires FROM maestro_ratelimit WHERE key = ANY($1::text[]) AND expires > $2',
      [keys, now],
    );
    return rows.map(rowToCounter);
  }

  /** One upsert, so two replicas counting the same key at once both count. */
  async hit(key: string, windowMs: number, now: Date): Promise<RateLimitRecord> {
    const { rows } = await this.sql.query<RateLimitRow>(
      `INSERT INTO maestro_ratelimit AS r (key, count, window_start, expires)
       VALUES ($1, 1, $2, $2::timestamptz + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.expires <= $2 THEN 1 ELSE r.count + 1 END,
         window_start = CASE WHEN r.expires <= $2 THEN EXCLUDED.window_start ELSE r.window_start END,
         expires = CASE WHEN r.expires <= $2 THEN EXCLUDED.expires ELSE r.expires END
       RETURNING key, count, window_start, expires`,
      [key, now, windowMs],
    );
    return rowToCounter(rows[0]);
  }

  async clear(key: string): Promise<void> {
    await this.sql.query('DELETE FROM maestro_ratelimit WHERE key = $1', [key]);
  }

  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM maestro_ratelimit WHERE expires <= $1', [now]);
    return rowCount;
  }
}
