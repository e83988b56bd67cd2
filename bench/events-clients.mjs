// A socket.io client worker of the events benchmark, forked by bench/events-common.mjs so that the
// subscribers' parsing does not run on the publisher's event loop (the client side must not be the
// bottleneck). Requests over IPC: `connect` N subscribers, `collect` their figures once the given
// events were published. Each event carries `data.n` and `data.at` (its due time, wall clock in ms).
import { io } from 'socket.io-client';

const epochMs = () => performance.timeOrigin + performance.now();
let subscribers = [];

async function connectOne({ url, token, channel }) {
  const socket = io(`${url}/pubsub`, { path: '/latest/socket.io/', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io connect timed out after 30 s')), 30_000);
    socket.once('connect', () => resolve(clearTimeout(timer)));
    socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
  });
  const state = { socket, received: new Set(), latencies: [], lastSequence: -Infinity, outOfOrder: 0, duplicates: 0, closed: null };
  socket.on('event', (message) => {
    const data = message.event?.data ?? {};
    if (message.sequence_id <= state.lastSequence) state.outOfOrder += 1;
    state.lastSequence = Math.max(state.lastSequence, message.sequence_id);
    if (data.warm || typeof data.n !== 'number') return;
    if (state.received.has(data.n)) {
      state.duplicates += 1;
      return;
    }
    state.received.add(data.n);
    state.latencies.push(Math.round((epochMs() - data.at) * 100) / 100);
  });
  socket.on('subscription_closed', ({ reason }) => (state.closed = reason));
  const ack = await socket.timeout(30_000).emitWithAck('subscribe', { channel, promisc: true });
  if (!ack?.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
  return state;
}

async function connect({ count, parallel = 25, ...target }) {
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, () => connectOne(target)));
    subscribers.push(...batch);
  }
  return { connected: subscribers.length };
}

/**
 * Waits until every subscriber has every published event, or until nothing has arrived for
 * `idleMs` (at most `capMs` in all): what is still missing then counts as lost, so a slow stream is
 * late, not lost, while it keeps delivering.
 */
async function collect({ published, idleMs, capMs }) {
  const complete = () => subscribers.every((s) => published.every((n) => s.received.has(n)));
  const count = () => subscribers.reduce((total, s) => total + s.received.size, 0);
  const cap = Date.now() + capMs;
  let seen = count();
  let lastProgress = Date.now();
  while (!complete() && Date.now() < cap && Date.now() - lastProgress < idleMs) {
    await new Promise((r) => setTimeout(r, 100));
    if (count() !== seen) {
      seen = count();
      lastProgress = Date.now();
    }
  }
  let lost = 0;
  let outOfOrder = 0;
  let duplicates = 0;
  const closed = [];
  const latencies = [];
  for (const s of subscribers) {
    for (const n of published) if (!s.received.has(n)) lost += 1;
    outOfOrder += s.outOfOrder;
    duplicates += s.duplicates;
    if (s.closed) closed.push(s.closed);
    for (const latency of s.latencies) latencies.push(latency);
  }
  return { lost, outOfOrder, duplicates, closed: closed.length, latencies };
}

function close() {
  for (const s of subscribers) s.socket.disconnect();
  subscribers = [];
  return {};
}

/** CPU seconds this worker has used so far. */
function cpu() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const handlers = { connect, collect, close, cpu };
process.on('message', async ({ id, type, ...payload }) => {
  try {
    process.send({ id, result: await handlers[type](payload) });
  } catch (error) {
    process.send({ id, error: error.message });
  }
});
process.on('disconnect', () => process.exit(0));
