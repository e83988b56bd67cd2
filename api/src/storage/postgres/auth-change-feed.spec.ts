/** The caller cache (auth module) over PGlite in one process: every change is seen by the very next request. */
import { callerCacheCases } from '../../auth/caller-cache.fixture';
import { PostgresStorage } from './postgres.storage';

describe('caller cache over PGlite, one process', () => {
  let storage: PostgresStorage;
  beforeAll(async () => {
    storage = await PostgresStorage.open({ kind: 'pglite', dataDir: null });
  }, 60_000);
  afterAll(() => storage?.close());

  callerCacheCases({
    reader: () => storage,
    writer: () => storage,
    // One process: a change must be seen by the very next request, with no waiting.
    settle: async (check) => expect(await check()).toBe(true),
  });
});
