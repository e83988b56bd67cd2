/**
 * Contract tests of the event log, subscriptions and durable cursors (docs/events.md, docs/deployment.md#running-on-mongodb),
 * run by every adapter from describeStorageContract. Channels and ids are unique per test, so the
 * tests share one database.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '../../common/object-id';
import { DuplicateKeyError, InvalidPatternError, type EventRecord, type NewEvent, type Storage, type SubscriptionRecord } from '../ports';
import { makeNode } from './fixtures';

function makeEvent(channel: string, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: newObjectId(),
    timestamp: new Date(Math.floor(Date.now() / 1000) * 1000 + 250),
    channel,
    owner: 'alice',
    data: { op: 'created', id: newObjectId(), kind: 'kbuild', name: 'kbuild-gcc', path: ['checkout', 'kbuild-gcc'], state: 'running' },
    ce: { id: randomUUID(), time: '2025-01-12T08:30:00.250000+00:00', type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: { owner: 'alice', extra: 1 } },
    ...overrides,
  };
}

function makeSubscription(id: number, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    id,
    channel: 'node',
    user: 'alice',
    promiscuous: false,
    subscriberId: null,
    transport: 'http',
    filter: null,
    created: new Date(),
    lastPoll: null,
    position: 0,
    delivered: null,
    ...overrides,
  };
}

const channelName = () => `ch-${newObjectId()}`;
const seqs = (events: EventRecord[]) => events.map((e) => e.sequenceId);

/** A promise with its resolver, to hold a transaction open at a chosen point. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * Opens a transaction that appends one event and stays open until `finish` is called; it then
 * commits, or rolls back when `rollBack` is true. Resolves once the event is appended (uncommitted).
 */
async function heldAppend(storage: Storage, channel: string, rollBack = false): Promise<{ event: EventRecord; finish: () => Promise<void> }> {
  const appended = gate<EventRecord>();
  const release = gate();
  const done = storage.transaction(async (tx) => {
    appended.open(await tx.events.append(makeEvent(channel)));
    await release.promise;
    if (rollBack) throw new Error('rolled back');
  });
  const ended = done.catch((error: Error) => {
    if (!rollBack || error.message !== 'rolled back') throw error;
  });
  return { event: await appended.promise, finish: () => (release.open(), ended) };
}

