/**
 * Writes of the `nodes` namespace: creation with idempotency keys, exactly-once `ensure`, children
 * built the KernelCI way, full replacement, and merge patches under `If-Match` with state moves.
 */
import type { ClientContext } from '../context.js';
import { IdempotencyConflictError, InvalidTransitionError, PreconditionFailedError, ProtocolError, UnsupportedFeatureError } from '../errors.js';
import { field, nodeFilter } from '../filters.js';
import { newIdempotencyKey } from '../keys.js';
import { deepMerge } from '../merge.js';
import { send } from '../routes.js';
import { canTransition, toWireTimestamp, type NodeResult, type NodeState, type TimestampInput } from '../states.js';
import { resolveRetry, type CallOptions, type CallTrace, type WriteOptions } from '../transport.js';
import type { Node, NodeChanges, NodeInput } from '../types.js';
import type { ChildInput, NodesApi, PatchOptions, SetStateOptions } from './options.js';
import type { NodeReads } from './read.js';
import { callOf, etagOf, holdoffOf, isLost, matchesExpect, shows, toWire, withEtag } from './wire.js';

const PATCH_FIELDS = ['state', 'result', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'timeout', 'holdoff', 'processed_by_kcidb_bridge'] as const;

/** The write methods. */
export type NodeWrites = Pick<NodesApi, 'create' | 'ensure' | 'createChild' | 'update' | 'patch' | 'setState' | 'setResult'>;

/** Internal: the write part of the `nodes` namespace. */
export function createNodeWrites(ctx: ClientContext, reads: NodeReads): NodeWrites {
  const { get, find } = reads;

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
      // KernelCI mode: find the creation again by its key, and resend once only if it is absent.
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
      if (!IdempotencyConflictError.is(error)) throw error;
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

  /** Resolves `ifMatch` in KernelCI mode, where `updated` stands in for the ETag (not atomic). */
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
        if (!PreconditionFailedError.is(error)) throw error;
        // Our own lost attempt may have been applied: a fresh read that shows it is success.
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

  return { create: async (node, opts = {}) => (await createInternal(node, opts)).node, ensure, createChild, update, patch, setState, setResult };
}
