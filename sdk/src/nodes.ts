/**
 * The `nodes` namespace: reads (SDK A6), writes (A7), result trees (A8), navigation (A9) and waiting
 * (A10, in wait.ts). Nodes keep the server's field names and naive timestamps; inputs are never
 * mutated (A7.6).
 */
import type { MaestroClient } from './client.js';
import type { ClientContext } from './context.js';
import {
  InvalidTransitionError,
  isIdempotencyConflictError,
  isNetworkError,
  isPreconditionFailedError,
  isTimeoutError,
  NotFoundError,
  OversizedBodyError,
  PreconditionFailedError,
  ProtocolError,
  ResultsAlreadySubmittedError,
  UnsupportedFeatureError,
} from './errors.js';
import { compileFilter, field, isNodeFilterBuilder, nodeFilter, type NodeFilter, type NodeFilterBuilder } from './filters.js';
import { deriveKey, newIdempotencyKey } from './keys.js';
import { deepMerge, jsonEqual } from './merge.js';
import { NodeQuery } from './node-query.js';
import type { ResultTree } from './result-tree.js';
import { send } from './routes.js';
import { canTransition, toDate, toWireTimestamp, type ErrorCode, type NodeResult, type NodeState, type TimestampInput } from './states.js';
import { resolveRetry, type CallOptions, type CallTrace, type WriteOptions } from './transport.js';
import type { Node, NodeChanges, NodeInput, NodePage } from './types.js';
import { waitFor, type WaitCondition, type WaitOptions } from './wait.js';

/** A filter in object or builder form. */
export type FilterInput = NodeFilter | NodeFilterBuilder;

/** Sort keys of keyset pagination (contract §7.2); `-` for descending. */
export type NodeSort = 'id' | '-id' | 'created' | '-created' | 'updated' | '-updated';

/** Options of `nodes.find`. */
export interface FindOptions extends CallOptions {
  /** Page size; default 100. */
  pageSize?: number;
  /** Maestro mode only; default `id`. */
  sort?: NodeSort;
}

/** Expected values checked before a write: each a value or a list of allowed values (A7.4). */
export type Expect = { [K in 'state' | 'result' | 'kind' | 'name' | 'owner' | 'group' | 'parent']?: unknown };

/** Options of `nodes.patch` (A7.4). */
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

/** Options of `nodes.setState` and `nodes.setResult` (A7.5). */
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

/** Options of `nodes.submitResults` (A8.2). */
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

/** A node with its children (A9.2). */
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
  /** Creates a node with an idempotency key recorded in `debug.idempotency_key` (A7.1). */
  create(node: NodeInput, opts?: WriteOptions): Promise<Node>;
  /** Exactly-once creation under a caller-chosen, restart-stable key (A7.2). */
  ensure(node: NodeInput, opts: WriteOptions & { key: string }): Promise<{ node: Node; created: boolean }>;
  /** Creates a child the way KernelCI builds job nodes (A7.2); with `key`, like `ensure`. */
  createChild(parent: Node | string, child: ChildInput, opts?: WriteOptions & { key?: string }): Promise<Node>;
  /** KernelCI's full replacement (`PUT /node/{id}`): omitted fields reset to their defaults. */
  update(node: Node, opts?: CallOptions & { ifMatch?: string | Node; noEvent?: boolean }): Promise<Node>;
  /** The usual write: deep merge under `If-Match`, with an optional expected-state guard (A7.4). */
  patch(id: string, changes: NodeChanges, opts?: PatchOptions): Promise<Node>;
  /** Moves a node to `state` (A7.5); a no-op returns the node without writing. */
  setState(id: string, state: NodeState, opts?: SetStateOptions): Promise<Node>;
  /** Sets a result, by default with state `done` (A7.5). */
  setResult(id: string, result: NodeResult, opts?: Omit<SetStateOptions, 'result'> & { state?: NodeState }): Promise<Node>;
  /** Submits a result tree in one `PUT /nodes/{id}` (A8.2); returns the root and every node, pre-order. */
  submitResults(root: Node | string, tree: ResultTree, opts?: SubmitResultsOptions): Promise<{ root: Node; nodes: Node[] }>;
  /** The parent, then each ancestor up to the root (A9.1). */
  ancestors(node: Node | string, opts?: CallOptions): AsyncGenerator<Node>;
  /** Every descendant, breadth-first (A9.1); `filter` applies at every level. */
  descendants(id: string, opts?: CallOptions & { maxDepth?: number; filter?: FilterInput }): AsyncGenerator<Node>;
  /** A whole tree read by `treeid` and assembled by parent links, children ordered by path (A9.2). */
  tree(root: Node | string, opts?: CallOptions & { max?: number }): Promise<NodeTree>;
  /** The nearest artifact called `name`, on the node or an ancestor (A9.2). */
  findArtifact(node: Node | string, name: string, opts?: CallOptions): Promise<{ url: string; node: Node } | null>;
  /** Resolves with the first copy of the node that meets `condition` (A10). */
  waitFor(node: Node | string, condition: WaitCondition, opts: WaitOptions): Promise<Node>;
}

