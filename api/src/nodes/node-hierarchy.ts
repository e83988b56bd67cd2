/**
 * The tree of a hierarchy submission (`PUT /nodes/{id}`, docs/nodes.md#endpoints) as a flat list in
 * pre-order, root first, each node with the id it will be written under and its hierarchy parent.
 */
import { newObjectId } from '../common/object-id';
import type { HierarchyNodeDto, NodeInputDto } from './dto/node.dto';

export interface HierarchyItem {
  input: NodeInputDto;
  id: string;
  parent: string | null;
  isRoot: boolean;
}

/** Nodes without an id get a new one; the root keeps its own `parent`, every other node gets its hierarchy parent. */
export function hierarchyPreOrder(rootId: string, body: HierarchyNodeDto): HierarchyItem[] {
  // An explicit stack: result trees can be deep.
  const ordered: HierarchyItem[] = [];
  const stack: { level: HierarchyNodeDto; parent: string | null; isRoot: boolean }[] = [{ level: body, parent: null, isRoot: true }];
  while (stack.length > 0) {
    const { level, parent, isRoot } = stack.pop()!;
    const givenId = isRoot ? rootId : level.node.id ? level.node.id.toLowerCase() : null;
    const nodeId = givenId ?? newObjectId();
    ordered.push({ input: level.node, id: nodeId, parent: isRoot ? (level.node.parent?.toLowerCase() ?? null) : parent, isRoot });
    for (let i = level.child_nodes.length - 1; i >= 0; i--) stack.push({ level: level.child_nodes[i], parent: nodeId, isRoot: false });
  }
  return ordered;
}
