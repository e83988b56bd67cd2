/**
 * The one seam between the PostgreSQL adapter and its two engines: PGlite (PostgreSQL compiled to
 * WASM, in process, the zero-set-up default) and a PostgreSQL server through `pg`. Both run the same
 * SQL; everything above this file is engine-agnostic.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Client, ClientConfig, Pool, PoolClient } from 'pg';
import { inlineParameters } from './inline-parameters';
import { createPgliteFolder } from './pglite-folder';

export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A statement queued by `SqlTransaction.atCommit`. */
interface CommitStatement {
  sql: string;
  params: unknown[];
  onRows: (rows: Record<string, unknown>[]) => void;
}

export interface SqlTransaction extends SqlExecutor {
  /**
   * Queues `sql` (one statement, `$n` placeholders) to run last in the transaction, in the COMMIT's
   * own round trip on a server (docs/adr/0020-event-append-at-commit.md). If it fails, nothing after
   * it runs and the transaction rolls back with its error. `onRows` receives its rows before
   * `transaction` returns; act on them after the commit only.
   */
  atCommit(sql: string, params: unknown[], onRows: (rows: Record<string, unknown>[]) => void): void;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs several statements without parameters in one round trip and returns each one's result;
   * outside a transaction block each statement takes its own snapshot (READ COMMITTED).
   */
  script<T = Record<string, unknown>>(sql: string): Promise<SqlResult<T>[]>;
  /**
   * LISTEN on `channel` on a connection of its own: `onNotify` per notification, `onState(up)` each
   * time that connection comes up or goes down (it reconnects by itself). Answers the stop function.
   */
  listen(channel: string, onNotify: (payload: string) => void, onState: (up: boolean) => void): Promise<() => Promise<void>>;
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
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
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

  /** In process there is no round trip to save: the queued statements run as the last ones before PGlite's COMMIT. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.db.transaction(async (tx: PgliteExecutor) => {
        const queued: CommitStatement[] = [];
        const result = await work({
          query: async <R>(sql: string, params: unknown[] = []) => toResult<R>(await tx.query<R>(sql, params)),
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
          atCommit: (sql, params, onRows) => queued.push({ sql, params, onRows }),
        });
        for (const statement of queued) statement.onRows((await tx.query<Record<string, unknown>>(statement.sql, statement.params)).rows);
        return result;
      }),
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

  /** One process holds a PGlite database: its own connection hears every notification, and never goes down. */
  async listen(channel: string, onNotify: (payload: string) => void, onState: (up: boolean) => void): Promise<() => Promise<void>> {
    const unlisten = await this.serial(() => this.db.listen(channel, onNotify));
    onState(true);
    return async () => {
      onState(false);
      await this.serial(() => unlisten());
    };
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

  constructor(
    private readonly pool: Pool,
    private readonly newClient: () => Client = () => {
      throw new Error('this client cannot open a listening connection');
    },
    /** `pg`'s escapeLiteral (passed in: `pg` is loaded only when a server is used). */
    private readonly escapeLiteral: (text: string) => string = () => {
      throw new Error('this client cannot send statements at commit');
    },
  ) {}

  /**
   * The queued statements and the COMMIT as one simple-query string, one round trip (`pg` sends one
   * query at a time and waits for its answer: it cannot pipeline). Parameters become literals
   * (`inlineParameters`); if one statement cannot be inlined, all are sent bound, in order, before
   * the COMMIT. A failed statement aborts the rest, COMMIT included.
   */
  private async commit(client: PoolClient, queued: CommitStatement[]): Promise<void> {
    const inlined = queued.map((statement) => inlineParameters(statement.sql, statement.params, this.escapeLiteral));
    if (!inlined.every((text) => text !== null)) {
      for (const statement of queued) statement.onRows((await client.query(statement.sql, statement.params)).rows as Record<string, unknown>[]);
      return void (await client.query('COMMIT'));
    }
    if (inlined.length === 0) return void (await client.query('COMMIT'));
    const results = (await client.query([...inlined, 'COMMIT'].join(';\n'))) as unknown as { rows: Record<string, unknown>[] }[];
    queued.forEach((statement, i) => statement.onRows(results[i].rows));
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<SqlResult<T>> {
    const result = await this.pool.query(sql, params);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  }

  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const queued: CommitStatement[] = [];
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
        atCommit: (sql, params, onRows) => queued.push({ sql, params, onRows }),
      });
      await this.commit(client, queued);
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


