/**
 * Issue #13 acceptance: 8 concurrent writers across two replicas (PostgreSQL + Redis) while a
 * durable long-poll subscriber and a socket.io subscriber read. Two event-producing transactions
 * are held open directly on the database while the writers go on — one commits late with a lower
 * sequence id than many already committed events, one rolls back — so commits happen out of their
 * allocation order. Every committed event must arrive at both subscribers, in `_sequence_id` order,
 * none missing, none uncommitted (docs/adr/0005-events.md). Runs when DATABASE_URL=postgres://…
 * and REDIS_URL are set.
 */
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { io } from 'socket.io-client';
import { freshSchema, Replica, serverConditions, startReplicaPair, stopReplicaPair } from './support/replicas';

const conditions = serverConditions();

async function post(baseUrl: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const nodeBody = (i: number) => ({ kind: 'checkout', name: `order-${i}`, path: [`order-${i}`], data: { kernel_revision: { tree: 't', url: 'https://example.org/linux.git', branch: 'b', commit: String(i) } } });

/** An event appended the way the API appends one (transaction id, then nextval), in a transaction left open. */
async function holdEvent(url: string, label: string): Promise<{ sequenceId: number; client: PgClient }> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ sequence_id: string }>(
    `INSERT INTO eventhistory (id, "timestamp", sequence_id, channel, owner, data, ce, xid)
     SELECT $1, now(), nextval('maestro_event_sequence'), 'node', NULL, $2::jsonb, NULL, tx.xid
     FROM (SELECT pg_current_xact_id() AS xid OFFSET 0) AS tx RETURNING sequence_id`,
    [randomBytes(12).toString('hex'), JSON.stringify({ op: 'created', id: label, kind: 'checkout', name: label })],
  );
  return { sequenceId: Number(rows[0].sequence_id), client };
}

async function waitUntil(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

if (typeof conditions === 'string') {
  describe('event order across replicas (e2e)', () => {
    it.skip(`skipped: ${conditions}`, () => undefined);
  });
  process.stdout.write(`event order e2e skipped: ${conditions} (set DATABASE_URL=postgres://… and REDIS_URL)\n`);
} else {
  describe('event order across replicas with out-of-order commits (e2e)', () => {
    let schema: Awaited<ReturnType<typeof freshSchema>>;
    let a: Replica;
    let b: Replica;
    let token: string;
    let db: PgClient;

    beforeAll(async () => {
      ({ schema, a, b, token, db } = await startReplicaPair(conditions));
    }, 60_000);

    afterAll(() => stopReplicaPair({ schema, a, b, db }));

    it('delivers every committed event to a durable long-poll and a socket.io subscriber in sequence order, none missing, none uncommitted', async () => {
      const socket = io(`${a.baseUrl}/pubsub`, { path: '/latest/socket.io/', auth: { token }, transports: ['websocket'], reconnection: false });
      const viaSocket: number[] = [];
      socket.on('event', (message: { sequence_id: number }) => viaSocket.push(message.sequence_id));
      expect(((await socket.emitWithAck('subscribe', { channel: 'node', promisc: true })) as { ok: boolean }).ok).toBe(true);

      // Durable long-poll subscriber on B: each listen acknowledges the previous event.
      const subscriberId = `order-${Date.now()}`;
      const subscribed = await post(b.baseUrl, `/subscribe/node?promisc=true&subscriber_id=${subscriberId}`, token);
      const httpSub = ((await subscribed.json()) as { id: number }).id;
      const viaListen: number[] = [];
      let listening = true;
      const listener = (async () => {
        while (listening) {
          const response = await fetch(`${b.baseUrl}/listen/${httpSub}`, { headers: { Authorization: `Bearer ${token}` } });
          const event = JSON.parse(((await response.json()) as { data: string }).data) as { data: unknown; _sequence_id: number };
          if (event.data !== 'BEEP') viaListen.push(event._sequence_id);
        }
      })();

      const total = 400;
      let next = 0;
      const writers = Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) {
            const i = next++;
            const response = await post(i % 2 === 0 ? a.baseUrl : b.baseUrl, '/node', token, nodeBody(i));
            expect(response.status).toBe(200);
          }
        }),
      );
      // Allocated early, ended while the writers keep committing higher ids.
      await waitUntil(() => next > 20, 'the first writes', 30_000);
      const late = await holdEvent(schema.url, 'late-commit');
      const rolledBack = await holdEvent(schema.url, 'rolled-back');
      await waitUntil(() => next > 200, 'more writes', 60_000);
      const committedAbove = Number((await db.query(`SELECT count(*) AS n FROM eventhistory WHERE sequence_id > $1`, [late.sequenceId])).rows[0].n);
      expect(committedAbove).toBeGreaterThan(0); // out of allocation order: higher ids committed first
      expect(viaSocket.filter((s) => s > late.sequenceId)).toEqual([]); // and held back meanwhile
      await rolledBack.client.query('ROLLBACK');
      await late.client.query('COMMIT');
      await Promise.all([late.client.end(), rolledBack.client.end()]);
      await writers;

      const stored = (await db.query(`SELECT sequence_id FROM eventhistory WHERE channel = 'node' ORDER BY sequence_id`)).rows.map((r) => Number(r.sequence_id));
      expect(stored).toHaveLength(total + 1);
      await waitUntil(() => viaSocket.length >= stored.length && viaListen.length >= stored.length, 'every event at both subscribers', 60_000);
      listening = false;
      await listener;
      expect(viaSocket).toEqual(stored);
      expect(viaListen).toEqual(stored);
      expect(stored).toContain(late.sequenceId);
      expect(stored).not.toContain(rolledBack.sequenceId);
      socket.disconnect();
    }, 120_000);
  });
}
