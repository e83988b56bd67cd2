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
