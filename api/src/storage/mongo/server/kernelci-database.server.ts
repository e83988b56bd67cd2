/**
 * Kit (a): Maestro starts on a KernelCI-shaped database — KernelCI's exact indexes, created as its
 * code creates them, and KernelCI-style documents (int64 sequence ids, embedded groups, ObjectId
 * parents) — and KernelCI's index creation succeeds on a database Maestro created. Also checks the
 * offline model of `createIndexes` (kernelci-layout.fixture.ts) against the server.
 */
import { Long, ObjectId } from 'bson';
import type { Db } from 'mongodb';
import { createIndexOutcome, KERNELCI_INDEX_REQUESTS } from '../kernelci-layout.fixture';
import { listIndexes } from '../mongo-index-manager';
import { describeOnServer, freshDatabaseName, storages } from './server-harness';

/** Sends KernelCI's index requests as its code does; answers each outcome as the server gave it. */
async function createKernelciIndexes(db: Db): Promise<{ name: string; code: number | null; predicted: string }[]> {
  const outcomes: { name: string; code: number | null; predicted: string }[] = [];
  for (const wanted of KERNELCI_INDEX_REQUESTS) {
    const predicted = createIndexOutcome(wanted, await listIndexes(db, wanted.collection));
    let code: number | null = null;
    try {
      await db.collection(wanted.collection).createIndex(Object.fromEntries(wanted.key), wanted.options);
    } catch (error) {
      code = Number((error as { code?: unknown }).code);
    }
    outcomes.push({ name: `${wanted.collection}.${wanted.options.name}`, code, predicted: predicted.outcome === 'error' ? String(predicted.code) : 'ok' });
  }
  return outcomes;
}

describeOnServer('kit (a): a KernelCI database, both ways', (url) => {
  const open = storages(url);

  it('starts on a database KernelCI created and reads its documents', async () => {
    const database = freshDatabaseName('kci');
    const bootstrap = await open(freshDatabaseName('admin'));
    const db = bootstrap.connection.getClient().db(database);
    const outcomes = await createKernelciIndexes(db);
    expect(outcomes.filter((o) => o.code !== null)).toEqual([]);
    expect(outcomes.every((o) => o.predicted === 'ok')).toBe(true);

    const groupId = new ObjectId();
    const rootId = new ObjectId();
    await db.collection('usergroup').insertOne({ _id: groupId, name: 'kernelci' });
    await db.collection('user').insertOne({
      _id: new ObjectId(), email: 'Bot@Example.org', hashed_password: '$2b$12$abcdefghijklmnopqrstuuAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      is_active: true, is_superuser: false, is_verified: true, username: 'kci-bot', groups: [{ _id: groupId, name: 'kernelci' }],
    });
    const node = (id: ObjectId, parent: ObjectId | null, name: string) => ({
      _id: id, kind: parent ? 'kbuild' : 'checkout', name, path: parent ? ['checkout', name] : ['checkout'], group: null, parent,
      state: 'running', result: null, artifacts: {}, data: { kernel_revision: { tree: 'mainline', branch: 'master', commit: 'a'.repeat(40) }, job_id: Long.fromNumber(9_000_000_000) },
      created: new Date(), updated: new Date(), timeout: new Date(Date.now() + 3_600_000), holdoff: null, owner: 'kci-bot', user_groups: [],
    });
    await db.collection('node').insertMany([node(rootId, null, 'checkout'), node(new ObjectId(), rootId, 'kbuild-gcc-12-x86')]);
    await db.collection('eventhistory').insertMany(
      [1, 2, 3].map((i) => ({ timestamp: new Date(), sequence_id: Long.fromNumber(5_000_000_000 + i), channel: 'node', owner: 'kci-bot', data: { op: 'created', id: rootId.toHexString() } })),
    );
    await db.collection('subscriber_state').insertOne({ subscriber_id: 'sched-1', channel: 'node', user: 'kci-bot', promiscuous: false, last_event_id: Long.fromNumber(5_000_000_002), created_at: new Date(), last_poll: null });
    const before = new Map(await Promise.all(['user', 'usergroup', 'eventhistory', 'subscriber_state', 'telemetry'].map(async (c) => [c, await listIndexes(db, c)] as const)));

    const storage = await open(database);
    expect((await storage.users.findByUsername('kci-bot'))?.groups).toEqual([{ id: groupId.toHexString(), name: 'kernelci' }]);
    expect((await storage.users.findByEmail('bot@example.org'))?.username).toBe('kci-bot');
    const kbuild = (await storage.nodes.list({ filter: { conditions: [], matchesNothing: false }, limit: 10 })).find((n) => n.kind === 'kbuild');
    expect(kbuild?.parent).toBe(rootId.toHexString());
    expect(kbuild?.data).toMatchObject({ job_id: 9_000_000_000 });
    expect((await storage.events.stream({ channel: 'node', afterSequence: 5_000_000_001, limit: 10 })).map((e) => e.sequenceId)).toEqual([5_000_000_002, 5_000_000_003]);
    expect(await storage.events.latestSequence()).toBeGreaterThanOrEqual(5_000_000_003);
    // KernelCI's indexes are reused, not duplicated or changed.
    for (const [collection, indexes] of before) {
      const after = await listIndexes(db, collection);
      for (const index of indexes) expect(after.find((i) => i.name === index.name)).toEqual(index);
    }
  }, 120_000);

  it('KernelCI creates its indexes on a database Maestro created without error 85/86, finding them in place', async () => {
    const database = freshDatabaseName('mae');
    const storage = await open(database);
    const db = storage.connection.getClient().db(database);
    const outcomes = await createKernelciIndexes(db);
    expect(outcomes.filter((o) => o.code !== null)).toEqual([]);
    expect(outcomes.filter((o) => !o.name.startsWith('telemetry.')).every((o) => o.predicted === 'ok')).toBe(true);
    const user = await listIndexes(db, 'user');
    expect(user.find((i) => i.name === 'case_insensitive_email_index')?.unique).toBeUndefined();
  }, 120_000);
});
