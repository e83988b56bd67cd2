/**
 * The types of the `nodes` namespace: its interface and the options of its methods.
 */
import type { NodeFilter, NodeFilterBuilder } from '../filters.js';
import type { NodeQuery } from '../node-query.js';
import type { ResultTree } from '../result-tree.js';
import type { ErrorCode, NodeResult, NodeState, TimestampInput } from '../states.js';
import type { CallOptions, WriteOptions } from '../transport.js';
import type { Node, NodeChanges, NodeInput, NodePage } from '../types.js';
import type { WaitCondition, WaitOptions } from '../wait.js';

/** A filter in object or builder form. */
export type FilterInput = NodeFilter | NodeFilterBuilder;

/** Sort keys of keyset pagination; `-` for descending. */
export type NodeSort = 'id' | '-id' | 'created' | '-created' | 'updated' | '-updated';

/** Options of `nodes.find`. */
export interface FindOptions extends CallOptions {
  /** Page size; default 100. */
  pageSize?: number;
  /** Maestro mode only; default `id`. */
  sort?: NodeSort;
}

/** Expected values checked before a write: each a value or a list of allowed values. */
export type Expect = { [K in 'state' | 'result' | 'kind' | 'name' | 'owner' | 'group' | 'parent']?: unknown };

/** Options of `nodes.patch`. */
export interface PatchOptions extends WriteOptions {
  /** `"deep"` (default) merges `data`, `artifacts` and `debug` into the stored maps; `"replace"` sends them as given. */
  merge?: 'deep' | 'replace';
  /** Values the stored node must have; a mismatch throws {@link PreconditionFailedError} and nothing is written. */
  expect?: Expect;
  /** The caller's own version (ETag or node): a change since then throws {@link PreconditionFailedError}. */
  ifMatch?: string | Node;
  /** Sends `noevent=true`: no event is published. */
  noEvent?: boolean;
  /** Re-read, re-merge and retry after this many 412 answers at most; default 3. */
  maxConflictRetries?: number;
}

/** Options of `nodes.setState` and `nodes.setResult`. */
export interface SetStateOptions extends Omit<PatchOptions, 'merge'> {
  result?: NodeResult | null;
  errorCode?: ErrorCode | null;
  errorMsg?: string | null;
  /** A date, or milliseconds from now. */
  holdoff?: Date | number | null;
  artifacts?: Record<string, string>;
  data?: Record<string, unknown>;
}

/** A child of `nodes.createChild`: `timeout` is required so the server's 6-hour default never applies silently. */
export type ChildInput = Omit<NodeInput, 'parent' | 'path' | 'timeout'> & { name: string; timeout: TimestampInput; path?: never };

/** Options of `nodes.submitResults`. */
export interface SubmitResultsOptions extends WriteOptions {
  state?: NodeState;
  result?: NodeResult | null;
  holdoff?: Date | number | null;
  data?: Record<string, unknown>;
  artifacts?: Record<string, string>;
  /** Root `data` fields copied into children that lack them. */
  inherit?: readonly string[];
  /** Skip the transition check and the already-submitted check. */
  force?: boolean;
}

/** A node with its children. */
export interface NodeTree {
  node: Node;
  children: NodeTree[];
}

/** The `nodes` namespace. */
export interface NodesApi {
  /** The node with this id; throws {@link NotFoundError} when there is none (also on KernelCI's `200 null`). */
  get(id: string, opts?: CallOptions): Promise<Node>;
  /** The node with this id, or null. */
  tryGet(id: string, opts?: CallOptions): Promise<Node | null>;
  /** The number of matching nodes (`GET /count`); `in: []` gives 0 without a request. */
  count(filter?: FilterInput, opts?: CallOptions): Promise<number>;
  /** Every matching node, walked by keyset (Maestro) or offset with de-duplication (KernelCI). */
  find(filter?: FilterInput, opts?: FindOptions): NodeQuery<Node>;
  /**
   * One page of `GET /nodes` with raw query-language conditions (`field` or `field__op` → value),
   * unchecked; prefer {@link NodesApi.find}, which compiles and checks filters and walks every page.
   */
  list(conditions?: Record<string, string>, page?: { limit?: number; offset?: number }, opts?: CallOptions): Promise<NodePage>;
  /** The children of a node. */
  children(id: string, filter?: FilterInput, opts?: FindOptions): NodeQuery<Node>;
  /** Creates a node with an idempotency key recorded in `debug.idempotency_key`. */
  create(node: NodeInput, opts?: WriteOptions): Promise<Node>;
  /** Exactly-once creation under a caller-chosen, restart-stable key. */
  ensure(node: NodeInput, opts: WriteOptions & { key: string }): Promise<{ node: Node; created: boolean }>;
  /** Creates a child the way KernelCI builds job nodes; with `key`, like `ensure`. */
  createChild(parent: Node | string, child: ChildInput, opts?: WriteOptions & { key?: string }): Promise<Node>;
  /** KernelCI's full replacement (`PUT /node/{id}`): omitted fields reset to their defaults. */
  update(node: Node, opts?: CallOptions & { ifMatch?: string | Node; noEvent?: boolean }): Promise<Node>;
  /** The usual write: deep merge under `If-Match`, with an optional expected-state guard. */
  patch(id: string, changes: NodeChanges, opts?: PatchOptions): Promise<Node>;
  /** Moves a node to `state`; a no-op returns the node without writing. */
  setState(id: string, state: NodeState, opts?: SetStateOptions): Promise<Node>;
  /** Sets a result, by default with state `done`. */
  setResult(id: string, result: NodeResult, opts?: Omit<SetStateOptions, 'result'> & { state?: NodeState }): Promise<Node>;
  /** Submits a result tree in one `PUT /nodes/{id}`; returns the root and every node, pre-order. */
  submitResults(root: Node | string, tree: ResultTree, opts?: SubmitResultsOptions): Promise<{ root: Node; nodes: Node[] }>;
  /** The parent, then each ancestor up to the root. */
  ancestors(node: Node | string, opts?: CallOptions): AsyncGenerator<Node>;
  /** Every descendant, breadth-first; `filter` applies at every level. */
  descendants(id: string, opts?: CallOptions & { maxDepth?: number; filter?: FilterInput }): AsyncGenerator<Node>;
  /** A whole tree read by `treeid` and assembled by parent links, children ordered by path. */
  tree(root: Node | string, opts?: CallOptions & { max?: number }): Promise<NodeTree>;
  /** The nearest artifact called `name`, on the node or an ancestor. */
  findArtifact(node: Node | string, name: string, opts?: CallOptions): Promise<{ url: string; node: Node } | null>;
  /** Resolves with the first copy of the node that meets `condition`. */
  waitFor(node: Node | string, condition: WaitCondition, opts: WaitOptions): Promise<Node>;
}
