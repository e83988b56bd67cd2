/**
 * NodesService with a strict fake of every port: the KCIDB-flag rules, hierarchy writes and the
 * idempotency recorder are checked in milliseconds, without a database. Any port call a test does
 * not expect fails it (see testing/strict-fake.ts).
 */
import { NodeEditPolicy } from '../auth/node-edit.policy';
import { IdempotencyService, type IdempotentRequest } from '../common/idempotency/idempotency.service';
import type { JobRunner } from '../common/jobs/job-runner';
import type { AppConfig } from '../config/config';
import type { NodeChange, NodeEventPublisher } from '../events/node-events.port';
import { makeNode, makeUser } from '../storage/contract/fixtures';
import type { IdempotencyBegin, IdempotencyRepository, NodeRecord, NodeRepository, Repositories, Storage, UsernameRepository } from '../storage/ports';
import { strictFake } from '../testing/strict-fake';
import type { HierarchyNodeDto, NodeInputDto, NodePatchDto } from './dto/node.dto';
import { NodesService } from './nodes.service';

const alice = makeUser({ username: 'alice' });

/** An in-memory node table behind a strict NodeRepository, with the writes it saw. */
function harness(stored: NodeRecord[]) {
  const table = new Map(stored.map((n) => [n.id, structuredClone(n)]));
  const writes = { inserted: [] as NodeRecord[], updated: [] as NodeRecord[] };
  const nodes = strictFake<NodeRepository>('nodes', {
    findById: async (id) => structuredClone(table.get(id) ?? null),
    findByIds: async (ids) => ids.flatMap((id) => (table.has(id) ? [structuredClone(table.get(id)!)] : [])),
    update: async (node) => {
      writes.updated.push(node);
      table.set(node.id, structuredClone(node));
      return structuredClone(node);
    },
    writeMany: async ({ update, insert }) => {
      for (const node of update) writes.updated.push(node);
      for (const node of insert) writes.inserted.push(node);
      for (const node of [...update, ...insert]) table.set(node.id, structuredClone(node));
      return [...update, ...insert].map((node) => structuredClone(node));
    },
    setKcidbFlags: async (ids, value, updated) => {
      for (const id of ids) {
        writes.updated.push({ ...table.get(id)!, processed_by_kcidb_bridge: value, updated });
        table.set(id, { ...table.get(id)!, processed_by_kcidb_bridge: value, updated });
      }
    },
    insert: async (node) => {
      writes.inserted.push(node);
      table.set(node.id, structuredClone(node));
      return structuredClone(node);
    },
  });
  const events: NodeChange[] = [];
  // What the idempotency port saw: claims outside the transaction, completions inside it.
  const recorded: { inTransaction: boolean; response: unknown }[] = [];
  let inTransaction = false;
  const claims = strictFake<IdempotencyRepository>('idempotency', { begin: async () => ({ outcome: 'started' }) as IdempotencyBegin });
  const txIdempotency = strictFake<IdempotencyRepository>('tx.idempotency', {
    complete: async (_scope, _status, response) => void recorded.push({ inTransaction, response }),
  });
  // Names the caller's account held before a rename (docs/adr/0012-account-ownership.md), and how often they were read.
  const lookups = { names: ['alice', 'alice-old'], reads: 0 };
  const usernames = strictFake<UsernameRepository>('usernames', { namesOf: async () => (lookups.reads++, lookups.names) });
  const tx = strictFake<Repositories>('tx', { nodes, idempotency: txIdempotency, usernames });
  const transaction = async <T>(work: (t: Repositories) => Promise<T>) => {
    inTransaction = true;
    try {
      return await work(tx);
    } finally {
      inTransaction = false;
    }
  };
  const storage = strictFake<Storage>('storage', { nodes, idempotency: claims, transaction, usernames } as Partial<Storage>);
  const publisher = strictFake<NodeEventPublisher>('events', {
    nodeChanged: async (_tx, change) => void events.push(change),
  });
  const config = strictFake<AppConfig>('config', { idempotencyTtlSeconds: 86_400 } as Partial<AppConfig>);
  const idempotency = new IdempotencyService(storage, config, strictFake<JobRunner>('jobs', {}));
  const service = new NodesService(storage, publisher, config, idempotency, new NodeEditPolicy(storage));
  return { service, table, writes, events, recorded, lookups };
}

const keyed: IdempotentRequest = { key: 'k1', method: 'PUT', path: '/nodes/x', fingerprint: 'fp' };

const patchBody = (body: Partial<NodePatchDto>): [NodePatchDto, Set<string>] => [body as NodePatchDto, new Set(Object.keys(body))];

