import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { EventRecord, EventStreamQuery, SubscriptionRecord } from '../../storage/ports';
import type { EventFanout } from '../fanout/event-fanout';
import type { SubscriptionsService } from '../subscriptions.service';
import type { PubSubSocket } from './realtime.protocol';
import { SocketStream } from './socket-stream';
import { MAX_QUEUED_PACKETS, SocketWriteGate } from './socket-write-gate';

const eventually = async (check: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A fan-out over a fixed log of `count` committed events of channel `node`. */
function fixedFanout(count: number) {
  const events: EventRecord[] = Array.from({ length: count }, (_, i) => ({
    id: String(i + 1).padStart(24, '0'),
    timestamp: new Date(),
    sequenceId: i + 1,
    channel: 'node',
    owner: null,
    data: { op: 'created', id: `n${i + 1}` },
    ce: null,
  }));
  const read = jest.fn(async (query: EventStreamQuery) => {
    const batch = events.filter((event) => event.sequenceId > query.afterSequence).slice(0, query.limit);
    return { events: batch, cursor: batch.at(-1)?.sequenceId ?? query.afterSequence };
  });
  const wait = (_channel: string, _generation: number, timeoutMs: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  return { read, fanout: { follow: () => () => undefined, generation: () => 0, read, wait } as unknown as EventFanout };
}

const subscription: SubscriptionRecord = {
  id: 7,
  channel: 'node',
  user: 'alice',
  promiscuous: false,
  subscriberId: null,
  transport: 'socket.io',
  filter: null,
  created: new Date(),
  lastPoll: null,
  position: 0,
  delivered: null,
};

describe('SocketWriteGate', () => {
  it('closes after MAX_QUEUED_PACKETS packets and opens again at the connection’s drain', async () => {
    const connection = new EventEmitter();
    const gate = new SocketWriteGate(connection);
    gate.sending(MAX_QUEUED_PACKETS - 1);
    expect(gate.room).toBe(1);
    gate.sending(1);
    expect(gate.room).toBe(0);
    const woken = gate.drained(new AbortController().signal, 60_000);
    connection.emit('drain');
    await woken;
    expect(gate.room).toBe(MAX_QUEUED_PACKETS);
    gate.close();
    expect(connection.listenerCount('drain')).toBe(0);
  });

  it('releases a waiter on abort and on time-out', async () => {
    const gate = new SocketWriteGate(new EventEmitter());
    const controller = new AbortController();
    const aborted = gate.drained(controller.signal, 60_000);
    controller.abort();
    await aborted;
    await gate.drained(new AbortController().signal, 10);
    gate.close();
  });
});

describe('SocketStream back-pressure', () => {
  it('stops emitting while the connection has MAX_QUEUED_PACKETS waiting, and goes on from its position at the drain', async () => {
    const { fanout } = fixedFanout(600);
    const connection = new EventEmitter();
    const emitted: number[] = [];
    // A client that takes nothing: engine.io never drains until the test says so.
    const write = (packet: string) => emitted.push((JSON.parse(packet.slice(packet.indexOf('['))) as [string, { sequence_id: number }])[1].sequence_id);
    const socket = { connected: true, nsp: { name: '/pubsub' }, conn: Object.assign(connection, { readyState: 'open', write }) } as unknown as PubSubSocket;
    const gate = new SocketWriteGate(connection);
    const subscriptions = { acknowledgeUpTo: async () => 0 } as unknown as SubscriptionsService;
    const stream = new SocketStream(subscription, socket, gate, fanout, subscriptions, 'maestro', 60_000, new Logger('test'), () => undefined);
    stream.start();
    try {
      await eventually(() => emitted.length === MAX_QUEUED_PACKETS);
      // Paused: a later look finds no more (it waits for the drain, not for a timer).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(emitted.length).toBe(MAX_QUEUED_PACKETS);
      connection.emit('drain');
      await eventually(() => emitted.length === 2 * MAX_QUEUED_PACKETS);
      connection.emit('drain');
      await eventually(() => emitted.length === 600);
      // In order, none twice, none skipped.
      expect(emitted).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    } finally {
      stream.close();
      gate.close();
    }
  });
});