  async listen(channel: string, onNotify: (payload: string) => void, onState: (up: boolean) => void): Promise<() => Promise<void>> {
    let current: Client | undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    const retryLater = () => {
      if (!stopped) timer = setTimeout(() => void connect().catch(retryLater), LISTEN_RETRY_MS).unref();
    };
    const connect = async () => {
      const client = this.newClient();
      client.on('error', () => undefined); // followed by 'end'
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      const lost = () => {
        if (current !== client) return;
        current = undefined;
        clearInterval(heartbeat);
        onState(false);
        retryLater();
      };
      client.on('end', lost);
      try {
        await client.connect();
        await client.query(`LISTEN "${channel}"`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      if (stopped) return void (await client.end().catch(() => undefined));
      current = client;
      // A connection that died without a word (a half-open TCP connection) would hear nothing and
      // still look up: one that does not answer a statement in time is given up and replaced.
      heartbeat = setInterval(() => {
        const deadline = setTimeout(() => {
          lost();
          void client.end().catch(() => undefined);
        }, LISTEN_HEARTBEAT_MS / 2).unref();
        client.query('SELECT 1').then(() => clearTimeout(deadline), () => undefined);
      }, LISTEN_HEARTBEAT_MS).unref();
      onState(true);
    };
    // A first failure does not stop the caller: the connection keeps being retried, and until it is
    // up `onState(true)` has not been called (the caller cache serves nothing meanwhile).
    await connect().catch(retryLater);
    return async () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      if (client) {
        onState(false);
        await client.end().catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** How long a lost LISTEN connection waits before it reconnects. */
const LISTEN_RETRY_MS = 1000;
/** How often the LISTEN connection proves it is alive (it must answer within half of this). */
const LISTEN_HEARTBEAT_MS = 10_000;

/**
 * Planner costs of the API's own sessions (docs/storage.md, "Plans without statistics"). The default
 * `random_page_cost` (4) prices a disk seek; node pages are cached or on SSD, and at 4 the planner
 * prefers fetching every match and sorting it over reading an index in order as soon as it
 * under-estimates the matches, which it does on a growing table whose statistics lag behind.
 */
const SESSION_SETTINGS = ['-c random_page_cost=1.1'];

/**
 * PGlite's memory (docs/storage.md, "Memory"): its WASM heap holds `shared_buffers`, which PostgreSQL
 * sizes for a server (128 MB); an embedded single-user database needs far less.
 */
const PGLITE_SETTINGS = ['shared_buffers=16MB', 'temp_buffers=2MB', 'work_mem=4MB', 'maintenance_work_mem=16MB'];

/**
 * Creating a database (every `pglite:memory` start, and the first start on a folder) runs `initdb` in
 * a WASM instance of its own; its ~500 MB heap is garbage once PGlite is ready, but V8 does not count
 * WebAssembly memory as pressure and may keep it mapped for the life of the process. Full
 * collections once the store is open give it back (`--expose-gc` when Node runs with it, otherwise
 * enabled for these calls). PGlite only: a server connection leaves no such garbage.
 */
export async function releaseStartupMemory(sql: SqlClient): Promise<void> {
  if (sql.engine !== 'pglite') return;
  try {
    const gc = (globalThis as { gc?: () => void }).gc ?? exposeGc();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let finalisers of the first pass run
    gc();
  } catch {
    // A runtime without these hooks keeps the memory until V8 collects it on its own.
  }
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Opens the engine named by the configuration. `pg` and PGlite are loaded only when used. */
export async function openSqlClient(
  target: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string; poolSize?: number },
  options: { schema?: string } = {},
): Promise<SqlClient> {
  if (target.kind === 'pglite') {
    if (target.dataDir) await createPgliteFolder(target.dataDir, PGLITE_SETTINGS);
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite({ ...(target.dataDir ? { dataDir: target.dataDir } : {}), postgresqlconf: PGLITE_SETTINGS });
    await db.waitReady;
    return new PgliteSqlClient(db as unknown as PgliteDatabase);
  }
  const pg = await import('pg');
  // int8 (counts, sequence numbers, retry counters) as numbers: our values stay far below 2^53.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  // `options` in the URL would replace the pool's `options` whole (pg lets the URL win): merge them.
  const url = new URL(target.url);
  const urlOptions = url.searchParams.get('options');
  url.searchParams.delete('options');
  const connection: ClientConfig = {
    connectionString: url.toString(),
    connectionTimeoutMillis: 10_000,
    options: [...SESSION_SETTINGS, ...(urlOptions ? [urlOptions] : []), ...(options.schema ? [`-c search_path=${options.schema}`] : [])].join(' '),
  };
  const pool = new pg.Pool({ ...connection, max: target.poolSize ?? 10 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead of crashing
  await pool.query('SELECT 1');
  return new PgPoolSqlClient(pool, () => new pg.Client({ ...connection, keepAlive: true, keepAliveInitialDelayMillis: 10_000 }), pg.escapeLiteral);
}
