/**
 * The caller cache across two processes (two storages, two connection pools) on one PostgreSQL
 * server: a change made through one reaches the other's cache through the triggers' notification.
 * Runs only with DATABASE_URL=postgres://….
 */
import { callerCacheCases, eventually } from '../../auth/caller-cache.fixture';
import { PostgresStorage } from './postgres.storage';
import { createServerSchema, describeOnServer, dropServerSchemas } from './server-suite.fixture';

describeOnServer(
  'caller cache across two processes on a PostgreSQL server',
  { what: 'cross-process caller cache tests', toRun: 'run the cross-process cache tests against a PostgreSQL server' },
  (serverUrl) => {
    let schema = '';
    let reader: PostgresStorage;
    let writer: PostgresStorage;

    beforeAll(async () => {
      schema = await createServerSchema(serverUrl, 'maestro_cache');
      reader = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
      writer = await PostgresStorage.open({ kind: 'postgres', url: serverUrl }, { schema });
    }, 60_000);
    afterAll(async () => {
      await reader?.close();
      await writer?.close();
      await dropServerSchemas(serverUrl, [schema]);
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
  },
);
