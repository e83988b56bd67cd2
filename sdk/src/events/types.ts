/**
 * Public types of the event subscriber (SDK A11). Payloads keep the server's field names
 * (docs/events.md#event-envelope); options are camelCase.
 */
import type { MaestroError, ProtocolError } from '../errors.js';
import type { NodeKind, NodeResult, NodeState } from '../states.js';
import type { Node } from '../types.js';

/** The CloudEvent attributes a delivery exposes (a `cloudevents` `CloudEvent` instance at run time). */
export interface CloudEventLike {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time?: string;
  readonly data?: unknown;
  readonly [extension: string]: unknown;
}

/** The data of a node event (docs/events.md#event-envelope). Events published by clients may carry anything. */
export interface NodeEventPayload {
  op?: 'created' | 'updated' | string;
  id?: string;
  kind?: NodeKind | string;
  name?: string;
  path?: string[];
  group?: string | null;
  state?: NodeState | string;
  result?: NodeResult | string | null;
  owner?: string | null;
  data?: Record<string, unknown> | null;
  is_hierarchy?: boolean;
  previous_state?: NodeState | string | null;
  previous_result?: NodeResult | string | null;
  [key: string]: unknown;
}

type OneOrMany<T> = T | readonly T[];

/** Event filter (sdk/README.md#events-delivery-guarantees): keys are ANDed, arrays are any-of, `path` matches when the payload's path contains the value. */
export interface EventFilter {
  kind?: OneOrMany<NodeKind | (string & {})>;
  state?: OneOrMany<NodeState | (string & {})>;
  result?: OneOrMany<NodeResult | (string & {})>;
  op?: OneOrMany<'created' | 'updated' | (string & {})>;
  name?: OneOrMany<string>;
  group?: OneOrMany<string>;
  owner?: OneOrMany<string>;
  node_id?: OneOrMany<string>;
  path?: OneOrMany<string>;
}

/** Handler failure policy (sdk/README.md#events-delivery-guarantees). */
export interface HandlerErrorPolicy {
  /** Retries with the shared backoff before `then`; default 5. */
  retries?: number;
  /** `"dead-letter"` (default) calls `onDeadLetter` then acknowledges; `"stop"` closes the subscription. */
  then?: 'dead-letter' | 'stop';
}

/** Options of `events.subscribe` and `events.consume`. */
export interface SubscribeOptions {
  /** Channel; default `node`. */
  channel?: string;
  /** Durable subscriber id, a stable `<service>:<channel>` name (sdk/README.md#events-delivery-guarantees). */
  subscriberId?: string;
  /** `"now"` (default) or the sequence number after which to start (`0` replays everything retained; socket.io only). */
  from?: 'now' | number;
  filter?: EventFilter;
  /** Receive events about every user's nodes; implied by `filter.owner`. */
  promiscuous?: boolean;
  /** Turn level events into edges (sdk/README.md#events-delivery-guarantees). */
  transitionsOnly?: boolean | { onMissingPrevious?: 'drop' | 'deliver' };
  /** Parallel handlers (callback form); default 1. Events about one node still run one at a time. */
  concurrency?: number;
  /** Buffered deliveries before backpressure; default 1000. */
  maxBuffered?: number;
  /** Iterator form: acknowledge a delivery when the loop asks for the next one; default true. */
  autoAck?: boolean;
  /** Aborts a handler's `ctx.signal` after this long and counts it as a failure. */
  handlerTimeoutMs?: number;
  onHandlerError?: HandlerErrorPolicy;
  /** Called when a handler has failed for good; logs at error level by default. */
  onDeadLetter?: (delivery: Delivery, error: unknown) => void | Promise<void>;
  /** Called for events that are not valid CloudEvents; they are then acknowledged and skipped. */
  onProtocolError?: (error: ProtocolError) => void;
  /** What a gap does (sdk/README.md#events-delivery-guarantees); default `"backfill"` for durable subscriptions, `"emit"` otherwise. */
  onGap?: 'backfill' | 'emit' | 'error';
  /** Transport: `"auto"` (default: socket.io, long-poll in KernelCI mode or without a realtime endpoint). */
  transport?: 'auto' | 'socket.io' | 'long-poll';
  /** Aborting it closes the subscription without draining. */
  signal?: AbortSignal;
}

/** One delivered event (sdk/README.md#events-delivery-guarantees). */
export interface Delivery {
  readonly event: CloudEventLike;
  /** The event's data under wire names. */
  readonly payload: NodeEventPayload;
  /** `_sequence_id`, or null (KernelCI replays). */
  readonly sequence: number | null;
  /** True for catch-up and backfilled events. */
  readonly replayed: boolean;
  readonly channel: string;
  readonly receivedAt: Date;
  /** Acknowledges the delivery (iterator form). */
  ack(): void;
  /** Puts the delivery back to be handled again after `delayMs`. */
  nack(opts?: { delayMs?: number }): void;
  /** The node named by the payload, read once and cached. */
  node(): Promise<Node>;
}

/** What a callback handler receives besides the delivery. */
export interface HandlerContext {
  /** Aborted on handler timeout or on a non-draining close. */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Subscription states (sdk/README.md#events-delivery-guarantees). */
export type SubscriptionState =
  | { type: 'connecting' }
  | { type: 'subscribed'; resumedFrom: number | null }
  | { type: 'reconnecting'; attempt: number; delayMs: number; cause?: unknown }
  | { type: 'resumed'; replayed: number }
  | { type: 'gap'; from: number; to: number; certain: boolean }
  | { type: 'degraded'; transport: 'long-poll' }
  | { type: 'closing' }
  | { type: 'closed'; reason: string; error?: MaestroError | unknown };

/** Counters of `sub.stats()`. */
export interface SubscriptionStats {
  delivered: number;
  acked: number;
  duplicatesDropped: number;
  gaps: number;
  queueDepth: number;
  reconnects: number;
}

/** Options of `sub.close()` (sdk/README.md#events-delivery-guarantees). */
export interface CloseOptions {
  /** Let in-flight handlers finish (until `timeoutMs`); default true. */
  drain?: boolean;
  /** Default 30 000 ms. */
  timeoutMs?: number;
}

/** An event of `events.history` (docs/events.md#event-history-get-events). */
export interface StoredEvent {
  timestamp: string;
  sequence_id: number;
  channel: string;
  owner: string | null;
  data: NodeEventPayload;
  id: string;
}

/** Filter of `events.history`. */
export interface HistoryFilter {
  channel?: string;
  kind?: string;
  state?: string;
  result?: string;
  op?: string;
  name?: string;
  group?: string;
  owner?: string;
  node_id?: string;
  /** Regular expression on `data.path`. */
  path?: string;
  /** Only events strictly after this time. */
  from?: Date | string;
  /** Page size; always sent (default 100). */
  pageSize?: number;
}
