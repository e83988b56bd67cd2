/**
 * An in-memory `Maestro` for unit tests: the docs/sdk.md behaviour the pipeline relies on (ensure by
 * key, deep-merge patch with `expect`, one-shot result submission, durable consumers with
 * server-side filters and the transitions-only rule of sdk/README.md#events-delivery-guarantees), and nothing else. It is a test
 * double of the SDK port, not of the API: the real API is exercised by test/src/pipeline*.e2e.ts.
 */
import { createHash } from 'node:crypto';
import { canTransition, deepMerge as sdkDeepMerge } from '@maestro-ci/sdk/testing';
import type {
  ChildInput,
  ConsumeOptions,
  Delivery,
  EventPayload,
  FilterValue,
  Maestro,
  MaestroNode,
  NodeFilter,
  NodeInput,
  NodeResult,
  NodeState,
  NodeTree,
  ResultEntry,
  Subscription,
  SubscriptionState,
  TelemetryEventInput,
} from '../maestro';

type Handler = (delivery: Delivery, ctx: { signal: AbortSignal; attempt: number }) => Promise<void>;

interface Consumer {
  options: ConsumeOptions;
  handler: Handler;
  queue: EventPayload[];
  running: Promise<void> | null;
  closed: boolean;
  listeners: ((s: SubscriptionState) => void)[];
  resolveDone: () => void;
  errors: unknown[];
}

export class FakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = status === 412 ? 'PreconditionFailedError' : status === 404 ? 'NotFoundError' : status === 400 ? 'InvalidTransitionError' : status === 401 ? 'UnauthorizedError' : 'HttpError';
  }
}

// The state machine and the merge rules are the SDK's own (the state machine generated from the API's
// definitions), so this fake cannot drift from the API on either.
function deepMerge(base: Record<string, unknown> | null, changes: Record<string, unknown>): Record<string, unknown> {
  return sdkDeepMerge(base ?? {}, changes) as Record<string, unknown>;
}

