/**
 * The `nodes` namespace, composed of one part per concern: reads (nodes/read.ts), writes
 * (nodes/write.ts), result trees (nodes/results.ts), navigation (nodes/navigation.ts) and waiting
 * (wait.ts). Nodes keep the server's field names and naive timestamps; inputs are never mutated.
 */
import type { ClientContext } from './context.js';
import { createNodeNavigation } from './nodes/navigation.js';
import type { NodesApi } from './nodes/options.js';
import { createNodeReads } from './nodes/read.js';
import { createResultSubmission } from './nodes/results.js';
import { createNodeWrites } from './nodes/write.js';
import { waitFor, type SubscribeFn } from './wait.js';

export type { ChildInput, Expect, FilterInput, FindOptions, NodeSort, NodesApi, NodeTree, PatchOptions, SetStateOptions, SubmitResultsOptions } from './nodes/options.js';
export { etagOf } from './nodes/wire.js';

/**
 * Internal: builds the `nodes` namespace of a client. `subscribe` is the client's
 * `events.subscribe`, which `waitFor` uses; it is passed as a function so the namespaces do not
 * need the client (and the client does not need to exist half-built).
 */
export function createNodes(ctx: ClientContext, subscribe: SubscribeFn): NodesApi {
  const reads = createNodeReads(ctx);
  const navigation = createNodeNavigation(ctx, reads);
  const { withFilter: _internal, ...readMethods } = reads;
  return {
    ...readMethods,
    ...createNodeWrites(ctx, reads),
    submitResults: createResultSubmission(ctx, reads, navigation),
    ...navigation,
    waitFor: (node, condition, opts) => waitFor(ctx, { getNode: reads.get, subscribe }, node, condition, opts),
  };
}
