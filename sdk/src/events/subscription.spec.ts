import { createClient, type MaestroClient } from '../client';
import { EventGapError, ForbiddenError, ProtocolError, SubscriptionReplacedError, UnauthorizedError } from '../errors';
import { FakeApi } from '../fake/fake-api';
import { FakePubsub } from '../testing/fake-pubsub.fixture';
import { eventually, states, TOKEN } from '../testing/spec-helpers';
import { passesTransition } from './filter';
import type { Delivery, EventFilter, NodeEventPayload, SubscriptionState } from './types';

describe('transitionsOnly truth table', () => {
  const drop = { onMissingPrevious: 'drop' as const };
  const cases: [string, NodeEventPayload, EventFilter | undefined, boolean][] = [
    ['created passes', { op: 'created', state: 'running' }, { state: 'running' }, true],
    ['edge into the filtered state passes', { op: 'updated', state: 'available', previous_state: 'running' }, { state: 'available' }, true],
    ['level repeat of the filtered state is dropped', { op: 'updated', state: 'available', previous_state: 'available', result: null, previous_result: null }, { state: 'available' }, false],
    ['result edge passes', { op: 'updated', state: 'done', previous_state: 'done', result: 'fail', previous_result: null }, { result: 'fail' }, true],
    ['any-of: moving inside the set is not an edge', { op: 'updated', state: 'closing', previous_state: 'available' }, { state: ['available', 'closing'] }, false],
    ['unconstrained: state change passes', { op: 'updated', state: 'done', previous_state: 'running', result: null, previous_result: null }, { kind: 'job' }, true],
    ['unconstrained: result change passes', { op: 'updated', state: 'done', previous_state: 'done', result: 'pass', previous_result: null }, undefined, true],
    ['unconstrained: nothing changed is dropped', { op: 'updated', state: 'done', previous_state: 'done', result: 'pass', previous_result: 'pass' }, undefined, false],
    ['updated without previous_state is dropped by default', { op: 'updated', state: 'available' }, { state: 'available' }, false],
  ];
  it.each(cases)('%s', (_name, payload, filter, expected) => {
    expect(passesTransition(payload, filter, drop)).toBe(expected);
  });
  it('"deliver" lets an update without previous_state through', () => {
    expect(passesTransition({ op: 'updated', state: 'available' }, { state: 'available' }, { onMissingPrevious: 'deliver' })).toBe(true);
  });
});

