import type { NodeRecord, NodeResult, NodeState, Repositories } from '../storage/ports';

/** A node write that must be announced on channel `node` (docs/events.md#event-envelope). */
export interface NodeChange {
  op: 'created' | 'updated';
  node: NodeRecord;
  /** The stored state and result before an update (absent for creations). */
  previous?: { state: NodeState; result: NodeResult | null };
  isHierarchy?: boolean;
}

/**
 * The unit of work's event hook: node services call it inside the same transaction as the node
 * write, so an event exists exactly when its write committed (transactional outbox, docs/events.md#the-log).
 */
export interface NodeEventPublisher {
  nodeChanged(tx: Repositories, change: NodeChange): Promise<void>;
}

export const NODE_EVENT_PUBLISHER = Symbol('NODE_EVENT_PUBLISHER');
