/**
 * The socket.io interface (docs/realtime.md) against the built API.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { startServer, type TestServer } from './support/api-server';
import { adminToken, checkout, createNode, createUser, listen, publish, publishMany, subscribe } from './support/pubsub';

interface EventMessage {
  subscription: number;
  channel: string;
  sequence_id: number;
  event: { id: string; _sequence_id: number; owner?: string; data: Record<string, unknown> };
}

const channelName = () => `rt-${randomUUID().slice(0, 8)}`;

/** Collects `event` and `subscription_closed` messages and waits for them with a deadline. */
class Client {
  readonly events: EventMessage[] = [];
  readonly closed: { subscription: number; reason: string }[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('event', (message: EventMessage) => this.events.push(message));
    socket.on('subscription_closed', (message: { subscription: number; reason: string }) => this.closed.push(message));
  }

  static async connect(server: TestServer, options: { token?: string; header?: string; path?: string } = {}): Promise<Client> {
    const socket = io(`${server.baseUrl}/pubsub`, {
      path: options.path ?? '/latest/socket.io/',
      auth: options.token ? { token: options.token } : {},
      extraHeaders: options.header ? { Authorization: options.header } : {},
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return new Client(socket);
  }

  request<T = Record<string, unknown>>(event: string, payload: unknown): Promise<T> {
    return this.socket.timeout(5_000).emitWithAck(event, payload) as Promise<T>;
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.disconnect();
  }
}

describe('socket.io interface (e2e)', () => {
  let server: TestServer;
  let admin: string;
  const clients: Client[] = [];
  const connect = async (options: Parameters<typeof Client.connect>[1]) => {
    const client = await Client.connect(server, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await adminToken(server);
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a bad token with connect_error Unauthorized and accepts a JWT in auth or a header, on both paths', async () => {
    const error = await Client.connect(server, { token: 'not-a-token' }).then(
      () => null,
      (e: Error & { data?: unknown }) => e,
    );
    expect(error?.message).toBe('Unauthorized');
    expect(error?.data).toEqual({ detail: 'Unauthorized' });
    await expect(Client.connect(server, {})).rejects.toThrow('Unauthorized');
    expect((await connect({ token: admin })).socket.connected).toBe(true);
    expect((await connect({ header: `Bearer ${admin}`, path: '/socket.io/' })).socket.connected).toBe(true);
  });

  it('filters by payload and owner, carrying the same CloudEvent as /listen and /events', async () => {
    const bob = await createUser(server, 'bob');
    const client = await connect({ token: bob.token });
    const filtered = await client.request('subscribe', { channel: 'node', filter: { kind: 'test' }, promisc: true });
    expect(filtered).toMatchObject({ ok: true, channel: 'node', promiscuous: true, subscriber_id: null });
    expect(Number.isInteger(filtered.subscription)).toBe(true);
    const owned = await client.request('subscribe', { channel: 'node', filter: { kind: ['test'] } });
    const httpSub = await subscribe(server, admin, 'node', '?promisc=true');

    const parent = await createNode(server, admin);
    const test = await createNode(server, admin, { kind: 'test', name: 'baseline', path: ['checkout', 'baseline'], parent: parent.id });
    const bobTest = await createNode(server, bob.token, { kind: 'test', name: 'baseline', path: ['checkout', 'baseline'], parent: parent.id });
    await client.waitFor(() => client.events.filter((e) => e.subscription === filtered.subscription).length >= 2, 'two test events');
    const viaSocket = client.events.filter((e) => e.subscription === filtered.subscription);
    expect(viaSocket.map((e) => e.event.data.id)).toEqual([test.id, bobTest.id]);
    expect(viaSocket.every((e) => e.channel === 'node' && e.sequence_id === e.event._sequence_id)).toBe(true);
    await client.waitFor(() => client.events.some((e) => e.subscription === owned.subscription), 'the owned test event');
    expect(client.events.filter((e) => e.subscription === owned.subscription).map((e) => e.event.data.id)).toEqual([bobTest.id]);

    const viaListen = [];
    for (let i = 0; i < 3; i += 1) viaListen.push((await listen(server, httpSub, admin)).event);
    expect(viaListen[1]).toEqual(viaSocket[0].event);
    const stored = (await server.http('GET', `/events?node_id=${test.id}`)).body as { sequence_id: number }[];
    expect(stored[0].sequence_id).toBe(viaSocket[0].sequence_id);

    expect(await client.request('subscribe', { channel: 'node', filter: { colour: 'red' } })).toMatchObject({ ok: false, status: 422 });
    expect(await client.request('subscribe', { filter: {} })).toMatchObject({ ok: false, status: 422 });
    const stats = (await server.http('GET', '/stats/subscriptions', { token: admin })).body as { id: number; transport: string }[];
    expect(stats.find((s) => s.id === filtered.subscription)?.transport).toBe('socket.io');
  });

  it('replays from a sequence, advances durable cursors only on ack, resumes and replaces', async () => {
    const channel = channelName();
    const bob = await createUser(server, 'bob');
    const subscriberId = `rt:${channel}`;
    for (let i = 1; i <= 3; i += 1) await publish(server, admin, channel, { data: { n: i } });
    const all = (await server.http('GET', `/events?channel=${channel}`)).body as { sequence_id: number }[];

    const replay = await connect({ token: admin });
    const fromStart = await replay.request('subscribe', { channel, from_sequence: all[0].sequence_id - 1 });
    expect(fromStart).toMatchObject({ ok: true, cursor: all[0].sequence_id - 1, oldest_sequence_id: all[0].sequence_id });
    await replay.waitFor(() => replay.events.length === 3, 'three replayed events');
    expect(replay.events.map((e) => e.event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const first = await connect({ token: admin });
    const durable = await first.request('subscribe', { channel, subscriber_id: subscriberId });
    expect(durable).toMatchObject({ ok: true, subscriber_id: subscriberId, cursor: all[2].sequence_id });
    for (let i = 4; i <= 6; i += 1) await publish(server, admin, channel, { data: { n: i } });
    await first.waitFor(() => first.events.length === 3, 'three live events');
    const acked = await first.request('ack', { subscription: durable.subscription, sequence_id: first.events[0].sequence_id });
    expect(acked).toEqual({ ok: true, cursor: first.events[0].sequence_id });
    expect(await first.request('ack', { subscription: durable.subscription, sequence_id: 10 ** 12 })).toMatchObject({ ok: false, status: 422 });
    expect(await first.request('ack', { subscription: 123456789, sequence_id: 1 })).toMatchObject({ ok: false, status: 404 });

    // A second socket with the same subscriber id takes over; the first is told why.
    const second = await connect({ token: admin, path: '/socket.io/' });
    const resumed = await second.request('subscribe', { channel, subscriber_id: subscriberId });
    expect(resumed).toMatchObject({ ok: true, cursor: first.events[0].sequence_id });
    await first.waitFor(() => first.closed.length === 1, 'subscription_closed');
    expect(first.closed[0]).toEqual({ subscription: durable.subscription, reason: 'replaced' });
    await second.waitFor(() => second.events.length === 2, 'the unacknowledged events again');
    expect(second.events.map((e) => e.event.data)).toEqual([{ n: 5 }, { n: 6 }]);
    expect(second.events[0].event.id).toBe(first.events[1].event.id);

    // Disconnect after acknowledging everything; events published meanwhile arrive after reconnecting.
    await second.request('ack', { subscription: resumed.subscription, sequence_id: second.events[1].sequence_id });
    second.close();
    await publish(server, admin, channel, { data: { n: 7 } });
    const third = await connect({ token: admin });
    await third.request('subscribe', { channel, subscriber_id: subscriberId });
    await third.waitFor(() => third.events.length === 1, 'the event published while disconnected');
    expect(third.events[0].event.data).toEqual({ n: 7 });

    const intruder = await connect({ token: bob.token });
    expect(await intruder.request('subscribe', { channel, subscriber_id: subscriberId })).toEqual({ ok: false, status: 403, detail: 'Subscriber id is in use by another user' });
    expect(await intruder.request('subscribe', { channel: 'other', subscriber_id: subscriberId })).toMatchObject({ ok: false, status: 403 });
    expect(await third.request('subscribe', { channel: 'other', subscriber_id: subscriberId })).toEqual({ ok: false, status: 409, detail: `Subscriber id is bound to channel ${channel}` });
  });

  it('stops a durable stream at 1000 unacknowledged events and resumes on ack', async () => {
    const channel = channelName();
    const client = await connect({ token: admin });
    const durable = await client.request<{ subscription: number }>('subscribe', { channel, subscriber_id: `flow:${channel}` });
    await publishMany(server, channel, 'admin', Array.from({ length: 1100 }, (_, n) => ({ n })));
    await client.waitFor(() => client.events.length >= 1000, '1000 events', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.events).toHaveLength(1000);
    await client.request('ack', { subscription: durable.subscription, sequence_id: client.events[499].sequence_id });
    await client.waitFor(() => client.events.length === 1100, 'the remaining 100 events', 10_000);
    const sequence = client.events.map((e) => e.sequence_id);
    expect(new Set(sequence).size).toBe(1100);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
  }, 60_000);

  it('ends unsubscribed streams', async () => {
    const channel = channelName();
    const client = await connect({ token: admin });
    const sub = await client.request<{ subscription: number }>('subscribe', { channel });
    expect(await client.request('unsubscribe', { subscription: sub.subscription })).toEqual({ ok: true });
    await publish(server, admin, channel, { data: { n: 1 } });
    await createNode(server, admin, checkout('after-unsubscribe'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.events).toHaveLength(0);
    expect(await client.request('unsubscribe', { subscription: sub.subscription })).toMatchObject({ ok: false, status: 404 });
  });
});
