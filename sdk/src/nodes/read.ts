/**
 * Reads of the `nodes` namespace: one node, counts, filtered walks (keyset on Maestro, offset with
 * de-duplication on KernelCI) and raw pages.
 */
import type { ClientContext } from '../context.js';
import { NotFoundError, ProtocolError, UnsupportedFeatureError } from '../errors.js';
import { compileFilter, isNodeFilterBuilder, nodeFilter, type NodeFilter, type NodeFilterBuilder } from '../filters.js';
import { NodeQuery } from '../node-query.js';
import { send } from '../routes.js';
import type { CallOptions } from '../transport.js';
import type { Node, NodePage } from '../types.js';
import type { FilterInput, FindOptions, NodesApi } from './options.js';
import { callOf, withEtag } from './wire.js';

/** The read methods, and `withFilter` for the other parts. */
export type NodeReads = Pick<NodesApi, 'get' | 'tryGet' | 'count' | 'find' | 'list' | 'children'> & {
  withFilter(filter: FilterInput | undefined): NodeFilterBuilder;
};

/** Internal: the read part of the `nodes` namespace. */
export function createNodeReads(ctx: ClientContext): NodeReads {
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
        // Keyset walk: sort on the first page, then follow next_cursor with the same filter.
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

  async function list(conditions: Record<string, string> = {}, page: { limit?: number; offset?: number } = {}, opts: CallOptions = {}): Promise<NodePage> {
    const query: Record<string, string> = { ...conditions };
    if (page.limit !== undefined) query.limit = String(page.limit);
    if (page.offset !== undefined) query.offset = String(page.offset);
    return (await send<NodePage>(ctx, 'GET /nodes', { query }, { op: 'read', ...callOf(opts) })).data;
  }

  return { get, tryGet, count, find, list, children: (id, filter, opts) => find(withFilter(filter).eq('parent', id), opts), withFilter };
}
