// Durable catch-up (bench/events.mjs): a durable socket.io subscriber (a `subscriber_id`, as the SDK
// subscribes) takes its cursor and goes away; N events are appended to its channel through the
// storage port of the build; it resumes and is timed until it has every one of them. Baseline: the
// same rows read raw in keyset pages of 1,000 (`pg` on a server, the adapter's SQL client on PGlite).
import { randomBytes, randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { epochMs, root } from './events-common.mjs';

const CHANNEL = 'bench-catchup';
const SUBSCRIBER = 'bench:catchup';
/** The server stops at 1,000 unacknowledged events (docs/realtime.md): acknowledge at half that. */
const ACK_EVERY = 500;

async function connect(api) {
  const socket = io(`${api.url}/pubsub`, { path: '/latest/socket.io/', auth: { token: api.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
  });
  return socket;
}

async function subscribe(socket) {
  const ack = await socket.timeout(30_000).emitWithAck('subscribe', { channel: CHANNEL, subscriber_id: SUBSCRIBER, promisc: true });
  if (!ack?.ok) throw new Error(`durable subscribe refused: ${JSON.stringify(ack)}`);
  return ack;
}

/** Takes the durable cursor, then leaves (unsubscribe and disconnect, as the SDK's close does). */
export async function takeCursor(api) {
  const socket = await connect(api);
  try {
    const ack = await subscribe(socket);
    await socket.timeout(30_000).emitWithAck('unsubscribe', { subscription: ack.subscription });
    return ack.cursor;
  } finally {
    socket.disconnect();
  }
}

/**
 * Appends `count` events to the channel while the subscriber is away, in transactions of 500
 * appends (8 concurrent on a server); returns appends/s.
 */
export async function appendMissed(target, count) {
  const { PostgresStorage } = await import(`${root}api/dist/storage/postgres/postgres.storage.js`);
  const storage = await PostgresStorage.open(target);
  const event = (n) => {
    const now = new Date();
    const ce = { id: randomUUID(), time: now.toISOString(), type: 'api.kernelci.org', source: 'https://api.kernelci.org/', specversion: '1.0', extensions: {} };
    return { id: randomBytes(12).toString('hex'), timestamp: now, channel: CHANNEL, owner: null, data: { op: 'updated', kind: 'test', n }, ce };
  };
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: target.kind === 'postgres' ? 8 : 1 }, async () => {
        while (next < count) {
          const first = next;
          next = Math.min(count, next + 500);
          const last = next;
          await storage.transaction(async (tx) => {
            for (let n = first; n < last; n += 1) await tx.events.append(event(n));
          });
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await storage.close();
  }
}

/** The baseline: every event of the channel after `cursor`, read in keyset pages of 1,000. */
export async function readRaw(target, cursor, count) {
  let query;
  let close;
  if (target.kind === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    query = (text, params) => client.query(text, params);
    close = () => client.end();
  } else {
    const { openSqlClient } = await import(`${root}api/dist/storage/postgres/sql-client.js`);
    const client = await openSqlClient(target);
    query = (text, params) => client.query(text, params);
    close = () => client.close();
  }
  try {
    const started = performance.now();
    let after = cursor;
    let read = 0;
    for (;;) {
      const { rows } = await query('SELECT id, "timestamp", sequence_id, channel, owner, data, ce FROM eventhistory WHERE channel = $1 AND sequence_id > $2 ORDER BY sequence_id LIMIT 1000', [CHANNEL, after]);
      if (rows.length === 0) break;
      read += rows.length;
      after = rows.at(-1).sequence_id;
    }
    if (read < count) throw new Error(`raw read found ${read} of ${count} events`);
    return { rate: read / ((performance.now() - started) / 1000), read };
  } finally {
    await close();
  }
}

/**
 * Resumes the durable subscriber and times it until it has all `count` events. It acknowledges the
 * newest event every 500 events and every 100 ms (the server holds at 1,000 unacknowledged). Fails
 * when nothing arrives for `stallSeconds`.
 */
export async function resume(api, count, stallSeconds = 15) {
  const socket = await connect(api);
  const received = new Set();
  let highest = -Infinity;
  let outOfOrder = 0;
  let duplicates = 0;
  let subscription = null;
  let unacked = 0;
  let lastArrival = epochMs();
  let finishedAt = null;
  let ackErrors = 0;
  const ack = () => {
    if (subscription === null || unacked === 0) return;
    unacked = 0;
    socket.emit('ack', { subscription, sequence_id: highest }, (answer) => {
      if (!answer?.ok) ackErrors += 1;
    });
  };
  const timer = setInterval(ack, 100);
  try {
    socket.on('event', (message) => {
      lastArrival = epochMs();
      if (message.sequence_id <= highest) outOfOrder += 1;
      else highest = message.sequence_id;
      const n = message.event?.data?.n;
      if (received.has(n)) duplicates += 1;
      else received.add(n);
      unacked += 1;
      if (unacked >= ACK_EVERY) ack();
      if (received.size === count && finishedAt === null) finishedAt = epochMs();
    });
    const started = epochMs();
    subscription = (await subscribe(socket)).subscription;
    while (finishedAt === null) {
      if (epochMs() - lastArrival > stallSeconds * 1000) {
        throw new Error(`durable catch-up stalled: ${received.size} of ${count} events after ${((epochMs() - started) / 1000).toFixed(1)} s`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return { rate: count / ((finishedAt - started) / 1000), seconds: (finishedAt - started) / 1000, lost: count - received.size, outOfOrder, duplicates, ackErrors };
  } finally {
    clearInterval(timer);
    socket.disconnect();
  }
}
