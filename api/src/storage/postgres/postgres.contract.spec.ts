/**
 * Runs the storage contract against PGlite (always) and against a PostgreSQL server when
 * DATABASE_URL=postgres://… is set, in a fresh schema that is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { describeStorageContract } from '../contract/storage.contract';
import type { Storage } from '../ports';
import { PostgresStorage } from './postgres.storage';
import { openSqlClient } from './sql-client';

describeStorageContract('PostgreSQL adapter on PGlite (in memory)', {
  open: () => PostgresStorage.open({ kind: 'pglite', dataDir: null }),
  dispose: (storage: Storage) => storage.close(),
});

const serverUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;

if (serverUrl) {
  const schema = `maestro_test_${randomBytes(6).toString('hex')}`;
  describeStorageContract(`PostgreSQL adapter on a server (schema ${schema})`, {
    concurrentTransactions: true,
    async open() {
      const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.close();
      return PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
    },
    async dispose(storage: Storage) {
      await storage.close();
      const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  });
} else {
  describe('storage contract: PostgreSQL adapter on a server', () => {
    it.skip('skipped: set DATABASE_URL=postgres://… to run the contract suite against a PostgreSQL server', () => undefined);
  });
  // Printed so a plain `npm test` says what it did not run, and why.
  process.stdout.write('storage contract: PostgreSQL server suite skipped (DATABASE_URL is not a postgres:// URL)\n');
}
