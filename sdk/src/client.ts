/**
 * The client: one typed transport (openapi-fetch over the committed OpenAPI document) and the
 * hand-written namespaces on top of it. Hand-written methods throw typed errors (errors.ts);
 * `client.raw` keeps openapi-fetch's `{ data } | { error }` results for routes without a wrapper.
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import { errorFromResponse, NotFoundError } from './errors.js';
import type { components, paths } from './generated/schema.js';
import { apiRoot } from './url.js';

/** A node as the server sends it (the 23 keys of the wire contract). */
export type Node = components['schemas']['NodeDto'];
/** The body of a node creation. */
export type NodeInput = components['schemas']['NodeInputDto'];
/** A page of `GET /nodes`. */
export type NodePage = components['schemas']['NodeListDto'];

export interface ClientOptions {
  /** API origin with an optional path prefix, e.g. `http://127.0.0.1:8001`. */
  baseUrl: string;
  /** Prefix of every API path; not repeated when `baseUrl` already ends in `/latest` or `/v0`. */
  apiPrefix?: string;
  /** Bearer token (access JWT or `mst_` API token), or a function returning one before each request. */
  token?: string | (() => string | Promise<string>);
  /** The fetch implementation; defaults to `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

export interface MaestroClient {
  /** The openapi-fetch client, for endpoints without a hand-written wrapper. */
  readonly raw: Client<paths>;
  readonly nodes: {
    /** The node with this id; throws NotFoundError when there is none. */
    get(id: string): Promise<Node>;
    /** The node with this id, or null. */
    tryGet(id: string): Promise<Node | null>;
    /** Creates a node owned by the caller. */
    create(node: NodeInput): Promise<Node>;
    /** One page of nodes matching query-language conditions (`field` or `field__op` → value). */
    list(conditions?: Record<string, string>, page?: { limit?: number; offset?: number }): Promise<NodePage>;
  };
  readonly tokens: {
    /** Logs in with a username and password (form-encoded `POST /user/login`). */
    login(credentials: { username: string; password: string }): Promise<{ access_token: string; token_type: string }>;
  };
}

async function tokenOf(option: ClientOptions['token']): Promise<string | undefined> {
  return typeof option === 'function' ? option() : option;
}

/** Creates a client. It holds no global state: several clients can live side by side. */
export function createClient(options: ClientOptions): MaestroClient {
  const raw = createFetchClient<paths>({ baseUrl: apiRoot(options.baseUrl, options.apiPrefix), fetch: options.fetch });
  raw.use({
    async onRequest({ request }) {
      const token = await tokenOf(options.token);
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });

  async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>, method: string): Promise<T> {
    const { data, error, response } = await call;
    if (error !== undefined || !response.ok) {
      const token = await tokenOf(options.token);
      throw errorFromResponse({ method, url: response.url, status: response.status, body: error, headers: response.headers, secrets: token ? [token] : [] });
    }
    return data as T;
  }

  const nodes: MaestroClient['nodes'] = {
    async tryGet(id) {
      return unwrap(raw.GET('/node/{node_id}', { params: { path: { node_id: id } } }), 'GET') as Promise<Node | null>;
    },
    async get(id) {
      const node = await nodes.tryGet(id);
      if (node === null) throw new NotFoundError({ status: 404, detail: `Node not found with id: ${id}`, method: 'GET', url: `/node/${id}` });
      return node;
    },
    create(node) {
      return unwrap(raw.POST('/node', { body: node }), 'POST');
    },
    list(conditions = {}, page = {}) {
      return unwrap(raw.GET('/nodes', { params: { query: { ...conditions, ...page } as never } }), 'GET');
    },
  };

  const tokens: MaestroClient['tokens'] = {
    login({ username, password }) {
      return unwrap(
        raw.POST('/user/login', {
          body: { username, password },
          bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        'POST',
      );
    },
  };

  return { raw, nodes, tokens };
}