export function describeEventsContract(getStorage: () => Storage, options: { concurrentTransactions: boolean }): void {
  describe('event log', () => {
    if (options.concurrentTransactions) {
      it('never delivers an event before a lower sequence id that commits later, and delivers both once it has', async () => {
        const storage = getStorage();
        const channel = channelName();
        // Transaction A allocates n and stays open; B allocates n+1 and commits first.
        const a = await heldAppend(storage, channel);
        const eventA = a.event;
        const eventB = await storage.transaction((tx) => tx.events.append(makeEvent(channel)));
        expect(eventB.sequenceId).toBeGreaterThan(eventA.sequenceId);
        expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([]);
        expect(await storage.events.history({ conditions: [{ field: 'channel', value: channel }] })).toEqual([]);
        expect(await storage.events.latestSequence()).toBeLessThan(eventA.sequenceId);
        await a.finish();
        expect(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 10 }))).toEqual([eventA.sequenceId, eventB.sequenceId]);
        expect(seqs(await storage.events.history({ conditions: [{ field: 'channel', value: channel }] }))).toEqual([eventA.sequenceId, eventB.sequenceId]);
        expect(await storage.events.latestSequence()).toBeGreaterThanOrEqual(eventB.sequenceId);
      });

      it('lets readers past the id of a transaction that rolls back after a higher id committed', async () => {
        const storage = getStorage();
        const channel = channelName();
        const a = await heldAppend(storage, channel, true);
        const eventB = await storage.transaction((tx) => tx.events.append(makeEvent(channel)));
        expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([]);
        await a.finish();
        expect(eventB.sequenceId).toBeGreaterThan(a.event.sequenceId);
        expect(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 10 }))).toEqual([eventB.sequenceId]);
      });

      it('keeps sequence ids in order for readers while 8 writers append concurrently without waiting for each other', async () => {
        const storage = getStorage();
        const channel = channelName();
        const hold = gate();
        let appended = 0;
        const allAppended = gate();
        // All eight transactions hold their appended (uncommitted) event at once: a lock until commit
        // would block seven of them here.
        const writers = Array.from({ length: 8 }, (_, i) =>
          storage.transaction(async (tx) => {
            const event = await tx.events.append(makeEvent(channel));
            if (++appended === 8) allAppended.open();
            await hold.promise;
            await new Promise((resolve) => setTimeout(resolve, (7 - i) * 5)); // commit in reverse order
            return event;
          }),
        );
        await allAppended.promise;
        hold.open();
        let done = false;
        const observations: number[][] = [];
        const reader = (async () => {
          while (!done) observations.push(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 100 })));
        })();
        const events = await Promise.all(writers);
        done = true;
        await reader;
        const all = seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 100 }));
        expect(all).toEqual(seqs(events).sort((x, y) => x - y));
        for (const seen of observations) expect(seen).toEqual(all.slice(0, seen.length));
      });
    } else {
      it.skip('skipped: out-of-order commits need two open transactions at once (a database server)', () => undefined);
    }

    it('appends with strictly increasing sequence ids and reads every field back', async () => {
      const storage = getStorage();
      const channel = channelName();
      const first = await storage.events.append(makeEvent(channel));
      const input = makeEvent(channel, { owner: null, data: null, ce: null });
      const second = await storage.events.append(input);
      expect(second.sequenceId).toBeGreaterThan(first.sequenceId);
      expect(await storage.events.latestSequence()).toBeGreaterThanOrEqual(second.sequenceId);
      const stored = await storage.events.stream({ channel, afterSequence: 0, limit: 10 });
      expect(stored).toEqual([first, { ...input, sequenceId: second.sequenceId }]);
      expect(stored[0].ce?.extensions).toEqual({ owner: 'alice', extra: 1 });
      expect(await storage.events.oldestSequence(channel)).toBe(first.sequenceId);
      expect(await storage.events.oldestSequence(channelName())).toBeNull();
    });

    it('keeps no event of a rolled-back transaction and runs afterCommit hooks only after commit', async () => {
      const storage = getStorage();
      const channel = channelName();
      const calls: string[] = [];
      await expect(
        storage.transaction(async (tx) => {
          await tx.events.append(makeEvent(channel));
          tx.afterCommit(() => calls.push('rolled back'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await storage.transaction(async (tx) => {
        await tx.events.append(makeEvent(channel));
        tx.afterCommit(() => calls.push('committed'));
        expect(calls).toEqual([]);
      });
      expect(calls).toEqual(['committed']);
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toHaveLength(1);
    });

    it('leaves the surrounding transaction usable when an append fails', async () => {
      const storage = getStorage();
      const channel = channelName();
      const event = await storage.events.append(makeEvent(channel));
      const node = makeNode();
      await storage.transaction(async (tx) => {
        await tx.nodes.insert(node);
        await expect(tx.events.append(makeEvent(channel, { id: event.id }))).rejects.toThrow();
        await tx.events.append(makeEvent(channel));
      });
      expect(await storage.nodes.findById(node.id)).toEqual(node);
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toHaveLength(2);
    });

    it('never exposes an event before every lower sequence id is committed', async () => {
      const storage = getStorage();
      const channel = channelName();
      const writers = Array.from({ length: 12 }, (_, i) =>
        storage.transaction(async (tx) => {
          await tx.events.append(makeEvent(channel));
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 25));
        }),
      );
      let done = false;
      const observations: number[][] = [];
      const reader = (async () => {
        while (!done) {
          observations.push(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 100 })));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      await Promise.all(writers);
      done = true;
      await reader;
      const all = seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 100 }));
      expect(all).toHaveLength(12);
      for (const seen of observations) expect(seen).toEqual(all.slice(0, seen.length));
    });

    it('streams in sequence order with the owner filter, payload filters and a limit', async () => {
      const storage = getStorage();
      const channel = channelName();
      const a = await storage.events.append(makeEvent(channel, { owner: 'alice', data: { kind: 'kbuild', state: 'done', path: ['checkout', 'kbuild'] } }));
      const b = await storage.events.append(makeEvent(channel, { owner: 'bob', data: { kind: 'test', state: 'done', path: ['checkout', 'kbuild', 'baseline'] } }));
      const c = await storage.events.append(makeEvent(channel, { owner: null, data: 'a string payload' }));
      await storage.events.append(makeEvent(channelName()));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 10 }))).toEqual(seqs([a, b, c]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: a.sequenceId, limit: 10 }))).toEqual(seqs([b, c]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 2 }))).toEqual(seqs([a, b]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, visibleTo: 'alice', limit: 10 }))).toEqual(seqs([a, c]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, payload: { kind: ['test'] }, limit: 10 }))).toEqual(seqs([b]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, payload: { kind: ['kbuild', 'test'], state: ['done'] }, limit: 10 }))).toEqual(seqs([a, b]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, payload: { path: ['baseline'] }, limit: 10 }))).toEqual(seqs([b]));
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, payload: { result: ['pass'] }, limit: 10 }))).toEqual([]);
    });

    it('answers history queries with every condition kind', async () => {
      const storage = getStorage();
      const channel = channelName();
      const early = new Date(Date.now() - 60_000);
      const a = await storage.events.append(makeEvent(channel, { timestamp: early, data: { kind: 'kbuild', path: ['checkout', 'kbuild-gcc'], flag: true, tags: ['x', 'y'], nested: { v: 'n' } } }));
      const b = await storage.events.append(makeEvent(channel, { owner: 'bob', data: { kind: 'test', path: ['checkout', 'baseline-arm64'], flag: false } }));
      const history = (conditions: Parameters<Storage['events']['history']>[0]['conditions'], extra = {}) =>
        storage.events.history({ conditions: [{ field: 'channel', value: channel }, ...conditions], ...extra }).then(seqs);
      expect(await history([])).toEqual(seqs([a, b]));
      expect(await history([{ field: 'data', path: ['kind'], value: 'test' }])).toEqual(seqs([b]));
      expect(await history([{ field: 'data', path: ['flag'], value: true }])).toEqual(seqs([a]));
      expect(await history([{ field: 'data', path: ['flag'], value: 'true' }])).toEqual([]);
      expect(await history([{ field: 'data', path: ['tags'], value: 'y' }])).toEqual(seqs([a]));
      expect(await history([{ field: 'data', path: ['nested', 'v'], value: 'n' }])).toEqual(seqs([a]));
      expect(await history([{ field: 'pathRegex', pattern: '^baseline' }])).toEqual(seqs([b]));
      expect(await history([{ field: 'ids', ids: [b.id] }])).toEqual(seqs([b]));
      expect(await history([{ field: 'after', timestamp: new Date(early.getTime() + 1) }])).toEqual(seqs([b]));
      expect(await history([{ field: 'document', key: 'owner', value: 'bob' }])).toEqual(seqs([b]));
      expect(await history([{ field: 'document', key: 'sequence_id', value: String(a.sequenceId) }])).toEqual([]);
      expect(await history([], { limit: 1, offset: 1 })).toEqual(seqs([b]));
      await expect(storage.events.history({ conditions: [{ field: 'pathRegex', pattern: '(' }] })).rejects.toBeInstanceOf(InvalidPatternError);
    });

    it('purges events older than a cutoff', async () => {
      const storage = getStorage();
      const channel = channelName();
      await storage.events.append(makeEvent(channel, { timestamp: new Date('2001-01-01T00:00:00Z') }));
      const recent = await storage.events.append(makeEvent(channel));
      expect(await storage.events.purgeOlderThan(new Date('2002-01-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
      expect(seqs(await storage.events.stream({ channel, afterSequence: 0, limit: 10 }))).toEqual([recent.sequenceId]);
    });

    it('raises the sequence counter above stored cursors', async () => {
      const storage = getStorage();
      const target = (await storage.events.latestSequence()) + 1000;
      await storage.subscriberStates.insert({
        subscriberId: `taken-over-${newObjectId()}`, channel: 'node', user: 'alice', promiscuous: false,
        lastEventId: target, createdAt: new Date(), lastPoll: null, filter: null,
      });
      await storage.events.reconcileSequence();
      expect((await storage.events.append(makeEvent(channelName()))).sequenceId).toBe(target + 1);
    });
  });

  describe('subscriptions and durable cursors', () => {
    it('allocates increasing subscription ids and stores subscriptions', async () => {
      const storage = getStorage();
      const first = await storage.subscriptions.nextId();
      const second = await storage.subscriptions.nextId();
      expect(second).toBeGreaterThan(first);
      const subscription = makeSubscription(second, { subscriberId: `sub-${newObjectId()}`, transport: 'socket.io', filter: { kind: ['test'] }, position: 5 });
      await storage.subscriptions.insert(subscription);
      expect(await storage.subscriptions.findById(second)).toEqual(subscription);
      expect((await storage.subscriptions.list()).map((s) => s.id)).toContain(second);
      expect(await storage.subscriptions.findBySubscriberId(subscription.subscriberId!, 'socket.io')).toEqual([subscription]);
      expect(await storage.subscriptions.findBySubscriberId(subscription.subscriberId!, 'http')).toEqual([]);
      const owner = `owner-${newObjectId()}`;
      expect(await storage.subscriptions.countByUser(owner)).toBe(0);
      const [a, b] = [await storage.subscriptions.nextId(), await storage.subscriptions.nextId()];
      await storage.subscriptions.insert(makeSubscription(a, { user: owner }));
      await storage.subscriptions.insert(makeSubscription(b, { user: owner }));
      expect(await storage.subscriptions.countByUser(owner)).toBe(2);
      await storage.subscriptions.delete(a);
      await storage.subscriptions.delete(b);
      expect(await storage.subscriptions.countByUser(owner)).toBe(0);
      expect(await storage.subscriptions.delete(second)).toBe(true);
      expect(await storage.subscriptions.findById(second)).toBeNull();
      expect(await storage.subscriptions.delete(second)).toBe(false);
    });

    it('updates the delivery state by compare-and-set, so one of two competing listens wins', async () => {
      const storage = getStorage();
      const id = await storage.subscriptions.nextId();
      await storage.subscriptions.insert(makeSubscription(id, { position: 10 }));
      const expected = { position: 10, delivered: null };
      const results = await Promise.all([
        storage.subscriptions.updateDelivery(id, expected, { position: 10, delivered: 11 }),
        storage.subscriptions.updateDelivery(id, expected, { position: 10, delivered: 12 }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const after = await storage.subscriptions.findById(id);
      expect(after?.delivered === 11 || after?.delivered === 12).toBe(true);
      expect(await storage.subscriptions.touch(id, new Date(), 3)).toBe(true);
      expect((await storage.subscriptions.findById(id))?.position).toBe(10); // never backwards
      expect(await storage.subscriptions.touch(id, new Date(), 20)).toBe(true);
      expect((await storage.subscriptions.findById(id))?.position).toBe(20);
    });

    it('deletes idle and never-polled subscriptions only', async () => {
      const storage = getStorage();
      const now = Date.now();
      const [idle, fresh, neverOld, neverNew] = await Promise.all([1, 2, 3, 4].map(() => storage.subscriptions.nextId()));
      await storage.subscriptions.insert(makeSubscription(idle, { created: new Date(now - 3600_000), lastPoll: new Date(now - 1800_000) }));
      await storage.subscriptions.insert(makeSubscription(fresh, { created: new Date(now - 3600_000), lastPoll: new Date(now) }));
      await storage.subscriptions.insert(makeSubscription(neverOld, { created: new Date(now - 3600_000) }));
      await storage.subscriptions.insert(makeSubscription(neverNew, { created: new Date(now) }));
      expect(await storage.subscriptions.deleteIdle(new Date(now - 900_000))).toBeGreaterThanOrEqual(2);
      expect(await storage.subscriptions.findById(idle)).toBeNull();
      expect(await storage.subscriptions.findById(neverOld)).toBeNull();
      expect(await storage.subscriptions.findById(fresh)).not.toBeNull();
      expect(await storage.subscriptions.findById(neverNew)).not.toBeNull();
    });

    it('keeps durable cursors unique, never moving backwards, and expires idle ones', async () => {
      const storage = getStorage();
      const subscriberId = `scheduler:${newObjectId()}`;
      const state = { subscriberId, channel: 'node', user: 'alice', promiscuous: false, lastEventId: 7, createdAt: new Date(), lastPoll: null, filter: null };
      await storage.subscriberStates.insert(state);
      await expect(storage.subscriberStates.insert(state)).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await storage.subscriberStates.advance(subscriberId, 9, null)).toBe(9);
      expect(await storage.subscriberStates.advance(subscriberId, 4, new Date())).toBe(9);
      await storage.subscriberStates.updateSettings(subscriberId, { promiscuous: true, filter: { kind: ['test'] } });
      expect(await storage.subscriberStates.find(subscriberId)).toMatchObject({ lastEventId: 9, promiscuous: true, filter: { kind: ['test'] } });
      expect((await storage.subscriberStates.find(subscriberId))?.lastPoll).toBeInstanceOf(Date);
      const old = `old:${newObjectId()}`;
      await storage.subscriberStates.insert({ ...state, subscriberId: old, createdAt: new Date('2001-01-01T00:00:00Z') });
      expect(await storage.subscriberStates.deleteIdle(new Date(Date.now() - 86_400_000))).toBeGreaterThanOrEqual(1);
      expect(await storage.subscriberStates.find(old)).toBeNull();
      expect(await storage.subscriberStates.find(subscriberId)).not.toBeNull();
    });
  });
}
