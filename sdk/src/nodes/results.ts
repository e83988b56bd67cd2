/**
 * `nodes.submitResults`: a result tree written in one `PUT /nodes/{id}` under an idempotency key
 * derived from the root, with the root's data inherited by children that lack it.
 */
import type { ClientContext } from '../context.js';
import { IdempotencyConflictError, InvalidTransitionError, OversizedBodyError, PreconditionFailedError, ProtocolError, ResultsAlreadySubmittedError } from '../errors.js';
import { deriveKey } from '../keys.js';
import { deepMerge } from '../merge.js';
import type { ResultTree } from '../result-tree.js';
import { send } from '../routes.js';
import { canTransition } from '../states.js';
import type { CallOptions, CallTrace } from '../transport.js';
import type { Node } from '../types.js';
import type { NodeNavigation } from './navigation.js';
import type { NodeTree, SubmitResultsOptions } from './options.js';
import type { NodeReads } from './read.js';
import { callOf, etagOf, holdoffOf, toWire, withEtag } from './wire.js';

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_INHERIT = ['kernel_revision', 'kernel_type', 'arch', 'defconfig', 'config_full', 'compiler', 'platform', 'runtime'] as const;

/** Internal: `nodes.submitResults`. */
export function createResultSubmission(ctx: ClientContext, reads: NodeReads, navigation: NodeNavigation): (root: Node | string, tree: ResultTree, opts?: SubmitResultsOptions) => Promise<{ root: Node; nodes: Node[] }> {
  const { get, count, find } = reads;
  const { tree } = navigation;

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
      if (IdempotencyConflictError.is(error)) {
        throw new ResultsAlreadySubmittedError({ detail: `results were already submitted for node ${root.id}`, rootId: root.id, cause: error });
      }
      if (PreconditionFailedError.is(error) && trace.lostAttempt) {
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

  return submitResults;
}