const ETAG: unique symbol = Symbol.for('maestro.sdk.etag') as never;
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_INHERIT = ['kernel_revision', 'kernel_type', 'arch', 'defconfig', 'config_full', 'compiler', 'platform', 'runtime'] as const;
const PATCH_FIELDS = ['state', 'result', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'timeout', 'holdoff', 'processed_by_kcidb_bridge'] as const;
const TIMESTAMP_KEYS = ['created', 'updated', 'timeout', 'holdoff'] as const;

/** The ETag the server sent with this copy of the node (A7.3), if any. */
export function etagOf(node: object): string | undefined {
  return (node as { [ETAG]?: string })[ETAG];
}

function withEtag<N extends object>(node: N, response: Response | string | undefined): N {
  const etag = typeof response === 'string' ? response : response?.headers.get('ETag') ?? undefined;
  if (etag) Object.defineProperty(node, ETAG, { value: etag, enumerable: false, configurable: true });
  return node;
}

function callOf(opts: CallOptions): CallOptions {
  const { signal, timeoutMs, retry, headers } = opts;
  return { signal, timeoutMs, retry, headers };
}

/** A copy with timestamps in wire form (A1.4) and without undefined members. */
function toWire<T extends object>(input: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    out[k] = (TIMESTAMP_KEYS as readonly string[]).includes(k) && v !== null ? toWireTimestamp(v as TimestampInput) : structuredClone(v);
  }
  return out;
}

function holdoffOf(value: Date | number | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return toWireTimestamp(typeof value === 'number' ? new Date(Date.now() + value) : value);
}

function sameValue(key: string, stored: unknown, sent: unknown): boolean {
  if ((TIMESTAMP_KEYS as readonly string[]).includes(key) && typeof stored === 'string' && typeof sent === 'string') {
    return toDate(stored).getTime() === toDate(sent).getTime();
  }
  return jsonEqual(stored ?? null, sent ?? null);
}

/** Whether `node` already shows every field of `body`. */
function shows(node: Node, body: Record<string, unknown>): boolean {
  return Object.entries(body).every(([k, v]) => sameValue(k, (node as Record<string, unknown>)[k], v));
}

function matchesExpect(node: Node, expect: Expect): { ok: boolean; actual: Record<string, unknown> } {
  const actual: Record<string, unknown> = {};
  let ok = true;
  for (const [k, allowed] of Object.entries(expect)) {
    if (allowed === undefined) continue;
    const value = (node as Record<string, unknown>)[k];
    actual[k] = value;
    const list = Array.isArray(allowed) ? allowed : [allowed];
    if (!list.some((a) => jsonEqual(a, value))) ok = false;
  }
  return { ok, actual };
}

function isLost(error: unknown): boolean {
  return (isNetworkError(error) || isTimeoutError(error)) && (error as { ambiguous: boolean }).ambiguous;
}

