/**
 * Schema version checks on embedded PostgreSQL (PGlite): a database migrated by a newer release is
 * refused before anything changes, and MIGRATE_ON_START=false only verifies. The concurrent-replica
 * case needs a server: migrator.server.spec.ts.
 */
import { MIGRATIONS } from './migrations';
import { migrate, SchemaNotMigratedError, SchemaTooNewError, schemaState, verifySchema } from './migrator';
import { PostgresStorage } from './postgres.storage';
import { openSqlClient, type SqlClient } from './sql-client';

const latest = Math.max(...MIGRATIONS.map((m) => m.version));

describe('PostgreSQL schema versions (PGlite)', () => {
  let sql: SqlClient;
  beforeEach(async () => {
    sql = await openSqlClient({ kind: 'pglite', dataDir: null });
  });
  afterEach(() => sql.close());

  it('reports an empty database as lacking every migration, then none once migrated', async () => {
    expect(await schemaState(sql)).toEqual({ current: 0, known: latest, pending: MIGRATIONS.map((m) => m.version) });
    await expect(verifySchema(sql)).rejects.toBeInstanceOf(SchemaNotMigratedError);
    expect(await migrate(sql)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(sql)).toEqual([]);
    expect(await schemaState(sql)).toEqual({ current: latest, known: latest, pending: [] });
    await expect(verifySchema(sql)).resolves.toBeUndefined();
  });

  it('refuses a schema newer than this release, naming both versions, and changes nothing', async () => {
    await migrate(sql);
    await sql.query(`INSERT INTO maestro_migration (version, name) VALUES ($1, 'from-the-future')`, [latest + 1]);
    const error = await migrate(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toContain(`at migration ${latest + 1}, newer than this release knows (${latest})`);
    await expect(verifySchema(sql)).rejects.toBeInstanceOf(SchemaTooNewError);
    expect((await sql.query('SELECT count(*)::int AS n FROM maestro_migration')).rows[0]).toEqual({ n: MIGRATIONS.length + 1 });
  });

  it('applies only the missing migrations of a partly migrated database', async () => {
    expect(await migrate(sql, MIGRATIONS.slice(0, 2))).toEqual([MIGRATIONS[0].version, MIGRATIONS[1].version]);
    await expect(verifySchema(sql)).rejects.toThrow(`lacks migration(s) ${MIGRATIONS.slice(2).map((m) => m.version).join(', ')}`);
    expect(await migrate(sql)).toEqual(MIGRATIONS.slice(2).map((m) => m.version));
  });
});

describe('PostgresStorage.open with migrate: false (MIGRATE_ON_START=false)', () => {
  it('refuses an unmigrated database instead of migrating it', async () => {
    await expect(PostgresStorage.open({ kind: 'pglite', dataDir: null }, { migrate: false })).rejects.toBeInstanceOf(SchemaNotMigratedError);
  });

  it('serves a migrated database and reports it ready', async () => {
    const storage = await PostgresStorage.open({ kind: 'pglite', dataDir: null });
    try {
      await expect(storage.checkReady()).resolves.toBeUndefined();
      await storage.sql.query(`INSERT INTO maestro_migration (version, name) VALUES ($1, 'from-the-future')`, [latest + 1]);
      await expect(storage.checkReady()).rejects.toBeInstanceOf(SchemaTooNewError);
    } finally {
      await storage.close();
    }
  });
});
