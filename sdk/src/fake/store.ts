/**
 * The state of the fake API and the writes another party makes to it: nodes, the event log,
 * long-poll subscriptions and durable cursors, idempotency records, tokens and telemetry. A test
 * writes here directly (`insert`, `update`, `publish`) to play another client or the server's own
 * jobs; the routes (node-routes.ts, event-routes.ts) read and write the same state.
 */
import { hashOf, naive, randomUUID, TIMESTAMP_FIELDS, toNaive, type Json, type Mode, type StoredEventRecord } from './wire.js';

/** A long-poll subscription (`POST /subscribe/{channel}`). */
export interface HttpSub {
  id: number;
  channel: string;
  user: string;
  promiscuous: boolean;
  subscriberId: string | null;
  position: number;
  lastReturned: number | null;
}

/** A user a bearer token belongs to (what `GET /whoami` answers for it). */
export interface FakeUser {
  username: string;
  groups: string[];
}

export interface FakeApiOptions {
  /** How long a `/listen` is held before it answers BEEP (default 50 ms). Writes wake it at once. */
  keepAliveMs?: number;
}

export class FakeStore {
  readonly nodes = new Map<string, Json>();
  readonly events: StoredEventRecord[] = [];
  readonly subs = new Map<number, HttpSub>();
  readonly cursors = new Map<string, { user: string; channel: string; last: number }>();
  readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown; etag?: string }>();
  /**
   * Bearer tokens `GET /whoami` knows. While empty, every caller is `user`; once a token is
   * registered, an unknown one is refused with 401, as the API refuses it.
   */
  readonly tokens = new Map<string, FakeUser>();
  /** Telemetry events as `POST /telemetry` received them, in order. */
  readonly telemetry: Json[] = [];
  /** Called on every published event (the socket.io fake listens here). */
  onPublish: ((e: StoredEventRecord) => void) | undefined;
  keepAliveMs: number;
  nextSub = 800;
  sequence = 0;
  #counter = 0;
  #lastMicros = 0;
  readonly #listenWaiters = new Set<() => void>();
  /** Subscriptions with a `/listen` waiting for an event. */
  readonly #held = new Set<number>();

  constructor(
    readonly mode: Mode = 'maestro',
    readonly user = 'bob',
    options: FakeApiOptions = {},
  ) {
    this.keepAliveMs = options.keepAliveMs ?? 50;
  }

  newId(): string {
    this.#counter++;
    // Increasing, like ObjectIds: natural order is insertion order.
    return `65${this.#counter.toString(16).padStart(22, '0')}`;
  }

  /** Now, as the API writes it (naive UTC, microseconds), strictly increasing like the API's clock. */
  now(): string {
    this.#lastMicros = Math.max(Date.now() * 1000, this.#lastMicros + 1);
    const ms = Math.floor(this.#lastMicros / 1000);
    return `${new Date(ms).toISOString().slice(0, 23)}${String(this.#lastMicros % 1000).padStart(3, '0')}`;
  }

  etag(node: Json): string {
    return `"${hashOf(JSON.stringify(node))}"`;
  }

  /**
   * Stores a node directly, as another writer would, with the API's defaults for missing fields,
   * and returns the stored object. `event: true` publishes its `created` event.
   */
  insert(partial: Json, options: { event?: boolean } = {}): Json {
    const now = this.now();
    const node: Json = {
      id: this.newId(), kind: 'checkout', name: 'n', path: [], group: null, parent: null, state: 'running', result: null,
      artifacts: {}, data: {}, debug: {}, jobfilter: null, platform_filter: null, created: now, updated: now,
      timeout: naive(new Date(Date.now() + 6 * 3600_000)), holdoff: null, owner: this.user, submitter: null, treeid: null,
      user_groups: [], processed_by_kcidb_bridge: false, retry_counter: 0,
      ...partial,
    };
    for (const k of TIMESTAMP_FIELDS) node[k] = toNaive(node[k]);
    if (!Array.isArray(node.path) || (node.path as unknown[]).length === 0) node.path = [node.name];
    this.nodes.set(node.id as string, node);
    if (options.event) this.nodeEvent('created', node);
    return node;
  }

  /**
   * Writes fields of a node directly (the server's lifecycle, another client), without the state
   * machine, publishes its `updated` event unless `noEvent`, and returns the stored object.
   */
  update(id: string, changes: Json, options: { noEvent?: boolean } = {}): Json {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`FakeApi.update: no node ${id}`);
    const previous = { ...node };
    const next: Json = { ...node, updated: this.now(), ...structuredClone(changes), id };
    for (const k of TIMESTAMP_FIELDS) next[k] = toNaive(next[k]);
    this.nodes.set(id, next);
    if (!options.noEvent) this.nodeEvent('updated', next, previous);
    return next;
  }

  publish(channel: string, data: Json, owner: string | null = this.user, extra: Json = {}): StoredEventRecord {
    this.sequence++;
    const time = new Date().toISOString().replace('Z', '+00:00');
    const ce: Json = { specversion: '1.0', id: randomUUID(), source: 'https://api.kernelci.org/', type: 'api.kernelci.org', time, data, ...(owner ? { owner } : {}), ...extra };
    const record: StoredEventRecord = { sequence_id: this.sequence, timestamp: this.now(), channel, owner, data, ce };
    this.events.push(record);
    this.onPublish?.(record);
    for (const w of [...this.#listenWaiters]) w();
    return record;
  }

  /** The node event of a write, as the API publishes it. */
  nodeEvent(op: 'created' | 'updated', node: Json, previous?: Json, isHierarchy = false): void {
    this.publish('node', {
      op, id: node.id, kind: node.kind, name: node.name, path: node.path, group: node.group, state: node.state,
      result: node.result, owner: node.owner, data: node.data, is_hierarchy: isHierarchy,
      ...(op === 'updated' ? { previous_state: previous?.state, previous_result: previous?.result } : {}),
    }, (node.owner as string | null) ?? null);
  }

  /** The next event a subscription may receive: its channel, and its user's unless promiscuous. */
  nextFor(sub: HttpSub): StoredEventRecord | undefined {
    return this.events.find((e) => e.sequence_id > sub.position && e.channel === sub.channel && (sub.promiscuous || !e.owner || e.owner === sub.user));
  }

  /** Holds a `/listen` until an event is published, `ms` pass, or the request is aborted. */
  async waitForEvent(sub: HttpSub, ms: number, signal: AbortSignal): Promise<void> {
    this.#held.add(sub.id);
    try {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          this.#listenWaiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, ms);
        this.#listenWaiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    } finally {
      this.#held.delete(sub.id);
    }
  }

  /**
   * Resolves once every long-poll subscriber is waiting in `/listen` with nothing left to
   * receive: over long-poll the next `/listen` acknowledges the previous event, so every event
   * published so far has been handled. Rejects after `timeoutMs`.
   */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const quiet = (): boolean => [...this.subs.values()].every((s) => this.#held.has(s.id) && !this.nextFor(s));
    // Two looks a turn apart: a listen answered in between shows up in the second.
    while (!quiet() || !(await new Promise<boolean>((r) => setTimeout(() => r(quiet()), 1)))) {
      if (Date.now() > deadline) throw new Error(`FakeApi.idle: subscribers still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}
