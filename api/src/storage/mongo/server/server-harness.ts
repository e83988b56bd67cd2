/**
 * What the real-server kit's tests share (`npm run test:mongo`, docs/deployment.md): the server
 * from `MONGODB_URI` — never a download, never a fake — fresh databases dropped afterwards, and
 * a skip line naming the reason when there is no server.
 */
import { randomBytes } from 'node:crypto';
import { newObjectId } from '../../../common/object-id';
import type { NewEvent, Repositories } from '../../ports';
import { MongoStorage, redactMongoUrl } from '../mongo.storage';

export const KIT_TTL = { eventHistoryTtlSeconds: 604_800, idempotencyTtlSeconds: 86_400 };
/** MongoDB's default `transactionLifetimeLimitSeconds`: every unit must end well before it. */
export const TRANSACTION_LIMIT_MS = 60_000;

export const kitUrl = (): string | null => process.env.MONGODB_URI?.trim() || null;

/** `describe` when a server is named, otherwise one skipped test and one line saying why. */
export function describeOnServer(title: string, body: (url: string) => void): void {
  const url = kitUrl();
  if (url) {
    describe(`${title} (${redactMongoUrl(url)})`, () => body(url));
    return;
  }
  describe(title, () => {
    it.skip('skipped: MONGODB_URI is not set (see docs/deployment.md, "Proving the MongoDB adapter on your server")', () => undefined);
  });
  process.stdout.write(`${title}: skipped (MONGODB_URI is not set)\n`);
}

export const freshDatabaseName = (prefix: string) => `maestro_kit_${prefix}_${randomBytes(5).toString('hex')}`;

/** Opens storages on fresh databases and drops them at the end of the file. */
export function storages(url: string) {
  const opened: { storage: MongoStorage; database: string }[] = [];
  afterAll(async () => {
    for (const { storage, database } of opened.reverse()) {
      await storage.connection.getClient().db(database).dropDatabase().catch(() => undefined);
      await storage.close();
    }
  }, 120_000);
  return async (database: string): Promise<MongoStorage> => {
    const storage = await MongoStorage.open({ url, databaseName: database }, KIT_TTL);
    await storage.whenIndexesBuilt();
    opened.push({ storage, database });
    return storage;
  };
}

export function newEvent(data: Record<string, unknown>, channel = 'node'): NewEvent {
  return { id: newObjectId(), timestamp: new Date(), channel, owner: null, data, ce: null };
}

/** Runs a unit of work and records how long it took (every unit of these tests must stay under the limit). */
export async function timedUnit<T>(storage: MongoStorage, durations: number[], work: (tx: Repositories) => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await storage.transaction(work);
  } finally {
    durations.push(Date.now() - started);
  }
}

/** Reads a channel as a subscriber does until `done()` and the log is drained: the sequence ids delivered, in order. */
export async function readAll(storage: MongoStorage, channel: string, done: () => boolean): Promise<number[]> {
  const delivered: number[] = [];
  let cursor = 0;
  for (let idle = 0; !(done() && idle > 2); ) {
    const page = await storage.events.stream({ channel, afterSequence: cursor, limit: 500 });
    for (const event of page) delivered.push(event.sequenceId);
    if (page.length > 0) cursor = page[page.length - 1].sequenceId;
    idle = page.length === 0 ? idle + 1 : 0;
    if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return delivered;
}
