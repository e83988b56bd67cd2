/**
 * Kit (b): a one-node replica set under contention. Writers produce events continuously while a
 * 2,000-node hierarchy (one unit: its nodes and their events) and a 500-node timeout drain run;
 * both commit within a bound (no starvation on the sequence counter, docs/adr/0007-mongo.md), every
 * unit stays under MongoDB's 60 s transaction lifetime, and a subscriber reading alongside is
 * delivered every committed event, once, in sequence order.
 */
import { makeNode } from '../../contract/fixtures';
import { describeOnServer, freshDatabaseName, newEvent, readAll, storages, timedUnit, TRANSACTION_LIMIT_MS } from './server-harness';

const WRITERS = 4;
const HIERARCHY = 2_000;
const TIMED_OUT = 500;
/** Both big units must commit within this, with the writers running all along. */
const BOUND_MS = 45_000;

describeOnServer('kit (b): contention on a one-node replica set', (url) => {
  const open = storages(url);

  it('commits a 2,000-node hierarchy and a 500-node timeout drain among continuous writers, delivering every event in order', async () => {
    const storage = await open(freshDatabaseName('busy'));
    if (!storage.supportsTransactions) throw new Error('kit (b) needs a replica set (transactions); this server is standalone');
    const channel = `node`;
    await storage.nodes.insertMany(Array.from({ length: TIMED_OUT }, () => makeNode({ kind: 'test', state: 'running', timeout: new Date(Date.now() - 60_000) })));

    const durations: number[] = [];
    const committed: number[] = [];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const event = await timedUnit(storage, durations, async (tx) => {
          const node = makeNode({ kind: 'test' });
          await tx.nodes.insert(node);
          return tx.events.append(newEvent({ op: 'created', id: node.id }, channel));
        });
        committed.push(event.sequenceId);
      }
    };
    const writers = Array.from({ length: WRITERS }, writer);
    const reader = readAll(storage, channel, () => stop);

    const started = Date.now();
    const hierarchy = (async () => {
      const root = makeNode({ kind: 'checkout' });
      const nodes = [root, ...Array.from({ length: HIERARCHY - 1 }, () => makeNode({ kind: 'kbuild', parent: root.id }))];
      const events = await timedUnit(storage, durations, async (tx) => {
        await tx.nodes.insertMany(nodes);
        const appended = [];
        for (const node of nodes) appended.push(await tx.events.append(newEvent({ op: 'created', id: node.id }, channel)));
        return appended;
      });
      committed.push(...events.map((e) => e.sequenceId));
      return Date.now() - started;
    })();
    const drain = (async () => {
      for (;;) {
        const events = await timedUnit(storage, durations, async (tx) => {
          const transitions = await tx.nodes.applyTimeouts(new Date(), storage.lifecycleBatch);
          const appended = [];
          for (const { node } of transitions) appended.push(await tx.events.append(newEvent({ op: 'updated', id: node.id, state: node.state }, channel)));
          return appended;
        });
        committed.push(...events.map((e) => e.sequenceId));
        if (events.length < storage.lifecycleBatch) return Date.now() - started;
      }
    })();

    const [hierarchyMs, drainMs] = await Promise.all([hierarchy, drain]);
    stop = true;
    await Promise.all(writers);
    const delivered = await reader;

    expect(hierarchyMs).toBeLessThan(BOUND_MS);
    expect(drainMs).toBeLessThan(BOUND_MS);
    expect(Math.max(...durations)).toBeLessThan(TRANSACTION_LIMIT_MS / 2);
    expect(committed.length).toBeGreaterThan(HIERARCHY + TIMED_OUT);
    // In order, once each, and exactly the committed ones.
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b));
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toEqual([...committed].sort((a, b) => a - b));
    process.stdout.write(`kit (b): hierarchy ${hierarchyMs} ms, drain ${drainMs} ms, ${committed.length} events, longest unit ${Math.max(...durations)} ms\n`);
  }, 300_000);
});
