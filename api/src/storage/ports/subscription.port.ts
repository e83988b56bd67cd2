export type SubscriptionTransport = 'http' | 'socket.io';
export type PayloadFilter = Record<string, string[]>;

/** A live subscription (docs/deployment.md#running-on-mongodb `maestro_subscription`). */
export interface SubscriptionRecord {
  id: number;
  channel: string;
  user: string;
  promiscuous: boolean;
  subscriberId: string | null;
  transport: SubscriptionTransport;
  filter: PayloadFilter | null;
  created: Date;
  lastPoll: Date | null;
  /** Sequence id after which the next delivery starts. */
  position: number;
  /** Sequence id of the event handed to the last listen, not yet acknowledged. */
  delivered: number | null;
}

export interface DeliveryState {
  position: number;
  delivered: number | null;
}

export interface SubscriptionRepository {
  /** Next id of the deployment-wide `subscription_id` counter (docs/events.md#http-pubsub-kernelci-compatible, docs/deployment.md#running-on-mongodb). */
  nextId(): Promise<number>;
  insert(subscription: SubscriptionRecord): Promise<void>;
  findById(id: number): Promise<SubscriptionRecord | null>;
  list(): Promise<SubscriptionRecord[]>;
  /** Number of live subscriptions of `user` (username), for the per-user cap (docs/security.md). */
  countByUser(user: string): Promise<number>;
  findBySubscriberId(subscriberId: string, transport: SubscriptionTransport): Promise<SubscriptionRecord[]>;
  delete(id: number): Promise<boolean>;
  /** Compare-and-set of the delivery state; false when another listen changed it first. */
  updateDelivery(id: number, expected: DeliveryState, next: DeliveryState): Promise<boolean>;
  /** Sets `last_poll` (and raises `position` when given); false when the subscription is gone. */
  touch(id: number, at: Date, position?: number): Promise<boolean>;
  /** Deletes subscriptions polled before `cutoff`, or never polled and created before it (docs/events.md#http-pubsub-kernelci-compatible). */
  deleteIdle(cutoff: Date): Promise<number>;
}
