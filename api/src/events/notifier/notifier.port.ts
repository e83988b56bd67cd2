/**
 * Wakes subscribers when something changed in the event log or in a subscription. Messages are
 * hints: the database carries the data, so a lost message only delays delivery until the next
 * safety poll (docs/architecture.md). In process by default; Redis pub/sub with REDIS_URL so that several
 * replicas over one database wake each other's subscribers.
 */
export type NotifierMessage =
  /** An event of `channel` with this sequence id was committed (`channel` absent: any channel). */
  | { kind: 'events'; sequenceId: number; channel?: string }
  /** A subscription was ended elsewhere (replaced by another socket, unsubscribed, reaped). */
  | { kind: 'subscription-closed'; subscription: number; reason: 'replaced' | 'unsubscribed' | 'expired' }
  /** An item was pushed to (or put back on) a queue list (docs/queues-kv.md). */
  | { kind: 'queue'; list: string };

export interface EventNotifier {
  publish(message: NotifierMessage): void;
  /** Returns the function that removes the listener. */
  subscribe(listener: (message: NotifierMessage) => void): () => void;
  /** Readiness: false while a cross-replica notifier has lost its connection (`GET /readyz`). */
  isConnected(): boolean;
}

export const EVENT_NOTIFIER = Symbol('EVENT_NOTIFIER');
