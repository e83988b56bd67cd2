/**
 * The socket.io transport of a subscription: subscribes on the client's shared connection, resumes
 * from the acknowledgement mark after a reconnect, acknowledges the mark (coalesced), unsubscribes
 * while the buffer is full (non-durable subscriptions) and holds live events while a gap is filled.
 */
import { backoffDelay } from '../backoff.js';
import { ConflictError, ForbiddenError, SubscriptionReplacedError, UnauthorizedError } from '../errors.js';
import type { ParsedEvent } from './codec.js';
import type { EventTransport, TransportHost } from './event-transport.js';
import { toServerFilter } from './filter.js';
import type { SocketHub, SocketListener } from './socket.js';

const ACK_COALESCE_MS = 250;
/**
 * Acknowledge at once after this many advances of the mark: the server holds a durable
 * subscription at 1,000 unacknowledged events (docs/realtime.md), so an acknowledgement only every
 * 250 ms would cap a catch-up at about 4,000 events/s whatever the server can send.
 */
const ACK_EVERY_EVENTS = 250;
const RESUBSCRIBE_BACKOFF = { baseDelayMs: 1_000, maxDelayMs: 30_000 };

type SocketMessage = Parameters<SocketListener['onEvent']>[0];

/** Feeds a subscription from socket.io. */
export class SocketTransport implements EventTransport {
  readonly name = 'socket.io' as const;
  readonly #host: TransportHost;
  #hub: SocketHub | undefined;
  #listener: SocketListener | undefined;
  #subscription: number | null = null;
  #paused = false;
  #held: SocketMessage[] | null = null;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #sentMark: number | null = null;
  #advancesSinceAck = 0;

  constructor(host: TransportHost) {
    this.#host = host;
  }

