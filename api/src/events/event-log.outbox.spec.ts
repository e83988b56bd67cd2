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

/**
 * The database itself refuses the event's insert (and, with `both`, the outbox's) while the session
 * setting `maestro.spec_fail` says so: node writes append at commit inside SQL (migration 0015), so
 * the failure has to happen there, not in a repository method.
 */
const FAILURE_TRIGGERS = `
CREATE FUNCTION spec_fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'eventhistory' AND current_setting('maestro.spec_fail', true) IN ('append', 'both') THEN RAISE EXCEPTION 'events.append is down'; END IF;
  IF TG_TABLE_NAME = 'maestro_pending_event' AND current_setting('maestro.spec_fail', true) = 'both' THEN RAISE EXCEPTION 'pendingEvents.add is down'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER spec_fail BEFORE INSERT ON eventhistory FOR EACH ROW EXECUTE FUNCTION spec_fail_insert();
CREATE TRIGGER spec_fail BEFORE INSERT ON maestro_pending_event FOR EACH ROW EXECUTE FUNCTION spec_fail_insert();`;

type Failure = 'append' | 'both' | '';
/** The SQL client of the PGlite storage this spec opens (structurally: features never import an adapter). */
const sqlOf = (storage: Storage) => (storage as unknown as { sql: { exec(sql: string): Promise<void>; query(sql: string, params: unknown[]): Promise<unknown> } }).sql;
const setFailure = (storage: Storage, failure: Failure) => sqlOf(storage).query("SELECT set_config('maestro.spec_fail', $1, false)", [failure]);

/** One "process": a job runner and the event log service on `storage`. */
function process(storage: Storage) {
  const published: number[] = [];
  const notifier: EventNotifier = { publish: (message: { sequenceId: number }) => published.push(message.sequenceId) } as unknown as EventNotifier;
  const jobs = new JobRunner(storage);
  const service = new EventLogService(config, storage, notifier, jobs);
  service.onModuleInit();
  return { jobs, service, published };
}

/** One node write; `failure` makes the database refuse its event append (and outbox) meanwhile. */
async function writeNode(storage: Storage, service: EventLogService, node: NodeRecord, failure: Failure = ''): Promise<void> {
  await setFailure(storage, failure);
  try {
    await storage.transaction(async (tx) => {
      await tx.nodes.insert(node);
      await service.nodeChanged(tx, { op: 'created', node });
    });
  } finally {
    await setFailure(storage, '');
  }
}

const nodeIds = (events: EventRecord[]) => events.map((event) => (event.data as { id: string }).id);

describe('the event outbox (a failed append inside a node write)', () => {
  let storage: Storage;
  /** The node events of the current test (the database is shared; every test leaves the outbox empty). */
  let base = 0;
  const nodeEvents = () => storage.events.stream({ channel: 'node', afterSequence: base, limit: 10 });

  beforeAll(async () => {
    storage = await openStorage(config);
    await sqlOf(storage).exec(FAILURE_TRIGGERS);
  }, 60_000);
  afterAll(() => storage.close());
  beforeEach(async () => {
    base = await storage.events.latestSequence();
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });

  it('commits the writes, and a new process appends their events exactly once, in order, with their original attributes', async () => {
    const first = process(storage);
    const nodes = [makeNode(), makeNode(), makeNode()];
    for (const [i, node] of nodes.entries()) await writeNode(storage, first.service, node, i < 2 ? 'append' : '');
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
    const { jobs, service } = process(storage);
    const node = makeNode();
    await writeNode(storage, service, node, 'append');
    await jobs.runNow('event-outbox', async () => undefined); // waits for the triggered pass, if it started
    for (let i = 0; i < 50 && (await storage.pendingEvents.oldest(1)).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await jobs.onModuleDestroy();
    expect(nodeIds(await nodeEvents())).toEqual([node.id]);
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });

  it('a crash between the append and the delete appends nothing (one transaction), and the next drain appends the event once', async () => {
    const first = process(storage);
    const node = makeNode();
    await writeNode(storage, first.service, node, 'append');
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
    const { jobs, service } = process(storage);
    const node = makeNode();
    await expect(writeNode(storage, service, node, 'both')).rejects.toThrow('pendingEvents.add is down');
    await jobs.onModuleDestroy();
    expect(await storage.nodes.findById(node.id)).toBeNull();
    expect(await nodeEvents()).toEqual([]);
    expect(await storage.pendingEvents.oldest(10)).toEqual([]);
  });
});
