import type { Logger } from '@nestjs/common';
import type { SubscriptionRecord } from '../../storage/ports';
import type { SubscriptionClosedReason } from '../dto/realtime.dto';
import { SAFETY_POLL_MS, type EventFanout } from '../fanout/event-fanout';
import type { SubscriptionsService } from '../subscriptions.service';
import { EventPacketWriter } from './event-packet';
import type { PubSubSocket } from './realtime.protocol';
import type { SocketWriteGate } from './socket-write-gate';

/** Flow control: a durable subscription stops at this many unacknowledged events (docs/realtime.md). */
export const MAX_UNACKNOWLEDGED = 1000;
const BATCH = 1000;

/**
 * One socket.io subscription: takes its events from the process's fan-out (docs/events.md#delivery-fan-out)
 * after its read position and writes them in sequence order, each message's shared part encoded once
 * per process (EventPacketWriter).
 * Non-durable streams advance on delivery; durable ones keep at most 1000 events in flight and
 * their cursor moves only on `ack`. Every stream pauses while its connection's write gate is full
 * (a slow client), and reads on from its position once engine.io has flushed.
 */
export class SocketStream {
  /** The last event emitted (what `ack` may name). */
  private sent: number;
  /** Where the next read starts: at or past `sent` (events in between did not pass the filters). */
  private position: number;
  private unfollow: (() => void) | undefined;
  private acknowledged: number;
  private readonly inFlight: number[] = [];
  private closed = false;
  private kick = new AbortController();
  /**
   * Streams opened together (a reconnect, a deployment's subscribers) would otherwise touch their
   * rows together every period, a burst of one UPDATE per stream on the pool: the first touch comes
   * at a random point of the first period.
   */
  private lastTouch: number;
  private readonly writer: EventPacketWriter;

  constructor(
    readonly subscription: SubscriptionRecord,
    private readonly socket: PubSubSocket,
    private readonly gate: SocketWriteGate,
    private readonly fanout: EventFanout,
    private readonly subscriptions: SubscriptionsService,
    defaultSource: string,
    private readonly touchEveryMs: number,
    private readonly logger: Logger,
    private readonly onClosed: (stream: SocketStream) => void,
  ) {
    this.sent = subscription.position;
    this.position = subscription.position;
    this.acknowledged = subscription.position;
    this.writer = new EventPacketWriter(socket, subscription.id, defaultSource);
    this.lastTouch = Date.now() - Math.random() * touchEveryMs;
  }

  get durable(): boolean {
    return this.subscription.subscriberId !== null;
  }

  start(): void {
    this.unfollow = this.fanout.follow(this.subscription.channel);
    void this.run();
  }

  private async run(): Promise<void> {
    let failing = false;
    const channel = this.subscription.channel;
    while (!this.closed) {
      const generation = this.fanout.generation(channel);
      let more = false;
      const backedUp = this.gate.room === 0;
      try {
        const room = Math.min(this.durable ? MAX_UNACKNOWLEDGED - this.inFlight.length : BATCH, this.gate.room);
        if (room > 0) {
          const limit = Math.min(BATCH, room);
          const { events, cursor } = await this.fanout.read({
            channel,
            afterSequence: this.position,
            visibleTo: this.subscription.promiscuous ? undefined : this.subscription.user,
            payload: this.subscription.filter ?? undefined,
            limit,
          });
          if (this.closed) return;
          // One synchronous loop: engine.io flushes these writes to the socket together.
          for (const event of events) {
            this.gate.sending(1);
            this.writer.write(event);
            this.sent = event.sequenceId;
            if (this.durable) this.inFlight.push(event.sequenceId);
          }
          this.position = Math.max(this.position, cursor);
          more = events.length === limit;
        }
        if (Date.now() - this.lastTouch >= this.touchEveryMs) {
          this.lastTouch = Date.now();
          const alive = await this.subscriptions.acknowledgeUpTo(this.subscription, this.durable ? this.acknowledged : this.sent);
          if (alive === null) return this.close('expired');
        }
        failing = false;
      } catch (error) {
        if (!failing) this.logger.warn(`socket.io subscription ${this.subscription.id}: event store unavailable (${(error as Error).message})`);
        failing = true;
      }
      if (this.closed) return;
      if (more) {
        // A backlog served from memory would otherwise be emitted in one turn of the event loop:
        // let socket writes and other streams run between batches.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (backedUp) {
        await this.gate.drained(this.kick.signal, Math.min(SAFETY_POLL_MS, this.touchEveryMs));
        if (this.kick.signal.aborted) this.kick = new AbortController();
        continue;
      }
      await this.fanout.wait(channel, generation, Math.min(SAFETY_POLL_MS, this.touchEveryMs), this.kick.signal);
      if (this.kick.signal.aborted) this.kick = new AbortController();
    }
  }

  /** `ack`: returns the cursor, or an error text when `sequenceId` was never delivered. */
  async ack(sequenceId: number): Promise<{ cursor: number } | { error: string; status: number }> {
    if (sequenceId > this.sent) return { status: 422, error: `sequence_id ${sequenceId} has not been delivered on subscription ${this.subscription.id}` };
    this.acknowledged = Math.max(this.acknowledged, sequenceId);
    while (this.inFlight.length > 0 && this.inFlight[0] <= sequenceId) this.inFlight.shift();
    this.kick.abort();
    const cursor = await this.subscriptions.acknowledgeUpTo(this.subscription, this.acknowledged);
    if (cursor === null) {
      this.close('expired');
      return { status: 404, error: `Subscription id not found: 'Subscription ${this.subscription.id} not found'` };
    }
    this.lastTouch = Date.now();
    return { cursor };
  }

  /** Stops the stream; with a reason, tells the client why (docs/realtime.md `subscription_closed`). */
  close(reason?: SubscriptionClosedReason): void {
    if (this.closed) return;
    this.closed = true;
    this.unfollow?.();
    this.kick.abort();
    if (reason) this.socket.emit('subscription_closed', { subscription: this.subscription.id, reason });
    this.onClosed(this);
  }
}
