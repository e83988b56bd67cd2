import type { NodeFilter } from '../../common/query/filter-model';
import type { QueryOptions } from './errors';

export type NodeState = 'running' | 'available' | 'closing' | 'done';
export type NodeResult = 'pass' | 'fail' | 'skip' | 'incomplete';

/** A node as stored: the 23 fields of docs/nodes.md#model with real dates. */
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

/** A lifecycle or batch transition: the node as written and its state/result before (docs/nodes.md#lifecycle). */
export interface NodeTransition {
  node: NodeRecord;
  previous: { state: NodeState; result: NodeResult | null };
}

export interface NodeRepository {
  /** Inserts one node and answers it as stored (the store's own key order and time precision, as a later read gives it). */
  insert(node: NodeRecord): Promise<NodeRecord>;
  /** Inserts many nodes with a bounded number of statements (hierarchy submissions, bulk seeding). */
  insertMany(nodes: NodeRecord[]): Promise<void>;
  /**
   * `forUpdate` locks the row until the surrounding transaction ends, so that a compare (If-Match,
   * permission, transition) and the write that follows are atomic (docs/nodes.md#etag-and-if-match).
   */
  findById(id: string, options?: { forUpdate?: boolean }): Promise<NodeRecord | null>;
  /** The nodes that exist among `ids`, in no particular order. */
  findByIds(ids: string[]): Promise<NodeRecord[]>;
  /** Replaces every field of the node with id `node.id`; returns the node as stored, null if gone. */
  update(node: NodeRecord): Promise<NodeRecord | null>;
  /** Replaces many nodes with a bounded number of statements. */
  updateMany(nodes: NodeRecord[]): Promise<void>;
  /**
   * Replaces the nodes of `update` and inserts those of `insert` (in the given order, as
   * `insertMany`) with a bounded number of statements — one per 2,000 nodes on PostgreSQL — and
   * answers every written node as stored, in no particular order (hierarchy submissions).
   */
  writeMany(changes: { update: NodeRecord[]; insert: NodeRecord[] }): Promise<NodeRecord[]>;
  /** Sets `processed_by_kcidb_bridge` and bumps `updated` (docs/nodes.md#endpoints). */
  setKcidbFlag(id: string, value: boolean, updated: Date): Promise<void>;
  /** The same for every node of `ids` in one statement; ids of no node are ignored (`PUT /batch/nodeset`). */
  setKcidbFlags(ids: string[], value: boolean, updated: Date): Promise<void>;
  /**
   * Matching nodes in natural (insertion) order, or in `sort` order after the keyset position.
   * @throws InvalidFilterError for a pattern the database refuses; QueryTimeoutError on time-out.
   */
  list(query: NodeListQuery, options?: QueryOptions): Promise<NodeRecord[]>;
  count(filter: NodeFilter, options?: QueryOptions): Promise<number>;
  /**
   * Lifecycle rules of docs/nodes.md#lifecycle, each over at most `limit` nodes in one statement; a node is
   * written only if it still matches (state and `updated` as selected), and rows another replica
   * is transitioning are skipped, so every transition happens once.
   */
  applyTimeouts(now: Date, limit: number): Promise<NodeTransition[]>;
  applyHoldoffs(now: Date, limit: number): Promise<NodeTransition[]>;
  closeFinished(now: Date, limit: number): Promise<NodeTransition[]>;
  /** Deletes up to `limit` non-checkout nodes created before `before`, lowest ids first (docs/nodes.md#purge). */
  purgeBatch(before: Date, limit: number): Promise<number>;
}
