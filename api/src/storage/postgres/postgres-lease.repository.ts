import type { LeaseRepository } from '../ports';
import type { SqlExecutor } from './sql-client';

export class PostgresLeaseRepository implements LeaseRepository {
  constructor(private readonly sql: SqlExecutor) {}

  /** One statement: insert, or take over when free, expired or already ours (atomic under concurrency). */
  async tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rows } = await this.sql.query(
      `INSERT INTO maestro_lock (name, holder, expires) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
         WHERE maestro_lock.expires < now() OR maestro_lock.holder = EXCLUDED.holder
       RETURNING holder`,
      [name, holder, ttlMs],
    );
    return rows.length > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.sql.query('DELETE FROM maestro_lock WHERE name = $1 AND holder = $2', [name, holder]);
  }
}
