/**
 * The event routes of the fake: long-poll subscriptions (`/subscribe`, `/listen`,
 * `/unsubscribe`) with durable subscriber ids, `/publish` and the `/events` history. A
 * `/listen` is held until an event arrives (any write wakes it) or the keep-alive passes (a
 * BEEP); the next `/listen` acknowledges the event returned before. In KernelCI mode a durable
 * replay carries no `_sequence_id` and a fresh CloudEvent id, as KernelCI's does.
 */
import type { FakeStore, HttpSub } from './store.js';
import { detail, json, randomUUID, timeOf, type Call, type Json } from './wire.js';

function envelope(channel: string, ce: Json): Response {
  return json(200, { type: 'message', pattern: null, channel, data: JSON.stringify(ce) });
}

function subscribe(store: FakeStore, call: Call, channel: string): Response {
  const subscriberId = call.query.get('subscriber_id');
  let position = store.sequence;
  if (subscriberId) {
    const cursor = store.cursors.get(subscriberId);
    if (cursor && cursor.user !== store.user) return detail(403, 'Subscriber id is in use by another user');
    if (cursor && cursor.channel !== channel) return detail(409, `Subscriber id is bound to channel ${cursor.channel}`);
    if (cursor) position = cursor.last;
    else store.cursors.set(subscriberId, { user: store.user, channel, last: store.sequence });
  }
  const sub: HttpSub = { id: store.nextSub++, channel, user: store.user, promiscuous: call.query.get('promisc') === 'true', subscriberId, position, lastReturned: null };
  store.subs.set(sub.id, sub);
  return json(200, { id: sub.id, channel: sub.channel, user: store.user, promiscuous: sub.promiscuous });
}

async function listen(store: FakeStore, id: string, signal: AbortSignal): Promise<Response> {
  const sub = store.subs.get(Number(id));
  if (!sub) return detail(404, `Subscription id not found: 'Subscription ${id} not found'`);
  // Implicit acknowledgement of the previous listen.
  if (sub.lastReturned !== null && sub.subscriberId) {
    const c = store.cursors.get(sub.subscriberId)!;
    c.last = Math.max(c.last, sub.lastReturned);
  }
  const deadline = Date.now() + store.keepAliveMs;
  for (;;) {
    const next = store.nextFor(sub);
    if (next) {
      sub.position = next.sequence_id;
      sub.lastReturned = next.sequence_id;
      const replay = store.mode === 'kernelci' && sub.subscriberId !== null;
      return envelope(sub.channel, replay ? { ...next.ce, id: randomUUID() } : { ...next.ce, _sequence_id: next.sequence_id });
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      return envelope(sub.channel, { specversion: '1.0', id: randomUUID(), source: 'https://api.kernelci.org/', type: 'api.kernelci.org', time: new Date().toISOString(), data: 'BEEP' });
    }
    await store.waitForEvent(sub, left, signal);
    if (signal.aborted) throw signal.reason;
  }
}

function history(store: FakeStore, query: URLSearchParams): Response {
  let list = store.events.filter((e) => (!query.get('channel') || e.channel === query.get('channel')) && (!query.get('kind') || e.data.kind === query.get('kind')));
  const from = query.get('from');
  if (from) list = list.filter((e) => timeOf(e.timestamp) > timeOf(from));
  const offset = Number(query.get('offset') ?? 0);
  const limit = query.has('limit') ? Number(query.get('limit')) : list.length;
  return json(200, list.slice(offset, offset + limit).map((e) => ({ timestamp: e.timestamp, sequence_id: e.sequence_id, channel: e.channel, owner: e.owner, data: e.data, id: store.newId() })));
}

/** Answers an event route, or undefined when the call is not one. */
export function eventRoute(store: FakeStore, call: Call, signal: AbortSignal): Promise<Response> | Response | undefined {
  const { method, path } = call;
  let r: RegExpMatchArray | null;
  if (method === 'POST' && (r = path.match(/^\/subscribe\/([^/]+)$/))) return subscribe(store, call, r[1]!);
  if (method === 'POST' && (r = path.match(/^\/unsubscribe\/(\d+)$/))) {
    if (!store.subs.delete(Number(r[1]))) return detail(404, `Subscription id not found: 'Subscription ${r[1]} not found'`);
    return json(200, null);
  }
  if (method === 'GET' && (r = path.match(/^\/listen\/(\d+)$/))) return listen(store, r[1]!, signal);
  if (method === 'POST' && (r = path.match(/^\/publish\/([^/]+)$/))) {
    const body = call.body as Json;
    store.publish(r[1]!, body.data as Json, store.user, (body.attributes as Json) ?? {});
    return json(200, null);
  }
  if (method === 'GET' && path === '/events') return history(store, call.query);
  return undefined;
}