describe('NodesService: the KCIDB flag', () => {
  const flagged = makeNode({ owner: 'alice', state: 'available', processed_by_kcidb_bridge: true });

  it('PATCH: a state change clears the flag even when the body sets it', async () => {
    const { service, events } = harness([flagged]);
    const written = await service.patch(flagged.id, ...patchBody({ state: 'done', processed_by_kcidb_bridge: true }), alice);
    expect(written).toMatchObject({ state: 'done', processed_by_kcidb_bridge: false });
    expect(events).toHaveLength(1);
  });

  it('PATCH: without a state change the flag is what the body says, and cleared when the body omits it', async () => {
    const h1 = harness([flagged]);
    expect((await h1.service.patch(flagged.id, ...patchBody({ processed_by_kcidb_bridge: true }), alice)).processed_by_kcidb_bridge).toBe(true);
    const h2 = harness([flagged]);
    expect((await h2.service.patch(flagged.id, ...patchBody({ data: { x: 1 } }), alice)).processed_by_kcidb_bridge).toBe(false);
  });

  it('PUT: only a flip of the stored value survives, and a state change clears it', async () => {
    const base = { kind: 'checkout', name: 'checkout', path: ['checkout'], data: flagged.data } as NodeInputDto;
    const same = harness([flagged]);
    expect((await same.service.replace(flagged.id, { ...base, state: 'available', processed_by_kcidb_bridge: true } as NodeInputDto, alice)).processed_by_kcidb_bridge).toBe(false);
    const unflagged = makeNode({ owner: 'alice', state: 'available', processed_by_kcidb_bridge: false });
    const flip = harness([unflagged]);
    expect((await flip.service.replace(unflagged.id, { ...base, state: 'available', processed_by_kcidb_bridge: true } as NodeInputDto, alice)).processed_by_kcidb_bridge).toBe(true);
    const moved = harness([unflagged]);
    expect((await moved.service.replace(unflagged.id, { ...base, state: 'done', processed_by_kcidb_bridge: true } as NodeInputDto, alice)).processed_by_kcidb_bridge).toBe(false);
  });

  it('refuses a forbidden transition before writing anything', async () => {
    const done = makeNode({ owner: 'alice', state: 'done' });
    const { service, writes, events } = harness([done]);
    await expect(service.patch(done.id, ...patchBody({ state: 'running' }), alice)).rejects.toThrow('Transition not allowed with state: running');
    expect(writes.updated).toEqual([]);
    expect(events).toEqual([]);
  });
});

describe('NodesService: hierarchy writes', () => {
  const root = makeNode({ owner: 'alice', kind: 'job', name: 'baseline', path: ['checkout', 'baseline'], treeid: 'tree-1', submitter: 'lab-1', state: 'running' });
  const level = (node: Partial<NodeInputDto>, children: HierarchyNodeDto[] = []): HierarchyNodeDto =>
    ({ node: { kind: 'test', path: [], data: {}, ...node }, child_nodes: children }) as unknown as HierarchyNodeDto;

  it('inserts the new nodes under their parents, in pre-order, with the root tree id and submitter, and publishes one event', async () => {
    const { service, writes, events } = harness([root]);
    const body = level({ kind: 'job', name: 'baseline', path: root.path, state: 'done', result: 'pass' }, [
      level({ name: 'boot', path: [...root.path, 'boot'] }, [level({ name: 'login', path: [...root.path, 'boot', 'login'], result: 'pass' })]),
      level({ name: 'dmesg', path: [...root.path, 'dmesg'], result: 'fail' }),
    ]);
    const { result: written } = await service.submitHierarchy(root.id, body, alice);
    expect(written.map((n) => n.name)).toEqual(['baseline', 'boot', 'login', 'dmesg']);
    const [top, boot, login, dmesg] = written;
    expect(top).toMatchObject({ id: root.id, state: 'done', result: 'pass' });
    expect(boot!.parent).toBe(root.id);
    expect(login!.parent).toBe(boot!.id);
    expect(dmesg!.parent).toBe(root.id);
    for (const n of written.slice(1)) expect(n).toMatchObject({ treeid: 'tree-1', submitter: 'lab-1', owner: 'alice' });
    expect(writes.inserted.map((n) => n.name)).toEqual(['boot', 'login', 'dmesg']);
    expect(writes.updated.map((n) => n.id)).toEqual([root.id]);
    expect(events).toEqual([expect.objectContaining({ op: 'updated', isHierarchy: true, previous: { state: 'running', result: null } })]);
  });

  it('checks every node before writing: an unknown child id writes nothing', async () => {
    const { service, writes, events } = harness([root]);
    const body = level({ kind: 'job', name: 'baseline', path: root.path }, [level({ id: '65a3982ee98651d0fe82b010', name: 'ghost', path: [] })]);
    await expect(service.submitHierarchy(root.id, body, alice)).rejects.toThrow('No object found with id: 65a3982ee98651d0fe82b010');
    expect(writes).toEqual({ inserted: [], updated: [] });
    expect(events).toEqual([]);
  });

  it('checks the edit right of every replaced child with one lookup, and refuses in walk order before writing', async () => {
    const former = makeNode({ owner: 'alice-old', name: 'former' });
    const foreign = makeNode({ owner: 'bob', name: 'foreign' });
    const allowed = harness([root, former]);
    const replace = (...children: NodeRecord[]) => level({ kind: 'job', name: 'baseline', path: root.path }, children.map((c) => level({ id: c.id, name: c.name, path: [] })));
    const { result } = await allowed.service.submitHierarchy(root.id, replace(former), alice);
    expect(result.map((n) => n.id)).toEqual([root.id, former.id]);
    expect(allowed.lookups.reads).toBe(1);
    const refused = harness([root, former, foreign]);
    await expect(refused.service.submitHierarchy(root.id, replace(former, foreign), alice)).rejects.toThrow('Unauthorized to complete the operation');
    expect(refused.writes).toEqual({ inserted: [], updated: [] });
    expect(refused.lookups.reads).toBe(1);
  });

  it('records the idempotent outcome inside the write transaction, as the written node ids', async () => {
    const { service, recorded } = harness([root]);
    const body = level({ kind: 'job', name: 'baseline', path: root.path }, [level({ name: 'boot', path: [...root.path, 'boot'] })]);
    const { result: written } = await service.submitHierarchy(root.id, body, alice, {}, keyed);
    expect(recorded).toEqual([{ inTransaction: true, response: written.map((n) => n.id) }]);
  });
});

