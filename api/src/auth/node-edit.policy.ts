import { Inject, Injectable } from '@nestjs/common';
import { UnauthorizedError } from '../common/errors/domain-errors';
import { STORAGE, type NodeRecord, type Repositories, type Storage, type UserRecord } from '../storage/ports';
import { isAccountName } from './account-names';
import { canEditNode } from './edit-policy';

export const EDIT_DENIED = 'Unauthorized to complete the operation';

type Editor = Pick<UserRecord, 'id' | 'username' | 'isSuperuser' | 'groups'>;
type EditedNode = Pick<NodeRecord, 'owner' | 'user_groups' | 'data'>;

/**
 * The "editor" level (docs/auth.md "Levels and permissions"), the one place node services ask who
 * may edit a node: apply it to the STORED node before any PUT/PATCH, hierarchy root or replaced
 * child, and batch update. The five rules are the pure `canEditNode`; ownership also holds for a name the account
 * held before a rename (docs/adr/0012-account-ownership.md), looked up only when the other rules
 * said no. Inside a unit of work, pass its repositories: the lookup must go through the
 * transaction (an embedded database has one connection, which the transaction holds).
 */
@Injectable()
export class NodeEditPolicy {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async canEditNode(user: Editor, node: EditedNode, tx: Pick<Repositories, 'usernames'> = this.storage): Promise<boolean> {
    return canEditNode(user, node) || (await isAccountName(tx.usernames, user, node.owner));
  }

  /**
   * `canEditNode` for many nodes with at most one lookup: the names the account has held, read
   * once when an owner is the only remaining reason to allow an edit (hierarchy children, batch).
   */
  async canEditEach(user: Editor, nodes: EditedNode[], tx: Pick<Repositories, 'usernames'> = this.storage): Promise<boolean[]> {
    const verdicts = nodes.map((node) => canEditNode(user, node));
    const owned = (node: EditedNode): node is EditedNode & { owner: string } => typeof node.owner === 'string' && node.owner !== '';
    if (!nodes.some((node, i) => !verdicts[i] && owned(node))) return verdicts;
    const held = new Set(await tx.usernames.namesOf(user.id));
    return nodes.map((node, i) => verdicts[i] || (owned(node) && held.has(node.owner)));
  }

  /** @throws UnauthorizedError 401 `Unauthorized to complete the operation` (not 403, as KernelCI). */
  async assertCanEditNode(user: Editor, node: EditedNode, tx: Pick<Repositories, 'usernames'> = this.storage): Promise<void> {
    if (!(await this.canEditNode(user, node, tx))) throw new UnauthorizedError(EDIT_DENIED);
  }
}
