/**
 * Storage ports: what features need from a database, in domain types only. Two adapters implement
 * them (PostgreSQL/PGlite in storage/postgres, MongoDB in storage/mongo) and both must pass the shared
 * contract suite in storage/contract. Nothing outside storage/ imports a driver.
 */
import type { NodeFilter } from '../common/query/filter-model';
import type { KeyValueRepository } from './ports/kv.port';
import type { QueueRepository } from './ports/queue.port';
import type { TelemetryRepository } from './ports/telemetry.port';

export * from './ports/kv.port';
export * from './ports/queue.port';
export * from './ports/telemetry.port';

export type NodeState = 'running' | 'available' | 'closing' | 'done';
export type NodeResult = 'pass' | 'fail' | 'skip' | 'incomplete';

/** A node as stored: the 23 fields of contract §6.1 with real dates. */
export interface NodeRecord {
  id: string;
  kind: string;
  name: string;
  path: string[];
  group: string | null;
  parent: string | null;
  state: NodeState;
  result: NodeResult | null;
  artifacts: Record<string, string> | null;
  data: Record<string, unknown> | null;
  debug: Record<string, unknown> | null;
  jobfilter: string[] | null;
  platform_filter: string[] | null;
  created: Date;
  updated: Date;
  timeout: Date;
  holdoff: Date | null;
  owner: string | null;
  submitter: string | null;
  treeid: string | null;
  user_groups: string[];
  processed_by_kcidb_bridge: boolean;
  retry_counter: number;
}

export type SortField = 'id' | 'created' | 'updated';
export interface NodeSort {
  field: SortField;
  descending: boolean;
}

/** Position after which a keyset page starts: the last item's sort value and id. */
export interface KeysetPosition {
  value: string | Date;
  id: string;
}

export interface NodeListQuery {
  filter: NodeFilter;
  limit?: number;
  offset?: number;
  sort?: NodeSort;
  after?: KeysetPosition;
}

export interface UserGroupRef {
  id: string;
  name: string;
}

export interface UserRecord {
  id: string;
  email: string;
  hashedPassword: string;
  isActive: boolean;
  isSuperuser: boolean;
  isVerified: boolean;
  username: string;
  groups: UserGroupRef[];
}

export interface GroupRecord {
  id: string;
  name: string;
}

/** Raised by adapters when the database refuses a filter value (e.g. a regular expression it cannot compile). */
export class InvalidFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidFilterError';
  }
}

/** Raised by adapters when a read ran longer than its `timeoutMs`. */
export class QueryTimeoutError extends Error {
  constructor() {
    super('query timed out');
    this.name = 'QueryTimeoutError';
  }
}

