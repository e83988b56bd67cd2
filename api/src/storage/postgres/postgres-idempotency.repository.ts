import type { IdempotencyBegin, IdempotencyRepository, IdempotencyScope } from '../ports';
import type { SqlExecutor } from './sql-client';

const SCOPE = 'user_id = $1 AND method = $2 AND path = $3 AND key = $4';

function scopeParams(scope: IdempotencyScope): unknown[] {
  return [scope.userId, scope.method, scope.path, scope.key];
}

/** `Idempotency-Key` records (docs/nodes.md#idempotency-key) in `maestro_idempotency` (migration 0005). */
export class PostgresIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async begin(scope: IdempotencyScope, fingerprint: string, ttlMs: number, inProgressTtlMs: number): Promise<IdempotencyBegin> {
    // Two attempts: a record may vanish between the failed insert and the read (an abandon).
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.sql.query(
        `DELETE FROM maestro_idempotency WHERE ${SCOPE}
           AND (created <= now() - $5 * interval '1 millisecond'
                OR (status IS NULL AND created <= now() - $6 * interval '1 millisecond'))`,
        [...scopeParams(scope), ttlMs, inProgressTtlMs],
      );
      const inserted = await this.sql.query(
        `INSERT INTO maestro_idempotency (user_id, method, path, key, fingerprint) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
        [...scopeParams(scope), fingerprint],
      );
      if (inserted.rows.length > 0) return { outcome: 'started' };
      const { rows } = await this.sql.query<{ fingerprint: string; status: number | null; response: string | null }>(
        `SELECT fingerprint, status, response FROM maestro_idempotency WHERE ${SCOPE}`,
        scopeParams(scope),
      );
      const record = rows[0];
      if (!record) continue;
      return record.status === null
        ? { outcome: 'in_progress', fingerprint: record.fingerprint }
        : { outcome: 'completed', fingerprint: record.fingerprint, status: record.status, response: JSON.parse(record.response ?? 'null') };
    }
    return { outcome: 'in_progress', fingerprint };
  }

  async complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await this.sql.query(`UPDATE maestro_idempotency SET status = $5, response = $6 WHERE ${SCOPE}`, [
      ...scopeParams(scope),
      status,
      JSON.stringify(response),
    ]);
  }

  async abandon(scope: IdempotencyScope): Promise<void> {
    await this.sql.query(`DELETE FROM maestro_idempotency WHERE ${SCOPE} AND status IS NULL`, scopeParams(scope));
  }

  async deleteOlderThan(before: Date): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM maestro_idempotency WHERE created < $1', [before]);
    return rowCount;
  }
}
