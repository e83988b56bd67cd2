/**
 * Who may edit a node: the five rules of docs/auth.md#levels-and-permissions, applied to the STORED node. Callers answer
 * 401 `Unauthorized to complete the operation` when this returns false (docs/api-conventions.md#authentication-levels "editor" level).
 */
import type { NodeRecord, UserRecord } from '../storage/ports';

export const EDIT_ANY_GROUP = 'node:edit:any';

export function canEditNode(
  user: Pick<UserRecord, 'username' | 'isSuperuser' | 'groups'>,
  node: Pick<NodeRecord, 'owner' | 'user_groups' | 'data'>,
): boolean {
  const groups = new Set(user.groups.map((g) => g.name));
  // 1. superuser
  if (user.isSuperuser) return true;
  // 2. owner (exact match; a node without owner has none)
  if (typeof node.owner === 'string' && node.owner === user.username) return true;
  // 3. the pipeline-wide editor group (granted at startup, docs/configuration.md#secrets-and-the-initial-administrator)
  if (groups.has(EDIT_ANY_GROUP)) return true;
  // 4. a group shared with the node
  if ((node.user_groups ?? []).some((g) => groups.has(g))) return true;
  // 5. editor/admin of the node's runtime, only when data.runtime is a non-empty string
  const runtime = node.data?.runtime;
  if (typeof runtime === 'string' && runtime !== '') {
    return groups.has(`runtime:${runtime}:node-editor`) || groups.has(`runtime:${runtime}:node-admin`);
  }
  return false;
}
