/**
 * Request-level helpers of the node routes that are not DTO shape rules: JSON fidelity of node
 * bodies (docs/security.md#input-limits), `If-Match` (docs/nodes.md#etag-and-if-match) and `noevent` (docs/api-conventions.md#serialisation). The state machine is in
 * node-state.ts.
 */
import { PreconditionFailedError } from '../common/errors/domain-errors';
import { checkJsonFidelity } from '../common/validation/json-fidelity';
import { isPlainObject } from '../common/validation/decorators';
import { checkNodeTextLimits } from '../common/validation/limits';
import type { NodeRecord } from '../storage/ports';
import { nodeEtag } from './node.mapper';

/** NUL, out-of-range integers, over-deep `data` and over-long indexed text in a single-node body (POST, PUT, PATCH). */
export function checkNodeBody(body: unknown): void {
  checkJsonFidelity(body);
  checkNodeTextLimits(body);
}

/**
 * The same checks for a hierarchy submission, with the depth measured from each node (its `data`
 * is level 1 wherever the node sits in the tree), not from the body root: a deep result tree is
 * not deep data (docs/security.md#input-limits).
 */
export function checkHierarchyBody(body: unknown): void {
  checkJsonFidelity(body, { maxDepth: null });
  const stack: { level: unknown; path: (string | number)[] }[] = [{ level: body, path: [] }];
  while (stack.length > 0) {
    const { level, path } = stack.pop()!;
    if (!isPlainObject(level)) continue;
    if (isPlainObject(level.node)) {
      checkJsonFidelity(level.node, { location: [...path, 'node'] });
      checkNodeTextLimits(level.node, [...path, 'node']);
    }
    if (Array.isArray(level.child_nodes)) {
      level.child_nodes.forEach((child, i) => stack.push({ level: child, path: [...path, 'child_nodes', i] }));
    }
  }
}

/**
 * `If-Match` with strong comparison (docs/nodes.md#etag-and-if-match): one or more comma-separated entity tags or
 * `*`; weak tags never match. Absent → no condition. Call with the row locked, so the comparison
 * and the write that follows are atomic.
 */
export function checkIfMatch(header: string | undefined, node: NodeRecord): void {
  if (header === undefined) return;
  const tags = header.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (tags.includes('*')) return;
  const current = nodeEtag(node);
  if (!tags.some((tag) => !tag.startsWith('W/') && tag === current)) throw new PreconditionFailedError();
}
