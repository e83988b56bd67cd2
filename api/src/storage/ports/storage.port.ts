import type { ApiTokenRepository } from './api-token.port';
import type { AuthChangeFeed } from './auth-change.port';
import type { EventRepository } from './event.port';
import type { GroupRepository } from './group.port';
import type { IdempotencyRepository } from './idempotency.port';
import type { KeyValueRepository } from './kv.port';
import type { LeaseRepository } from './lease.port';
import type { NodeRepository } from './node.port';
import type { PendingEventRepository } from './pending-event.port';
import type { QueueRepository } from './queue.port';
import type { RateLimitRepository } from './rate-limit.port';
import type { SubscriberStateRepository } from './subscriber-state.port';
import type { SubscriptionRepository } from './subscription.port';
import type { TelemetryRepository } from './telemetry.port';
import type { UserRepository } from './user.port';
import type { UsernameRepository } from './username.port';

export interface Repositories {
  nodes: NodeRepository;
  idempotency: IdempotencyRepository;
  users: UserRepository;
  usernames: UsernameRepository;
  groups: GroupRepository;
  leases: LeaseRepository;
  apiTokens: ApiTokenRepository;
  rateLimits: RateLimitRepository;
  events: EventRepository;
  /** The durable outbox of events whose append failed inside a committed write. */
  pendingEvents: PendingEventRepository;
  subscriptions: SubscriptionRepository;
  subscriberStates: SubscriberStateRepository;
  telemetry: TelemetryRepository;
  keyValues: KeyValueRepository;
  queues: QueueRepository;
  /**
   * Runs `callback` once the surrounding transaction has committed (immediately outside one, never
   * after a rollback): how a committed event wakes its subscribers (transactional outbox).
   */
  afterCommit(callback: () => void): void;
}

/** The storage port: repositories plus a unit of work that spans them (node write + event append). */
export interface Storage extends Repositories {
  readonly adapter: 'postgres' | 'mongo';
  /** Most lifecycle transitions one unit of work should hold (default: the service's batch). */
  readonly lifecycleBatch?: number;
  /** Committed changes to users and API tokens, for the caller cache (docs/adr/0018-write-path.md). */
  readonly authChanges: AuthChangeFeed;
  /** Runs `work` atomically: every repository call made through `tx` commits or rolls back together. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** One cheap round trip for `GET /readyz`: rejects when the database is unreachable or not migrated. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}

/** Injection token of the Storage port. */
export const STORAGE = Symbol('STORAGE');
