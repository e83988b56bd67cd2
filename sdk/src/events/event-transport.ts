/**
 * The interface between a {@link Subscription} and the transport that feeds it (socket.io or HTTP
 * long-poll): the subscription hands each transport a host with the operations it may use, and
 * drives the transport through {@link EventTransport}.
 */
import type { ClientContext } from '../context.js';
import type { AckTracker, Track } from './ack-tracker.js';
import type { ParsedEvent } from './codec.js';
import type { SubscribeOptions, SubscriptionState } from './types.js';

/** The parser module, loaded on first use so the core bundle does not carry cloudevents. */
export type Codec = typeof import('./codec.js');

/** What a transport may do with its subscription. */
export interface TransportHost {
  readonly ctx: ClientContext;
  readonly opts: SubscribeOptions;
  readonly channel: string;
  readonly codec: Codec;
  /** Aborted when the subscription closes. */
  readonly signal: AbortSignal;
  /** The acknowledgement low-water mark and the highest sequence seen (read only). */
  readonly tracker: Pick<AckTracker, 'mark' | 'highestSeen'>;
  state(): SubscriptionState;
  /** Buffered deliveries, and the most that may be buffered. */
  depth(): number;
  readonly maxBuffered: number;
  closing(): boolean;
  setState(state: SubscriptionState): void;
  /** The server confirmed the subscription for the first time. */
  subscribed(resumedFrom: number | null): void;
  heartbeat(): void;
  /** Filters, de-duplicates and buffers one event; the track, or undefined when dropped as a duplicate. */
  ingest(parsed: ParsedEvent, replayed: boolean): Track | undefined;
  protocolError(error: unknown, seq: number | null): void;
  /** Reports (and with `backfill`, fills from the history) events that may have been lost. */
  gap(from: number, to: number, certain: boolean): Promise<void>;
  /** Closes the subscription, with an error when it failed. */
  closeWith(error: unknown, reason?: string): Promise<void>;
  countReconnect(): void;
  /** Delivery one at a time (long-poll acknowledges by asking for the next event). */
  serialize(): void;
  /** socket.io is not available: continue on long-poll. */
  degrade(): void;
  /** Sleeps, rejecting when the subscription closes. */
  sleep(ms: number): Promise<void>;
}

/** A transport feeding a subscription. */
export interface EventTransport {
  readonly name: 'socket.io' | 'long-poll';
  /** Connects and subscribes; resolves once subscribed (socket.io) or runs until closed (long-poll). */
  start(): Promise<void>;
  /** The low-water mark advanced: acknowledge it (coalesced). */
  acknowledged(): void;
  /** A delivery left the buffer: resume if paused for back-pressure. */
  relieved(): void;
  /** Flushes acknowledgements and unsubscribes; called once, when the subscription closes. */
  stop(): Promise<void>;
}
