/**
 * The client (SDK A2): one typed transport (openapi-fetch over the committed OpenAPI document, with
 * the SDK's own fetch wrapper, A3) and the hand-written namespaces on top of it. Hand-written methods
 * throw typed errors; `client.raw` keeps openapi-fetch's `{ data } | { error }` results for routes
 * without a wrapper (docs/sdk.md).
 */
import createFetchClient, { type Client } from 'openapi-fetch';
import { createAccounts, type GroupsApi, type TokensApi, type UsersApi } from './accounts.js';
import type { ClientContext, Closable, ResolvedOptions, ServerMode } from './context.js';
import { HttpError, IncompatibleServerError } from './errors.js';
import { createEventsApi, type EventsApi } from './events/api.js';
import type { paths } from './generated/schema.js';
import { API_VERSION } from './generated/version.js';
import { createNodes, type NodesApi } from './nodes.js';
import { createKeyValueApi, type KeyValueApi } from './kv.js';
import { createQueuesApi, type QueuesApi } from './queues.js';
import { redactText } from './redact.js';
import { send } from './routes.js';
import { createTelemetryApi, type TelemetryApi } from './telemetry.js';
import { DEFAULT_RETRY, Transport, type Logger, type RetryOptions } from './transport.js';
import { apiRoot } from './url.js';
import { SDK_VERSION } from './version.js';

/** Options of {@link createClient} (sdk/README.md#the-client). */
export interface ClientOptions {
  /** API origin with an optional path prefix, e.g. `http://127.0.0.1:8001`. */
  baseUrl: string;
  /** Prefix of every API path (default `/latest`); not repeated when `baseUrl` already ends in `/latest` or `/v0`. */
  apiPrefix?: string;
  /** Bearer token (access JWT or `mst_` API token), or a function called before each request and socket (re)connect. */
  token?: string | (() => string | Promise<string>);
  /** The fetch implementation for every HTTP request, long-polls included; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Deadline of each attempt of an ordinary request; default 30 000 ms. */
  timeoutMs?: number;
  /** Deadline of one `/listen`; default 100 000 ms (at least twice the server's 45 s keep-alive). */
  listenTimeoutMs?: number;
  /** Retry settings, or `false` to never retry. */
  retry?: RetryOptions | false;
  /** Prefixed to the SDK's own user agent, never substituted. */
  userAgent?: string;
  /** Extra static headers. */
  headers?: Record<string, string>;
  /** Receives redacted log lines; silent by default. */
  logger?: Partial<Logger>;
  /** Server mode (sdk/README.md#maestro-mode-and-kernelci-mode): `"auto"` (default) discovers it with one `GET /latest/openapi.json`. */
  compat?: 'auto' | ServerMode;
  /** Throw {@link IncompatibleServerError} instead of warning when the server's major version differs (sdk/README.md#the-client). */
  strictVersion?: boolean;
  /** socket.io-client options (transports, WebSocket implementation); path and namespace are set by the SDK. */
  socket?: Record<string, unknown>;
}

