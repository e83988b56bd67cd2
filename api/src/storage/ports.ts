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

/** Raised by adapters when a unique constraint rejects a write; services turn it into a 400/409. */
export class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`duplicate key: ${key}`);
    this.name = 'DuplicateKeyError';
  }
}

export interface NodeRepository {
  insert(node: NodeRecord): Promise<void>;
  findById(id: string): Promise<NodeRecord | null>;
  /** Matching nodes in natural (insertion) order, or in `sort` order after the keyset position. */
  list(query: NodeListQuery): Promise<NodeRecord[]>;
  count(filter: NodeFilter): Promise<number>;
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

export interface Repositories {
  nodes: NodeRepository;
  users: UserRepository;
  groups: GroupRepository;
  leases: LeaseRepository;
  apiTokens: ApiTokenRepository;
  rateLimits: RateLimitRepository;
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
