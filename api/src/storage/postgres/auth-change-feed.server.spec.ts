/**
 * The caller cache across two processes (two storages, two connection pools) on one PostgreSQL
 * server: a change made through one reaches the other's cache through the triggers' notification.
 * Runs only with DATABASE_URL=postgres://….
 */
import { randomBytes } from 'node:crypto';
import { callerCacheCases, eventually } from '../../auth/caller-cache.cases';
import { PostgresStorage } from './postgres.storage';
import { openSqlClient } from './sql-client';

const serverUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined;

if (!serverUrl) {
  describe('caller cache across two processes on a PostgreSQL server', () => {
    it.skip('skipped: set DATABASE_URL=postgres://… to run the cross-process cache tests against a PostgreSQL server', () => undefined);
  });
  process.stdout.write('cross-process caller cache tests skipped (DATABASE_URL is not a postgres:// URL)\n');
} else {
  describe('caller cache across two processes on a PostgreSQL server', () => {
    const schema = `maestro_cache_${randomBytes(6).toString('hex')}`;
    let reader: PostgresStorage;
    let writer: PostgresStorage;

    beforeAll(async () => {
      const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.close();
      reader = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
      writer = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
    }, 60_000);
    afterAll(async () => {
      await reader?.close();
      await writer?.close();
      const admin = await openSqlClient({ kind: 'postgres', url: serverUrl });
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    });

    callerCacheCases({ reader: () => reader, writer: () => writer, settle: eventually });

    it('stops serving from the cache when its LISTEN connection is lost, and resumes once it is back', async () => {
      const states: boolean[] = [];
      reader.authChanges.onChange(() => states.push(reader.authChanges.live));
      expect(reader.authChanges.live).toBe(true);
      // The listening connections of this test's storages (the backend of each ran `LISTEN "maestro_auth"`).
      await writer.sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN "maestro_auth"' AND pid <> pg_backend_pid()`,
      );
      await eventually(async () => states.includes(false));
      await eventually(async () => reader.authChanges.live);
      expect(states.slice(states.indexOf(false))).toContain(true);
    });
  });
}