/** A Maestro (or KernelCI) API client. */
export interface MaestroClient {
  /** The openapi-fetch client, for endpoints without a hand-written wrapper (docs/sdk.md). */
  readonly raw: Client<paths>;
  /** Nodes: reads, writes, result trees, navigation and waiting (sdk/README.md#nodes). */
  readonly nodes: NodesApi;
  /** Users (sdk/README.md#nodes). */
  readonly users: UsersApi;
  /** User groups (sdk/README.md#nodes). */
  readonly groups: GroupsApi;
  /** Logins and API tokens (sdk/README.md#nodes). */
  readonly tokens: TokensApi;
  /** Events: subscriptions, publishing and history. */
  readonly events: EventsApi;
  /** Telemetry events, stats and anomalies, and a batching reporter (docs/telemetry.md). */
  readonly telemetry: TelemetryApi;
  /** The key/value store (docs/queues-kv.md). */
  readonly kv: KeyValueApi;
  /** Queue lists (docs/queues-kv.md). */
  readonly queues: QueuesApi;
  /** The server mode, discovered once for `compat: "auto"` (sdk/README.md#maestro-mode-and-kernelci-mode). */
  mode(): Promise<ServerMode>;
  /** A client with another token, sharing the connection pool, discovery result and logger (sdk/README.md#the-client). */
  withToken(token: ClientOptions['token']): MaestroClient;
  /** Closes every subscription and waiter this client opened; later calls fail. */
  close(): Promise<void>;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function runtimeName(): string {
  const g = globalThis as { process?: { versions?: { node?: string } }; navigator?: { userAgent?: string }; Deno?: unknown; Bun?: unknown };
  if (g.Bun) return 'bun';
  if (g.Deno) return 'deno';
  if (g.process?.versions?.node) return `node/${g.process.versions.node}`;
  return 'browser';
}

/** The user agent the SDK sends (sdk/README.md#the-client): the caller's value, then `@maestro-ci/sdk/<version> (<runtime>)`. */
export function userAgentOf(prefix?: string): string {
  const own = `@maestro-ci/sdk/${SDK_VERSION} (${runtimeName()})`;
  return prefix ? `${prefix} ${own}` : own;
}

function majorOf(version: string): string {
  return version.split('.')[0] ?? version;
}

interface Shared {
  discovery?: Promise<ServerMode>;
  logger: Logger;
  fetch: typeof globalThis.fetch;
  warned: Set<string>;
  /** Tokens seen by this client family, redacted from log lines (sdk/README.md#errors). */
  secrets: Set<string>;
}

/** Creates a client. It holds no global state: several clients can live side by side. */
export function createClient(options: ClientOptions): MaestroClient {
  const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const secrets = new Set<string>();
  return build(options, {
    fetch: fetchImpl as typeof globalThis.fetch,
    logger: redactingLogger(options.logger, secrets),
    warned: new Set(),
    secrets,
  });
}

function redactingLogger(logger: Partial<Logger> | undefined, known: Set<string>): Logger {
  if (!logger) return SILENT;
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const secrets = [...known];
      const clean = fields === undefined ? undefined : (JSON.parse(redactText(JSON.stringify(fields), secrets)) as Record<string, unknown>);
      logger[level]?.(redactText(message, secrets), clean);
    };
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

function build(options: ClientOptions, shared: Shared): MaestroClient {
  const root = apiRoot(options.baseUrl, options.apiPrefix);
  const resolved: ResolvedOptions = {
    baseUrl: options.baseUrl,
    root,
    timeoutMs: options.timeoutMs ?? 30_000,
    listenTimeoutMs: options.listenTimeoutMs ?? 100_000,
    retry: options.retry === false ? false : { ...DEFAULT_RETRY, ...(options.retry ?? {}) },
    userAgent: userAgentOf(options.userAgent),
    socket: options.socket ?? {},
  };
  const closer = new AbortController();
  const token = async (): Promise<string | undefined> => {
    const value = typeof options.token === 'function' ? await options.token() : options.token;
    if (value) shared.secrets.add(value);
    return value || undefined;
  };
  const transport = new Transport({
    fetch: shared.fetch as (input: Request) => Promise<Response>,
    token,
    userAgent: resolved.userAgent,
    headers: options.headers ?? {},
    timeoutMs: resolved.timeoutMs,
    retry: resolved.retry,
    logger: shared.logger,
    closed: closer.signal,
  });
  const raw = createFetchClient<paths>({
    baseUrl: root,
    // `client.raw` calls: only reads are retried; the SDK cannot know whether a raw write is idempotent.
    fetch: (request: Request) => transport.fetchFor({ op: request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'never' })(request),
    // One key, one value: the server keeps only the last of repeated keys (sdk/README.md#nodes).
    querySerializer: (query) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) {
        if (v === undefined) continue;
        params.set(k, Array.isArray(v) ? v.join(',') : String(v));
      }
      return params.toString();
    },
  });
  const open = new Set<Closable>();

  const ctx: ClientContext = {
    raw,
    transport,
    root,
    options: resolved,
    logger: shared.logger,
    closed: closer.signal,
    slots: new Map(),
    hasToken: options.token !== undefined && options.token !== '',
    token,
    mode: () => {
      if (!shared.discovery) {
        const attempt = discover();
        shared.discovery = attempt;
        // Without any answer nothing is known yet: the next call asks again instead of caching a guess.
        attempt.catch(() => {
          if (shared.discovery === attempt) shared.discovery = undefined;
        });
      }
      return shared.discovery;
    },
    track(item) {
      open.add(item);
      return () => open.delete(item);
    },
    warnOnce(key, message) {
      if (shared.warned.has(key)) return;
      shared.warned.add(key);
      shared.logger.warn(message);
    },
  };

  async function discover(): Promise<ServerMode> {
    if (options.compat === 'maestro' || options.compat === 'kernelci') return options.compat;
    let doc: { info?: { version?: string }; paths?: Record<string, unknown> } | undefined;
    try {
      // The document is outside the typed paths by nature: it describes them.
      ({ data: doc } = await send<typeof doc>(ctx, 'GET /openapi.json' as never, {}, { op: 'read' }));
    } catch (error) {
      // An error answer (KernelCI's 404) selects KernelCI mode; no answer at all is not a decision.
      if (!HttpError.is(error)) throw error;
      doc = undefined;
    }
    const routes = Object.keys(doc?.paths ?? {});
    if (!routes.some((p) => p === '/user/me/tokens' || p === '/latest/user/me/tokens')) return 'kernelci';
    const version = doc?.info?.version;
    if (version && majorOf(version) !== majorOf(API_VERSION)) {
      const message = `server API version ${version} differs in major version from the SDK's ${API_VERSION}`;
      if (options.strictVersion) throw new IncompatibleServerError(message, { serverVersion: version, sdkApiVersion: API_VERSION });
      shared.logger.warn(message);
    }
    return 'maestro';
  }

  // Each namespace gets the one function it needs from the other, not the client: waitFor opens
  // subscriptions, and a delivery reads its node. The closures run only after both exist.
  const nodes: NodesApi = createNodes(ctx, (opts) => events.subscribe(opts));
  const events: EventsApi = createEventsApi(ctx, (id, opts) => nodes.get(id, opts));
  const client: MaestroClient = {
    raw,
    nodes,
    ...createAccounts(ctx),
    events,
    telemetry: createTelemetryApi(ctx),
    kv: createKeyValueApi(ctx),
    queues: createQueuesApi(ctx),
    mode: () => ctx.mode(),
    withToken: (next) => build({ ...options, token: next }, shared),
    async close() {
      const items = [...open];
      open.clear();
      await Promise.allSettled(items.map((item) => item.close()));
      closer.abort(new Error('client closed'));
    },
  };
  return Object.freeze(client);
}
