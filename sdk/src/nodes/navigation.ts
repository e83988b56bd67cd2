/**
 * Navigation of the `nodes` namespace: ancestors, descendants (one request per 100 parents on
 * Maestro), whole trees and the nearest artifact.
 */
import type { ClientContext } from '../context.js';
import { ProtocolError } from '../errors.js';
import type { CallOptions } from '../transport.js';
import type { Node } from '../types.js';
import type { FilterInput, NodesApi, NodeTree } from './options.js';
import type { NodeReads } from './read.js';
import { callOf } from './wire.js';

/** The navigation methods. */
export type NodeNavigation = Pick<NodesApi, 'ancestors' | 'descendants' | 'tree' | 'findArtifact'>;

/** Internal: the navigation part of the `nodes` namespace. */
export function createNodeNavigation(ctx: ClientContext, reads: NodeReads): NodeNavigation {
  const { get, find, withFilter } = reads;

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

  return { ancestors, descendants, tree, findArtifact };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
