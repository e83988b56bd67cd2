import type { KeyValueRepository } from '../ports';
import type { SqlExecutor } from './sql-client';

/** The key/value store in `maestro_kv` (migration 0007). */
export class PostgresKeyValueRepository implements KeyValueRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async get(namespace: string, key: string): Promise<string | null> {
    const { rows } = await this.sql.query<{ value: string }>('SELECT value FROM maestro_kv WHERE namespace = $1 AND key = $2', [namespace, key]);
    return rows[0]?.value ?? null;
  }

  async set(namespace: string, key: string, value: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO maestro_kv (namespace, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, updated = now()`,
      [namespace, key, value],
    );
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM maestro_kv WHERE namespace = $1 AND key = $2', [namespace, key]);
    return rowCount > 0;
  }
}
