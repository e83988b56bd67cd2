/**
 * A fake socket.io peer that follows docs/realtime.md, built on the real `socket.io` server: namespace
 * `/pubsub` at `/latest/socket.io/`, handshake auth, `subscribe`/`ack`/`unsubscribe` with
 * acknowledgements, `event` and `subscription_closed`, durable cursors that move only on `ack`,
 * resume by `from_sequence`, replacement of a durable id, and `oldest_sequence_id`. It shares the
 * event store of a {@link FakeApi}.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { FakeApi, StoredEventRecord } from '../fake/fake-api';

interface SocketSub {
  id: number;
  socket: Socket;
  channel: string;
  filter: Record<string, string | string[]> | undefined;
  promisc: boolean;
  subscriberId: string | null;
  position: number;
}

export class FakePubsub {
  readonly subs = new Map<number, SocketSub>();
  readonly acks: { subscription: number; sequence_id: number }[] = [];
  readonly subscribes: Record<string, unknown>[] = [];
  readonly #http: HttpServer;
  readonly #io: Server;
  baseUrl = '';
  /** Events below this sequence are treated as expired by the socket (history may still hold them). */
  retainedFrom = 0;

  constructor(
    readonly api: FakeApi,
    readonly token: string | undefined = undefined,
  ) {
    this.#http = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    this.#io = new Server(this.#http, { path: '/latest/socket.io/', pingInterval: 200, pingTimeout: 400 });
    const ns = this.#io.of('/pubsub');
    ns.use((socket, next) => {
      const given = (socket.handshake.auth as { token?: string }).token;
      if (this.token && given !== this.token) {
        const error = new Error('Unauthorized') as Error & { data?: unknown };
        error.data = { detail: 'Unauthorized' };
        next(error);
        return;
      }
      next();
    });
    ns.on('connection', (socket) => this.#connection(socket));
    api.onPublish = (e) => {
      for (const sub of this.subs.values()) this.#deliverUpTo(sub, e.sequence_id);
    };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#http.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.api.onPublish = undefined;
    await new Promise<void>((resolve) => this.#io.close(() => resolve()));
  }

  /** Cuts every connection at the transport level, as a network loss would; clients reconnect. */
  dropConnections(): void {
    for (const socket of this.#io.of('/pubsub').sockets.values()) socket.conn.close();
  }

  #matches(sub: SocketSub, e: StoredEventRecord): boolean {
    if (e.channel !== sub.channel) return false;
    if (!sub.promisc && e.owner && e.owner !== this.api.user) return false;
    for (const [key, wanted] of Object.entries(sub.filter ?? {})) {
      const list = Array.isArray(wanted) ? wanted : [wanted];
      const actual = e.data[key];
      if (key === 'path') {
        if (!Array.isArray(actual) || !list.some((v) => (actual as string[]).includes(v))) return false;
      } else if (actual === undefined || !list.includes(actual as string)) return false;
    }
    return true;
  }

  #deliverUpTo(sub: SocketSub, last: number): void {
    for (const e of this.api.events) {
      if (e.sequence_id <= sub.position || e.sequence_id > last || e.sequence_id < this.retainedFrom) continue;
      sub.position = e.sequence_id;
      if (!this.#matches(sub, e)) continue;
      sub.socket.emit('event', { subscription: sub.id, channel: sub.channel, sequence_id: e.sequence_id, event: { ...e.ce, _sequence_id: e.sequence_id } });
    }
  }

  #connection(socket: Socket): void {
    socket.on('subscribe', (p: Record<string, unknown>, ack: (a: unknown) => void) => {
      this.subscribes.push(p);
      if (typeof p?.channel !== 'string') return ack({ ok: false, status: 422, detail: 'channel is required' });
      const subscriberId = typeof p.subscriber_id === 'string' ? p.subscriber_id : null;
      let cursor = this.api.sequence;
      if (subscriberId) {
        const stored = this.api.cursors.get(subscriberId);
        if (stored && stored.user !== this.api.user) return ack({ ok: false, status: 403, detail: 'Subscriber id is in use by another user' });
        if (stored && stored.channel !== p.channel) return ack({ ok: false, status: 409, detail: `Subscriber id is bound to channel ${stored.channel}` });
        if (stored) cursor = stored.last;
        else this.api.cursors.set(subscriberId, { user: this.api.user, channel: p.channel, last: this.api.sequence });
        for (const other of [...this.subs.values()]) {
          if (other.subscriberId === subscriberId) {
            this.subs.delete(other.id);
            other.socket.emit('subscription_closed', { subscription: other.id, reason: 'replaced' });
          }
        }
      }
      if (typeof p.from_sequence === 'number') cursor = p.from_sequence;
      const sub: SocketSub = {
        id: this.api.nextSub++,
        socket,
        channel: p.channel,
        filter: p.filter as SocketSub['filter'],
        promisc: p.promisc === true,
        subscriberId,
        position: cursor,
      };
      this.subs.set(sub.id, sub);
      ack({
        ok: true,
        subscription: sub.id,
        channel: sub.channel,
        promiscuous: sub.promisc,
        subscriber_id: subscriberId,
        cursor,
        oldest_sequence_id: this.api.events.find((e) => e.sequence_id >= this.retainedFrom)?.sequence_id ?? null,
      });
      this.#deliverUpTo(sub, this.api.sequence);
    });
    socket.on('ack', (p: { subscription: number; sequence_id: number }, ack: (a: unknown) => void) => {
      const sub = this.subs.get(p?.subscription);
      if (!sub || sub.socket !== socket) return ack({ ok: false, status: 404, detail: `Subscription id not found: 'Subscription ${p?.subscription} not found'` });
      this.acks.push(p);
      let cursor = p.sequence_id;
      if (sub.subscriberId) {
        const c = this.api.cursors.get(sub.subscriberId)!;
        c.last = Math.max(c.last, p.sequence_id);
        cursor = c.last;
      }
      ack({ ok: true, cursor });
    });
    socket.on('unsubscribe', (p: { subscription: number }, ack: (a: unknown) => void) => {
      this.subs.delete(p?.subscription);
      ack({ ok: true });
    });
    socket.on('disconnect', () => {
      for (const sub of [...this.subs.values()]) if (sub.socket === socket) this.subs.delete(sub.id);
    });
  }
}
