/**
 * Replicas starting at once on a PostgreSQL server never run a migration twice: several
 * connection pools migrate one fresh schema concurrently, and every migration is applied by
 * exactly one of them (the advisory lock in migrator.ts). Runs only with DATABASE_URL=postgres://….
 */
import { MIGRATIONS } from './migrations';
import { migrate } from './migrator';
import { PostgresStorage } from './postgres.storage';
import { createServerSchema, describeOnServer, dropServerSchemas } from './server-suite.fixture';
import { openSqlClient } from './sql-client';

const REPLICAS = 6;

describeOnServer(
  'migrations on concurrent replicas (PostgreSQL server)',
  { what: 'concurrent migration test', toRun: 'run the concurrent migration test against a PostgreSQL server' },
  (serverUrl) => {
    const schemas: string[] = [];
    const freshSchema = async (): Promise<string> => {
      const schema = await createServerSchema(serverUrl, 'maestro_migrate');
      schemas.push(schema);
      return schema;
    };
    afterAll(() => dropServerSchemas(serverUrl, schemas));

    it(`applies each migration exactly once when ${REPLICAS} pools migrate one schema at the same time`, async () => {
      const schema = await freshSchema();
      const clients = await Promise.all(Array.from({ length: REPLICAS }, () => openSqlClient({ kind: 'postgres', url: serverUrl }, { schema })));
      try {
        const results = await Promise.all(clients.map((sql) => migrate(sql)));
        const applied = results.flat().sort((a, b) => a - b);
        expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
        const rows = await clients[0].query<{ version: number }>('SELECT version FROM maestro_migration ORDER BY version');
        expect(rows.rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await Promise.all(clients.map((sql) => sql.close()));
      }
    }, 60_000);

    it('starts replicas together (PostgresStorage.open) on a fresh schema, every one ready', async () => {
      const schema = await freshSchema();
      const storages = await Promise.all(Array.from({ length: 3 }, () => PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema })));
      try {
        for (const storage of storages) await expect(storage.checkReady()).resolves.toBeUndefined();
        const count = await storages[0].sql.query<{ n: number }>('SELECT count(*)::int AS n FROM maestro_migration');
        expect(count.rows[0].n).toBe(MIGRATIONS.length);
      } finally {
        await Promise.all(storages.map((s) => s.close()));
      }
    }, 60_000);
  },
);
