/**
 * Every route the hand-written layer calls, and the one helper that sends them (SDK A1.1, A5.2).
 *
 * Routes named in {@link PENDING_ROUTES} are defined by the contract and being added by other work
 * streams, but are not yet in the committed `openapi/openapi.json`, so openapi-fetch cannot type
 * them. They go through the same `send()` with an untyped path; once the document describes them,
 * remove them from the list and the compiler requires them to be typed routes of `paths`.
 * `routes.spec.ts` checks every route against the document and fails when a pending route appears
 * there, so the list cannot go stale.
 */
import type { Client } from 'openapi-fetch';
import { errorFromResponse } from './errors.js';
import type { paths } from './generated/schema.js';
import type { CallPolicy, Transport } from './transport.js';

/**
 * Contract routes missing from the committed document on this branch (method + path template).
 * Each entry names the contract section that defines it.
 */
export const PENDING_ROUTES = [
  'GET /count', // contract §7.4
  'PUT /node/{node_id}', // §7.6
  'PATCH /node/{node_id}', // §7.7
  'PUT /nodes/{node_id}', // §7.8
  'GET /whoami', // §4.3
  'GET /users', // §4.3
  'GET /user/{user_id}', // §4.3
  'PATCH /user/me', // §4.3
  'GET /user-groups', // §5
  'GET /user-groups/{group_id}', // §5
  'POST /user-groups', // §5
  'DELETE /user-groups/{group_id}', // §5
  'POST /user/me/tokens', // §4.4
  'GET /user/me/tokens', // §4.4
  'DELETE /user/me/tokens/{token_id}', // §4.4
  'GET /user/{user_id}/tokens', // §4.4
  'DELETE /user/{user_id}/tokens/{token_id}', // §4.4
  'POST /subscribe/{channel}', // §10.4
  'GET /listen/{sub_id}', // §10.4
  'POST /unsubscribe/{sub_id}', // §10.4
  'POST /publish/{channel}', // §10.4
  'GET /events', // §10.9
] as const;

/** A pending route, as `"METHOD /path"`. */
export type PendingRoute = (typeof PENDING_ROUTES)[number];

/** HTTP methods the SDK uses. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type TypedRoute = {
  [P in keyof paths & string]: {
    [M in Method]: Lowercase<M> extends keyof paths[P] ? (paths[P][Lowercase<M>] extends undefined ? never : `${M} ${P}`) : never;
  }[Method];
}[keyof paths & string];

/** A route the SDK may call: a typed route of the document, or a pending one. */
export type Route = TypedRoute | PendingRoute;

/** Every route used by the hand-written layer (checked against the document by routes.spec.ts). */
export const SDK_ROUTES: readonly Route[] = [
  'GET /node/{node_id}',
  'POST /node',
  'GET /nodes',
  'POST /user/login',
  ...PENDING_ROUTES,
];

/** Inputs of one request. */
export interface SendInit {
  path?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Body serializer (form-encoded logins). */
  bodySerializer?: (body: never) => string;
}

/** Where requests go: the typed client, the transport and the API root URL. */
export interface SendTarget {
  raw: Client<paths>;
  transport: Transport;
  root: string;
}

/** A response whose status was 2xx. */
export interface Sent<T> {
  data: T;
  response: Response;
}

/**
 * Sends one request through openapi-fetch and the transport policy; a non-2xx answer throws the
 * typed error of A4.2, with the current token passed as a secret to redact.
 */
export async function send<T>(
  target: SendTarget,
  route: Route,
  init: SendInit,
  policy: CallPolicy,
): Promise<Sent<T>> {
  const space = route.indexOf(' ');
  const method = route.slice(0, space) as Method;
  const path = route.slice(space + 1);
  const { raw, transport } = target;
  const request = raw.request as unknown as (
    method: string,
    url: string,
    init: Record<string, unknown>,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  const result = await request(method.toLowerCase(), path, {
    params: { path: init.path ?? {}, query: init.query ?? {} },
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.bodySerializer ? { bodySerializer: init.bodySerializer } : {}),
    headers: init.headers,
    fetch: transport.fetchFor(policy),
  });
  const { response } = result;
  if (!response.ok) {
    throw errorFromResponse({
      method,
      url: `${target.root}${requestPath(path, init)}`,
      status: response.status,
      body: result.error,
      headers: response.headers,
      secrets: await transport.secrets(),
    });
  }
  return { data: result.data as T, response };
}

// The URL for error messages: the response of a buffered Request has no url, so rebuild it.
function requestPath(path: string, init: SendInit): string {
  let p = path;
  for (const [k, v] of Object.entries(init.path ?? {})) p = p.replace(`{${k}}`, encodeURIComponent(String(v)));
  const q = new URLSearchParams(init.query ?? {}).toString();
  return `${p}${q ? `?${q}` : ''}`;
}
