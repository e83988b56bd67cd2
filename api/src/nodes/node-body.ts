/**
 * Request-level helpers of the node routes that are not DTO shape rules: JSON fidelity of node
 * bodies (contract §13.12), `If-Match` (§7.11) and `noevent` (§2.6). The state machine is in
 * node-state.ts.
 */
import { PreconditionFailedError, UnprocessableError } from '../common/errors/domain-errors';
import { checkJsonFidelity } from '../common/validation/json-fidelity';
import { isPlainObject } from '../common/validation/decorators';
import type { NodeRecord } from '../storage/ports';
import { nodeEtag } from './node.mapper';

/** NUL, out-of-range integers and over-deep `data` in a single-node body (POST, PUT, PATCH). */
export function checkNodeBody(body: unknown): void {
  checkJsonFidelity(body);
}

/**
 * The same checks for a hierarchy submission, with the depth measured from each node (its `data`
 * is level 1 wherever the node sits in the tree), not from the body root: a deep result tree is
 * not deep data (contract §13.12).
 */
export function checkHierarchyBody(body: unknown): void {
  checkJsonFidelity(body, { maxDepth: null });
  const stack: { level: unknown; path: (string | number)[] }[] = [{ level: body, path: [] }];
  while (stack.length > 0) {
    const { level, path } = stack.pop()!;
    if (!isPlainObject(level)) continue;
    if (isPlainObject(level.node)) checkJsonFidelity(level.node, { location: [...path, 'node'] });
    if (Array.isArray(level.child_nodes)) {
      level.child_nodes.forEach((child, i) => stack.push({ level: child, path: [...path, 'child_nodes', i] }));
    }
  }
}

/**
 * `If-Match` with strong comparison (contract §7.11): one or more comma-separated entity tags or
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

/** Boolean query parameters (contract §2.6): true/false/1/0/yes/no/on/off in any case, else 422. */
export function parseBooleanQuery(name: string, value: string | string[] | undefined, fallback: boolean): boolean {
  const raw = Array.isArray(value) ? value[value.length - 1] : value;
  if (raw === undefined) return fallback;
  const lowered = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  throw new UnprocessableError([
    { type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: raw },
  ]);
}
