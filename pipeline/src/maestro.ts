/**
 * The pipeline's only door to the API. Every service talks to Maestro through the `Maestro`
 * interface below, whose members are named after, and typed against, the SDK calls
 * they make (sdk/README.md). `connectMaestro` binds it to
 * `@maestro-ci/sdk`; unit tests bind the same SDK to the in-memory API of `@maestro-ci/sdk/testing`
 * through its `fetch` (`testing/harness.ts`).
 *
 * Keeping the surface this narrow is deliberate: it is the list of SDK features the reference
 * pipeline proves sufficient (docs/pipeline.md), and a lab replacing one service can read here exactly what it
 * needs from the SDK.
 */
import * as sdk from '@maestro-ci/sdk';

// ---------------------------------------------------------------------------------------------
// Wire shapes the pipeline reads. Field names are the server's (SDK principle 6).
// ---------------------------------------------------------------------------------------------

/** A node as the SDK returns it (docs/nodes.md#model); only the fields the pipeline reads are listed. */
export interface MaestroNode {
  id: string;
  kind: string;
  name: string;
  path: string[] | null;
  group: string | null;
  parent: string | null;
  state: NodeState;
  result: NodeResult | null;
  data: Record<string, unknown> | null;
  artifacts: Record<string, string> | null;
  debug?: Record<string, unknown> | null;
  treeid: string | null;
  owner: string | null;
  submitter?: string | null;
  jobfilter: string[] | null;
  platform_filter?: string[] | null;
  retry_counter: number;
  created: string;
  updated: string;
  timeout: string;
  holdoff: string | null;
}

export type NodeState = 'running' | 'available' | 'closing' | 'done';
export type NodeResult = 'pass' | 'fail' | 'skip' | 'incomplete';

/** A node creation body (sdk/README.md#nodes): timestamps as `Date` or ISO strings (docs/sdk.md). */
export type NodeKind = 'checkout' | 'kbuild' | 'job' | 'test' | 'process' | 'regression';

export interface NodeInput {
  kind: NodeKind;
  name: string;
  path: string[];
  group?: string | null;
  parent?: string | null;
  data?: Record<string, unknown>;
  artifacts?: Record<string, string>;
  treeid?: string | null;
  submitter?: string | null;
  jobfilter?: string[] | null;
  platform_filter?: string[] | null;
  retry_counter?: number;
  timeout?: Date | string;
  holdoff?: Date | string | null;
  state?: NodeState;
  result?: NodeResult | null;
}

/** A child for `nodes.createChild` (sdk/README.md#nodes): `timeout` is required so the 6-hour default never applies. */
export interface ChildInput {
  kind: NodeKind;
  name: string;
  group?: string;
  data?: Record<string, unknown>;
  retry_counter?: number;
  timeout: Date | string;
}

/** Filter values of sdk/README.md#nodes's object form, restricted to what the pipeline uses. */
export type FilterValue = string | number | boolean | null | { in: readonly string[] } | { lt: Date | string } | { gt: Date | string };
export type NodeFilter = sdk.NodeFilter;

/** `nodes.tree` (sdk/README.md#nodes): `{ node, children }` ordered by `path`. */
export interface NodeTree {
  node: MaestroNode;
  children: NodeTree[];
}

/** A result-tree level in plain form; the adapter turns it into SDK `resultTree()` calls (sdk/README.md#nodes). */
export interface ResultEntry {
  name: string;
  /** Set for cases; suites evaluate theirs unless given (sdk/README.md#nodes). */
  result?: NodeResult;
  artifacts?: Record<string, string>;
  data?: Record<string, unknown>;
  /** Present (possibly empty) for suites, absent for cases. */
  suites?: ResultEntry[];
  cases?: ResultEntry[];
}

// ---------------------------------------------------------------------------------------------
// Events.
// ---------------------------------------------------------------------------------------------

/**
 * The node-event payload under wire names (sdk/README.md#events-delivery-guarantees). Every field is optional, as in the SDK: a
 * payload is whatever the server (or a KernelCI server) published, and filters treat a missing
 * key as "does not match".
 */
export interface EventPayload {
  op?: 'created' | 'updated' | string;
  id?: string;
  kind?: string;
  name?: string;
  path?: string[];
  group?: string | null;
  state?: NodeState | string;
  result?: NodeResult | string | null;
  owner?: string | null;
  data?: Record<string, unknown> | null;
  is_hierarchy?: boolean;
  previous_state?: NodeState | string | null;
  previous_result?: NodeResult | string | null;
}

