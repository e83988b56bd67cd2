/**
 * `@maestro-ci/sdk/testing`: an in-memory API behind an injected `fetch`, for the SDK's own unit
 * tests and for programs built on the SDK (`createClient({ baseUrl, fetch: api.fetch })`), in
 * Maestro mode (ETag/If-Match, Idempotency-Key, keyset cursors, `_sequence_id` everywhere) or in
 * KernelCI mode with its wire quirks (`200 null` for unknown ids, no ETag or cursor, the `/listen`
 * envelope with a string CloudEvent, BEEP, replays without `_sequence_id`, the 1000-event catch-up
 * cap, 404 after reaping). It answers with the API's shapes and enforces the API's state machine
 * (the generated table the SDK itself uses); it is not a mock of the SDK.
 *
 * The parts: the state and the direct writes of another party (store.ts), the node routes
 * (node-routes.ts, node-query.ts) and the event routes (event-routes.ts). This file receives the
 * requests, runs the interceptors and answers the small routes (discovery, `whoami`, telemetry).
 */
import { eventRoute } from './event-routes.js';
import { nodeRoute } from './node-routes.js';
import { FakeStore } from './store.js';
import { detail, json, NODE_KEYS, type Call, type Json } from './wire.js';

export type { FakeApiOptions, FakeUser } from './store.js';
export type { Call, Mode, StoredEventRecord } from './wire.js';

/** Hook that may answer a request instead of the fake (fault injection); return undefined to continue. */
export type Interceptor = (call: Call, next: () => Promise<Response>) => Promise<Response | undefined> | Response | undefined;

export class FakeApi extends FakeStore {
  /** Every request received, in order. */
  readonly calls: Call[] = [];
  readonly interceptors: Interceptor[] = [];

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

  async handle(call: Call, signal: AbortSignal): Promise<Response> {
    const { method, path } = call;
    if (method === 'GET' && path === '/openapi.json') {
      if (this.mode === 'kernelci') return detail(404, 'Not Found');
      return json(200, { openapi: '3.1.0', info: { title: 'Maestro API', version: '0.1.0' }, paths: { '/node': {}, '/user/me/tokens': {} } });
    }
    if (method === 'GET' && path === '/whoami') return this.#whoami(call);
    if (method === 'POST' && path === '/telemetry') {
      const events = Array.isArray(call.body) ? (call.body as Json[]) : [];
      if (events.length === 0) return detail(400, 'Events list cannot be empty');
      this.telemetry.push(...structuredClone(events));
      return json(200, { inserted: events.length });
    }
    return nodeRoute(this, call) ?? (await eventRoute(this, call, signal)) ?? detail(404, 'Not Found');
  }

  #whoami(call: Call): Response {
    const token = call.headers.get('Authorization')?.replace(/^Bearer\s+/i, '');
    const known = token === undefined ? undefined : this.tokens.get(token);
    if (!known && this.tokens.size > 0) return json(401, { detail: 'Could not validate credentials' }, { 'WWW-Authenticate': 'Bearer' });
    const user = known ?? { username: this.user, groups: [] };
    return json(200, {
      id: this.newId(), username: user.username, email: `${user.username}@example.invalid`, is_active: true, is_superuser: false, is_verified: true,
      groups: user.groups.map((name) => ({ id: this.newId(), name })),
    });
  }
}

/** The 23 keys of a node, for shape assertions. */
export const NODE_FIELD_NAMES = NODE_KEYS;
