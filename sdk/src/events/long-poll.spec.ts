import { createClient } from '../client';
import { ValidationError } from '../errors';
import { FakeApi, type Mode } from '../fake/fake-api';
import type { SubscriptionState } from './types';
import { eventually, states, TOKEN } from '../testing/spec-helpers';

describe('a Maestro server without a realtime endpoint', () => {
  it('degrades to long-poll for the rest of the subscription', async () => {
    const { createServer } = await import('node:http');
    const http = createServer((_req, res) => {
      res.statusCode = 404;
      res.end('{"detail":"Not Found"}');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as { port: number }).port;
    const api = new FakeApi('maestro');
    api.keepAliveMs = 20;
    const maestro = createClient({ baseUrl: `http://127.0.0.1:${port}`, fetch: api.fetch, token: TOKEN, compat: 'maestro' });
    try {
      const sub = maestro.events.subscribe({ filter: { kind: 'job' } });
      const seen = states(sub);
      await eventually(() => seen.includes('degraded') && seen.includes('subscribed'), 10_000);
      expect(sub.transport).toBe('long-poll');
      api.publish('node', { op: 'created', id: 'n1', kind: 'job', state: 'running' });
      const first = await sub[Symbol.asyncIterator]().next();
      expect(first.value).toMatchObject({ payload: { id: 'n1' }, sequence: 1 });
    } finally {
      await maestro.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  }, 20_000);
});

describe('long-poll subscriber', () => {
  function lp(mode: Mode, extra: Partial<Parameters<typeof createClient>[0]> = {}) {
    const api = new FakeApi(mode);
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, token: TOKEN, compat: mode, ...extra });
    return { api, maestro };
  }

  it('never yields BEEP, parses the string envelope and acknowledges by the next listen', async () => {
    const { api, maestro } = lp('kernelci');
    api.keepAliveMs = 20;
    const beats: Date[] = [];
    const sub = maestro.events.subscribe({ subscriberId: 'lp:node' });
    sub.on('heartbeat', (at) => beats.push(at));
    await sub.whenSubscribed();
    await eventually(() => beats.length >= 1);
    api.publish('node', { op: 'created', id: 'n1', kind: 'checkout', state: 'running' });
    const it = sub[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toMatchObject({ payload: { id: 'n1' }, sequence: null });
    expect(api.cursors.get('lp:node')!.last).toBe(0);
    api.publish('node', { op: 'created', id: 'n2', kind: 'checkout', state: 'running' });
    const second = await it.next();
    expect(second.value).toMatchObject({ payload: { id: 'n2' } });
    expect(api.cursors.get('lp:node')!.last).toBe(1);
    await maestro.close();
  });

  it('the abandon rule: after a listen deadline, unsubscribe and subscribe again; replays are dropped by fingerprint', async () => {
    const { api, maestro } = lp('kernelci', { listenTimeoutMs: 40 });
    api.keepAliveMs = 10_000;
    let stallNext = false;
    api.interceptors.push((call) => {
      if (call.path.startsWith('/listen/') && stallNext) {
        stallNext = false;
        return new Promise<Response>(() => undefined); // the answer never comes
      }
      return undefined;
    });
    const handled: string[] = [];
    const sub = maestro.events.consume({ subscriberId: 'abandon:node' }, (d) => {
      handled.push(d.payload.id as string);
      stallNext = true;
    });
    await sub.whenSubscribed();
    api.publish('node', { op: 'created', id: 'n1', kind: 'checkout', state: 'running' });
    await eventually(() => api.calls.filter((c) => c.path === '/subscribe/node').length === 2, 5000);
    await eventually(() => api.calls.filter((c) => c.path.startsWith('/listen/')).length >= 4, 5000);
    const subscribeIds = api.calls.filter((c) => c.path === '/subscribe/node').map((c) => c.query.get('subscriber_id'));
    expect(subscribeIds).toEqual(['abandon:node', 'abandon:node']);
    const firstId = [...api.calls].find((c) => c.path.startsWith('/listen/'))!.path.split('/')[2];
    const listensOnFirst = api.calls.filter((c) => c.path === `/listen/${firstId}`).length;
    expect(api.calls.some((c) => c.method === 'POST' && c.path === `/unsubscribe/${firstId}`)).toBe(true);
    // A later event, delivered on the new subscription, proves the replay of n1 (new id, no
    // sequence) was dropped and that the abandoned id was never listened on again.
    stallNext = false;
    api.publish('node', { op: 'created', id: 'n2', kind: 'checkout', state: 'running' });
    await eventually(() => handled.includes('n2'), 5000);
    expect(api.calls.filter((c) => c.path === `/listen/${firstId}`).length).toBe(listensOnFirst);
    expect(handled).toEqual(['n1', 'n2']);
    expect(sub.stats().duplicatesDropped).toBe(1);
    await maestro.close();
  }, 15_000);

  it('reports a possible gap when a KernelCI catch-up yields exactly 1000 events, and when a non-durable subscription is recreated', async () => {
    const { api, maestro } = lp('kernelci', { listenTimeoutMs: 2000 });
    api.keepAliveMs = 20;
    api.cursors.set('catchup:node', { user: 'bob', channel: 'node', last: 0 });
    for (let i = 0; i < 1000; i++) api.publish('node', { op: 'created', id: `n${i}`, kind: 'job', state: 'running' });
    const gaps: SubscriptionState[] = [];
    let handled = 0;
    const sub = maestro.events.consume({ subscriberId: 'catchup:node' }, () => {
      handled++;
    });
    sub.on('state', (s) => s.type === 'gap' && gaps.push(s));
    await eventually(() => gaps.length === 1, 20_000);
    expect(handled).toBe(1000);
    expect(gaps[0]).toEqual({ type: 'gap', from: 0, to: 0, certain: false });
    await maestro.close();

    const other = lp('kernelci', { listenTimeoutMs: 2000 });
    other.api.keepAliveMs = 20;
    let failOnce = true;
    other.api.interceptors.push((call) => {
      if (call.path.startsWith('/listen/') && failOnce) {
        failOnce = false;
        return new Response(JSON.stringify({ detail: "Subscription id not found: 'Subscription 800 not found'" }), { status: 404 });
      }
      return undefined;
    });
    const transient = other.maestro.events.consume({}, () => undefined);
    const seen = states(transient);
    await eventually(() => seen.includes('gap'), 5000);
    await other.maestro.close();
  }, 30_000);

  it('a server answering 404 to every listen gets at most 12 subscribes in 60 s', async () => {
    // Only timers are faked: the fetch machinery needs real ticks and microtasks.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      const { api, maestro } = lp('kernelci');
      api.interceptors.push((call) =>
        call.path.startsWith('/listen/') ? new Response(JSON.stringify({ detail: "Subscription id not found: 'Subscription 1 not found'" }), { status: 404 }) : undefined,
      );
      const sub = maestro.events.consume({ subscriberId: 'reaped:node' }, () => undefined);
      for (let t = 0; t < 60_000; t += 100) await jest.advanceTimersByTimeAsync(100);
      const subscribes = api.calls.filter((c) => c.path === '/subscribe/node').length;
      expect(subscribes).toBeGreaterThan(3);
      expect(subscribes).toBeLessThanOrEqual(12);
      const closing = sub.close();
      for (let t = 0; t < 1000; t += 100) await jest.advanceTimersByTimeAsync(100);
      await closing;
      await maestro.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('lowers concurrency to 1 and refuses a start sequence', async () => {
    const { maestro } = lp('kernelci');
    const sub = maestro.events.consume({ from: 5 }, () => undefined);
    await expect(sub.done).rejects.toMatchObject({ name: 'UnsupportedFeatureError' });
    await maestro.close();
  });
});

describe('events.publish and events.history', () => {
  it('rejects empty data and invalid attributes; sends the idempotency key as the CloudEvent id', async () => {
    const api = new FakeApi('maestro');
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, token: TOKEN, compat: 'maestro' });
    for (const empty of [null, '', 0, false, {}, []]) await expect(maestro.events.publish('t', empty)).rejects.toBeInstanceOf(ValidationError);
    await expect(maestro.events.publish('t', { a: 1 }, { attributes: { Bad_Name: 1 } })).rejects.toBeInstanceOf(ValidationError);
    await maestro.events.publish('t', { a: 1 }, { idempotencyKey: 'evt-1', attributes: { lab: 'x' } });
    expect(api.events[0]!.ce).toMatchObject({ id: 'evt-1', lab: 'x', data: { a: 1 } });
  });

  it('history always sends limit and pages across equal timestamps without repeats', async () => {
    const api = new FakeApi('maestro');
    const maestro = createClient({ baseUrl: 'http://h', fetch: api.fetch, compat: 'maestro' });
    for (let i = 0; i < 7; i++) api.publish('node', { op: 'created', id: `n${i}`, kind: 'job' });
    for (const e of api.events.slice(0, 5)) e.timestamp = '2025-01-01T00:00:00.000000';
    const seqs: number[] = [];
    for await (const e of maestro.events.history({ kind: 'job', pageSize: 2 })) seqs.push(e.sequence_id);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(api.calls.every((c) => c.query.get('limit') === '2')).toBe(true);
  });
});