export interface Delivery {
  payload: EventPayload;
  sequence: number | null;
  /** A lazy, cached `nodes.get` of the event's node. */
  node(): Promise<MaestroNode>;
}

/** `events.consume` options (sdk/README.md#events-delivery-guarantees). */
export interface ConsumeOptions {
  channel?: string;
  subscriberId: string;
  filter: Readonly<Record<string, string | readonly string[]>>;
  transitionsOnly: boolean;
  concurrency?: number;
  onHandlerError?: { retries: number; then: 'dead-letter' | 'stop' };
}

/** The subscription states of sdk/README.md#events-delivery-guarantees the pipeline logs. */
export type SubscriptionState =
  | { type: 'connecting' }
  | { type: 'subscribed'; resumedFrom?: number | null }
  | { type: 'reconnecting'; attempt?: number; delayMs?: number; cause?: unknown }
  | { type: 'resumed'; replayed?: number }
  | { type: 'gap'; from?: number; to?: number; certain?: boolean }
  | { type: 'degraded'; transport?: string }
  | { type: 'closing' }
  | { type: 'closed'; reason?: string; error?: unknown };

export interface Subscription {
  /** Settles when the subscription closes; rejects on a terminal error (sdk/README.md#events-delivery-guarantees). */
  readonly done: Promise<void>;
  close(options?: { drain?: boolean; timeoutMs?: number }): Promise<void>;
  on(event: 'state', listener: (state: SubscriptionState) => void): void;
}

// ---------------------------------------------------------------------------------------------
// Telemetry (docs/telemetry.md).
// ---------------------------------------------------------------------------------------------

/** One telemetry event as `POST /telemetry` takes it (`kind` and `runtime` required). */
export type TelemetryEventInput = sdk.TelemetryEventInput;

// ---------------------------------------------------------------------------------------------
// The port.
// ---------------------------------------------------------------------------------------------

