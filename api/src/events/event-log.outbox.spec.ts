/**
 * The event outbox end to end on PGlite (docs/events.md): a node write whose event append fails
 * still commits, its event is recorded durably in the same transaction, and after a process death
 * (a new service, nothing in memory) the drain appends every such event exactly once, in order.
 */
import { JobRunner, SKIPPED } from '../common/jobs/job-runner';
import { loadConfig } from '../config/config';
import { makeNode } from '../storage/contract/fixtures';
import type { EventRecord, NodeRecord, Repositories, Storage } from '../storage/ports';
import { openStorage } from '../storage/storage.module';
import { EventLogService } from './event-log.service';
import type { EventNotifier } from './notifier/notifier.port';

const config = loadConfig({ DATABASE_URL: 'pglite:memory', CLOUD_EVENTS_SOURCE: 'https://maestro.test/' });

/** The same storage, with hooks on the repositories each transaction hands out. */
function wrapped(storage: Storage, wrapTx: (tx: Repositories) => Repositories, afterWork?: () => void): Storage {
  return Object.assign(Object.create(storage) as Storage, {
    transaction: <T>(work: (tx: Repositories) => Promise<T>) =>
      storage.transaction(async (tx) => {
        const result = await work(wrapTx(tx));
        afterWork?.();
        return result;
      }),
  });
}

function failing<K extends 'events' | 'pendingEvents'>(tx: Repositories, key: K, method: keyof Repositories[K], shouldFail: () => boolean): Repositories {
  const repository = Object.create(tx[key]) as Repositories[K];
  const original = (tx[key][method] as (...args: unknown[]) => unknown).bind(tx[key]);
  Object.assign(repository, {
    [method]: (...args: unknown[]) => (shouldFail() ? Promise.reject(new Error(`${String(key)}.${String(method)} is down`)) : original(...args)),
  });
  return { ...tx, [key]: repository };
}

/** One "process": a job runner and the event log service on `storage`. */
function process(storage: Storage) {
  const published: number[] = [];
  const notifier: EventNotifier = { publish: (message: { sequenceId: number }) => published.push(message.sequenceId) } as unknown as EventNotifier;
  const jobs = new JobRunner(storage);
  const service = new EventLogService(config, storage, notifier, jobs);
  service.onModuleInit();
  return { jobs, service, published };
}

async function writeNode(storage: Storage, service: EventLogService, node: NodeRecord): Promise<void> {
  await storage.transaction(async (tx) => {
    await tx.nodes.insert(node);
    await service.nodeChanged(tx, { op: 'created', node });
  });
}

const nodeIds = (events: EventRecord[]) => events.map((event) => (event.data as { id: string }).id);

describe('the event outbox (a failed append inside a node write)', () => {
  let storage: Storage;
  /** The node events of the current test (the database is shared; every test leaves the outbox empty). */
  let base = 0;
  const nodeEvents = () => storage.events.stream({ channel: 'node', afterSequence: base, limit: 10 });

  beforeAll(async () => {
    storage = await openStorage(config);
  }, 60_000);
  afterAll(() => storage.close());
  beforeEach(async () => {
    base = await storage.events.latestSequence();
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });

  it('commits the writes, and a new process appends their events exactly once, in order, with their original attributes', async () => {
    let failures = 2;
    const flaky = wrapped(storage, (tx) => failing(tx, 'events', 'append', () => failures-- > 0));
    const first = process(flaky);
    const nodes = [makeNode(), makeNode(), makeNode()];
    for (const node of nodes) await writeNode(flaky, first.service, node);
    // The process dies before its drain runs: the triggered pass never happens, memory is gone.
    await first.jobs.onModuleDestroy();

    for (const node of nodes) expect(await storage.nodes.findById(node.id)).toEqual(node);
    expect(nodeIds(await nodeEvents())).toEqual([nodes[2].id]);
    const pending = await storage.pendingEvents.oldest(10);
    expect(nodeIds(pending as EventRecord[])).toEqual([nodes[0].id, nodes[1].id]);

    const second = process(storage);
    expect(await second.jobs.runNow('event-outbox')).toBe('stored 2 pending event(s)');
    const events = await nodeEvents();
    expect(nodeIds(events)).toEqual([nodes[2].id, nodes[0].id, nodes[1].id]);
    expect(events.slice(1)).toEqual(pending.map((event) => ({ ...event, sequenceId: expect.any(Number) })));
    expect(second.published).toEqual(events.slice(1).map((event) => event.sequenceId));
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);

    // Drained once: another pass and another replica find nothing (the lease keeps the other out meanwhile).
    expect(await second.jobs.runNow('event-outbox')).toBeUndefined();
    const third = process(storage);
    expect(await third.jobs.runNow('event-outbox')).toBe(SKIPPED);
    await second.jobs.onModuleDestroy();
    expect(await third.jobs.runNow('event-outbox')).toBeUndefined();
    await third.jobs.onModuleDestroy();
    expect(await nodeEvents()).toHaveLength(3);
  });

  it('drains after the commit without a restart', async () => {
    let failures = 1;
    const flaky = wrapped(storage, (tx) => failing(tx, 'events', 'append', () => failures-- > 0));
    const { jobs, service } = process(flaky);
    const node = makeNode();
    await writeNode(flaky, service, node);
    await jobs.runNow('event-outbox', async () => undefined); // waits for the triggered pass, if it started
    for (let i = 0; i < 50 && (await storage.pendingEvents.oldest(1)).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await jobs.onModuleDestroy();
    expect(nodeIds(await nodeEvents())).toEqual([node.id]);
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });

  it('a crash between the append and the delete appends nothing (one transaction), and the next drain appends the event once', async () => {
    let failures = 1;
    const flaky = wrapped(storage, (tx) => failing(tx, 'events', 'append', () => failures-- > 0));
    const first = process(flaky);
    const node = makeNode();
    await writeNode(flaky, first.service, node);
    await first.jobs.onModuleDestroy();

    const crashing = wrapped(storage, (tx) => tx, () => {
      throw new Error('process died before the commit');
    });
    const second = process(crashing);
    await expect(second.jobs.runNow('event-outbox')).rejects.toThrow('process died');
    await second.jobs.onModuleDestroy();
    expect(await nodeEvents()).toEqual([]);
    expect(await storage.pendingEvents.oldest(10)).toHaveLength(1);

    const third = process(storage);
    expect(await third.jobs.runNow('event-outbox')).toBe('stored 1 pending event(s)');
    await third.jobs.onModuleDestroy();
    expect(nodeIds(await nodeEvents())).toEqual([node.id]);
  });

  it('rolls the whole write back when the outbox cannot record the event either: a clean error, nothing written', async () => {
    const broken = wrapped(storage, (tx) => failing(failing(tx, 'events', 'append', () => true), 'pendingEvents', 'add', () => true));
    const { jobs, service } = process(broken);
    const node = makeNode();
    await expect(writeNode(broken, service, node)).rejects.toThrow('pendingEvents.add is down');
    await jobs.onModuleDestroy();
    expect(await storage.nodes.findById(node.id)).toBeNull();
    expect(await nodeEvents()).toEqual([]);
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });
});
