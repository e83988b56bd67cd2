/** The node state machine (see docs/nodes.md): which state changes a write may make. */
import { BadRequestError } from '../common/errors/domain-errors';
import type { NodeState } from '../storage/ports';

/** Allowed moves besides staying in the same state (contract §6.5). */
const TRANSITIONS: Record<NodeState, readonly NodeState[]> = {
  running: ['available', 'closing', 'done'],
  available: ['closing', 'done'],
  closing: ['done'],
  done: [],
};

export function checkTransition(from: NodeState, to: NodeState): void {
  if (from !== to && !TRANSITIONS[from]?.includes(to)) throw new BadRequestError(`Transition not allowed with state: ${to}`);
}
