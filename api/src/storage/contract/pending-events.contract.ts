/**
 * Contract tests of the event outbox (docs/events.md), run by every adapter from
 * describeStorageContract. The outbox is one list per database, so each test starts by emptying it.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '../../common/object-id';
import type { NewEvent, Storage } from '../ports';
import { makeNode } from './fixtures';

function pendingEvent(channel: string, n: number): NewEvent {
  return {
    id: newObjectId(),
    timestamp: new Date(Math.floor(Date.now() / 1000) * 1000 + n),
    channel,
    owner: n % 2 === 0 ? 'alice' : null,
    // Key order deliberately not alphabetical: the append must get it as it was recorded.
    data: { op: 'updated', id: newObjectId(), kind: 'kbuild', state: 'done', result: 'pass', previous_state: 'running', n },
    ce: { id: randomUUID(), time: '2025-01-12T08:30:00.250000+00:00', type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: { owner: 'alice', zeta: 1, alpha: 2 } },
  };
}

async function emptyOutbox(storage: Storage): Promise<void> {
  for (const event of await storage.pendingEvents.oldest(1000)) await storage.pendingEvents.remove(event.id);
}

export function describePendingEventsContract(getStorage: () => Storage): void {
  describe('event outbox', () => {
    beforeEach(() => emptyOutbox(getStorage()));

    it('gives pending events back oldest first, every field and key order unchanged, and removes each once', async () => {
      const storage = getStorage();
      const channel = `ch-${newObjectId()}`;
      const events = [0, 1, 2].map((n) => pendingEvent(channel, n));
      for (const event of events) await storage.pendingEvents.add(event);
      const stored = await storage.pendingEvents.oldest(10);
      expect(stored).toEqual(events);
      expect(Object.keys(stored[0].data as object)).toEqual(Object.keys(events[0].data as object));
      expect(Object.keys(stored[0].ce!.extensions)).toEqual(['owner', 'zeta', 'alpha']);
      expect(await storage.pendingEvents.oldest(2)).toEqual(events.slice(0, 2));
      expect(await storage.pendingEvents.remove(events[0].id)).toBe(true);
      expect(await storage.pendingEvents.remove(events[0].id)).toBe(false);
      expect(await storage.pendingEvents.oldest(10)).toEqual(events.slice(1));
    });

    it('commits a pending event with the write that recorded it after a failed append, and keeps none of a rolled-back one', async () => {
      const storage = getStorage();
      const channel = `ch-${newObjectId()}`;
      const existing = await storage.events.append(pendingEvent(channel, 0));
      const node = makeNode();
      const pending = pendingEvent(channel, 1);
      await storage.transaction(async (tx) => {
        await tx.nodes.insert(node);
        await expect(tx.events.append({ ...pending, id: existing.id })).rejects.toThrow();
        await tx.pendingEvents.add(pending);
      });
      expect(await storage.nodes.findById(node.id)).toEqual(node);
      expect(await storage.pendingEvents.oldest(10)).toEqual([pending]);

      const lost = pendingEvent(channel, 2);
      await expect(
        storage.transaction(async (tx) => {
          await tx.pendingEvents.add(lost);
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      expect(await storage.pendingEvents.oldest(10)).toEqual([pending]);
    });

    it('removes a pending event and appends it in one transaction: a crash before the commit leaves it pending and appends nothing', async () => {
      const storage = getStorage();
      const channel = `ch-${newObjectId()}`;
      const pending = pendingEvent(channel, 0);
      await storage.pendingEvents.add(pending);
      const drain = (crash: boolean) =>
        storage.transaction(async (tx) => {
          if (!(await tx.pendingEvents.remove(pending.id))) return undefined;
          const event = await tx.events.append(pending);
          if (crash) throw new Error('process died before the commit');
          return event;
        });
      await expect(drain(true)).rejects.toThrow('process died');
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([]);
      expect(await storage.pendingEvents.oldest(10)).toEqual([pending]);
      const appended = await drain(false);
      expect(appended).toEqual({ ...pending, sequenceId: expect.any(Number) });
      expect(await drain(false)).toBeUndefined();
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([appended]);
      expect(await storage.pendingEvents.oldest(10)).toEqual([]);
    });
  });
}