/** Every SDK call the pipeline makes, with the docs/sdk.md names and signatures. */
export interface Maestro {
  users: {
    /** sdk/README.md#nodes `users.whoami()`. */
    whoami(): Promise<{ id: string; username: string }>;
    /**
     * `users.whoami()` of a client holding someone else's token (an API token or an access token):
     * how pipeline-api verifies the callers of its routes. Throws `UnauthorizedError` (status 401) for a
     * token the API refuses.
     */
    whoamiWithToken(token: string): Promise<{ username: string; groups: string[] }>;
  };
  nodes: {
    /** sdk/README.md#nodes `nodes.get(id)`; throws NotFoundError. */
    get(id: string): Promise<MaestroNode>;
    /** sdk/README.md#nodes `nodes.count(filter)`. */
    count(filter: NodeFilter): Promise<number>;
    /** sdk/README.md#nodes `nodes.find(filter, { sort }).toArray({ max })`. */
    find(filter: NodeFilter, options: { sort?: string; max: number }): Promise<MaestroNode[]>;
    /** sdk/README.md#nodes `nodes.ensure(node, { key })`. */
    ensure(node: NodeInput, options: { key: string }): Promise<{ node: MaestroNode; created: boolean }>;
    /**
     * sdk/README.md#nodes `nodes.createChild(parent, child, { key })`, which behaves like `ensure` with a key.
     * `created` says whether this call created the node (for `job.skipped-duplicate`, docs/pipeline.md#services).
     */
    createChild(parent: MaestroNode, child: ChildInput, options: { key: string }): Promise<{ node: MaestroNode; created: boolean }>;
    /** sdk/README.md#nodes `nodes.patch(id, changes, { expect, noEvent })` with the default deep merge. */
    patch(
      id: string,
      changes: { data?: Record<string, unknown>; artifacts?: Record<string, string>; debug?: Record<string, unknown> },
      options?: { expect?: { state?: NodeState | NodeState[] }; noEvent?: boolean },
    ): Promise<MaestroNode>;
    /** sdk/README.md#nodes `nodes.setState(id, state, …)`. */
    setState(
      id: string,
      state: NodeState,
      options: {
        result?: NodeResult;
        /** Values of the SDK's `ErrorCode` (docs/nodes.md#model); a checkout's codes go in `data.error_code`. */
        errorCode?: 'kbuild_internal_error' | 'job_generation_error' | 'node_timeout' | 'Infrastructure';
        errorMsg?: string;
        holdoff?: number | Date;
        artifacts?: Record<string, string>;
        data?: Record<string, unknown>;
        expect?: { state?: NodeState | NodeState[] };
      },
    ): Promise<MaestroNode>;
    /** sdk/README.md#nodes `nodes.submitResults(rootId, resultTree(...), opts)` with the default key (sdk/README.md#nodes). */
    submitResults(
      rootId: string,
      tree: ResultEntry,
      options: { state: NodeState; result?: NodeResult; holdoff?: number | Date; data?: Record<string, unknown>; artifacts?: Record<string, string> },
    ): Promise<{ root: MaestroNode; nodes: MaestroNode[] }>;
    /** sdk/README.md#nodes `nodes.tree(root)`: the root's whole `treeid` in one paginated query, as `{ node, children }`. */
    tree(root: MaestroNode): Promise<NodeTree>;
    /** sdk/README.md#nodes `nodes.findArtifact(nodeOrId, name)`. */
    findArtifact(node: MaestroNode | string, name: string): Promise<{ url: string; node: MaestroNode } | null>;
  };
  events: {
    /** sdk/README.md#events-delivery-guarantees `events.consume(opts, handler)`. */
    consume(options: ConsumeOptions, handler: (delivery: Delivery, ctx: { signal: AbortSignal; attempt: number }) => Promise<void>): Subscription;
  };
  telemetry: {
    /**
     * Queues one event for the SDK's batcher (`client.telemetry.batcher`), which sends in batches
     * on a size or an interval. Never throws and never waits: a failed send is reported to the
     * `onTelemetryError` callback of `connectMaestro` and retried with the next batch; `close()`
     * sends what is waiting.
     */
    add(event: TelemetryEventInput): void;
    /** Sends the events waiting now (failures go to `onTelemetryError`, as for every send). */
    flush(): Promise<void>;
  };
  /** sdk/README.md#retries `deriveKey(namespace, ...parts)`. */
  deriveKey(namespace: string, ...parts: unknown[]): Promise<string>;
  /** Sends the telemetry still waiting, then sdk/README.md#the-client `client.close()`. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Binding to @maestro-ci/sdk.
// ---------------------------------------------------------------------------------------------

/**
 * The docs/sdk.md client as the pipeline calls it: the SDK signatures the pipeline relies on, checked
 * against the real `MaestroClient` by the assignment in `connectMaestro`.
 */
interface PartAClient {
  users: { whoami(): Promise<{ id: string; username: string; groups?: { name: string }[] }> };
  nodes: {
    get(id: string): Promise<MaestroNode>;
    count(filter: NodeFilter): Promise<number>;
    find(filter: NodeFilter, options?: { sort?: string; pageSize?: number }): { toArray(options: { max: number }): Promise<MaestroNode[]>; first(): Promise<MaestroNode | null> };
    ensure(node: NodeInput, options: { key: string }): Promise<{ node: MaestroNode; created: boolean }>;
    // The SDK returns the node only; `connectMaestro` finds out whether it existed (see there).
    createChild(parent: MaestroNode | string, child: ChildInput, options: { key: string }): Promise<MaestroNode>;
    patch: Maestro['nodes']['patch'];
    setState: Maestro['nodes']['setState'];
    submitResults(
      rootOrId: string,
      tree: PartAResultTree,
      options: { state: NodeState; result?: NodeResult; holdoff?: number | Date; data?: Record<string, unknown>; artifacts?: Record<string, string> },
    ): Promise<{ root: MaestroNode; nodes: MaestroNode[] }>;
    tree(root: MaestroNode | string): Promise<NodeTree>;
    findArtifact: Maestro['nodes']['findArtifact'];
  };
  events: { consume(options: ConsumeOptions & { transport?: 'long-poll' }, handler: Parameters<Maestro['events']['consume']>[1]): Subscription };
  telemetry: { batcher(options: sdk.TelemetryBatcherOptions): sdk.TelemetryBatcher };
  close(): Promise<void>;
}

/** The `resultTree()` builder of sdk/README.md#nodes, as far as the pipeline uses it. */
interface PartAResultTree {
  suite(name: string, build: (suite: PartAResultTree) => unknown, options?: { result?: NodeResult; data?: Record<string, unknown>; artifacts?: Record<string, string> }): PartAResultTree;
  case(name: string, result: NodeResult, options?: { data?: Record<string, unknown>; artifacts?: Record<string, string> }): PartAResultTree;
}

/** Adds the entries of one plain level to an SDK builder, suites first, then cases. */
function buildLevel(builder: PartAResultTree, level: ResultEntry): void {
  for (const suite of level.suites ?? []) {
    builder.suite(suite.name, (s) => buildLevel(s, suite), {
      ...(suite.result ? { result: suite.result } : {}),
      ...(suite.data ? { data: suite.data } : {}),
      ...(suite.artifacts ? { artifacts: suite.artifacts } : {}),
    });
  }
  for (const c of level.cases ?? []) {
    builder.case(c.name, c.result ?? 'incomplete', { ...(c.data ? { data: c.data } : {}), ...(c.artifacts ? { artifacts: c.artifacts } : {}) });
  }
}

/**
 * Creates the SDK client the services use. The token comes only from the caller (the CLI reads
 * `MAESTRO_TOKEN`, docs/pipeline.md) and is handed to the SDK, which redacts it everywhere (sdk/README.md#errors).
 */
export function connectMaestro(options: {
  baseUrl: string;
  token: string | undefined;
  /** Told about a failed telemetry send; telemetry never breaks or slows down a service. */
  onTelemetryError?: (error: unknown, pending: number) => void;
  /** The SDK's `fetch` (tests give the in-memory API's); default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** `"long-poll"` subscribes over HTTP long-poll only (the in-memory API has no socket.io). */
  eventTransport?: 'long-poll';
}): Maestro {
  const lib = sdk;
  const common = { baseUrl: options.baseUrl, userAgent: 'maestro-pipeline/0.1.0', ...(options.fetch ? { fetch: options.fetch } : {}) };
  const client: PartAClient = lib.createClient({ ...common, token: options.token });
  const batcher = client.telemetry.batcher({ ...(options.onTelemetryError ? { onError: options.onTelemetryError } : {}) });
  let closed = false;

  return {
    users: {
      whoami: () => client.users.whoami(),
      whoamiWithToken: async (token) => {
        const other: PartAClient = lib.createClient({ ...common, token, retry: false });
        try {
          const user = await other.users.whoami();
          return { username: user.username, groups: (user.groups ?? []).map((g) => g.name) };
        } finally {
          await other.close();
        }
      },
    },
    nodes: {
      get: (id) => client.nodes.get(id),
      count: (filter) => client.nodes.count(filter),
      find: (filter, { sort, max }) => client.nodes.find(filter, sort ? { sort } : {}).toArray({ max }),
      ensure: (node, opts) => client.nodes.ensure(node, opts),
      createChild: async (parent, child, opts) => {
        // The SDK's createChild returns only the node. The same lookup `ensure` makes first (name,
        // parent and `debug.idempotency_key`, sdk/README.md#nodes) tells a duplicate apart; the key still makes the
        // creation itself exactly-once if another process races this lookup.
        const before = await client.nodes.find({ name: child.name, parent: parent.id, 'debug.idempotency_key': opts.key }, { pageSize: 2 }).first();
        if (before) return { node: before, created: false };
        return { node: await client.nodes.createChild(parent, child, opts), created: true };
      },
      patch: (id, changes, opts) => client.nodes.patch(id, changes, opts),
      setState: (id, state, opts) => client.nodes.setState(id, state, opts),
      submitResults: (rootId, tree, opts) => {
        const builder = lib.resultTree();
        buildLevel(builder, tree);
        return client.nodes.submitResults(rootId, builder, opts);
      },
      tree: (root) => client.nodes.tree(root),
      findArtifact: (node, name) => client.nodes.findArtifact(node, name),
    },
    events: { consume: (opts, handler) => client.events.consume({ ...opts, ...(options.eventTransport ? { transport: options.eventTransport } : {}) }, handler) },
    telemetry: {
      add: (event) => {
        // The batcher refuses events after close(); a late event of a stopping service is dropped.
        if (!closed) batcher.add(event);
      },
      flush: () => batcher.flush(),
    },
    deriveKey: (namespace, ...parts) => lib.deriveKey(namespace, ...parts),
    close: async () => {
      if (!closed) {
        closed = true;
        await batcher.close();
      }
      await client.close();
    },
  };
}