function fieldValue(node: MaestroNode, field: string): unknown {
  let cur: unknown = node;
  for (const part of field.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

function matchesFilter(node: MaestroNode, filter: NodeFilter): boolean {
  // Read as plain entries so the fake accepts both this module's filter type and the SDK's.
  return Object.entries(filter as Readonly<Record<string, unknown>>).every(([field, raw]) => {
    const want = raw as FilterValue;
    const have = fieldValue(node, field);
    if (want !== null && typeof want === 'object') {
      if ('in' in want) return want.in.includes(String(have));
      const stamp = (v: Date | string) => (v instanceof Date ? v.toISOString() : v).replace(/Z$|\+00:00$/, '');
      if ('lt' in want) return String(have) < stamp(want.lt);
      if ('gt' in want) return String(have) > stamp(want.gt);
    }
    // Array fields match by element, as on the server.
    return Array.isArray(have) ? have.includes(want) : have === want;
  });
}

function payloadMatches(payload: EventPayload, filter: ConsumeOptions['filter'], previous: boolean): boolean {
  return Object.entries(filter).every(([k, want]) => {
    let have: unknown = (payload as unknown as Record<string, unknown>)[k];
    if (previous && k === 'state') have = payload.previous_state;
    if (previous && k === 'result') have = payload.previous_result;
    return Array.isArray(want) ? want.includes(String(have)) : have === want;
  });
}

/** sdk/README.md#events-delivery-guarantees's transitions-only rule, as the SDK applies it on the client. */
export function passesTransitionsOnly(payload: EventPayload, filter: ConsumeOptions['filter']): boolean {
  if (!payloadMatches(payload, filter, false)) return false;
  if (payload.op === 'created') return true;
  if (payload.previous_state === undefined || payload.previous_state === null) return false;
  if ('state' in filter || 'result' in filter) return !payloadMatches(payload, filter, true);
  return payload.state !== payload.previous_state || payload.result !== payload.previous_result;
}

const naiveNow = () => new Date().toISOString().replace('Z', '');
const stamp = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().replace('Z', '') : v);

export class FakeMaestro implements Maestro {
  readonly store = new Map<string, MaestroNode>();
  readonly keys = new Map<string, string>();
  readonly history: EventPayload[] = [];
  readonly consumers: Consumer[] = [];
  /** Calls made, by method name, for assertions. */
  readonly calls: { method: string; args: unknown[] }[] = [];
  #seq = 0;
  #clock = 0;

  /** Tokens `users.whoamiWithToken` accepts, and whom they belong to. */
  readonly tokens = new Map<string, { username: string; groups: string[] }>();

  constructor(readonly username = 'pipeline') {}

  #id(): string {
    this.#seq += 1;
    return this.#seq.toString(16).padStart(24, '0');
  }

  // Strictly increasing `created` so sort and `lt` comparisons are stable within one millisecond.
  #created(): string {
    this.#clock += 1;
    return new Date(Date.UTC(2026, 0, 1) + this.#clock).toISOString().replace('Z', '');
  }

  #emit(op: 'created' | 'updated', node: MaestroNode, previous?: { state: NodeState; result: NodeResult | null }): void {
    const payload: EventPayload = {
      op,
      id: node.id,
      kind: node.kind,
      name: node.name,
      path: node.path ?? undefined,
      group: node.group,
      state: node.state,
      result: node.result,
      owner: node.owner,
      data: structuredClone(node.data),
      is_hierarchy: false,
      ...(previous ? { previous_state: previous.state, previous_result: previous.result } : {}),
    };
    this.history.push(payload);
    for (const c of this.consumers) {
      if (c.closed) continue;
      if (c.options.transitionsOnly ? passesTransitionsOnly(payload, c.options.filter) : payloadMatches(payload, c.options.filter, false)) {
        c.queue.push(payload);
        this.#pump(c);
      }
    }
  }

  #pump(c: Consumer): void {
    if (c.running) return;
    c.running = (async () => {
      while (c.queue.length && !c.closed) {
        const payload = c.queue.shift()!;
        let cached: Promise<MaestroNode> | undefined;
        const delivery: Delivery = { payload, sequence: this.history.indexOf(payload) + 1, node: () => (cached ??= this.nodes.get(payload.id!)) };
        try {
          await c.handler(delivery, { signal: new AbortController().signal, attempt: 1 });
        } catch (err) {
          c.errors.push(err);
        }
      }
      c.running = null;
    })();
  }

  /** Resolves when every consumer's queue is empty and no handler runs. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.consumers.filter((c) => c.running);
      if (busy.length === 0) return;
      await Promise.all(busy.map((c) => c.running));
    }
  }

  /** Handler errors seen by the consumers (the SDK would retry and dead-letter them). */
  get handlerErrors(): unknown[] {
    return this.consumers.flatMap((c) => c.errors);
  }

  /** Stores a node directly, as another client would, and emits its `created` event. */
  insert(input: Omit<NodeInput, 'path'> & { path?: string[]; owner?: string }, key?: string): MaestroNode {
    const now = naiveNow();
    const node: MaestroNode = {
      id: this.#id(),
      kind: input.kind,
      name: input.name,
      path: input.path ?? [input.name],
      group: input.group ?? null,
      parent: input.parent ?? null,
      state: input.state ?? 'running',
      result: input.result ?? null,
      data: structuredClone(input.data ?? {}),
      artifacts: { ...(input.artifacts ?? {}) },
      debug: key ? { idempotency_key: key } : {},
      treeid: input.treeid ?? null,
      owner: input.owner ?? this.username,
      submitter: input.submitter ?? null,
      jobfilter: input.jobfilter ?? null,
      platform_filter: input.platform_filter ?? null,
      retry_counter: input.retry_counter ?? 0,
      created: this.#created(),
      updated: now,
      timeout: stamp(input.timeout) ?? new Date(Date.now() + 6 * 3_600_000).toISOString().replace('Z', ''),
      holdoff: stamp(input.holdoff),
    };
    this.store.set(node.id, node);
    if (key) this.keys.set(key, node.id);
    this.#emit('created', node);
    return structuredClone(node);
  }

  /** Writes fields directly (as the server's lifecycle or another client would) and emits `updated`. */
  update(id: string, changes: Partial<MaestroNode>, options: { noEvent?: boolean } = {}): MaestroNode {
    const node = this.store.get(id);
    if (!node) throw new FakeError(404, `Node not found with id: ${id}`);
    const previous = { state: node.state, result: node.result };
    Object.assign(node, structuredClone(changes), { updated: naiveNow() });
    if (!options.noEvent) this.#emit('updated', node, previous);
    return structuredClone(node);
  }

  users = {
    whoami: async () => ({ id: 'u'.repeat(24), username: this.username }),
    whoamiWithToken: async (token: string) => {
      const user = this.tokens.get(token);
      if (!user) throw new FakeError(401, 'Could not validate credentials');
      return structuredClone(user);
    },
  };

  nodes: Maestro['nodes'] = {
    get: async (id) => {
      const node = this.store.get(id);
      if (!node) throw new FakeError(404, `Node not found with id: ${id}`);
      return structuredClone(node);
    },
    count: async (filter) => [...this.store.values()].filter((n) => matchesFilter(n, filter)).length,
    find: async (filter, { sort, max }) => {
      const found = [...this.store.values()].filter((n) => matchesFilter(n, filter));
      if (sort === '-created') found.sort((a, b) => (a.created < b.created ? 1 : -1));
      else found.sort((a, b) => (a.id < b.id ? -1 : 1));
      return structuredClone(found.slice(0, max));
    },
    ensure: async (input, { key }) => {
      this.calls.push({ method: 'nodes.ensure', args: [input, key] });
      const existing = this.keys.get(key);
      if (existing) return { node: structuredClone(this.store.get(existing)!), created: false };
      return { node: this.insert(input, key), created: true };
    },
    createChild: async (parent, child: ChildInput, { key }) => {
      this.calls.push({ method: 'nodes.createChild', args: [parent.id, child, key] });
      const existing = this.keys.get(key);
      if (existing) return { node: structuredClone(this.store.get(existing)!), created: false };
      const kr = parent.data?.kernel_revision;
      const node = this.insert(
        {
          kind: child.kind,
          name: child.name,
          group: child.group ?? child.name,
          parent: parent.id,
          path: [...(parent.path ?? [parent.name]), child.name],
          treeid: parent.treeid,
          data: { ...(child.data ?? {}), ...(kr ? { kernel_revision: kr } : {}) },
          timeout: child.timeout,
          owner: this.username,
          submitter: parent.submitter ?? null,
          jobfilter: parent.jobfilter,
          platform_filter: parent.platform_filter ?? null,
          retry_counter: child.retry_counter ?? 0,
        },
        key,
      );
      return { node, created: true };
    },
    patch: async (id, changes, options = {}) => {
      this.calls.push({ method: 'nodes.patch', args: [id, changes, options] });
      const node = await this.nodes.get(id);
      this.#checkExpect(node, options.expect);
      return this.update(
        id,
        {
          ...(changes.data ? { data: deepMerge(node.data, changes.data) } : {}),
          ...(changes.artifacts ? { artifacts: { ...(node.artifacts ?? {}), ...changes.artifacts } } : {}),
          ...(changes.debug ? { debug: deepMerge(node.debug ?? null, changes.debug) } : {}),
        },
        { noEvent: options.noEvent },
      );
    },
    setState: async (id, state, options) => {
      this.calls.push({ method: 'nodes.setState', args: [id, state, options] });
      const node = await this.nodes.get(id);
      this.#checkExpect(node, options.expect);
      if (!canTransition(node.state, state)) throw new FakeError(400, `Transition not allowed with state: ${node.state}`);
      const data = deepMerge(node.data, {
        ...(options.data ?? {}),
        ...(options.errorCode ? { error_code: options.errorCode } : {}),
        ...(options.errorMsg ? { error_msg: options.errorMsg } : {}),
      });
      const changes: Partial<MaestroNode> = {
        state,
        data,
        ...(options.result ? { result: options.result } : {}),
        ...(options.artifacts ? { artifacts: { ...(node.artifacts ?? {}), ...options.artifacts } } : {}),
        ...(options.holdoff !== undefined ? { holdoff: stamp(typeof options.holdoff === 'number' ? new Date(Date.now() + options.holdoff) : options.holdoff) } : {}),
      };
      // The no-op rule (sdk/README.md#nodes): nothing changes, nothing is written, no event goes out.
      const after = { ...node, ...changes };
      if (JSON.stringify({ ...after, updated: 0, holdoff: 0 }) === JSON.stringify({ ...node, updated: 0, holdoff: 0 })) return node;
      return this.update(id, changes);
    },
    submitResults: async (rootId, tree: ResultEntry, options) => {
      this.calls.push({ method: 'nodes.submitResults', args: [rootId, tree, options] });
      const key = `results:${rootId}`;
      const root = await this.nodes.get(rootId);
      if (this.keys.has(key)) {
        // An idempotent replay (sdk/README.md#nodes): the stored children, unchanged.
        return { root, nodes: [root, ...[...this.store.values()].filter((n) => n.treeid === root.treeid && n.path && n.path.length > (root.path?.length ?? 1) && n.path.slice(0, root.path!.length).join('/') === root.path!.join('/'))] };
      }
      if (!canTransition(root.state, options.state)) throw new FakeError(400, `Transition not allowed with state: ${root.state}`);
      this.keys.set(key, rootId);
      const created: MaestroNode[] = [];
      const add = (parent: MaestroNode, entry: ResultEntry, kind: 'job' | 'test') => {
        const inherited: Record<string, unknown> = {};
        for (const f of ['kernel_revision', 'kernel_type', 'arch', 'defconfig', 'config_full', 'compiler', 'platform', 'runtime']) {
          if (root.data?.[f] !== undefined && root.data[f] !== null) inherited[f] = root.data[f];
        }
        const node: MaestroNode = {
          ...structuredClone(root),
          id: this.#id(),
          kind,
          name: entry.name,
          parent: parent.id,
          path: [...(parent.path ?? []), entry.name],
          group: root.name,
          state: 'done',
          result: entry.result ?? evaluate(entry),
          data: { ...inherited, ...(entry.data ?? {}) },
          artifacts: { ...(entry.artifacts ?? {}) },
          debug: {},
          created: this.#created(),
        };
        this.store.set(node.id, node);
        created.push(node);
        for (const s of entry.suites ?? []) add(node, s, 'job');
        for (const c of entry.cases ?? []) add(node, c, 'test');
      };
      for (const s of tree.suites ?? []) add(root, s, 'job');
      for (const c of tree.cases ?? []) add(root, c, 'test');
      const updated = this.update(rootId, {
        state: options.state,
        result: options.result ?? evaluate(tree),
        data: deepMerge(root.data, options.data ?? {}),
        artifacts: { ...(root.artifacts ?? {}), ...(options.artifacts ?? {}) },
        ...(options.holdoff !== undefined ? { holdoff: stamp(typeof options.holdoff === 'number' ? new Date(Date.now() + options.holdoff) : options.holdoff) } : {}),
      });
      return { root: updated, nodes: [updated, ...structuredClone(created)] };
    },
    tree: async (rootNode) => {
      const all = [...this.store.values()].filter((n) => (rootNode.treeid ? n.treeid === rootNode.treeid : n.id === rootNode.id));
      const build = (node: MaestroNode): NodeTree => ({
        node: structuredClone(node),
        children: all
          .filter((n) => n.parent === node.id)
          .sort((a, b) => ((a.path ?? []).join('/') < (b.path ?? []).join('/') ? -1 : 1))
          .map(build),
      });
      const root = all.find((n) => n.id === rootNode.id);
      if (!root) throw new FakeError(404, `Node not found with id: ${rootNode.id}`);
      return build(root);
    },
    findArtifact: async (nodeOrId, name) => {
      let node: MaestroNode | undefined = typeof nodeOrId === 'string' ? this.store.get(nodeOrId) : this.store.get(nodeOrId.id);
      for (let depth = 0; node && depth < 64; depth++) {
        const url = node.artifacts?.[name];
        if (url) return { url, node: structuredClone(node) };
        node = node.parent ? this.store.get(node.parent) : undefined;
      }
      return null;
    },
  };

  events: Maestro['events'] = {
    consume: (options, handler): Subscription => {
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const consumer: Consumer = { options, handler, queue: [], running: null, closed: false, listeners: [], resolveDone, errors: [] };
      this.consumers.push(consumer);
      queueMicrotask(() => consumer.listeners.forEach((l) => l({ type: 'subscribed', resumedFrom: null })));
      return {
        done,
        on: (_event, listener) => consumer.listeners.push(listener),
        close: async () => {
          await consumer.running;
          consumer.closed = true;
          consumer.resolveDone();
        },
      };
    },
  };

  /** Telemetry events added, in order, for assertions. */
  readonly telemetryEvents: TelemetryEventInput[] = [];

  telemetry: Maestro['telemetry'] = {
    add: (event) => {
      this.telemetryEvents.push(structuredClone(event));
    },
  };

  async deriveKey(namespace: string, ...parts: unknown[]): Promise<string> {
    return `${namespace}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
  }

  async close(): Promise<void> {
    for (const c of this.consumers) {
      c.closed = true;
      c.resolveDone();
    }
  }

  #checkExpect(node: MaestroNode, expect: { state?: NodeState | NodeState[] } | undefined): void {
    if (!expect?.state) return;
    const allowed = Array.isArray(expect.state) ? expect.state : [expect.state];
    if (!allowed.includes(node.state)) throw new FakeError(412, `Precondition failed: expected state ${allowed.join('|')}, got ${node.state}`);
  }
}

function evaluate(entry: ResultEntry): NodeResult | null {
  let pass = false;
  let skip = false;
  for (const c of [...(entry.suites ?? []), ...(entry.cases ?? [])]) {
    const r = c.result ?? evaluate(c);
    if (r === 'fail') return 'fail';
    if (r === 'pass') pass = true;
    else if (r === 'skip') skip = true;
  }
  return pass ? 'pass' : skip ? 'skip' : null;
}
