import { Injectable } from '@nestjs/common';
import { UnauthorizedError } from '../common/errors/domain-errors';
import type { NodeRecord, UserRecord } from '../storage/ports';
import { canEditNode } from './edit-policy';

export const EDIT_DENIED = 'Unauthorized to complete the operation';

/**
 * The "editor" level of contract §2.3 for node services: apply it to the STORED node before any
 * PUT/PATCH, hierarchy root or replaced child, and batch update (§6.7). The rule itself is the pure
 * `canEditNode`.
 */
@Injectable()
export class NodeEditPolicy {
  /** @throws UnauthorizedError 401 `Unauthorized to complete the operation` (not 403, §13.15). */
  assertCanEditNode(user: Pick<UserRecord, 'username' | 'isSuperuser' | 'groups'>, node: Pick<NodeRecord, 'owner' | 'user_groups' | 'data'>): void {
    if (!canEditNode(user, node)) throw new UnauthorizedError(EDIT_DENIED);
  }

  canEditNode(user: Pick<UserRecord, 'username' | 'isSuperuser' | 'groups'>, node: Pick<NodeRecord, 'owner' | 'user_groups' | 'data'>): boolean {
    return canEditNode(user, node);
  }
}
