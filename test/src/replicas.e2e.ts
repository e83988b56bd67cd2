/**
 * Several replicas over one PostgreSQL database and one Redis (docs/architecture.md, docs/events.md
 * 101, 102; issue #5 acceptance): delivery across replicas, then crashes, a Redis outage and a
 * disconnected subscriber. Runs when DATABASE_URL=postgres://… and REDIS_URL are set.
 */
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { composeReplica, freshSchema, Replica, serverConditions, startReplicaPair, stopReplicaPair } from './support/replicas';

const conditions = serverConditions();

interface EventMessage {
  subscription: number;
  sequence_id: number;
  event: { id: string; data: { id?: string } };
}

async function post(baseUrl: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const nodeBody = (i: number, prefix = 'replica') => ({ kind: 'checkout', name: `${prefix}-${i}`, path: [`${prefix}-${i}`], data: { kernel_revision: { tree: 't', url: 'https://example.org/linux.git', branch: 'b', commit: String(i) } } });

async function connectSocket(baseUrl: string, token: string): Promise<Socket> {
  const socket = io(`${baseUrl}/pubsub`, { path: '/latest/socket.io/', auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function waitUntil(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A durable long-poll consumer that alternates replicas and re-subscribes after any failure. */
class DurableListener {
  readonly received: number[] = [];
  private stopped = false;
  private subscription = 0;
  private turn = 0;
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly replicas: () => string[],
    private readonly token: string,
    private readonly subscriberId: string,
  ) {}

  private async subscribe(): Promise<void> {
    for (;;) {
      for (const base of this.replicas()) {
        try {
          const response = await post(base, `/subscribe/node?promisc=true&subscriber_id=${encodeURIComponent(this.subscriberId)}`, this.token);
          if (response.ok) {
            this.subscription = ((await response.json()) as { id: number }).id;
            return;
          }
        } catch {
          // that replica is down: try the next one
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async start(): Promise<void> {
    await this.subscribe();
    this.done = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const bases = this.replicas();
      const base = bases[this.turn++ % bases.length];
      try {
        const response = await fetch(`${base}/listen/${this.subscription}`, { headers: { Authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(20_000) });
        if (!response.ok) throw new Error(`listen → ${response.status}`);
        const event = JSON.parse(((await response.json()) as { data: string }).data) as { data: unknown; _sequence_id?: number };
        if (event.data !== 'BEEP') this.received.push(event._sequence_id!);
      } catch {
        // The response may have carried an event we never saw: a new subscription resumes at the
        // durable cursor, which only acknowledged events moved (docs/events.md#durable-subscribers).
        await this.subscribe();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** De-duplicated by sequence id, in arrival order. */
function distinctInOrder(sequence: number[]): number[] {
  const seen = new Set<number>();
  return sequence.filter((s) => (seen.has(s) ? false : (seen.add(s), true)));
}

if (typeof conditions === 'string') {
  describe('several replicas (e2e)', () => {
    it.skip(`skipped: ${conditions}`, () => undefined);
  });
  process.stdout.write(`replicas e2e skipped: ${conditions} (set DATABASE_URL=postgres://… and REDIS_URL)\n`);
} else {
  describe('several replicas over one database (e2e)', () => {
    let schema: Awaited<ReturnType<typeof freshSchema>>;
    let a: Replica;
    let b: Replica;
    let token: string;
    let db: PgClient;

    beforeAll(async () => {
      ({ schema, a, b, token, db } = await startReplicaPair(conditions));
    }, 60_000);

    afterAll(() => stopReplicaPair({ schema, a, b, db }));

    it('runs both replicas as compose.yaml does, each ready with the Redis notifier connected', async () => {
      expect(composeReplica().environment).toMatchObject({ NODE_ENV: 'production', REDIS_URL: 'redis://redis:6379' });
      for (const replica of [a, b]) {
        const response = await fetch(`${replica.baseUrl}/readyz`);
        expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', notifier: 'ok' } } });
      }
      // Both applied the migrations at start; each is recorded once.
      const { rows } = await db.query('SELECT count(*)::int AS n, count(DISTINCT version)::int AS d FROM maestro_migration');
      expect(rows[0].n).toBe(rows[0].d);
    });

    it('delivers 1000 writes spread over two replicas to a socket.io subscriber on A and a long-poll subscriber on B, in order, none missing', async () => {
      const socket = await connectSocket(a.baseUrl, token);
      const viaSocket: number[] = [];
      socket.on('event', (message: EventMessage) => viaSocket.push(message.sequence_id));
      const ack = (await socket.emitWithAck('subscribe', { channel: 'node', promisc: true })) as { ok: boolean };
      expect(ack.ok).toBe(true);
      const subscribed = await post(b.baseUrl, '/subscribe/node?promisc=true', token);
      const httpSub = ((await subscribed.json()) as { id: number }).id;

      const total = 1000;
      const created: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) {
            const i = next++;
            const response = await post(i % 2 === 0 ? a.baseUrl : b.baseUrl, '/node', token, nodeBody(i));
            expect(response.status).toBe(200);
            created.push(((await response.json()) as { id: string }).id);
          }
        }),
      );
      const viaListen: number[] = [];
      while (viaListen.length < total) {
        const response = await fetch(`${b.baseUrl}/listen/${httpSub}`, { headers: { Authorization: `Bearer ${token}` } });
        const event = JSON.parse(((await response.json()) as { data: string }).data) as { data: unknown; _sequence_id: number };
        if (event.data !== 'BEEP') viaListen.push(event._sequence_id);
      }
      await waitUntil(() => viaSocket.length >= total, '1000 socket.io events', 30_000);
      const stored = await db.query(`SELECT sequence_id, data ->> 'id' AS node FROM eventhistory WHERE channel = 'node' ORDER BY sequence_id`);
      const expected = stored.rows.map((r) => Number(r.sequence_id));
      expect(new Set(stored.rows.map((r) => r.node as string))).toEqual(new Set(created));
      expect(viaSocket).toEqual(expected);
      expect(viaListen).toEqual(expected);
      // The subscription made on B is served and ended by A.
      expect((await post(a.baseUrl, `/unsubscribe/${httpSub}`, token)).status).toBe(200);
      expect((await fetch(`${b.baseUrl}/listen/${httpSub}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
      socket.disconnect();
    }, 120_000);

    it('gives every durable subscriber each committed event exactly once after de-duplication, across kill -9, a Redis outage and a disconnection', async () => {
      const start = Number((await db.query(`SELECT coalesce(pg_sequence_last_value('maestro_event_sequence'), 0) AS value`)).rows[0].value);
      const replicas = () => [a.baseUrl, b.baseUrl];

      // Durable socket.io subscriber on A that acknowledges what it processed.
      const socketId = `fault-socket-${Date.now()}`;
      const viaSocket: number[] = [];
      let socket = await connectSocket(a.baseUrl, token);
      const attach = async () => {
        socket.on('event', (message: EventMessage) => {
          viaSocket.push(message.sequence_id);
          socket.emit('ack', { subscription: message.subscription, sequence_id: message.sequence_id });
        });
        const result = (await socket.emitWithAck('subscribe', { channel: 'node', promisc: true, subscriber_id: socketId })) as { ok: boolean };
        expect(result.ok).toBe(true);
      };
      await attach();
      const listener = new DurableListener(replicas, token, `fault-http-${Date.now()}`);
      await listener.start();

      const total = 400;
      let next = 0;
      let failedWrites = 0;
      const writers = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < total) {
            const i = next++;
            try {
              const response = await post(i % 2 === 0 ? a.baseUrl : b.baseUrl, '/node', token, nodeBody(i, 'fault'));
              if (response.status !== 200) failedWrites += 1;
            } catch {
              failedWrites += 1; // B is down (or died mid-request): committed or not, the log decides
            }
            await new Promise((r) => setTimeout(r, 5));
          }
        }),
      );

      await waitUntil(() => next >= 100, '100 writes', 60_000);
      await b.kill();
      await new Promise((r) => setTimeout(r, 500));
      await b.start();

      await waitUntil(() => next >= 200, '200 writes', 60_000);
      // Drop the replicas' Redis connections (ioredis reconnects; meanwhile notifications are lost).
      const redis = new Redis(conditions.redisUrl);
      const clients = ((await redis.client('LIST')) as string).split('\n');
      const names = [a.pid, b.pid].map((pid) => `name=maestro-${pid} `);
      for (const line of clients) {
        if (names.some((n) => line.includes(n))) await redis.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
      }
      redis.disconnect();

      await waitUntil(() => next >= 250, '250 writes', 60_000);
      socket.disconnect();
      await new Promise((r) => setTimeout(r, 1_500));
      socket = await connectSocket(a.baseUrl, token);
      await attach();

      await writers;
      const stored = await db.query(`SELECT sequence_id, data ->> 'id' AS node FROM eventhistory WHERE channel = 'node' AND sequence_id > $1 ORDER BY sequence_id`, [start]);
      const expected = stored.rows.map((r) => Number(r.sequence_id));
      expect(expected.length).toBeGreaterThanOrEqual(total - failedWrites);
      await waitUntil(() => distinctInOrder(viaSocket).length >= expected.length, 'every event on the socket.io subscriber', 60_000);
      await waitUntil(() => distinctInOrder(listener.received).length >= expected.length, 'every event on the long-poll subscriber', 60_000);
      await listener.stop();
      socket.disconnect();

      process.stdout.write(
        `fault e2e: ${total} writes (${failedWrites} failed or unknown around the kill), ${expected.length} events committed; ` +
          `socket.io subscriber ${viaSocket.length} deliveries (${viaSocket.length - distinctInOrder(viaSocket).length} redelivered), ` +
          `long-poll subscriber ${listener.received.length} deliveries (${listener.received.length - distinctInOrder(listener.received).length} redelivered)\n`,
      );
      expect(distinctInOrder(viaSocket)).toEqual(expected);
      expect(distinctInOrder(listener.received)).toEqual(expected);
      // No event without its committed write, and one created event per node written.
      const nodes = await db.query(`SELECT id FROM node WHERE name LIKE 'fault-%'`);
      const eventNodes = stored.rows.map((r) => r.node as string);
      expect(new Set(eventNodes)).toEqual(new Set(nodes.rows.map((r) => r.id as string)));
      expect(eventNodes).toHaveLength(nodes.rows.length);
    }, 180_000);
  });
}
