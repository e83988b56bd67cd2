/**
 * Contract tests of `events.appendAtCommit`, the append of node writes
 * (docs/adr/0020-event-append-at-commit.md), run by every adapter from describeStorageContract:
 * the event commits or rolls back with its unit of work, a failed append leaves it in the outbox
 * and the write committed, a failed outbox rolls everything back, and text travels unchanged.
 */
import { randomUUID } from 'node:crypto';
import { newObjectId } from '../../common/object-id';
import type { CommittedAppend, NewEvent, Storage } from '../ports';
import { makeNode } from './fixtures';

function makeEvent(channel: string, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: newObjectId(),
    timestamp: new Date(Math.floor(Date.now() / 1000) * 1000 + 125),
    channel,
    owner: 'alice',
    data: { op: 'updated', id: newObjectId(), kind: 'kbuild', state: 'done', previous_state: 'running' },
    ce: { id: randomUUID(), time: '2025-01-12T08:30:00.125000+00:00', type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: { owner: 'alice', zeta: 1, alpha: 2 } },
    ...overrides,
  };
}

const channelName = () => `ch-${newObjectId()}`;

/** Strings that would break out of a quoted literal, a dollar quote or an identifier if pasted into SQL. */
const HOSTILE = [`'); DROP TABLE eventhistory; --`, `\\'; SELECT 1; --`, `$1 $$ $fn$ \\x00 "quoted" E'\\\\'`, `l'été ☃ 𝄞 \\n`];

