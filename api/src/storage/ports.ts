/**
 * Storage ports: what features need from a database, in domain types only. Two adapters implement
 * them (PostgreSQL/PGlite in storage/postgres, MongoDB in storage/mongo) and both must pass the shared
 * contract suite in storage/contract. Nothing outside storage/ imports a driver.
 */
import type { NodeFilter } from '../common/query/filter-model';

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

export interface UserRepository {
  findById(id: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  /** Case-insensitive lookup (emails are unique regardless of case, contract §4.1). */
  findByEmail(email: string): Promise<UserRecord | null>;
  /** @throws DuplicateKeyError when the username or (case-insensitively) the email is taken. */
  insert(user: UserRecord): Promise<void>;
  update(user: UserRecord): Promise<void>;
  hasSuperuser(): Promise<boolean>;
}

export interface GroupRepository {
  findByName(name: string): Promise<GroupRecord | null>;
  /** @throws DuplicateKeyError when the name is taken. */
  insert(group: GroupRecord): Promise<void>;
}

/** Leases for background jobs that run on one replica at a time (contract §1). */
export interface LeaseRepository {
  /** Takes or renews the lease `name` for `holder` until now + ttlMs; false when another holder has it. */
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early (only if `holder` still has it). */
  release(name: string, holder: string): Promise<void>;
}

export interface Repositories {
  nodes: NodeRepository;
  idempotency: IdempotencyRepository;
  users: UserRepository;
  groups: GroupRepository;
  leases: LeaseRepository;
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