/** Internal: builds the `nodes` namespace of a client. */
export function createNodes(ctx: ClientContext, client: () => MaestroClient): NodesApi {
  async function tryGet(id: string, opts: CallOptions = {}): Promise<Node | null> {
    const { data, response } = await send<Node | null>(ctx, 'GET /node/{node_id}', { path: { node_id: id } }, { op: 'read', ...callOf(opts) });
    return data === null || data === undefined ? null : withEtag(data, response);
  }

  async function get(id: string, opts: CallOptions = {}): Promise<Node> {
    const node = await tryGet(id, opts);
    if (node === null) {
      throw new NotFoundError({ status: 404, detail: `Node not found with id: ${id}`, method: 'GET', url: `${ctx.root}/node/${encodeURIComponent(id)}` });
    }
    return node;
  }

  async function compiled(filter: FilterInput | undefined): Promise<{ query: Record<string, string>; nothing: boolean; mode: 'maestro' | 'kernelci' }> {
    const mode = await ctx.mode();
    const c = compileFilter(filter, { mode });
    return { query: Object.fromEntries(c.params), nothing: c.matchesNothing, mode };
  }

  async function count(filter?: FilterInput, opts: CallOptions = {}): Promise<number> {
    const { query, nothing } = await compiled(filter);
    if (nothing) return 0;
    const { data } = await send<number>(ctx, 'GET /count', { query }, { op: 'read', ...callOf(opts) });
    if (typeof data !== 'number') throw new ProtocolError(`GET /count answered ${JSON.stringify(data)}, not a number`);
    return data;
  }

  function find(filter?: FilterInput, opts: FindOptions = {}): NodeQuery<Node> {
    return new NodeQuery<Node>(async function* pages() {
      const { query, nothing, mode } = await compiled(filter);
      if (nothing) return;
      const limit = opts.pageSize ?? 100;
      const call = { op: 'read' as const, ...callOf(opts) };
      if (mode === 'maestro') {
        // Keyset walk (A6.4): sort on the first page, then follow next_cursor with the same filter.
        let cursor: string | null | undefined;
        for (let first = true; first || cursor; first = false) {
          const page = { ...query, limit: String(limit), ...(first ? { sort: opts.sort ?? 'id' } : { cursor: cursor! }) };
          const { data } = await send<NodePage>(ctx, 'GET /nodes', { query: page }, call);
          if (data.next_cursor === undefined) throw new ProtocolError('GET /nodes answered without next_cursor: the server does not support keyset pagination');
          if (data.items.length > 0) yield data.items.map((n) => withEtag(n, undefined));
          cursor = data.next_cursor;
        }
        return;
      }
      if (opts.sort) throw new UnsupportedFeatureError('sort needs a Maestro server', { feature: 'keyset-pagination' });
      ctx.warnOnce('offset-paging', 'KernelCI mode: paging by offset; nodes written during the walk can be missed or repeated (repeats are dropped)');
      const seen = new Set<string>();
      for (let offset = 0; ; ) {
        const { data } = await send<NodePage>(ctx, 'GET /nodes', { query: { ...query, limit: String(limit), offset: String(offset) } }, call);
        const fresh = data.items.filter((n) => !seen.has(n.id));
        fresh.forEach((n) => seen.add(n.id));
        if (fresh.length > 0) yield fresh;
        offset += data.items.length;
        if (data.items.length < limit || offset >= data.total) return;
      }
    });
  }

  function withFilter(filter: FilterInput | undefined): NodeFilterBuilder {
    return isNodeFilterBuilder(filter) ? filter : nodeFilter(filter as NodeFilter | undefined);
  }

  async function lookupByKey(input: NodeInput, key: string, opts: CallOptions): Promise<Node | null> {
    let f = nodeFilter().eq('name', input.name).eq(field('debug.idempotency_key'), key);
    if (input.parent) f = f.eq('parent', input.parent);
    return find(f, { ...callOf(opts), pageSize: 2 }).first();
  }

  async function createInternal(input: NodeInput, opts: WriteOptions): Promise<{ node: Node; replayed: boolean }> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    const body = toWire(input);
    body.debug = { ...((input.debug as Record<string, unknown> | null | undefined) ?? {}), idempotency_key: key };
    const mode = await ctx.mode();
    const headers = mode === 'maestro' ? { ...opts.headers, 'Idempotency-Key': key } : { ...opts.headers };
    const policy = { op: 'create' as const, idempotencyKeys: mode === 'maestro', ...callOf(opts), headers };
    try {
      const { data, response } = await send<Node>(ctx, 'POST /node', { body }, policy);
      return { node: withEtag(data, response), replayed: response.headers.get('Idempotent-Replayed') === 'true' };
    } catch (error) {
      // KernelCI mode (A7.1): find the creation again by its key, and resend once only if it is absent.
      if (mode !== 'kernelci' || !isLost(error) || resolveRetry(ctx.options.retry, opts.retry) === false) throw error;
      const found = await lookupByKey(input, key, opts);
      if (found) return { node: found, replayed: true };
      const { data, response } = await send<Node>(ctx, 'POST /node', { body }, { ...policy, op: 'never' });
      return { node: withEtag(data, response), replayed: false };
    }
  }

  async function ensure(input: NodeInput, opts: WriteOptions & { key: string }): Promise<{ node: Node; created: boolean }> {
    const existing = await lookupByKey(input, opts.key, opts);
    if (existing) return { node: existing, created: false };
    try {
      const { node, replayed } = await createInternal(input, { ...opts, idempotencyKey: opts.key });
      return { node, created: !replayed };
    } catch (error) {
      if (!isIdempotencyConflictError(error)) throw error;
      const again = await lookupByKey(input, opts.key, opts);
      if (!again) throw error;
      return { node: again, created: false };
    }
  }

  async function createChild(parent: Node | string, child: ChildInput, opts: WriteOptions & { key?: string } = {}): Promise<Node> {
    const p = typeof parent === 'string' ? await get(parent, opts) : parent;
    const childData = (child.data ?? {}) as Record<string, unknown>;
    const revision = (p.data as Record<string, unknown> | null)?.kernel_revision;
    const input: NodeInput = {
      ...child,
      parent: p.id,
      path: [...p.path, child.name],
      group: child.group ?? child.name,
      treeid: p.treeid,
      submitter: p.submitter,
      jobfilter: p.jobfilter,
      platform_filter: p.platform_filter,
      data: { ...childData, ...(revision !== undefined && childData.kernel_revision === undefined ? { kernel_revision: structuredClone(revision) } : {}) },
    };
    if (opts.key !== undefined) return (await ensure(input, { ...opts, key: opts.key })).node;
    return (await createInternal(input, opts)).node;
  }

  /** Resolves `ifMatch` in KernelCI mode, where `updated` stands in for the ETag (not atomic, A7.3). */
  async function checkUpdated(id: string, ifMatch: string | Node, current: Node | undefined, opts: CallOptions): Promise<void> {
    if (typeof ifMatch === 'string') throw new UnsupportedFeatureError('an ETag string needs a Maestro server; pass the node', { feature: 'etag' });
    const now = current ?? (await get(id, opts));
    if (now.updated !== ifMatch.updated) {
      throw new PreconditionFailedError({ detail: 'Precondition failed: node has been modified', expected: ifMatch.updated, actual: now.updated });
    }
  }

  function etagValue(ifMatch: string | Node): string {
    if (typeof ifMatch === 'string') return ifMatch;
    const tag = etagOf(ifMatch);
    if (!tag) throw new ProtocolError('ifMatch: this node copy carries no ETag (was it read through the SDK?)');
    return tag;
  }

  async function update(node: Node, opts: CallOptions & { ifMatch?: string | Node; noEvent?: boolean } = {}): Promise<Node> {
    const mode = await ctx.mode();
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.ifMatch !== undefined) {
      if (mode === 'maestro') headers['If-Match'] = etagValue(opts.ifMatch);
      else await checkUpdated(node.id, opts.ifMatch, undefined, opts);
    }
    const { data, response } = await send<Node>(
      ctx,
      'PUT /node/{node_id}',
      { path: { node_id: node.id }, query: opts.noEvent ? { noevent: 'true' } : {}, body: toWire(node) },
      { op: 'read', ...callOf(opts), headers },
    );
    return withEtag(data, response);
  }

  type Build = (current: Node | undefined) => NodeChanges | null;

  async function patchWith(id: string, build: Build, needsCurrent: boolean, opts: PatchOptions): Promise<Node> {
    const mode = await ctx.mode();
    const deep = (opts.merge ?? 'deep') === 'deep';
    const read = needsCurrent || deep || opts.expect !== undefined || (mode === 'kernelci' && opts.ifMatch !== undefined);
    const maxConflicts = opts.maxConflictRetries ?? 3;
    for (let conflicts = 0; ; conflicts++) {
      const current = read ? await get(id, opts) : undefined;
      if (current && opts.expect) {
        const { ok, actual } = matchesExpect(current, opts.expect);
        if (!ok) throw new PreconditionFailedError({ detail: `node ${id} does not have the expected values`, expected: opts.expect, actual });
      }
      const changes = build(current);
      if (changes === null) return current!;
      const body: Record<string, unknown> = {};
      for (const k of PATCH_FIELDS) {
        const v = (changes as Record<string, unknown>)[k];
        if (v === undefined) continue;
        if (deep && current && (k === 'data' || k === 'artifacts' || k === 'debug') && v !== null) {
          body[k] = deepMerge((current as Record<string, unknown>)[k], v);
        } else if (k === 'timeout' || k === 'holdoff') {
          body[k] = v === null ? null : toWireTimestamp(v as TimestampInput);
        } else {
          body[k] = deepMerge(undefined, v);
        }
      }
      if (current && shows(current, body)) return current;
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.ifMatch !== undefined) {
        if (mode === 'maestro') headers['If-Match'] = etagValue(opts.ifMatch);
        else await checkUpdated(id, opts.ifMatch, current, opts);
      } else if (current && mode === 'maestro' && etagOf(current)) {
        headers['If-Match'] = etagOf(current)!;
      }
      const trace: CallTrace = { attempts: 0, lostAttempt: false };
      try {
        const { data, response } = await send<Node>(
          ctx,
          'PATCH /node/{node_id}',
          { path: { node_id: id }, query: opts.noEvent ? { noevent: 'true' } : {}, body },
          { op: 'conditional', trace, ...callOf(opts), headers },
        );
        return withEtag(data, response);
      } catch (error) {
        if (!isPreconditionFailedError(error)) throw error;
        // Our own lost attempt may have been applied (A7.4): a fresh read that shows it is success.
        if (trace.lostAttempt) {
          const now = await get(id, opts);
          if (shows(now, body)) return now;
        }
        if (opts.ifMatch !== undefined || !current || conflicts >= maxConflicts) throw error;
      }
    }
  }

  function patch(id: string, changes: NodeChanges, opts: PatchOptions = {}): Promise<Node> {
    return patchWith(id, () => changes, false, opts);
  }

  function setState(id: string, state: NodeState, opts: SetStateOptions = {}): Promise<Node> {
    const { result, errorCode, errorMsg, holdoff, artifacts, data, ...rest } = opts;
    return patchWith(
      id,
      (current) => {
        const node = current!;
        if (!canTransition(node.state, state)) {
          throw new InvalidTransitionError({ detail: `Transition not allowed with state: ${state}`, from: node.state, to: state });
        }
        const d: Record<string, unknown> = { ...(data ?? {}) };
        if (errorCode !== undefined) d.error_code = errorCode;
        if (errorMsg !== undefined) d.error_msg = errorMsg;
        // As in KernelCI: a result other than incomplete clears a node_timeout error.
        if (result !== undefined && result !== 'incomplete' && node.data?.error_code === 'node_timeout' && errorCode === undefined) {
          d.error_code = null;
          d.error_msg = null;
        }
        return {
          state,
          ...(result !== undefined ? { result } : {}),
          ...(Object.keys(d).length > 0 ? { data: d } : {}),
          ...(artifacts !== undefined ? { artifacts } : {}),
          ...(holdoff !== undefined ? { holdoff: holdoffOf(holdoff) } : {}),
        };
      },
      true,
      { ...rest, merge: 'deep' },
    );
  }

  function setResult(id: string, result: NodeResult, opts: Omit<SetStateOptions, 'result'> & { state?: NodeState } = {}): Promise<Node> {
    const { state = 'done', ...rest } = opts;
    return setState(id, state, { ...rest, result });
  }

  async function submitResults(rootOrId: Node | string, tree: ResultTree, opts: SubmitResultsOptions = {}): Promise<{ root: Node; nodes: Node[] }> {
    const mode = await ctx.mode();
    const rootId = typeof rootOrId === 'string' ? rootOrId : rootOrId.id;
    const root = await get(rootId, opts);
    const state = opts.state ?? 'done';
    if (!opts.force && !canTransition(root.state, state)) {
      throw new InvalidTransitionError({ detail: `Transition not allowed with state: ${state}`, from: root.state, to: state });
    }
    if (mode === 'kernelci' && !opts.force) {
      const existing = await count({ parent: root.id }, opts);
      if (existing > 0) throw new ResultsAlreadySubmittedError({ detail: `node ${root.id} already has ${existing} children`, rootId: root.id });
    }
    const key = opts.idempotencyKey ?? (await deriveKey('results', root.id));
    const result = opts.result !== undefined ? opts.result : tree.root.result !== undefined ? tree.root.result : tree.result;
    const data = deepMerge(deepMerge(root.data, tree.root.data), opts.data) as Record<string, unknown>;
    if (result !== 'incomplete' && data.error_code === 'node_timeout') {
      data.error_code = null;
      data.error_msg = null;
    }
    const artifacts = deepMerge(deepMerge(root.artifacts, tree.root.artifacts), opts.artifacts);
    const rootBody = { ...toWire(root), state, result, data, artifacts, ...(opts.holdoff !== undefined ? { holdoff: holdoffOf(opts.holdoff) } : {}) };
    const hierarchy = tree.toHierarchy(rootBody);
    const inherit = opts.inherit ?? DEFAULT_INHERIT;
    const fill = (level: { node: Record<string, unknown>; child_nodes: unknown[] }, path: string[]): void => {
      for (const c of level.child_nodes as { node: Record<string, unknown>; child_nodes: unknown[] }[]) {
        const childPath = [...path, String(c.node.name)];
        const childData = c.node.data as Record<string, unknown>;
        for (const f of inherit) {
          // Only where the child has none, and never as null (KernelCI lets the parent win, even with None).
          if (childData[f] === undefined && data[f] !== undefined && data[f] !== null) childData[f] = structuredClone(data[f]);
        }
        Object.assign(c.node, { path: childPath, group: root.name, state: c.node.state ?? 'done' });
        fill(c, childPath);
      }
    };
    fill(hierarchy as never, root.path);
    const json = JSON.stringify(hierarchy);
    if (new TextEncoder().encode(json).length > MAX_BODY_BYTES) {
      throw new OversizedBodyError({ detail: `the result tree is larger than ${MAX_BODY_BYTES} bytes`, status: 413 });
    }
    const headers: Record<string, string> = { ...opts.headers };
    if (mode === 'maestro') {
      headers['Idempotency-Key'] = key;
      const tag = etagOf(root);
      if (tag) headers['If-Match'] = tag;
    }
    const trace: CallTrace = { attempts: 0, lostAttempt: false };
    try {
      const { data: nodes, response } = await send<Node[]>(
        ctx,
        'PUT /nodes/{node_id}',
        { path: { node_id: root.id }, body: hierarchy },
        { op: 'create', idempotencyKeys: mode === 'maestro', trace, ...callOf(opts), headers },
      );
      if (!Array.isArray(nodes) || nodes.length === 0) throw new ProtocolError('PUT /nodes answered without nodes');
      return { root: withEtag(nodes[0]!, response), nodes };
    } catch (error) {
      if (isIdempotencyConflictError(error)) {
        throw new ResultsAlreadySubmittedError({ detail: `results were already submitted for node ${root.id}`, rootId: root.id, cause: error });
      }
      if (isPreconditionFailedError(error) && trace.lostAttempt) {
        const now = await get(root.id, opts);
        const children = await find({ parent: root.id }, callOf(opts)).toArray({ max: 100_000 });
        if (now.state === state && children.length > 0) {
          return { root: now, nodes: [now, ...(await preorder(now, opts))] };
        }
      }
      throw error;
    }
  }

  async function preorder(root: Node, opts: CallOptions): Promise<Node[]> {
    const out: Node[] = [];
    const walk = (t: NodeTree): void => {
      for (const c of t.children) {
        out.push(c.node);
        walk(c);
      }
    };
    walk(await tree(root, opts));
    return out;
  }

  async function* ancestors(start: Node | string, opts: CallOptions = {}): AsyncGenerator<Node> {
    const cache = new Map<string, Node>();
    let node = typeof start === 'string' ? await get(start, opts) : start;
    const seen = new Set<string>([node.id]);
    for (let depth = 0; node.parent && depth < 64; depth++) {
      if (seen.has(node.parent)) throw new ProtocolError(`cycle in the parent chain at node ${node.parent}`);
      seen.add(node.parent);
      const parent = cache.get(node.parent) ?? (await get(node.parent, opts));
      cache.set(parent.id, parent);
      yield parent;
      node = parent;
    }
  }

  async function* descendants(id: string, opts: CallOptions & { maxDepth?: number; filter?: FilterInput } = {}): AsyncGenerator<Node> {
    const mode = await ctx.mode();
    const base = withFilter(opts.filter);
    let level = [id];
    for (let depth = 1; level.length > 0 && (opts.maxDepth === undefined || depth <= opts.maxDepth); depth++) {
      const next: string[] = [];
      // With query supersets one request covers 100 parents (parent__in); KernelCI needs one per parent.
      const groups = mode === 'maestro' ? chunk(level, 100).map((ids) => base.in('parent', ids)) : level.map((p) => base.eq('parent', p));
      for (const f of groups) {
        for await (const node of find(f, callOf(opts))) {
          next.push(node.id);
          yield node;
        }
      }
      level = next;
    }
  }

  async function tree(rootArg: Node | string, opts: CallOptions & { max?: number } = {}): Promise<NodeTree> {
    const root = typeof rootArg === 'string' ? await get(rootArg, opts) : rootArg;
    const max = opts.max ?? 100_000;
    const members: Node[] = [];
    if (root.treeid) {
      members.push(...(await find({ treeid: root.treeid }, callOf(opts)).toArray({ max })));
    } else {
      for await (const n of descendants(root.id, callOf(opts))) {
        members.push(n);
        if (members.length > max) throw new ProtocolError(`more than ${max} nodes below ${root.id}`);
      }
    }
    const byParent = new Map<string, Node[]>();
    for (const n of members) {
      if (!n.parent || n.id === root.id) continue;
      const list = byParent.get(n.parent) ?? [];
      list.push(n);
      byParent.set(n.parent, list);
    }
    const assemble = (node: Node): NodeTree => ({
      node,
      children: (byParent.get(node.id) ?? []).sort((a, b) => (a.path.join('/') < b.path.join('/') ? -1 : 1)).map(assemble),
    });
    return assemble(root);
  }

  async function findArtifact(start: Node | string, name: string, opts: CallOptions = {}): Promise<{ url: string; node: Node } | null> {
    const node = typeof start === 'string' ? await get(start, opts) : start;
    const own = node.artifacts?.[name];
    if (own) return { url: own, node };
    for await (const a of ancestors(node, opts)) {
      const url = a.artifacts?.[name];
      if (url) return { url, node: a };
    }
    return null;
  }

  return {
    get,
    tryGet,
    count,
    find,
    list: async (conditions = {}, page = {}, opts = {}) => {
      const query: Record<string, string> = { ...conditions };
      if (page.limit !== undefined) query.limit = String(page.limit);
      if (page.offset !== undefined) query.offset = String(page.offset);
      return (await send<NodePage>(ctx, 'GET /nodes', { query }, { op: 'read', ...callOf(opts) })).data;
    },
    children: (id, filter, opts) => find(withFilter(filter).eq('parent', id), opts),
    create: async (node, opts = {}) => (await createInternal(node, opts)).node,
    ensure,
    createChild,
    update,
    patch,
    setState,
    setResult,
    submitResults,
    ancestors,
    descendants,
    tree,
    findArtifact,
    waitFor: (node, condition, opts) => waitFor(ctx, client(), node, condition, opts),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
