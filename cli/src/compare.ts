/** Two checkouts' test results side by side: what broke, what got fixed, what is still broken. */
import type { Node, NodeTree } from '@maestro-ci/sdk';

export interface Comparison {
  /** Failing in B, and passing or absent in A. */
  newFailures: { path: string; node: Node; before: string | null }[];
  /** Failing in A, passing in B. */
  fixed: { path: string; node: Node }[];
  /** Failing in both. */
  stillFailing: { path: string; node: Node }[];
  counts: { a: number; b: number };
}

/** Leaves of a tree (the root excluded) by path without the checkout's own name, so two checkouts line up. */
export function leavesByPath(tree: NodeTree): Map<string, Node> {
  const out = new Map<string, Node>();
  const walk = (t: NodeTree, isRoot: boolean): void => {
    if (!isRoot && t.children.length === 0) out.set((t.node.path ?? [t.node.name]).slice(1).join('/'), t.node);
    for (const c of t.children) walk(c, false);
  };
  walk(tree, true);
  return out;
}

export function compareTrees(a: NodeTree, b: NodeTree): Comparison {
  const before = leavesByPath(a);
  const after = leavesByPath(b);
  const result: Comparison = { newFailures: [], fixed: [], stillFailing: [], counts: { a: before.size, b: after.size } };
  for (const [path, node] of [...after].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const old = before.get(path);
    if (node.result === 'fail') {
      if (old?.result === 'fail') result.stillFailing.push({ path, node });
      else result.newFailures.push({ path, node, before: old?.result ?? null });
    } else if (node.result === 'pass' && old?.result === 'fail') {
      result.fixed.push({ path, node });
    }
  }
  return result;
}
