import { MIGRATIONS, type Migration } from './migrations';
import { SchemaNotMigratedError, SchemaTooNewError } from '../schema-errors';
import type { SqlClient, SqlExecutor } from './sql-client';

export { SchemaNotMigratedError, SchemaTooNewError };

/** Arbitrary, fixed key of the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 7_240_517;

export interface SchemaState {
  /** Highest applied version (0 on an empty database). */
  current: number;
  /** Highest version this release knows. */
  known: number;
  /** Known versions not applied yet. */
  pending: number[];
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS maestro_migration (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

/** Where the database stands against `migrations`, without changing anything. */
export async function schemaState(sql: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<SchemaState> {
  const table = await sql.query<{ exists: boolean }>(`SELECT to_regclass('maestro_migration') IS NOT NULL AS exists`);
  const versions = table.rows[0]?.exists
    ? (await sql.query<{ version: number }>('SELECT version FROM maestro_migration')).rows.map((row) => Number(row.version))
    : [];
  const applied = new Set(versions);
  return {
    current: versions.length > 0 ? Math.max(...versions) : 0,
    known: migrations.length > 0 ? Math.max(...migrations.map((m) => m.version)) : 0,
    pending: migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  };
}

/** Throws SchemaTooNewError when the database is ahead of this release. */
export function assertNotTooNew(state: SchemaState): void {
  if (state.current > state.known) throw new SchemaTooNewError(state.current, state.known);
}

/**
 * Applies pending migrations in order, each in its own transaction under a transaction-scoped
 * advisory lock, so concurrent replicas starting together apply each migration exactly once.
 * Refuses (SchemaTooNewError) a database migrated by a newer release, before changing anything.
 * Returns the versions applied by this call.
 */
export async function migrate(sql: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  assertNotTooNew(await schemaState(sql, migrations));
  // Under the lock too: two sessions running CREATE TABLE IF NOT EXISTS at the same instant can
  // both miss the table and one fails on the catalog's unique index.
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_TABLE);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const existing = await tx.query('SELECT 1 FROM maestro_migration WHERE version = $1', [migration.version]);
      if (existing.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO maestro_migration (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

/** Without migrating: refuses a schema that is newer than this release or lacks a known migration. */
export async function verifySchema(sql: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  const state = await schemaState(sql, migrations);
  assertNotTooNew(state);
  if (state.pending.length > 0) throw new SchemaNotMigratedError(state.pending);
}
