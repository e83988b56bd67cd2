/**
 * Every route the hand-written layer calls, and the one helper that sends them (docs/sdk.md, sdk/README.md#nodes).
 * A route is a `"METHOD /path"` string that must name an operation of the generated `paths`, so a
 * wrapper for a route the committed `openapi/openapi.json` does not define does not compile.
 */
import type { Client } from 'openapi-fetch';
import { errorFromResponse } from './errors.js';
import type { paths } from './generated/schema.js';
import type { CallPolicy, Transport } from './transport.js';

/** HTTP methods the SDK uses. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type TypedRoute = {
  [P in keyof paths & string]: {
    [M in Method]: Lowercase<M> extends keyof paths[P] ? (paths[P][Lowercase<M>] extends undefined ? never : `${M} ${P}`) : never;
  }[Method];
}[keyof paths & string];

/** A route the SDK may call: an operation of the committed document. */
export type Route = TypedRoute;

/** Every route used by the hand-written layer (checked against the document by routes.spec.ts). */
export const SDK_ROUTES: readonly Route[] = [
  'GET /node/{node_id}',
  'POST /node',
  'GET /nodes',
  'POST /user/login',
  'GET /count', // docs/nodes.md#endpoints
  'PUT /node/{node_id}', // docs/nodes.md#endpoints
  'PATCH /node/{node_id}', // docs/nodes.md#endpoints
  'PUT /nodes/{node_id}', // docs/nodes.md#endpoints
  'GET /whoami', // docs/auth.md#endpoints
  'GET /users', // docs/auth.md#endpoints
  'GET /user/{user_id}', // docs/auth.md#endpoints
  'PATCH /user/me', // docs/auth.md#endpoints
  'GET /user-groups', // docs/auth.md#users-and-groups
  'GET /user-groups/{group_id}', // docs/auth.md#users-and-groups
  'POST /user-groups', // docs/auth.md#users-and-groups
  'DELETE /user-groups/{group_id}', // docs/auth.md#users-and-groups
  'POST /user/me/tokens', // docs/auth.md#two-kinds-of-bearer-token
  'GET /user/me/tokens', // docs/auth.md#two-kinds-of-bearer-token
  'DELETE /user/me/tokens/{token_id}', // docs/auth.md#two-kinds-of-bearer-token
  'GET /user/{user_id}/tokens', // docs/auth.md#two-kinds-of-bearer-token
  'DELETE /user/{user_id}/tokens/{token_id}', // docs/auth.md#two-kinds-of-bearer-token
  'POST /subscribe/{channel}', // docs/events.md#http-pubsub-kernelci-compatible
  'GET /listen/{sub_id}', // docs/events.md#http-pubsub-kernelci-compatible
  'POST /unsubscribe/{sub_id}', // docs/events.md#http-pubsub-kernelci-compatible
  'POST /publish/{channel}', // docs/events.md#http-pubsub-kernelci-compatible
  'GET /events', // docs/events.md#event-history-get-events
  'POST /telemetry', // docs/telemetry.md
  'GET /telemetry',
  'GET /telemetry/stats',
  'GET /telemetry/anomalies',
  'GET /kv/{namespace}/{key}', // docs/queues-kv.md
  'POST /kv/{namespace}/{key}',
  'DELETE /kv/{namespace}/{key}',
  'POST /push/{list_name}',
  'GET /pop/{list_name}',
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
 * typed error of sdk/README.md#errors, with the current token passed as a secret to redact.
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
