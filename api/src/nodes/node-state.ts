/** The node state machine (see docs/nodes.md): which state changes a write may make. */
import { BadRequestError } from '../common/errors/domain-errors';
import type { NodeState } from '../storage/ports';
import { STATE_TRANSITIONS } from './node-definitions';

/** Staying in the same state is always allowed; other moves follow the published transition table. */
export function checkTransition(from: NodeState, to: NodeState): void {
  if (from !== to && !STATE_TRANSITIONS[from]?.includes(to)) throw new BadRequestError(`Transition not allowed with state: ${to}`);
}
