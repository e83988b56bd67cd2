/**
 * `@maestro-ci/sdk/testing`: an in-memory API behind an injected `fetch`, for the SDK's own unit
 * tests and for programs built on the SDK (`createClient({ baseUrl, fetch: api.fetch })`), in
 * Maestro mode (ETag/If-Match, Idempotency-Key, keyset cursors, `_sequence_id` everywhere) or in
 * KernelCI mode with its wire quirks (`200 null` for unknown ids, no ETag or cursor, the `/listen`
 * envelope with a string CloudEvent, BEEP, replays without `_sequence_id`, the 1000-event catch-up
 * cap, 404 after reaping). It answers with the API's shapes and enforces the API's state machine
 * (the generated table the SDK itself uses); it is not a mock of the SDK.
 */
import { canTransition, NODE_STATES, type NodeState } from '../states.js';

const randomUUID = (): string => globalThis.crypto.randomUUID();

/** A short, stable hash of a text (FNV-1a), for ETags. */
function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${h.toString(16).padStart(8, '0')}${text.length.toString(16)}`;
}

export type Mode = 'maestro' | 'kernelci';
type Json = Record<string, unknown>;

export interface StoredEventRecord {
  sequence_id: number;
  timestamp: string;
  channel: string;
  owner: string | null;
  data: Json;
  ce: Json;
}

interface HttpSub {
  id: number;
  channel: string;
  user: string;
  promiscuous: boolean;
  subscriberId: string | null;
  position: number;
  lastReturned: number | null;
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

const NODE_KEYS = [
  'id', 'kind', 'name', 'path', 'group', 'parent', 'state', 'result', 'artifacts', 'data', 'debug', 'jobfilter',
  'platform_filter', 'created', 'updated', 'timeout', 'holdoff', 'owner', 'submitter', 'treeid', 'user_groups',
  'processed_by_kcidb_bridge', 'retry_counter',
];

function naive(d = new Date()): string {
  return d.toISOString().replace('Z', '').padEnd(26, '0');
}

type Answer = [number, unknown, Record<string, string>];



function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Hook that may answer a request instead of the fake (fault injection); return undefined to continue. */
export type Interceptor = (call: Call, next: () => Promise<Response>) => Promise<Response | undefined> | Response | undefined;

export class FakeApi {
  readonly nodes = new Map<string, Json>();
  readonly events: StoredEventRecord[] = [];
  readonly calls: Call[] = [];
  readonly subs = new Map<number, HttpSub>();
  readonly cursors = new Map<string, { user: string; channel: string; last: number }>();
  readonly idempotency = new Map<string, { fingerprint: string; status: number; body: unknown; etag?: string }>();
  readonly interceptors: Interceptor[] = [];
  /** Called on every published event (the socket.io fake listens here). */
  onPublish: ((e: StoredEventRecord) => void) | undefined;
  keepAliveMs = 50;
  nextSub = 800;
  sequence = 0;
  #counter = 0;
  #listenWaiters = new Set<() => void>();

  constructor(
    readonly mode: Mode = 'maestro',
    readonly user = 'bob',
  ) {}

  /** The injected fetch. */
  readonly fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.body ? await request.text() : '';
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* form bodies stay text */
    }
    const call: Call = { method: request.method, path: url.pathname.replace(/^\/(latest|v0)/, ''), query: url.searchParams, headers: request.headers, body };
    this.calls.push(call);
    const chain = [...this.interceptors];
    const run = async (i: number): Promise<Response> => {
      if (i < chain.length) {
        const answered = await chain[i]!(call, () => run(i + 1));
        if (answered) return answered;
        return run(i + 1);
      }
      return this.handle(call, request.signal);
    };
    return run(0);
  };

  newId(): string {
    this.#counter++;
    // Increasing, like ObjectIds: natural order is insertion order.
    return `65${this.#counter.toString(16).padStart(22, '0')}`;
  }

  etag(node: Json): string {
    return `"${hashOf(JSON.stringify(node))}"`;
  }

  /** Inserts a node directly (another writer). */
  insert(partial: Json): Json {
    const now = naive();
    const node: Json = {
      id: this.newId(), kind: 'checkout', name: 'n', path: [], group: null, parent: null, state: 'running', result: null,
      artifacts: {}, data: {}, debug: {}, jobfilter: null, platform_filter: null, created: now, updated: now,
      timeout: naive(new Date(Date.now() + 6 * 3600_000)), holdoff: null, owner: this.user, submitter: null, treeid: null,
      user_groups: [], processed_by_kcidb_bridge: false, retry_counter: 0,
      ...partial,
    };
    if (!Array.isArray(node.path) || (node.path as unknown[]).length === 0) node.path = [node.name];
    this.nodes.set(node.id as string, node);
    return node;
  }

  publish(channel: string, data: Json, owner: string | null = this.user, extra: Json = {}): StoredEventRecord {
    this.sequence++;
    const time = new Date().toISOString().replace('Z', '+00:00');
    const ce: Json = { specversion: '1.0', id: randomUUID(), source: 'https://api.kernelci.org/', type: 'api.kernelci.org', time, data, ...(owner ? { owner } : {}), ...extra };
    const record: StoredEventRecord = { sequence_id: this.sequence, timestamp: naive(), channel, owner, data, ce };
    this.events.push(record);
    this.onPublish?.(record);
    for (const w of [...this.#listenWaiters]) w();
    return record;
  }

  nodeEvent(op: 'created' | 'updated', node: Json, previous?: Json, isHierarchy = false): void {
    this.publish('node', {
      op, id: node.id, kind: node.kind, name: node.name, path: node.path, group: node.group, state: node.state,
      result: node.result, owner: node.owner, data: node.data, is_hierarchy: isHierarchy,
      ...(op === 'updated' ? { previous_state: previous?.state, previous_result: previous?.result } : {}),
    }, (node.owner as string | null) ?? null);
  }

  #etagHeader(node: Json): Record<string, string> {
    return this.mode === 'maestro' ? { ETag: this.etag(node) } : {};
  }

  #withEtag(status: number, node: Json): Response {
    return json(status, node, this.mode === 'maestro' ? { ETag: this.etag(node) } : {});
  }

  #checkIfMatch(call: Call, node: Json): Response | undefined {
    const ifMatch = call.headers.get('If-Match');
    if (this.mode !== 'maestro' || !ifMatch) return undefined;
    if (ifMatch !== '*' && !ifMatch.split(',').map((s) => s.trim()).includes(this.etag(node))) {
      return json(412, { detail: 'Precondition failed: node has been modified' });
    }
    return undefined;
  }

  /** The API's state machine: 400 `Transition not allowed with state: …` for a forbidden move. */
  #checkTransition(node: Json, body: Json): Response | undefined {
    const to = body.state;
    if (typeof to !== 'string' || !(NODE_STATES as readonly string[]).includes(to)) return undefined;
    if (canTransition(node.state as NodeState, to as NodeState)) return undefined;
    return json(400, { detail: `Transition not allowed with state: ${to}` });
  }

  #idempotent(call: Call, run: () => Answer): Response {
    const key = call.headers.get('Idempotency-Key');
    const toResponse = ([status, body, headers]: Answer): Response => json(status, body, headers);
    if (this.mode !== 'maestro' || !key) return toResponse(run());
    const scope = `${this.user} ${call.method} ${call.path} ${key}`;
    const fingerprint = JSON.stringify(call.body ?? null);
    const record = this.idempotency.get(scope);
    if (record) {
      if (record.fingerprint !== fingerprint) return json(422, { detail: 'Idempotency-Key has already been used with a different request' });
      return json(record.status, record.body, { 'Idempotent-Replayed': 'true', ...(record.etag ? { ETag: record.etag } : {}) });
    }
    const answer = run();
    if (answer[0] < 300) this.idempotency.set(scope, { fingerprint, status: answer[0], body: answer[1], etag: answer[2].ETag });
    return toResponse(answer);
  }

  #matches(node: Json, query: URLSearchParams): boolean {
    for (const [rawKey, value] of query) {
      if (['limit', 'offset', 'sort', 'cursor'].includes(rawKey)) continue;
      const [field, op = 'eq'] = rawKey.split('__');
      const actual = field!.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), node);
      const conv = value === 'null' ? null : value;
      if (op === 'eq' || op === 'int') {
        if (field === 'path') {
          if (!(actual as string[]).includes(value)) return false;
        } else if (op === 'int' ? actual !== Number(value) : String(actual ?? 'null') !== String(conv ?? 'null')) return false;
      } else if (op === 'in') {
        if (!value.split(',').includes(String(actual))) return false;
      } else if (op === 'ne') {
        if (String(actual) === value) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  async handle(call: Call, signal: AbortSignal): Promise<Response> {
    const { method, path, query } = call;
    const m = (re: RegExp): RegExpMatchArray | null => path.match(re);
    let r: RegExpMatchArray | null;
    if (method === 'GET' && path === '/openapi.json') {
      if (this.mode === 'kernelci') return json(404, { detail: 'Not Found' });
      return json(200, { openapi: '3.1.0', info: { title: 'Maestro API', version: '0.1.0' }, paths: { '/node': {}, '/user/me/tokens': {} } });
    }
    if (method === 'GET' && (r = m(/^\/node\/([^/]+)$/))) {
      const node = this.nodes.get(r[1]!);
      return node ? this.#withEtag(200, node) : json(200, null);
    }
    if (method === 'POST' && path === '/node') {
      return this.#idempotent(call, () => {
        const body = call.body as Json;
        if (body.parent && !this.nodes.has(body.parent as string)) return [404, { detail: `Parent not found with id: ${body.parent}` }, {}];
        const { id: _ignored, ...rest } = body;
        const node = this.insert({ ...rest, owner: this.user });
        this.nodeEvent('created', node);
        return [200, node, this.#etagHeader(node)];
      });
    }
    if ((method === 'PATCH' || method === 'PUT') && (r = m(/^\/node\/([^/]+)$/))) {
      const node = this.nodes.get(r[1]!);
      if (!node) return json(404, { detail: `Node not found with id: ${r[1]}` });
      const failed = this.#checkIfMatch(call, node);
      if (failed) return failed;
      const previous = { ...node };
      const body = call.body as Json;
      const refused = this.#checkTransition(node, body);
      if (refused) return refused;
      const next: Json = method === 'PATCH' ? { ...node } : { ...node, ...body, id: node.id, owner: node.owner };
      if (method === 'PATCH') for (const k of ['state', 'result', 'artifacts', 'data', 'debug', 'jobfilter', 'platform_filter', 'timeout', 'holdoff', 'processed_by_kcidb_bridge']) if (k in body) next[k] = body[k];
      next.updated = naive(new Date(Date.now() + 1));
      this.nodes.set(node.id as string, next);
      if (query.get('noevent') !== 'true') this.nodeEvent('updated', next, previous);
      return this.#withEtag(200, next);
    }
    if (method === 'PUT' && (r = m(/^\/nodes\/([^/]+)$/))) {
      const root = this.nodes.get(r[1]!);
      if (!root) return json(404, { detail: `Node not found with id: ${r[1]}` });
      const failed = this.#checkIfMatch(call, root);
      if (failed) return failed;
      const refused = this.#checkTransition(root, ((call.body as Json | undefined)?.node ?? {}) as Json);
      if (refused) return refused;
      return this.#idempotent(call, () => {
        const previous = { ...root };
        const written: Json[] = [];
        const walk = (level: { node: Json; child_nodes: unknown[] }, parent: string | null, isRoot: boolean): void => {
          let node: Json;
          if (isRoot) {
            node = { ...root, ...level.node, id: root.id, updated: naive() };
            this.nodes.set(root.id as string, node);
          } else {
            node = this.insert({ ...level.node, parent, treeid: root.treeid, submitter: root.submitter });
          }
          written.push(node);
          for (const c of level.child_nodes as { node: Json; child_nodes: unknown[] }[]) walk(c, node.id as string, false);
        };
        walk(call.body as never, null, true);
        this.nodeEvent('updated', written[0]!, previous, true);
        return [200, written, this.#etagHeader(written[0]!)];
      });
    }
    if (method === 'GET' && (path === '/nodes' || path === '/count')) {
      let items = [...this.nodes.values()].filter((n) => this.#matches(n, query)).sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
      if (path === '/count') return json(200, items.length);
      const limit = Number(query.get('limit') ?? 250);
      if (this.mode === 'maestro' && (query.has('sort') || query.has('cursor'))) {
        const cursor = query.has('cursor') ? (JSON.parse(atob(query.get('cursor')!)) as { sort: string; after: string }) : null;
        const sort = cursor ? cursor.sort : query.get('sort')!;
        const after: string | null = cursor ? cursor.after : null;
        const desc = sort.startsWith('-');
        items.sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1) * (desc ? -1 : 1));
        if (after) items = items.filter((n) => (desc ? (n.id as string) < after : (n.id as string) > after));
        const page = items.slice(0, limit);
        const more = items.length > limit;
        const next = more ? btoa(JSON.stringify({ sort, after: page[page.length - 1]!.id })) : null;
        return json(200, { items: page, total: items.length, limit, offset: 0, next_cursor: next });
      }
      const offset = Number(query.get('offset') ?? 0);
      return json(200, { items: items.slice(offset, offset + limit), total: items.length, limit, offset });
    }
    if (method === 'POST' && (r = m(/^\/subscribe\/([^/]+)$/))) {
      const subscriberId = query.get('subscriber_id');
      let position = this.sequence;
      if (subscriberId) {
        const cursor = this.cursors.get(subscriberId);
        if (cursor && cursor.user !== this.user) return json(403, { detail: 'Subscriber id is in use by another user' });
        if (cursor && cursor.channel !== r[1]) return json(409, { detail: `Subscriber id is bound to channel ${cursor.channel}` });
        if (cursor) position = cursor.last;
        else this.cursors.set(subscriberId, { user: this.user, channel: r[1]!, last: this.sequence });
      }
      const sub: HttpSub = { id: this.nextSub++, channel: r[1]!, user: this.user, promiscuous: query.get('promisc') === 'true', subscriberId, position, lastReturned: null };
      this.subs.set(sub.id, sub);
      return json(200, { id: sub.id, channel: sub.channel, user: this.user, promiscuous: sub.promiscuous });
    }
    if (method === 'POST' && (r = m(/^\/unsubscribe\/(\d+)$/))) {
      if (!this.subs.delete(Number(r[1]))) return json(404, { detail: `Subscription id not found: 'Subscription ${r[1]} not found'` });
      return json(200, null);
    }
    if (method === 'GET' && (r = m(/^\/listen\/(\d+)$/))) {
      const sub = this.subs.get(Number(r[1]));
      if (!sub) return json(404, { detail: `Subscription id not found: 'Subscription ${r[1]} not found'` });
      // Implicit acknowledgement of the previous listen.
      if (sub.lastReturned !== null && sub.subscriberId) {
        const c = this.cursors.get(sub.subscriberId)!;
        c.last = Math.max(c.last, sub.lastReturned);
      }
      const deadline = Date.now() + this.keepAliveMs;
      for (;;) {
        const next = this.events.find((e) => e.sequence_id > sub.position && e.channel === sub.channel && (sub.promiscuous || !e.owner || e.owner === sub.user));
        if (next) {
          sub.position = next.sequence_id;
          sub.lastReturned = next.sequence_id;
          const replay = this.mode === 'kernelci' && sub.subscriberId !== null;
          const ce = this.mode === 'kernelci' && replay ? { ...next.ce, id: randomUUID() } : { ...next.ce, _sequence_id: next.sequence_id };
          return json(200, { type: 'message', pattern: null, channel: sub.channel, data: JSON.stringify(ce) });
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          const beep = { specversion: '1.0', id: randomUUID(), source: 'https://api.kernelci.org/', type: 'api.kernelci.org', time: new Date().toISOString(), data: 'BEEP' };
          return json(200, { type: 'message', pattern: null, channel: sub.channel, data: JSON.stringify(beep) });
        }
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            this.#listenWaiters.delete(done);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const t = setTimeout(done, left);
          this.#listenWaiters.add(done);
          signal.addEventListener('abort', done, { once: true });
        });
        if (signal.aborted) throw signal.reason;
      }
    }
    if (method === 'POST' && (r = m(/^\/publish\/([^/]+)$/))) {
      const body = call.body as Json;
      this.publish(r[1]!, body.data as Json, this.user, (body.attributes as Json) ?? {});
      return json(200, null);
    }
    if (method === 'GET' && path === '/events') {
      let list = this.events.filter((e) => (!query.get('channel') || e.channel === query.get('channel')) && (!query.get('kind') || e.data.kind === query.get('kind')));
      const from = query.get('from');
      if (from) list = list.filter((e) => new Date(`${e.timestamp}Z`).getTime() > new Date(from).getTime());
      const offset = Number(query.get('offset') ?? 0);
      const limit = query.has('limit') ? Number(query.get('limit')) : list.length;
      return json(200, list.slice(offset, offset + limit).map((e) => ({ timestamp: e.timestamp, sequence_id: e.sequence_id, channel: e.channel, owner: e.owner, data: e.data, id: this.newId() })));
    }
    return json(404, { detail: 'Not Found' });
  }
}

/** The 23 keys of a node, for shape assertions. */
export const NODE_FIELD_NAMES = NODE_KEYS;