describe('NodesService: PUT /batch/nodeset', () => {
  const mine = makeNode({ owner: 'alice' });
  const theirs = makeNode({ owner: 'bob' });
  const former = makeNode({ owner: 'alice-old' });

  it('sets the flag on the nodes the caller may edit in one write, counting each listed entry, and skips the others', async () => {
    const { service, table, lookups } = harness([mine, theirs, former]);
    expect(await service.batchSetFlag([mine.id, theirs.id, former.id, mine.id], 'processed_by_kcidb_bridge', 'True', alice)).toBe(3);
    expect([mine, theirs, former].map((n) => table.get(n.id)!.processed_by_kcidb_bridge)).toEqual([true, false, true]);
    expect(lookups.reads).toBe(1);
  });

  it('writes the nodes before the first unknown or malformed id, then answers its error', async () => {
    const unknown = '65a3982ee98651d0fe82b010';
    const h1 = harness([mine, former]);
    await expect(h1.service.batchSetFlag([mine.id, unknown, former.id], 'processed_by_kcidb_bridge', true, alice)).rejects.toThrow(`Node not found with id: ${unknown}`);
    expect(h1.writes.updated.map((n) => n.id)).toEqual([mine.id]);
    const h2 = harness([mine, former]);
    await expect(h2.service.batchSetFlag([mine.id, 'nope', unknown], 'processed_by_kcidb_bridge', true, alice)).rejects.toThrow();
    expect(h2.writes.updated.map((n) => n.id)).toEqual([mine.id]);
  });

  it('checks the field and value only when some node may be edited', async () => {
    const { service, writes } = harness([mine, theirs]);
    expect(await service.batchSetFlag([theirs.id], 'name', 'x', alice)).toBe(0);
    await expect(service.batchSetFlag([theirs.id, mine.id], 'name', true, alice)).rejects.toThrow('Field not supported');
    await expect(service.batchSetFlag([mine.id], 'processed_by_kcidb_bridge', 'yes', alice)).rejects.toThrow('Value not supported');
    expect(writes.updated).toEqual([]);
  });
});

describe('NodesService: creation', () => {
  it('records the idempotent outcome in the same transaction as the insert and the event', async () => {
    const { service, events, writes, recorded } = harness([]);
    const { result: created } = await service.create({ kind: 'checkout', name: 'c', path: ['c'], data: {} } as NodeInputDto, alice, { ...keyed, method: 'POST' });
    expect(created).toMatchObject({ owner: 'alice', state: 'running', processed_by_kcidb_bridge: false });
    expect(writes.inserted.map((n) => n.id)).toEqual([created.id]);
    expect(events).toHaveLength(1);
    expect(recorded).toEqual([{ inTransaction: true, response: created }]);
  });

  it('refuses an unknown kind without touching storage', async () => {
    const { service, writes } = harness([]);
    await expect(service.create({ kind: 'chekout', name: 'c', path: ['c'] } as NodeInputDto, alice)).rejects.toThrow('Unsupported node kind: chekout');
    expect(writes.inserted).toEqual([]);
  });
});

describe('strict fakes', () => {
  it('fail the test on a port call it did not expect', async () => {
    const { service } = harness([]);
    await expect(service.create({ kind: 'checkout', name: 'c', path: ['c'], data: {}, user_groups: ['team'] } as NodeInputDto, alice)).rejects.toThrow(
      'unexpected call: storage.groups.findByName()',
    );
  });
});
