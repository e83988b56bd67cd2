import type { EventRecord, EventRepository, EventStreamQuery } from '../../storage/ports';
import { InProcessNotifier } from '../notifier/in-process.notifier';
import { EventFanout } from './event-fanout';

/**
 * A fake event port (every append committed at once), with the stream filter written out
 * independently of the fan-out's, so that live (memory) and catch-up (port) answers are compared.
 */
class FakeLog {
  readonly events: EventRecord[] = [];
  readonly stream = jest.fn(async (query: EventStreamQuery) =>
    this.events
      .filter((event) => event.channel === query.channel && event.sequenceId > query.afterSequence)
      .filter((event) => query.visibleTo === undefined || event.owner === null || event.owner === query.visibleTo)
      .filter((event) => Object.entries(query.payload ?? {}).every(([key, values]) => values.includes(String((event.data as Record<string, unknown>)[key]))))
      .slice(0, query.limit),
  );
  readonly latestSequence = jest.fn(async () => this.events.at(-1)?.sequenceId ?? 0);

  add(channel: string, owner: string | null, data: Record<string, unknown>): EventRecord {
    const event: EventRecord = { id: String(this.events.length + 1).padStart(24, '0'), timestamp: new Date(), sequenceId: this.events.length + 1, channel, owner, data, ce: null };
    this.events.push(event);
    return event;
  }
}

function setUp() {
  const log = new FakeLog();
  const notifier = new InProcessNotifier();
  const fanout = new EventFanout({ events: log as unknown as EventRepository }, notifier);
  const notify = (event: EventRecord) => notifier.publish({ kind: 'events', sequenceId: event.sequenceId, channel: event.channel });
  return { log, fanout, notify };
}

const seqs = (events: EventRecord[]) => events.map((event) => event.sequenceId);

