/**
 * Contract of the node repository extensions and the idempotency repository (issue #4): bulk
 * writes, locked reads, lifecycle statements, purge, time-limited reads and refused filters. Runs
 * inside describeStorageContract on every adapter; the database is shared between tests, so each
 * test scopes its queries with a fresh `treeid`.
 */
import { newObjectId } from '../../common/object-id';
import type { NodeFilter } from '../../common/query/filter-model';
import { InvalidFilterError, type NodeRecord, type Storage } from '../ports';
import { makeNode } from './fixtures';

const byTree = (treeid: string): NodeFilter => ({ conditions: [{ path: ['treeid'], op: 'eq', value: treeid }], matchesNothing: false });
const PAST = new Date('2020-01-01T00:00:00.000Z');

export function describeNodeRepositoryContract(storage: () => Storage): void {
  describe('node repository (issue #4)', () => {
    let tree: string;
    const node = (overrides: Partial<NodeRecord> = {}): NodeRecord => makeNode({ treeid: tree, ...overrides });
    beforeEach(() => {
      tree = `tree-${newObjectId()}`;
    });

    it('inserts many nodes in the given (natural) order and reads them by ids', async () => {
      const nodes = Array.from({ length: 2500 }, (_, i) => node({ name: `n${i}`, data: i % 2 ? null : { i }, artifacts: null, holdoff: i === 3 ? PAST : null }));
      await storage().nodes.insertMany(nodes);
      const listed = await storage().nodes.list({ filter: byTree(tree) });
      expect(listed.map((n) => n.name)).toEqual(nodes.map((n) => n.name));
      expect(listed[1]).toEqual(nodes[1]);
      expect(listed[3]).toEqual(nodes[3]);
      const found = await storage().nodes.findByIds([nodes[0].id, nodes[7].id, newObjectId()]);
      expect(found.map((n) => n.id).sort()).toEqual([nodes[0].id, nodes[7].id].sort());
    });

    it('updates one node (returning it) and many nodes', async () => {
      const [a, b, c] = [node(), node(), node()];
      await storage().nodes.insertMany([a, b, c]);
      const changed = { ...a, state: 'done' as const, data: { x: 1 }, jobfilter: ['j'], updated: new Date(a.updated.getTime() + 1000) };
      expect(await storage().nodes.update(changed)).toEqual(changed);
      expect(await storage().nodes.update(node())).toBeNull();
      await storage().nodes.updateMany([{ ...b, name: 'B', debug: null }, { ...c, result: 'pass' }]);
      expect(await storage().nodes.findById(b.id)).toEqual({ ...b, name: 'B', debug: null });
      expect((await storage().nodes.findById(c.id))?.result).toBe('pass');
    });

    it('serialises writers that lock the row (If-Match compare-and-write)', async () => {
      const a = node();
      await storage().nodes.insert(a);
      const order: string[] = [];
      const writer = (name: string) =>
        storage().transaction(async (tx) => {
          const locked = await tx.nodes.findById(a.id, { forUpdate: true });
          order.push(`${name}:${locked!.result}`);
          await tx.nodes.update({ ...locked!, result: locked!.result === null ? 'pass' : 'fail' });
        });
      await Promise.all([writer('one'), writer('two')]);
      // The second writer saw the first one's write: no lost update.
      expect(order.map((o) => o.split(':')[1]).sort()).toEqual(['null', 'pass']);
      expect((await storage().nodes.findById(a.id))?.result).toBe('fail');
    });

    it('sets the KCIDB flag and bumps updated', async () => {
      const a = node();
      await storage().nodes.insert(a);
      const at = new Date(a.updated.getTime() + 5000);
      await storage().nodes.setKcidbFlag(a.id, true, at);
      expect(await storage().nodes.findById(a.id)).toEqual({ ...a, processed_by_kcidb_bridge: true, updated: at });
    });

    it('sets the KCIDB flag of many nodes in one call, ignoring ids of no node', async () => {
      const [a, b, c] = [node(), node(), node()];
      await storage().nodes.insertMany([a, b, c]);
      const at = new Date(a.updated.getTime() + 5000);
      await storage().nodes.setKcidbFlags([a.id, c.id, newObjectId()], true, at);
      expect(await storage().nodes.findByIds([a.id, b.id, c.id])).toEqual(
        expect.arrayContaining([{ ...a, processed_by_kcidb_bridge: true, updated: at }, b, { ...c, processed_by_kcidb_bridge: true, updated: at }]),
      );
    });

    it('replaces and inserts many nodes at once, answering them as stored', async () => {
      const [a, b] = [node({ name: 'a' }), node({ name: 'b' })];
      await storage().nodes.insertMany([a, b]);
      const replaced = [{ ...a, name: 'A', data: { z: 1, a: [1, 'x'] }, debug: null }];
      const added = Array.from({ length: 2100 }, (_, i) => node({ name: `new-${i}`, parent: a.id, data: i % 2 ? null : { i } }));
      const written = await storage().nodes.writeMany({ update: replaced, insert: added });
      expect(written).toHaveLength(2101);
      expect(written).toEqual(expect.arrayContaining([replaced[0], added[0], added[2099]]));
      const listed = await storage().nodes.list({ filter: byTree(tree) });
      expect(listed.map((n) => n.name)).toEqual(['A', 'b', ...added.map((n) => n.name)]);
      expect(await storage().nodes.writeMany({ update: [], insert: [] })).toEqual([]);
    });

    it('applies the timeout rule once, keeping results and data of finished work', async () => {
      const now = new Date();
      const noResult = node({ timeout: PAST, data: { keep: 1 }, processed_by_kcidb_bridge: true });
      const nullData = node({ timeout: PAST, data: null, state: 'closing' });
      const withResult = node({ timeout: PAST, result: 'fail', data: { keep: 2 }, state: 'available' });
      const done = node({ timeout: PAST, state: 'done' });
      const future = node();
      await storage().nodes.insertMany([noResult, nullData, withResult, done, future]);
      const transitions = (await storage().nodes.applyTimeouts(now, 10_000)).filter((t) => t.node.treeid === tree);
      expect(transitions.map((t) => t.node.id).sort()).toEqual([noResult.id, nullData.id, withResult.id].sort());
      const byId = new Map(transitions.map((t) => [t.node.id, t]));
      expect(byId.get(noResult.id)).toEqual({
        node: { ...noResult, state: 'done', result: 'incomplete', updated: now, processed_by_kcidb_bridge: false, data: { keep: 1, error_code: 'node_timeout', error_msg: 'Node timed-out' } },
        previous: { state: 'running', result: null },
      });
      expect(byId.get(nullData.id)?.node.data).toEqual({ error_code: 'node_timeout', error_msg: 'Node timed-out' });
      expect(byId.get(withResult.id)?.node).toMatchObject({ state: 'done', result: 'fail', data: { keep: 2 } });
      expect((await storage().nodes.applyTimeouts(now, 10_000)).filter((t) => t.node.treeid === tree)).toEqual([]);
    });

    it('applies holdoff and closing with descendants at any depth', async () => {
      const now = new Date();
      const pending = node({ state: 'available', holdoff: PAST });
      const child = node({ parent: pending.id, state: 'done' });
      const grandchild = node({ parent: child.id, state: 'running' });
      const finished = node({ state: 'available', holdoff: PAST });
      const finishedChild = node({ parent: finished.id, state: 'done' });
      const leaf = node({ state: 'available', holdoff: PAST });
      const notYet = node({ state: 'available', holdoff: new Date(now.getTime() + 3600_000) });
      await storage().nodes.insertMany([pending, child, grandchild, finished, finishedChild, leaf, notYet]);
      const held = (await storage().nodes.applyHoldoffs(now, 10_000)).filter((t) => t.node.treeid === tree);
      const states = Object.fromEntries(held.map((t) => [t.node.id, t.node.state]));
      expect(states).toEqual({ [pending.id]: 'closing', [finished.id]: 'done', [leaf.id]: 'done' });
      expect((await storage().nodes.closeFinished(now, 10_000)).filter((t) => t.node.treeid === tree)).toEqual([]);
      await storage().nodes.update({ ...grandchild, state: 'done' });
      const closed = (await storage().nodes.closeFinished(now, 10_000)).filter((t) => t.node.treeid === tree);
      expect(closed).toEqual([{ node: expect.objectContaining({ id: pending.id, state: 'done', updated: now }), previous: { state: 'closing', result: null } }]);
    });

    it('bounds lifecycle batches', async () => {
      const now = new Date();
      await storage().nodes.insertMany(Array.from({ length: 5 }, () => node({ timeout: PAST })));
      expect((await storage().nodes.applyTimeouts(now, 2)).length).toBe(2);
      await storage().nodes.applyTimeouts(now, 10_000);
    });

    it('purges old non-checkout nodes in batches, in id order', async () => {
      const before = new Date('2021-01-01T00:00:00Z');
      const old = Array.from({ length: 5 }, () => node({ kind: 'test', created: PAST }));
      const checkout = node({ created: PAST });
      const recent = node({ kind: 'test' });
      await storage().nodes.insertMany([...old, checkout, recent]);
      let deleted = 0;
      for (let n = -1; n !== 0; deleted += n) n = await storage().nodes.purgeBatch(before, 2);
      expect(deleted).toBeGreaterThanOrEqual(5);
      expect((await storage().nodes.list({ filter: byTree(tree) })).map((n) => n.id).sort()).toEqual([checkout.id, recent.id].sort());
    });

    // \k without a group name: accepted by JavaScript, refused by PostgreSQL and by PCRE (MongoDB).
    it('refuses a regular expression the database cannot compile with InvalidFilterError', async () => {
      const filter: NodeFilter = { conditions: [{ path: ['name'], op: 're', value: '\\k' }], matchesNothing: false };
      await expect(storage().nodes.count(filter)).rejects.toBeInstanceOf(InvalidFilterError);
      await expect(storage().nodes.list({ filter }, { timeoutMs: 5000 })).rejects.toBeInstanceOf(InvalidFilterError);
    });

    it('runs reads under a time limit that is generous enough for normal queries', async () => {
      await storage().nodes.insert(node());
      expect(await storage().nodes.count(byTree(tree), { timeoutMs: 5000 })).toBe(1);
      expect((await storage().nodes.list({ filter: byTree(tree), limit: 5 }, { timeoutMs: 5000 })).length).toBe(1);
    });
  });

  describe('idempotency records', () => {
    const scope = () => ({ userId: newObjectId(), method: 'POST', path: '/latest/node', key: `k-${newObjectId()}` });

    it('claims once, reports in-progress, completes and replays', async () => {
      const s = scope();
      expect(await storage().idempotency.begin(s, 'fp', 60_000, 60_000)).toEqual({ outcome: 'started' });
      expect(await storage().idempotency.begin(s, 'fp', 60_000, 60_000)).toEqual({ outcome: 'in_progress', fingerprint: 'fp' });
      await storage().idempotency.complete(s, 200, { id: 'x', data: { b: 1, a: 2 } });
      const replay = await storage().idempotency.begin(s, 'other', 60_000, 60_000);
      expect(replay).toEqual({ outcome: 'completed', fingerprint: 'fp', status: 200, response: { id: 'x', data: { b: 1, a: 2 } } });
      expect(JSON.stringify((replay as { response: unknown }).response)).toBe('{"id":"x","data":{"b":1,"a":2}}');
    });

    it('gives a contended key to exactly one of many concurrent callers', async () => {
      const s = scope();
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => storage().idempotency.begin(s, 'fp', 60_000, 60_000)));
      expect(outcomes.filter((o) => o.outcome === 'started')).toHaveLength(1);
    });

    it('expires in-progress claims, records and abandons', async () => {
      const s = scope();
      await storage().idempotency.begin(s, 'fp', 60_000, 60_000);
      expect(await storage().idempotency.begin(s, 'fp', 60_000, 0)).toEqual({ outcome: 'started' }); // in-progress expired
      await storage().idempotency.abandon(s);
      expect(await storage().idempotency.begin(s, 'fp', 60_000, 60_000)).toEqual({ outcome: 'started' });
      await storage().idempotency.complete(s, 200, {});
      expect(await storage().idempotency.begin(s, 'fp', 0, 60_000)).toEqual({ outcome: 'started' }); // record expired
      expect(await storage().idempotency.deleteOlderThan(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    });
  });
}
