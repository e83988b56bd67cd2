import type { QueueItem, QueueRepository } from '../ports';
import type { SqlExecutor } from './sql-client';

/**
 * Queue lists in `maestro_queue` (migration 0007). A pop deletes the oldest row it can lock: rows
 * locked by a concurrent pop (another request or replica) are skipped, so each item goes to
 * exactly one consumer and no pop waits on another.
 */
export class PostgresQueueRepository implements QueueRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async push(list: string, event: Record<string, unknown>): Promise<void> {
    await this.sql.query('INSERT INTO maestro_queue (list, event) VALUES ($1, $2::jsonb)', [list, JSON.stringify(event)]);
  }

  async pop(list: string): Promise<QueueItem | null> {
    const { rows } = await this.sql.query<{ id: string | number; event: Record<string, unknown> }>(
      `DELETE FROM maestro_queue WHERE id = (
         SELECT id FROM maestro_queue WHERE list = $1 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1
       ) RETURNING id, event`,
      [list],
    );
    const row = rows[0];
    return row ? { position: String(row.id), event: row.event } : null;
  }

  async restore(list: string, item: QueueItem): Promise<void> {
    await this.sql.query('INSERT INTO maestro_queue (id, list, event) VALUES ($1::bigint, $2, $3::jsonb) ON CONFLICT (id) DO NOTHING', [
      item.position,
      list,
      JSON.stringify(item.event),
    ]);
  }

  async depths(): Promise<Record<string, number>> {
    const { rows } = await this.sql.query<{ list: string; depth: number }>('SELECT list, count(*)::int AS depth FROM maestro_queue GROUP BY list');
    return Object.fromEntries(rows.map((row) => [row.list, row.depth]));
  }
}
