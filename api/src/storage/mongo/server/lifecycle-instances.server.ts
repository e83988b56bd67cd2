/**
 * Kit (c): the lifecycle run by two instances at once, with locked PUTs (`findById … forUpdate`,
 * then a write and its event, as `PUT /node/{id}` does) to the same nodes: each transition and its
 * event happen exactly once, no PUT is lost, and every unit stays under 60 s.
 */
import type { NodeTransition } from '../../ports';
import { makeNode } from '../../contract/fixtures';
import type { MongoStorage } from '../mongo.storage';
import { describeOnServer, freshDatabaseName, newEvent, storages, timedUnit, TRANSACTION_LIMIT_MS } from './server-harness';

const NODES = 300;
const PUTS = 600;

describeOnServer('kit (c): lifecycle from two instances with locked PUTs', (url) => {
  const open = storages(url);

  it('makes each transition and its event exactly once, loses no PUT, and keeps every unit under 60 s', async () => {
    const database = freshDatabaseName('two');
    const a = await open(database);
    const b = await open(database);
    const nodes = Array.from({ length: NODES }, () => makeNode({ kind: 'test', state: 'running', timeout: new Date(Date.now() + 2_000), data: { puts: 0 } }));
    await a.nodes.insertMany(nodes);
    const durations: number[] = [];
    const transitions: NodeTransition[] = [];
    const putsDone = new Map<string, number>();
    const channel = 'node';

    const lifecycle = async (storage: MongoStorage) => {
      // Until every node has timed out (shared by both instances), at most a minute.
      const until = Date.now() + 60_000;
      while (transitions.length < NODES && Date.now() < until) {
        const batch = await timedUnit(storage, durations, async (tx) => {
          const changed = await tx.nodes.applyTimeouts(new Date(), storage.lifecycleBatch);
          for (const { node } of changed) await tx.events.append(newEvent({ op: 'updated', id: node.id, state: node.state, source: 'lifecycle' }, channel));
          return changed;
        });
        transitions.push(...batch);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const putter = async (storage: MongoStorage, count: number) => {
      for (let i = 0; i < count; i++) {
        const id = nodes[(i * 7) % NODES].id;
        const written = await timedUnit(storage, durations, async (tx) => {
          const node = await tx.nodes.findById(id, { forUpdate: true });
          if (!node || node.state === 'done') return false;
          const data = { ...(node.data ?? {}), puts: Number((node.data ?? {}).puts ?? 0) + 1 };
          await tx.nodes.update({ ...node, data, updated: new Date() });
          await tx.events.append(newEvent({ op: 'updated', id, source: 'put' }, channel));
          return true;
        });
        if (written) putsDone.set(id, (putsDone.get(id) ?? 0) + 1);
      }
    };
    await Promise.all([lifecycle(a), lifecycle(b), putter(a, PUTS / 2), putter(b, PUTS / 2)]);

    const perNode = new Map<string, number>();
    for (const { node } of transitions) perNode.set(node.id, (perNode.get(node.id) ?? 0) + 1);
    expect([...perNode.values()].every((count) => count === 1)).toBe(true);
    expect(perNode.size).toBe(NODES);
    const events = await a.events.history({ conditions: [{ field: 'channel', value: channel }] });
    const lifecycleEvents = events.filter((e) => (e.data as { source?: string }).source === 'lifecycle');
    expect(lifecycleEvents).toHaveLength(NODES);
    expect(new Set(lifecycleEvents.map((e) => (e.data as { id: string }).id)).size).toBe(NODES);
    const putEvents = events.filter((e) => (e.data as { source?: string }).source === 'put');
    expect(putEvents).toHaveLength([...putsDone.values()].reduce((x, y) => x + y, 0));
    for (const node of await a.nodes.findByIds(nodes.map((n) => n.id))) {
      expect([node.state, (node.data as { puts: number }).puts]).toEqual(['done', putsDone.get(node.id) ?? 0]);
    }
    expect(Math.max(...durations)).toBeLessThan(TRANSACTION_LIMIT_MS / 2);
  }, 300_000);
});