describe('socket.io subscriber against a peer', () => {
  let api: FakeApi;
  let pubsub: FakePubsub;
  let maestro: MaestroClient;

  beforeEach(async () => {
    api = new FakeApi('maestro');
    pubsub = await new FakePubsub(api, TOKEN).start();
    maestro = createClient({ baseUrl: pubsub.baseUrl, fetch: api.fetch, token: TOKEN, compat: 'maestro', socket: { transports: ['websocket'] } });
  });
  afterEach(async () => {
    await maestro.close();
    await pubsub.close();
  });

  const nodeEvent = (id: string, state = 'available'): void =>
    void api.publish('node', { op: 'updated', id, kind: 'kbuild', name: id, path: [id], state, previous_state: 'running', result: null, previous_result: null });

  it('delivers filtered events in order and acknowledges after the handler (iterator form)', async () => {
    const sub = maestro.events.subscribe({ filter: { kind: 'kbuild', state: 'available' } });
    await sub.whenSubscribed();
    expect(pubsub.subscribes[0]).toEqual({ channel: 'node', filter: { kind: 'kbuild', state: 'available' } });
    nodeEvent('a');
    api.publish('node', { op: 'updated', id: 'x', kind: 'job', state: 'available' });
    nodeEvent('b');
    const got: Delivery[] = [];
    for await (const d of sub) {
      got.push(d);
      if (got.length === 2) break;
    }
    expect(got.map((d) => [d.payload.id, d.sequence])).toEqual([['a', 1], ['b', 3]]);
    expect(got[0]!.event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(got[0]!.event).not.toHaveProperty('_sequence_id');
    // The server filter kept event 2 away; 'a' was acknowledged when the loop asked for the next one, and
    // leaving the loop left 'b' unacknowledged.
    expect(pubsub.acks.map((a) => a.sequence_id)).toEqual([1]);
  });

  it('acknowledges the low-water mark at concurrency 4 and runs one node at a time', async () => {
    const release = new Map<string, () => void>();
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const sub = maestro.events.consume({ subscriberId: 'test:node', concurrency: 4 }, async (d) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      order.push(`start ${d.payload.id}#${d.sequence}`);
      await new Promise<void>((r) => release.set(`${d.payload.id}#${d.sequence}`, r));
      running--;
    });
    await sub.whenSubscribed();
    for (const id of ['a', 'b', 'c', 'd', 'a']) nodeEvent(id);
    await eventually(() => release.size === 4);
    expect(maxRunning).toBe(4);
    expect(order).not.toContain('start a#5');
    release.get('d#4')!();
    release.get('b#2')!();
    await eventually(() => running === 2);
    // b and d are done, but a#1 is not: the low-water mark has not moved, so nothing was acknowledged.
    expect(sub.stats().acked).toBe(0);
    expect(pubsub.acks).toEqual([]);
    release.get('a#1')!();
    await eventually(() => pubsub.acks.length > 0);
    expect(pubsub.acks.at(-1)!.sequence_id).toBe(2);
    await eventually(() => release.has('a#5'));
    release.get('c#3')!();
    release.get('a#5')!();
    await eventually(() => pubsub.acks.at(-1)?.sequence_id === 5);
    expect(api.cursors.get('test:node')!.last).toBe(5);
    await sub.close();
    expect(sub.stats()).toMatchObject({ delivered: 5, acked: 5, duplicatesDropped: 0 });
  });

  it('a draining close that ends before its deadline leaves no deadline timer behind', async () => {
    let release: (() => void) | undefined;
    const sub = maestro.events.consume({}, () => new Promise<void>((r) => (release = r)));
    await sub.whenSubscribed();
    nodeEvent('a');
    await eventually(() => release !== undefined);
    const set = jest.spyOn(global, 'setTimeout');
    const clear = jest.spyOn(global, 'clearTimeout');
    try {
      const closing = sub.close({ drain: true, timeoutMs: 123_456 });
      await new Promise((r) => setImmediate(r));
      release!();
      await closing;
      const deadlineTimers = set.mock.calls.map((call, i) => [call[1], set.mock.results[i]!.value] as const).filter(([ms]) => ms === 123_456);
      expect(deadlineTimers).toHaveLength(1);
      expect(clear.mock.calls.map((call) => call[0])).toContain(deadlineTimers[0]![1]);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });

  it('waitFor woken by many events keeps no safety-net timer per wake-up', async () => {
    const node = api.insert({ kind: 'job', name: 'w', path: ['w'], state: 'running' });
    const set = jest.spyOn(global, 'setTimeout');
    const clear = jest.spyOn(global, 'clearTimeout');
    try {
      let reads = 0;
      api.interceptors.push((call) => {
        if (call.method === 'GET' && call.path.endsWith(`/node/${String(node.id)}`)) reads++;
        return undefined;
      });
      const waiting = maestro.nodes.waitFor(String(node.id), 'done', { timeoutMs: 10_000 });
      await eventually(() => reads === 1);
      for (let i = 1; i <= 15; i++) {
        api.nodeEvent('updated', { ...node, data: { i } }, node);
        await eventually(() => reads === i + 1);
      }
      await new Promise((r) => setTimeout(r, 20));
      // Each wake-up ends its 15 s nap (and the abort listener that came with it); only the current one runs.
      const naps = set.mock.calls.map((call, i) => [call[1], set.mock.results[i]!.value] as const).filter(([ms]) => ms === 15_000);
      expect(naps).toHaveLength(16);
      const cleared = new Set(clear.mock.calls.map((call) => call[0]));
      expect(naps.filter(([, timer]) => !cleared.has(timer))).toHaveLength(1);
      node.state = 'done';
      api.nodeEvent('updated', node);
      await expect(waiting).resolves.toMatchObject({ state: 'done' });
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });

  it('de-duplicates after a reconnect: every event is handled once, in order', async () => {
    const handled: number[] = [];
    const sub = maestro.events.consume({ subscriberId: 'dedup:node' }, (d) => {
      handled.push(d.sequence!);
    });
    const seen = states(sub);
    await sub.whenSubscribed();
    nodeEvent('a');
    nodeEvent('b');
    await eventually(() => handled.length === 2);
    pubsub.dropConnections();
    await eventually(() => seen.includes('reconnecting'));
    nodeEvent('c');
    nodeEvent('d');
    await eventually(() => handled.length >= 4);
    // A later event proves delivery has moved past any duplicate of 1–4: nothing was handled twice.
    nodeEvent('marker');
    await eventually(() => handled.includes(5));
    expect(handled).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toContain('resumed');
    const resubscribe = pubsub.subscribes.at(-1)!;
    expect(resubscribe).toMatchObject({ subscriber_id: 'dedup:node', from_sequence: 2 });
    expect(sub.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('drops redeliveries at or below the mark', async () => {
    const handled: number[] = [];
    const sub = maestro.events.consume({}, (d) => {
      handled.push(d.sequence!);
    });
    await sub.whenSubscribed();
    nodeEvent('a');
    await eventually(() => handled.length === 1);
    // The peer redelivers event 1 (as after a lost ack).
    const live = [...pubsub.subs.values()][0]!;
    live.socket.emit('event', { subscription: live.id, channel: 'node', sequence_id: 1, event: { ...api.events[0]!.ce, _sequence_id: 1 } });
    nodeEvent('b');
    await eventually(() => handled.length === 2);
    expect(handled).toEqual([1, 2]);
    expect(sub.stats().duplicatesDropped).toBe(1);
  });

  it('backfills a gap from the history, replayed, before live delivery', async () => {
    const got: [number, boolean][] = [];
    const first = maestro.events.consume({ subscriberId: 'gap:node' }, (d) => {
      got.push([d.sequence!, d.replayed]);
    });
    await first.whenSubscribed();
    nodeEvent('a');
    await eventually(() => got.length === 1);
    await first.close();
    nodeEvent('b');
    nodeEvent('c');
    nodeEvent('d');
    pubsub.retainedFrom = 4; // 2 and 3 expired for the socket; the history still holds them
    const gaps: SubscriptionState[] = [];
    // A restarted process: no mark and no start, so it resumes from the stored cursor (1).
    const second = maestro.events.consume({ subscriberId: 'gap:node' }, (d) => {
      got.push([d.sequence!, d.replayed]);
    });
    second.on('state', (s) => s.type === 'gap' && gaps.push(s));
    await eventually(() => got.length === 4);
    expect(got).toEqual([[1, false], [2, true], [3, true], [4, false]]);
    expect(gaps).toEqual([{ type: 'gap', from: 2, to: 3, certain: false }]);
  });

  it('onGap "error" closes with EventGapError', async () => {
    nodeEvent('a');
    nodeEvent('b');
    pubsub.retainedFrom = 3;
    nodeEvent('c');
    const sub = maestro.events.consume({ from: 0, onGap: 'error' }, () => undefined);
    await expect(sub.done).rejects.toBeInstanceOf(EventGapError);
  });

  it('closes with SubscriptionReplacedError when another consumer takes the durable id', async () => {
    const one = maestro.events.consume({ subscriberId: 'svc:node' }, () => undefined);
    await one.whenSubscribed();
    const other = createClient({ baseUrl: pubsub.baseUrl, fetch: api.fetch, token: TOKEN, compat: 'maestro', socket: { transports: ['websocket'] } });
    const two = other.events.consume({ subscriberId: 'svc:node' }, () => undefined);
    await two.whenSubscribed();
    await expect(one.done).rejects.toBeInstanceOf(SubscriptionReplacedError);
    await other.close();
  });

  it('a refused subscribe (403) and a refused handshake are terminal', async () => {
    api.cursors.set('theirs:node', { user: 'alice', channel: 'node', last: 0 });
    const taken = maestro.events.consume({ subscriberId: 'theirs:node' }, () => undefined);
    await expect(taken.done).rejects.toBeInstanceOf(ForbiddenError);
    const bad = createClient({ baseUrl: pubsub.baseUrl, fetch: api.fetch, token: 'wrong-token-value', compat: 'maestro', socket: { transports: ['websocket'] } });
    const sub = bad.events.consume({}, () => undefined);
    const error = await sub.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(JSON.stringify(error)).not.toContain('wrong-token-value');
    await bad.close();
  });

  it('skips invalid CloudEvents through onProtocolError and acknowledges them', async () => {
    const errors: ProtocolError[] = [];
    const handled: number[] = [];
    const sub = maestro.events.consume({ onProtocolError: (e) => errors.push(e) }, (d) => {
      handled.push(d.sequence!);
    });
    await sub.whenSubscribed();
    api.publish('node', { op: 'created', id: 'bad' }, null, { source: '' });
    nodeEvent('good');
    await eventually(() => handled.length === 1);
    expect(handled).toEqual([2]);
    expect(errors).toHaveLength(1);
    await eventually(() => pubsub.acks.at(-1)?.sequence_id === 2);
  });

  it('retries a failing handler, then dead-letters and acknowledges', async () => {
    let attempts = 0;
    const dead: unknown[] = [];
    const sub = maestro.events.consume(
      { onHandlerError: { retries: 2 }, onDeadLetter: (_d, e) => void dead.push(e) },
      () => {
        attempts++;
        throw new Error('boom');
      },
    );
    await sub.whenSubscribed();
    nodeEvent('a');
    await eventually(() => dead.length === 1, 10_000);
    expect(attempts).toBe(3);
    await eventually(() => pubsub.acks.at(-1)?.sequence_id === 1);
  }, 15_000);

  it('a clean close flushes acks, unsubscribes, and leaves no handles behind', async () => {
    const baseline = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const sub = maestro.events.consume({ subscriberId: 'close:node' }, () => undefined);
    await sub.whenSubscribed();
    nodeEvent('a');
    await eventually(() => sub.stats().acked === 1);
    await maestro.close();
    expect(sub.state).toMatchObject({ type: 'closed', reason: 'closed' });
    expect(api.cursors.get('close:node')!.last).toBe(1);
    expect(pubsub.subs.size).toBe(0);
    await eventually(() => {
      const now = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
      return now.length <= baseline.length;
    });
    // A restart redelivers nothing.
    const again = createClient({ baseUrl: pubsub.baseUrl, fetch: api.fetch, token: TOKEN, compat: 'maestro', socket: { transports: ['websocket'] } });
    const handled: unknown[] = [];
    const sub2 = again.events.consume({ subscriberId: 'close:node' }, (d) => void handled.push(d));
    await sub2.whenSubscribed();
    // A fresh event is delivered after anything redelivered: it must be the only one.
    const before = api.sequence;
    nodeEvent('after-restart');
    await eventually(() => handled.length > 0);
    expect(handled.map((d) => (d as { sequence: number }).sequence)).toEqual([before + 1]);
    await again.close();
  });

  it('acknowledges at least every 250 events, not only every 250 ms (a catch-up is not held by the coalescing timer)', async () => {
    const sub = maestro.events.consume({ subscriberId: 'fast:node' }, () => undefined);
    await sub.whenSubscribed();
    for (let i = 0; i < 1_000; i++) nodeEvent(`f${i}`);
    await eventually(() => pubsub.acks.at(-1)?.sequence_id === 1_000);
    // Each acknowledgement is at most 250 events past the one before it: with acknowledgements only
    // on the 250 ms timer, a fast handler would send one or two for the whole thousand.
    const marks = [0, ...pubsub.acks.map((a) => a.sequence_id)];
    const steps = marks.slice(1).map((mark, i) => mark - marks[i]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(250);
  });

  it('a non-durable subscription whose buffer fills unsubscribes and resumes from its mark (backpressure)', async () => {
    const sub = maestro.events.subscribe({ maxBuffered: 4 });
    await sub.whenSubscribed();
    for (let i = 0; i < 10; i++) nodeEvent(`n${i}`);
    await eventually(() => pubsub.subs.size === 0);
    expect(sub.stats().queueDepth).toBeGreaterThanOrEqual(4);
    const got: number[] = [];
    for await (const d of sub) {
      got.push(d.sequence!);
      if (got.length === 10) break;
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pubsub.subscribes.filter((p) => typeof p.from_sequence === 'number').length).toBeGreaterThanOrEqual(1);
  });

  it('a handler past handlerTimeoutMs has its signal aborted and counts as failed', async () => {
    const signals: AbortSignal[] = [];
    const dead: unknown[] = [];
    const sub = maestro.events.consume({ handlerTimeoutMs: 30, onHandlerError: { retries: 0 }, onDeadLetter: (_d, e) => void dead.push(e) }, (_d, ctx) => {
      signals.push(ctx.signal);
      return new Promise(() => undefined);
    });
    await sub.whenSubscribed();
    nodeEvent('slow');
    await eventually(() => dead.length === 1);
    expect(signals[0]!.aborted).toBe(true);
    expect(dead[0]).toMatchObject({ name: 'TimeoutError', phase: 'handler', timeoutMs: 30 });
    await eventually(() => pubsub.acks.at(-1)?.sequence_id === 1);
  });

  it('waitFor re-reads on a matching event', async () => {
    const n = api.insert({ state: 'running', owner: 'alice' });
    const waiting = maestro.nodes.waitFor(n.id as string, { state: 'done', result: 'pass' }, { timeoutMs: 5000, pollIntervalMs: 60_000 });
    await eventually(() => pubsub.subs.size === 1);
    expect([...pubsub.subs.values()][0]).toMatchObject({ promisc: true, filter: { id: n.id } });
    const done = { ...api.nodes.get(n.id as string)!, state: 'done', result: 'pass' };
    api.nodes.set(n.id as string, done);
    api.nodeEvent('updated', done, { state: 'running', result: null });
    await expect(waiting).resolves.toMatchObject({ state: 'done', result: 'pass' });
    await eventually(() => pubsub.subs.size === 0);
  });
});
