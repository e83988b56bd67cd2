/**
 * The one seam between the PostgreSQL adapter and its two engines: PGlite (PostgreSQL compiled to
 * WASM, in process, the zero-set-up default) and a PostgreSQL server through `pg`. Both run the same
 * SQL; everything above this file is engine-agnostic.
 */
import type { Pool, PoolClient } from 'pg';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs several statements without parameters in one round trip and returns each one's result;
   * outside a transaction block each statement takes its own snapshot (READ COMMITTED).
   */
  script<T = Record<string, unknown>>(sql: string): Promise<SqlResult<T>[]>;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}

/** PostgreSQL error codes the adapter maps to domain outcomes. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_INVALID_REGEX = '2201B';
export const PG_QUERY_CANCELED = '57014';

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The part of PGlite's interface the adapter uses (its own types differ between its ESM and CJS builds). */
interface PgliteExecutor {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<{ rows: unknown[]; affectedRows?: number }[]>;
}
interface PgliteDatabase extends PgliteExecutor {
  transaction<T>(work: (tx: PgliteExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class PgliteSqlClient implements SqlClient {
  readonly engine = 'pglite' as const;
  /**
   * PGlite runs one statement at a time on one connection, so a transaction must not interleave with
   * other queries: every call is queued behind the running one.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: PgliteDatabase) {}

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const guarded = () => task().catch((error: unknown) => this.recover(error));
    const run = this.queue.then(guarded, guarded);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * After any failed statement, leave the one shared connection outside any transaction before the
   * next caller runs. PGlite's own transaction() rolls back on error, but when the failure broke the
   * engine mid-statement (a regular expression too big for its memory answers `bad buffer ID`) that
   * ROLLBACK fails too and every later statement would answer "current transaction is aborted".
   * A ROLLBACK outside a transaction is a harmless no-op, so it is always sent.
   */
  private async recover(error: unknown): Promise<never> {
    await this.db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<SqlResult<T>> {
    return this.serial(async () => toResult<T>(await this.db.query<T>(sql, params)));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.db.transaction(async (tx: PgliteExecutor) =>
        work({
          query: async <R>(sql: string, params: unknown[] = []) => toResult<R>(await tx.query<R>(sql, params)),
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      ),
    );
  }

  exec(sql: string): Promise<void> {
    return this.serial(async () => {
      await this.db.exec(sql);
    });
  }

  script<T>(sql: string): Promise<SqlResult<T>[]> {
    return this.serial(async () => (await this.db.exec(sql)).map((result) => toResult(result as { rows: T[]; affectedRows?: number })));
  }

  async close(): Promise<void> {
    await this.serial(() => this.db.close());
  }
}

function toResult<T>(result: { rows: T[]; affectedRows?: number }): SqlResult<T> {
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

export class PgPoolSqlClient implements SqlClient {
  readonly engine = 'postgres' as const;

  constructor(private readonly pool: Pool) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<SqlResult<T>> {
    const result = await this.pool.query(sql, params);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    // A connection whose ROLLBACK failed may still be inside the transaction: destroyed, never reused.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <R>(sql: string, params: unknown[] = []) => {
          const r = await client.query(sql, params);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
        },
        exec: async (sql: string) => {
          await client.query(sql);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async script<T>(sql: string): Promise<SqlResult<T>[]> {
    const client = await this.pool.connect();
    try {
      // Without parameters `pg` uses the simple query protocol, which answers one result per statement.
      const results = (await client.query(sql)) as unknown as { rows: T[]; rowCount: number | null }[] | { rows: T[]; rowCount: number | null };
      client.release();
      return (Array.isArray(results) ? results : [results]).map((r) => ({ rows: r.rows, rowCount: r.rowCount ?? r.rows.length }));
    } catch (error) {
      // A script may open a transaction block: a failure leaves the connection unusable, so drop it.
      client.release(true);
      throw error;
    }
  }


  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the engine named by the configuration. `pg` and PGlite are loaded only when used. */
export async function openSqlClient(
  target: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string },
  options: { schema?: string } = {},
): Promise<SqlClient> {
  if (target.kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
    await db.waitReady;
    return new PgliteSqlClient(db as unknown as PgliteDatabase);
  }
  const pg = await import('pg');
  // int8 (counts, sequence numbers, retry counters) as numbers: our values stay far below 2^53.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    connectionTimeoutMillis: 10_000,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing
  await pool.query('SELECT 1');
  return new PgPoolSqlClient(pool);
}
