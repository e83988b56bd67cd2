import type { NewEvent, PendingEventRepository } from '../ports';
import type { SqlExecutor } from './sql-client';

interface PendingEventRow {
  id: string;
  timestamp: Date;
  channel: string;
  owner: string | null;
  data: string;
  ce: string;
}

/** The event outbox in `maestro_pending_event` (migration 0010). */
export class PostgresPendingEventRepository implements PendingEventRepository {
  constructor(private readonly sql: SqlExecutor) {}

  async add(event: NewEvent): Promise<void> {
    await this.sql.query('INSERT INTO maestro_pending_event (id, "timestamp", channel, owner, data, ce) VALUES ($1, $2, $3, $4, $5, $6)', [
      event.id,
      event.timestamp,
      event.channel,
      event.owner,
      JSON.stringify(event.data ?? null),
      JSON.stringify(event.ce),
    ]);
  }

  async oldest(limit: number): Promise<NewEvent[]> {
    const { rows } = await this.sql.query<PendingEventRow>(
      'SELECT id, "timestamp", channel, owner, data, ce FROM maestro_pending_event ORDER BY position LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ id: row.id, timestamp: row.timestamp, channel: row.channel, owner: row.owner, data: JSON.parse(row.data), ce: JSON.parse(row.ce) }));
  }

  async remove(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM maestro_pending_event WHERE id = $1', [id]);
    return rowCount > 0;
  }
}
