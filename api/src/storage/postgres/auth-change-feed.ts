import type { AuthChangeFeed } from '../ports';
import type { SqlClient } from './sql-client';

/** The channel the triggers of migration 0013 notify with the user id of each change. */
export const AUTH_CHANGE_CHANNEL = 'maestro_auth';

/**
 * The PostgreSQL adapter's {@link AuthChangeFeed}: this process's own user and token writes are
 * announced by the repositories once committed, and every process's (this one's included, and any
 * tool's or hand-written SQL's) arrive through LISTEN on the triggers' channel. Live only while
 * that LISTEN connection is up; going down or coming back announces `null` (forget everything).
 */
export class PostgresAuthChangeFeed implements AuthChangeFeed {
  private listeners: ((userId: string | null) => void)[] = [];
  private connected = false;
  private stop: (() => Promise<void>) | undefined;

  get live(): boolean {
    return this.connected;
  }

  onChange(listener: (userId: string | null) => void): void {
    this.listeners.push(listener);
  }

  emit(userId: string | null): void {
    for (const listener of this.listeners) listener(userId);
  }

  async start(sql: SqlClient): Promise<void> {
    this.stop = await sql.listen(
      AUTH_CHANGE_CHANNEL,
      (payload) => this.emit(payload),
      (up) => {
        this.connected = up;
        this.emit(null);
      },
    );
  }

  async close(): Promise<void> {
    this.connected = false;
    this.emit(null);
    await this.stop?.();
  }
}