/** Raised by adapters when a unique constraint rejects a write; services turn it into a 400/409. */
export class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key: ${key}`);
    this.name = 'DuplicateKeyError';
  }
}

/** Options of a read that a request may not let run forever (contract §7.3, §8.1). */
export interface QueryOptions {
  /** Abandon the statement after this many milliseconds with {@link QueryTimeoutError}. */
  timeoutMs?: number;
}

/** A lifecycle or batch transition: the node as written and its state/result before (contract §9.1). */
export interface NodeTransition {
  node: NodeRecord;
  previous: { state: NodeState; result: NodeResult | null };
}

export interface NodeRepository {
  insert(node: NodeRecord): Promise<void>;
  /** Inserts many nodes with a bounded number of statements (hierarchy submissions, bulk seeding). */
  insertMany(nodes: NodeRecord[]): Promise<void>;
  /**
   * `forUpdate` locks the row until the surrounding transaction ends, so that a compare (If-Match,
   * permission, transition) and the write that follows are atomic (contract §7.11).
   */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<NodeRecord | null>;
  /** The nodes that exist among `ids`, in no particular order. */
  findByIds(ids: string[]): Promise<NodeRecord[]>;
  /** Replaces every field of the node with id `node.id`; returns the node as stored, null if gone. */
  update(node: NodeRecord): Promise<NodeRecord | null>;
  /** Replaces many nodes with a bounded number of statements. */
  updateMany(nodes: NodeRecord[]): Promise<void>;
  /** Sets `processed_by_kcidb_bridge` and bumps `updated` (contract §7.9). */
  setKcidbFlag(id: string, value: boolean, updated: Date): Promise<void>;
  /**
   * Matching nodes in natural (insertion) order, or in `sort` order after the keyset position.
   * @throws InvalidFilterError for a pattern the database refuses; QueryTimeoutError on time-out.
   */
  list(query: NodeListQuery, options?: QueryOptions): Promise<NodeRecord[]>;
  count(filter: NodeFilter, options?: QueryOptions): Promise<number>;
  /**
   * Lifecycle rules of contract §9.1, each over at most `limit` nodes in one statement; a node is
   * written only if it still matches (state and `updated` as selected), and rows another replica
   * is transitioning are skipped, so every transition happens once.
   */
  applyTimeouts(now: Date, limit: number): Promise<NodeTransition[]>;
  applyHoldoffs(now: Date, limit: number): Promise<NodeTransition[]>;
  closeFinished(now: Date, limit: number): Promise<NodeTransition[]>;
  /** Deletes up to `limit` non-checkout nodes created before `before`, lowest ids first (§9.2). */
  purgeBatch(before: Date, limit: number): Promise<number>;
}

/** A recorded `Idempotency-Key` use (contract §7.10). */
export interface IdempotencyScope {
  userId: string;
  method: string;
  path: string;
  key: string;
}

export type IdempotencyBegin =
  | { outcome: 'started' }
  | { outcome: 'completed'; fingerprint: string; status: number; response: unknown }
  | { outcome: 'in_progress'; fingerprint: string };

export interface IdempotencyRepository {
  /**
   * Claims the scope for a new execution, unless a live record exists: a completed one younger than
   * `ttlMs`, or an in-progress one younger than `inProgressTtlMs`. Expired records are replaced.
   */
  begin(scope: IdempotencyScope, fingerprint: string, ttlMs: number, inProgressTtlMs: number): Promise<IdempotencyBegin>;
  /** Records the outcome (call inside the write's transaction, so both commit together). */
  complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void>;
  /** Drops an in-progress claim whose execution failed (nothing was committed). */
  abandon(scope: IdempotencyScope): Promise<void>;
  /** Deletes records older than `before`; returns how many. */
  deleteOlderThan(before: Date): Promise<number>;
}

/**
 * One exact-match condition of `GET /users` / `GET /user-groups` (contract §4.3, §5): a field of the
 * stored document (`username`, `groups.name`, `is_superuser`, …) and a string or boolean. A field the
 * adapter does not know, or a value of the wrong type, matches nothing (as in MongoDB).
 */
export interface ExactMatch {
  field: string;
  value: string | boolean;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface UserRepository {
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  /** Case-insensitive lookup (emails are unique regardless of case, contract §4.1). */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** @throws DuplicateKeyError when the username or (case-insensitively) the email is taken. */
  insert(user: UserRecord): Promise<void>;
  /** @throws DuplicateKeyError when the new username or email is taken. */
  update(user: UserRecord): Promise<void>;
  hasSuperuser(): Promise<boolean>;
  /** Matching users in natural (insertion) order. */
  list(filter: ExactMatch[], page: PageRequest): Promise<UserRecord[]>;
  count(filter: ExactMatch[]): Promise<number>;
  /** False when no user has that id. */
  delete(id: string): Promise<boolean>;
  /** True when any user carries a group of that name (contract §5: such a group cannot be deleted). */
  anyInGroup(groupName: string): Promise<boolean>;
}

export interface GroupRepository {
  findById(id: string): Promise<GroupRecord | null>;
  findByName(name: string): Promise<GroupRecord | null>;
  /** @throws DuplicateKeyError when the name is taken. */
  insert(group: GroupRecord): Promise<void>;
  /** Matching groups in natural (insertion) order; fields `id` and `name`. */
  list(filter: ExactMatch[], page: PageRequest): Promise<GroupRecord[]>;
  count(filter: ExactMatch[]): Promise<number>;
  /** False when no group has that id. */
  delete(id: string): Promise<boolean>;
}

/** An API token as stored (contract §4.2.2, §11.1 `maestro_apitoken`): never the plaintext. */
export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  /** `mst_` and the next 4 characters, shown in listings. */
  prefix: string;
  /** SHA-256 hex of the plaintext. */
  tokenHash: string;
  created: Date;
  expiresAt: Date | null;
  lastUsed: Date | null;
  revokedAt: Date | null;
}

export interface ApiTokenRepository {
  /** @throws DuplicateKeyError when the hash is taken (never in practice: 256 random bits). */
  insert(token: ApiTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  /** The user's tokens, newest first, revoked ones included. */
  listByUser(userId: string): Promise<ApiTokenRecord[]>;
  /** Sets `revokedAt` unless already set; false when the user has no token with that id. */
  revoke(userId: string, id: string, at: Date): Promise<boolean>;
  /** Records a use unless one was recorded less than `minIntervalMs` before `at` (§4.4: once a minute). */
  touch(id: string, at: Date, minIntervalMs: number): Promise<void>;
  deleteByUser(userId: string): Promise<void>;
  /** Removes tokens revoked or expired before `before` (§11.1: kept 30 days). */
  purge(before: Date): Promise<number>;
}

/** A failure counter of the login rate limit (contract §4.9, §11.1 `maestro_ratelimit`). */
export interface RateLimitRecord {
  key: string;
  count: number;
  windowStart: Date;
  expires: Date;
}

export interface RateLimitRepository {
  /** The counters among `keys` whose window has not ended at `now`. */
  active(keys: string[], now: Date): Promise<RateLimitRecord[]>;
  /**
   * Counts one failure atomically: starts a window [now, now + windowMs) with count 1 when the key
   * has none or its window ended, else increments the count. Safe under concurrent replicas.
   */
  hit(key: string, windowMs: number, now: Date): Promise<RateLimitRecord>;
  clear(key: string): Promise<void>;
  /** Deletes counters whose window ended before `now`. */
  purgeExpired(now: Date): Promise<number>;
}

/** Leases for background jobs that run on one replica at a time (contract §1). */
export interface LeaseRepository {
  /** Takes or renews the lease `name` for `holder` until now + ttlMs; false when another holder has it. */
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early (only if `holder` still has it). */
  release(name: string, holder: string): Promise<void>;
}

/**
 * The CloudEvent attributes kept with a stored event (contract §11.1 `ce`), so replays carry the
 * original id, time and extension attributes. `extensions` keeps insertion order (`owner` first).
 */
export interface StoredCloudEvent {
  id: string;
  time: string;
  type: string;
  source: string;
  specversion: string;
  extensions: Record<string, unknown>;
}

/** One `eventhistory` entry (contract §10.3, §11.1). */
export interface EventRecord {
  /** The document id (24 hex), shown by `/events`. */
  id: string;
  timestamp: Date;
  sequenceId: number;
  channel: string;
  owner: string | null;
  data: unknown;
  /** Null for documents written by KernelCI, which stored no CloudEvent attributes. */
  ce: StoredCloudEvent | null;
}

export type NewEvent = Omit<EventRecord, 'sequenceId'>;

/** The next events a subscription may receive, in sequence order (contract §10.5, §10.10). */
export interface EventStreamQuery {
  channel: string;
  afterSequence: number;
  /** Owner filter of a non-promiscuous subscription: only ownerless events and this user's. */
  visibleTo?: string;
  /** socket.io filter: each key matches when `data.<key>` is one of the values (`path`: contains one). */
  payload?: Record<string, string[]>;
  limit: number;
}

/** One condition of `GET /events` (contract §10.9); conditions are ANDed. */
export type EventHistoryCondition =
  | { field: 'channel'; value: string }
  /** `data.<path>` equals the value, or is an array containing it (MongoDB's dotted-path match). */
  | { field: 'data'; path: string[]; value: string | boolean }
  /** A regular expression matched against the elements of `data.path`. */
  | { field: 'pathRegex'; pattern: string }
  | { field: 'ids'; ids: string[] }
  | { field: 'after'; timestamp: Date }
  /** Exact match on another top-level field of the stored document (strings and booleans only). */
  | { field: 'document'; key: string; value: string | boolean };

export interface EventHistoryQuery {
  conditions: EventHistoryCondition[];
  limit?: number;
  offset?: number;
}

/** Raised by the event repository when a regular expression of a query is invalid. */
export class InvalidPatternError extends Error {
  constructor(readonly pattern: string) {
    super(`invalid regular expression: ${pattern}`);
    this.name = 'InvalidPatternError';
  }
}

export interface EventRepository {
  /**
   * Allocates the next deployment-wide sequence id and appends the event. Inside a transaction the
   * allocation is held until commit, so events become visible in sequence order (docs/adr/0005).
   * A failure leaves the surrounding transaction usable (the node write still commits, §13.12).
   */
  append(event: NewEvent): Promise<EventRecord>;
  stream(query: EventStreamQuery): Promise<EventRecord[]>;
  /** `GET /events`: matching events in natural (sequence) order. @throws InvalidPatternError */
  history(query: EventHistoryQuery): Promise<EventRecord[]>;
  /** The highest sequence id allocated so far (0 when none). */
  latestSequence(): Promise<number>;
  /** The oldest retained sequence id of a channel, or null when the channel has no event. */
  oldestSequence(channel: string): Promise<number | null>;
  /** Deletes events stored before `cutoff`; returns how many. */
  purgeOlderThan(cutoff: Date): Promise<number>;
  /** Raises the sequence counter to at least every stored sequence id and durable cursor (§11.4). */
  reconcileSequence(): Promise<void>;
}

export type SubscriptionTransport = 'http' | 'socket.io';
export type PayloadFilter = Record<string, string[]>;

/** A live subscription (contract §11.1 `maestro_subscription`). */
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
  /** Next id of the deployment-wide `subscription_id` counter (§10.4, §11.4). */
  nextId(): Promise<number>;
  insert(subscription: SubscriptionRecord): Promise<void>;
  findById(id: number): Promise<SubscriptionRecord | null>;
  list(): Promise<SubscriptionRecord[]>;
  findBySubscriberId(subscriberId: string, transport: SubscriptionTransport): Promise<SubscriptionRecord[]>;
  delete(id: number): Promise<boolean>;
  /** Compare-and-set of the delivery state; false when another listen changed it first. */
  updateDelivery(id: number, expected: DeliveryState, next: DeliveryState): Promise<boolean>;
  /** Sets `last_poll` (and raises `position` when given); false when the subscription is gone. */
  touch(id: number, at: Date, position?: number): Promise<boolean>;
  /** Deletes subscriptions polled before `cutoff`, or never polled and created before it (§10.8). */
  deleteIdle(cutoff: Date): Promise<number>;
}

/** A durable cursor (contract §10.7, §11.1 `subscriber_state`). */
export interface SubscriberStateRecord {
  subscriberId: string;
  channel: string;
  user: string;
  promiscuous: boolean;
  lastEventId: number;
  createdAt: Date;
  lastPoll: Date | null;
  filter: PayloadFilter | null;
}

export interface SubscriberStateRepository {
  find(subscriberId: string): Promise<SubscriberStateRecord | null>;
  /** @throws DuplicateKeyError when the id exists (another request created it first). */
  insert(state: SubscriberStateRecord): Promise<void>;
  updateSettings(subscriberId: string, settings: { promiscuous: boolean; filter: PayloadFilter | null }): Promise<void>;
  /** `last_event_id` = max(current, lastEventId) — cursors never move backwards; sets `last_poll` when given. */
  advance(subscriberId: string, lastEventId: number, polledAt: Date | null): Promise<number>;
  /** Deletes records polled (or, never polled, created) before `cutoff`. */
  deleteIdle(cutoff: Date): Promise<number>;
}

export interface Repositories {
  nodes: NodeRepository;
  idempotency: IdempotencyRepository;
  users: UserRepository;
  groups: GroupRepository;
  leases: LeaseRepository;
  apiTokens: ApiTokenRepository;
  rateLimits: RateLimitRepository;
  events: EventRepository;
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
  /** Runs `work` atomically: every repository call made through `tx` commits or rolls back together. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Injection token of the Storage port. */
export const STORAGE = Symbol('STORAGE');