  async start(): Promise<void> {
    const { hubOf } = await import('./socket.js');
    if (this.#host.closing()) return;
    this.#hub = hubOf(this.#host.ctx);
    this.#listener = this.#socketListener();
    this.#hub.attach(this.#listener);
    await this.#hub.connected();
    if (!this.#host.closing()) await this.#subscribe(false);
  }

  #fail(error: unknown): void {
    if (!this.#host.closing()) void this.#host.closeWith(error);
  }

  #socketListener(): SocketListener {
    const host = this.#host;
    return {
      onEvent: (message) => {
        if (this.#held) this.#held.push(message);
        else this.#ingest(message);
      },
      onClosed: (reason) => {
        this.#subscription = null;
        if (host.closing()) return;
        if (reason === 'replaced') {
          void host.closeWith(new SubscriptionReplacedError('another consumer took over this durable subscriber id', { subscriberId: host.opts.subscriberId }));
        } else if (reason === 'unauthorized') {
          void host.closeWith(new UnauthorizedError({ status: 401, detail: 'Unauthorized' }));
        } else if (reason === 'expired') {
          void this.#resubscribeLater(1, reason);
        } else {
          void host.closeWith(undefined, reason);
        }
      },
      onReconnected: () => {
        if (host.closing() || host.state().type === 'connecting') return;
        host.countReconnect();
        void this.#subscribe(true).catch((error) => this.#fail(error));
      },
      onDisconnected: (cause) => {
        this.#subscription = null;
        if (!host.closing()) host.setState({ type: 'reconnecting', attempt: 0, delayMs: 0, cause });
      },
      onReconnecting: (attempt, cause) => {
        if (!host.closing()) host.setState({ type: 'reconnecting', attempt, delayMs: 0, cause });
      },
      onHeartbeat: () => host.heartbeat(),
      onFatal: (kind, cause) => {
        if (host.closing()) return;
        if (kind === 'unauthorized') {
          void host.closeWith(new UnauthorizedError({ status: 401, detail: 'Unauthorized', cause }));
          return;
        }
        // No realtime endpoint: long-poll for the rest of this subscription's life.
        this.#detach();
        host.degrade();
      },
    };
  }

  #detach(): void {
    if (this.#hub && this.#listener) this.#hub.detach(this.#listener);
    this.#hub = undefined;
    this.#listener = undefined;
  }

  async #resubscribeLater(attempt: number, cause: unknown): Promise<void> {
    const delayMs = backoffDelay(attempt, RESUBSCRIBE_BACKOFF);
    this.#host.setState({ type: 'reconnecting', attempt, delayMs, cause });
    try {
      await this.#host.sleep(delayMs);
      if (!this.#host.closing() && this.#hub?.isConnected) await this.#subscribe(true);
    } catch (error) {
      this.#fail(error);
    }
  }

  async #subscribe(resuming: boolean): Promise<void> {
    const host = this.#host;
    const hub = this.#hub!;
    const filter = toServerFilter(host.opts.filter);
    const promisc = host.opts.promiscuous === true || host.opts.filter?.owner !== undefined;
    let from: number | undefined;
    if (host.tracker.mark !== null) from = host.tracker.mark;
    else if (!resuming && typeof host.opts.from === 'number') from = host.opts.from;
    const payload = {
      channel: host.channel,
      ...(filter ? { filter } : {}),
      ...(promisc ? { promisc: true } : {}),
      ...(host.opts.subscriberId ? { subscriber_id: host.opts.subscriberId } : {}),
      ...(from !== undefined ? { from_sequence: from } : {}),
    };
    let ack: { subscription: number; cursor: number; oldest_sequence_id: number | null };
    try {
      ack = await hub.request<typeof ack>('subscribe', payload);
    } catch (error) {
      if (ForbiddenError.is(error) || ConflictError.is(error) || UnauthorizedError.is(error)) {
        await host.closeWith(error);
        return;
      }
      throw error;
    }
    if (host.closing()) {
      await hub.request('unsubscribe', { subscription: ack.subscription }).catch(() => undefined);
      return;
    }
    this.#subscription = ack.subscription;
    // A resume (from a mark, a start sequence or a durable cursor) that starts before the oldest
    // retained event may have missed the expired ones.
    const resumed = from !== undefined || host.opts.subscriberId !== undefined;
    const gap = resumed && ack.oldest_sequence_id !== null && ack.oldest_sequence_id > ack.cursor + 1;
    if (gap) this.#held = [];
    hub.bind(ack.subscription, this.#listener!);
    if (resuming) {
      const replayed = host.tracker.highestSeen !== null && host.tracker.highestSeen > ack.cursor ? host.tracker.highestSeen - ack.cursor : 0;
      host.setState({ type: 'resumed', replayed });
    } else {
      host.subscribed(from ?? null);
    }
    if (gap) {
      try {
        await host.gap(ack.cursor + 1, ack.oldest_sequence_id! - 1, false);
      } finally {
        // Live events that arrived while the gap was filled follow it, in order.
        const held = this.#held ?? [];
        this.#held = null;
        for (const m of held) this.#ingest(m);
      }
    }
  }

  #ingest(message: SocketMessage): void {
    const host = this.#host;
    if (host.closing()) return;
    let parsed: ParsedEvent;
    try {
      parsed = host.codec.parseCloudEvent(message.event);
    } catch (error) {
      host.protocolError(error, typeof message?.sequence_id === 'number' ? message.sequence_id : null);
      return;
    }
    if (parsed.sequence === null && typeof message.sequence_id === 'number') parsed = { ...parsed, sequence: message.sequence_id };
    host.ingest(parsed, false);
    this.#applyBackpressure();
  }

  #applyBackpressure(): void {
    // Non-durable subscriptions unsubscribe when the buffer is full and resume from the mark.
    const host = this.#host;
    if (host.opts.subscriberId || this.#paused) return;
    if (host.depth() < host.maxBuffered || this.#subscription === null) return;
    this.#paused = true;
    const id = this.#subscription;
    this.#subscription = null;
    this.#hub?.unbind(id);
    void this.#hub?.request('unsubscribe', { subscription: id }).catch(() => undefined);
  }

  relieved(): void {
    const host = this.#host;
    if (!this.#paused || host.depth() > host.maxBuffered / 2 || host.closing()) return;
    this.#paused = false;
    void this.#subscribe(true).catch((error) => this.#fail(error));
  }

  acknowledged(): void {
    this.#advancesSinceAck += 1;
    if (this.#advancesSinceAck >= ACK_EVERY_EVENTS) {
      void this.#flushAck();
      return;
    }
    if (this.#ackTimer !== undefined) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      void this.#flushAck();
    }, ACK_COALESCE_MS);
  }

  async #flushAck(): Promise<void> {
    if (this.#ackTimer !== undefined) {
      clearTimeout(this.#ackTimer);
      this.#ackTimer = undefined;
    }
    this.#advancesSinceAck = 0;
    const mark = this.#host.tracker.mark;
    if (mark === null || this.#subscription === null || !this.#hub || (this.#sentMark !== null && mark <= this.#sentMark)) return;
    try {
      await this.#hub.request('ack', { subscription: this.#subscription, sequence_id: mark });
      if (this.#sentMark === null || mark > this.#sentMark) this.#sentMark = mark;
    } catch (error) {
      this.#host.ctx.logger.warn('acknowledgement failed; the events will be redelivered and de-duplicated', { error: String(error) });
    }
  }

  async stop(): Promise<void> {
    await this.#flushAck();
    if (this.#subscription !== null && this.#hub?.isConnected) {
      await this.#hub.request('unsubscribe', { subscription: this.#subscription }).catch(() => undefined);
    }
    this.#subscription = null;
    if (this.#ackTimer !== undefined) clearTimeout(this.#ackTimer);
    this.#detach();
  }
}