describe('EventFanout', () => {
  let fanout: EventFanout;
  afterEach(() => fanout.onModuleDestroy());

  it('reads the log once per notification however many subscriptions follow the channel', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    const unfollow = Array.from({ length: 200 }, () => fanout.follow('node'));
    expect((await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 })).events).toEqual([]);
    const generation = fanout.generation('node');
    const added = [setup.log.add('node', null, { kind: 'test' }), setup.log.add('node', null, { kind: 'test' })];
    setup.log.stream.mockClear();
    setup.notify(added[1]);
    // The reads arrive while the channel's read is in flight: they share it.
    const results = await Promise.all(Array.from({ length: 200 }, () => fanout.read({ channel: 'node', afterSequence: 0, limit: 10 })));
    await fanout.wait('node', generation, 1_000);
    expect(setup.log.stream).toHaveBeenCalledTimes(1);
    for (const result of results) expect(result).toEqual({ events: added, cursor: 2 });
    // The same records for every subscription: built and serialised once per event.
    expect(results[0].events[0]).toBe(results[199].events[0]);
    unfollow.forEach((stop) => stop());
  });

  it('wakes waiting subscriptions of the notified channel only', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    fanout.follow('node');
    fanout.follow('other');
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    await fanout.read({ channel: 'other', afterSequence: 0, limit: 10 });
    const node = fanout.generation('node');
    const other = fanout.generation('other');
    setup.log.stream.mockClear();
    setup.notify(setup.log.add('node', null, {}));
    await fanout.wait('node', node, 1_000);
    expect(fanout.generation('node')).toBe(node + 1);
    expect(fanout.generation('other')).toBe(other);
    expect(setup.log.stream.mock.calls.map(([query]) => query.channel)).toEqual(['node']);
  });

  it('applies each subscription its own owner and payload filters, as the port does', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    fanout.follow('node');
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    const generation = fanout.generation('node');
    setup.log.add('node', 'alice', { kind: 'kbuild', state: 'done' });
    setup.log.add('node', 'bob', { kind: 'test', state: 'done' });
    setup.log.add('node', null, { kind: 'kbuild', state: 'running' });
    setup.notify(setup.log.add('node', 'alice', { kind: 'test', state: 'available' }));
    await fanout.wait('node', generation, 1_000);
    const queries: EventStreamQuery[] = [
      { channel: 'node', afterSequence: 0, limit: 100 },
      { channel: 'node', afterSequence: 0, limit: 100, visibleTo: 'alice' },
      { channel: 'node', afterSequence: 0, limit: 100, payload: { kind: ['kbuild'] } },
      { channel: 'node', afterSequence: 0, limit: 100, visibleTo: 'bob', payload: { state: ['done', 'available'] } },
      { channel: 'node', afterSequence: 1, limit: 1, payload: { kind: ['test'] } },
    ];
    const live = await Promise.all(queries.map((query) => fanout.read(query)));
    expect(live.map((result) => seqs(result.events))).toEqual([[1, 2, 3, 4], [1, 3, 4], [1, 3], [2], [2]]);
    for (const [index, query] of queries.entries()) expect(live[index].events).toEqual(await setup.log.stream(query));
    expect(live.map((result) => result.cursor)).toEqual([4, 4, 4, 4, 2]);
  });

  it('lets a slow subscription catch up from the log in batches, then rejoin the buffer without gap or duplicate', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    fanout.limits = { readBatch: 4, bufferEvents: 5, idleChannelMs: 60_000 };
    fanout.follow('node');
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    for (let n = 0; n < 30; n += 1) {
      const generation = fanout.generation('node');
      setup.notify(setup.log.add('node', null, { n }));
      await fanout.wait('node', generation, 1_000);
    }
    // Far behind the buffer (which now holds 26..30): reads of its own, then the buffer.
    const received: number[] = [];
    let cursor = 0;
    setup.log.stream.mockClear();
    for (let round = 0; round < 20 && cursor < 30; round += 1) {
      const result = await fanout.read({ channel: 'node', afterSequence: cursor, limit: 12 });
      received.push(...seqs(result.events));
      cursor = result.cursor;
    }
    expect(received).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Only the part older than the buffer came from the log, in batches of the subscription's size.
    const ownReads = setup.log.stream.mock.calls.map(([query]) => [query.afterSequence, query.limit]);
    expect(ownReads).toEqual([[0, 12], [12, 12], [24, 12]]);
    // Back in the live stream: the next event costs one read of the channel, none of its own.
    setup.log.stream.mockClear();
    const generation = fanout.generation('node');
    setup.notify(setup.log.add('node', null, { n: 30 }));
    await fanout.wait('node', generation, 1_000);
    const next = await fanout.read({ channel: 'node', afterSequence: cursor, limit: 12 });
    expect(seqs(next.events)).toEqual([31]);
    expect(setup.log.stream).toHaveBeenCalledTimes(1);
    expect(setup.log.stream.mock.calls[0][0]).toMatchObject({ afterSequence: 30 });
  });

  it('moves a filtered subscription that finds nothing to the head, so it stops reading the log itself', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    fanout.limits = { readBatch: 100, bufferEvents: 3, idleChannelMs: 60_000 };
    fanout.follow('node');
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    const generation = fanout.generation('node');
    for (let n = 0; n < 10; n += 1) setup.log.add('node', null, { kind: 'test' });
    setup.notify(setup.log.events[9]);
    await fanout.wait('node', generation, 1_000);
    setup.log.stream.mockClear();
    const first = await fanout.read({ channel: 'node', afterSequence: 0, limit: 5, payload: { kind: ['kbuild'] } });
    expect(first).toEqual({ events: [], cursor: 10 });
    expect(setup.log.stream).toHaveBeenCalledTimes(1);
    expect(await fanout.read({ channel: 'node', afterSequence: first.cursor, limit: 5, payload: { kind: ['kbuild'] } })).toEqual({ events: [], cursor: 10 });
    expect(setup.log.stream).toHaveBeenCalledTimes(1);
  });

  it('reads again soon when an announced event is not yet below the visibility bound', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    fanout.follow('node');
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    const event = setup.log.add('node', null, {});
    // The port answers nothing for the first reads, as when another transaction holds the bound back.
    setup.log.stream.mockResolvedValueOnce([]).mockResolvedValueOnce([]);
    const generation = fanout.generation('node');
    setup.notify(event);
    // Woken by a re-read well before the 2 s safety poll, with no further notification.
    await fanout.wait('node', generation, 1_000);
    expect(fanout.generation('node')).toBe(generation + 1);
    expect((await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 })).events).toEqual([event]);
    expect(setup.log.stream).toHaveBeenCalledTimes(3);
  });

  it('reads a channel again after a failed read', async () => {
    const setup = setUp();
    fanout = setup.fanout;
    // Not followed: the next read reads the log itself.
    await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 });
    setup.log.stream.mockRejectedValueOnce(new Error('database down'));
    setup.notify(setup.log.add('node', null, {}));
    await expect(fanout.read({ channel: 'node', afterSequence: 0, limit: 10 })).rejects.toThrow('database down');
    expect(seqs((await fanout.read({ channel: 'node', afterSequence: 0, limit: 10 })).events)).toEqual([1]);
  });
});