export function describeEventsAtCommitContract(getStorage: () => Storage, options: { concurrentTransactions: boolean }): void {
  describe('event append at commit', () => {
    afterEach(async () => {
      const storage = getStorage();
      for (const event of await storage.pendingEvents.oldest(1000)) await storage.pendingEvents.remove(event.id);
    });

    it('commits the events with the write, in call order after an immediate append, and reports their ids only after the commit', async () => {
      const storage = getStorage();
      const channel = channelName();
      const node = makeNode();
      const outcomes: CommittedAppend[] = [];
      const events = [makeEvent(channel), makeEvent(channel, { owner: null, data: null, ce: null })];
      let immediate = 0;
      await storage.transaction(async (tx) => {
        await tx.nodes.insert(node);
        immediate = (await tx.events.append(makeEvent(channel))).sequenceId;
        for (const event of events) await tx.events.appendAtCommit(event, (outcome) => outcomes.push(outcome));
        expect(outcomes).toEqual([]);
      });
      expect(await storage.nodes.findById(node.id)).toEqual(node);
      const stored = await storage.events.stream({ channel, afterSequence: 0, limit: 10 });
      expect(stored.map((event) => event.sequenceId)).toEqual([immediate, ...outcomes.map((outcome) => outcome.sequenceId)]);
      expect(stored.slice(1)).toEqual(events.map((event, i) => ({ ...event, sequenceId: outcomes[i].sequenceId })));
      expect(Object.keys(stored[1].ce!.extensions)).toEqual(['owner', 'zeta', 'alpha']);
      expect(await storage.pendingEvents.oldest(10)).toEqual([]);
    });

    it('keeps nothing of a rolled-back unit and never reports its events', async () => {
      const storage = getStorage();
      const channel = channelName();
      const node = makeNode();
      const outcomes: CommittedAppend[] = [];
      await expect(
        storage.transaction(async (tx) => {
          await tx.nodes.insert(node);
          await tx.events.appendAtCommit(makeEvent(channel), (outcome) => outcomes.push(outcome));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(outcomes).toEqual([]);
      expect(await storage.nodes.findById(node.id)).toBeNull();
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([]);
      expect(await storage.pendingEvents.oldest(10)).toEqual([]);
    });

    it('commits the write with the event in the outbox when the append fails', async () => {
      const storage = getStorage();
      const channel = channelName();
      const existing = await storage.events.append(makeEvent(channel));
      const node = makeNode();
      const failing = makeEvent(channel, { id: existing.id });
      const outcomes: CommittedAppend[] = [];
      await storage.transaction(async (tx) => {
        await tx.nodes.insert(node);
        await tx.events.appendAtCommit(failing, (outcome) => outcomes.push(outcome));
      });
      expect(outcomes).toEqual([{ sequenceId: null, error: expect.any(String) }]);
      expect(await storage.nodes.findById(node.id)).toEqual(node);
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([existing]);
      const pending = await storage.pendingEvents.oldest(10);
      expect(pending).toEqual([failing]);
      expect(Object.keys(pending[0].ce!.extensions)).toEqual(['owner', 'zeta', 'alpha']);
      expect(Object.keys(pending[0].data as object)).toEqual(Object.keys(failing.data as object));
    });

    it('rolls the whole unit back with an error when the outbox cannot record the event either', async () => {
      const storage = getStorage();
      const channel = channelName();
      const existing = await storage.events.append(makeEvent(channel));
      const twin = makeEvent(channel, { id: existing.id });
      await storage.pendingEvents.add(twin); // the outbox refuses the same id a second time
      const node = makeNode();
      const outcomes: CommittedAppend[] = [];
      await expect(
        storage.transaction(async (tx) => {
          await tx.nodes.insert(node);
          await tx.events.appendAtCommit(makeEvent(channel, { id: existing.id }), (outcome) => outcomes.push(outcome));
        }),
      ).rejects.toThrow();
      expect(outcomes).toEqual([]);
      expect(await storage.nodes.findById(node.id)).toBeNull();
      expect(await storage.pendingEvents.oldest(10)).toEqual([twin]);
      expect(await storage.events.stream({ channel, afterSequence: 0, limit: 10 })).toEqual([existing]);
    });

    it('appends at once outside a unit of work, and stores hostile text unchanged', async () => {
      const storage = getStorage();
      const channel = `${channelName()}${HOSTILE[0]}`;
      const events = HOSTILE.map((text) => makeEvent(channel, { owner: text, data: { op: text, [text]: [text, 1.5, true, null] } }));
      const outcomes: CommittedAppend[] = [];
      for (const event of events) await storage.events.appendAtCommit(event, (outcome) => outcomes.push(outcome));
      expect(outcomes).toHaveLength(HOSTILE.length);
      const node = makeNode();
      await storage.transaction(async (tx) => {
        await tx.nodes.insert(node);
        for (const event of events) await tx.events.appendAtCommit({ ...event, id: newObjectId() }, (outcome) => outcomes.push(outcome));
      });
      const stored = await storage.events.stream({ channel, afterSequence: 0, limit: 20 });
      expect(stored.map((event) => event.sequenceId)).toEqual(outcomes.map((outcome) => outcome.sequenceId));
      expect(stored.map(({ owner, data }) => ({ owner, data }))).toEqual([...events, ...events].map(({ owner, data }) => ({ owner, data })));
      expect(await storage.pendingEvents.oldest(10)).toEqual([]);
    });

    if (options.concurrentTransactions) {
      it('keeps the events of 8 concurrent units in sequence order: a reader never sees a later one before an earlier one', async () => {
        const storage = getStorage();
        const channel = channelName();
        const outcomes: number[] = [];
        let writing = true;
        const observations: number[][] = [];
        const reader = (async () => {
          while (writing) {
            observations.push((await storage.events.stream({ channel, afterSequence: 0, limit: 100 })).map((event) => event.sequenceId));
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })();
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            storage.transaction(async (tx) => {
              for (let n = 0; n < 3; n++) {
                await tx.nodes.insert(makeNode());
                await tx.events.appendAtCommit(makeEvent(channel), (outcome) => outcomes.push(outcome.sequenceId!));
              }
              await new Promise((resolve) => setTimeout(resolve, (i * 7) % 20));
            }),
          ),
        );
        writing = false;
        await reader;
        const all = (await storage.events.stream({ channel, afterSequence: 0, limit: 100 })).map((event) => event.sequenceId);
        expect(all).toHaveLength(24);
        expect(all).toEqual([...outcomes].sort((a, b) => a - b));
        for (const seen of observations) expect(seen).toEqual(all.slice(0, seen.length));
      });
    } else {
      it.skip('skipped: concurrent units need more than one connection (a database server)', () => undefined);
    }
  });
}
