/**
 * One operation at a time on a session (the driver leaves concurrent operations in one transaction
 * undefined): the guard itself, and the lifecycle batch that used to run 16 writes at once. The
 * collection below is an instrument that counts operations in flight, not a database: what the
 * writes do is tested against a server by the contract suite.
 */
import { ObjectId } from 'bson';
import type { ClientSession, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { ConcurrentSessionUseError, exclusive, MongoContext } from './mongo-context';
import { MongoNodeRepository } from './mongo-node.repository';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const session = () => ({ id: Symbol('session') }) as unknown as ClientSession;

describe('exclusive (one operation at a time on a session)', () => {
  it('refuses a second operation on the same session while the first is in flight', async () => {
    const s = session();
    const first = exclusive(s, async () => {
      await tick();
      return 'first';
    });
    await expect(exclusive(s, async () => 'second')).rejects.toThrow(ConcurrentSessionUseError);
    await expect(first).resolves.toBe('first');
  });

  it('lets operations follow one another, and frees the session when one fails', async () => {
    const s = session();
    await expect(exclusive(s, async () => Promise.reject(new Error('write conflict')))).rejects.toThrow('write conflict');
    await expect(exclusive(s, async () => 1)).resolves.toBe(1);
    await expect(exclusive(s, async () => 2)).resolves.toBe(2);
  });

  it('guards nothing without a session, and sessions independently of each other', async () => {
    await expect(Promise.all([exclusive(undefined, async () => tick()), exclusive(undefined, async () => tick())])).resolves.toHaveLength(2);
    await expect(Promise.all([exclusive(session(), async () => tick()), exclusive(session(), async () => tick())])).resolves.toHaveLength(2);
  });
});

/** Counts `findOneAndUpdate`s in flight; `find` answers the selected nodes. */
function instrumentedNodes(count: number) {
  const selected = Array.from({ length: count }, (_, i) => ({ _id: new ObjectId(), n: i, state: 'running', result: null, updated: new Date(0) }));
  const stats = { inFlight: 0, most: 0, writes: 0 };
  const collection = {
    find: () => ({ toArray: async () => selected }),
    findOneAndUpdate: async (filter: Document) => {
      stats.inFlight++;
      stats.most = Math.max(stats.most, stats.inFlight);
      await tick();
      stats.inFlight--;
      stats.writes++;
      return { _id: filter._id, name: 'n', path: ['n'], state: 'done', result: 'incomplete', created: new Date(0), updated: new Date(1), timeout: new Date(0) };
    },
  };
  const connection = { db: { collection: () => collection } } as unknown as Connection;
  return { connection, stats };
}

describe('lifecycle batches on a session', () => {
  it('run their conditional writes one at a time inside a transaction', async () => {
    const { connection, stats } = instrumentedNodes(40);
    const repository = new MongoNodeRepository(new MongoContext(connection, true, { session: session() }));
    const transitions = await repository.applyTimeouts(new Date(), 40);
    expect(transitions).toHaveLength(40);
    expect(stats).toMatchObject({ most: 1, writes: 40 });
  });

  it('still run a few at a time outside a transaction', async () => {
    const { connection, stats } = instrumentedNodes(40);
    await new MongoNodeRepository(new MongoContext(connection, true, {})).applyTimeouts(new Date(), 40);
    expect(stats.most).toBeGreaterThan(1);
  });
});
