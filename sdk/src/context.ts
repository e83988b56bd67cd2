/**
 * What every namespace of one client shares: the typed transport, the resolved options, the server
 * mode found by discovery (sdk/README.md#maestro-mode-and-kernelci-mode), the redacting logger and the registry of things `close()` ends.
 * Everything lives on the client instance; no module holds state (docs/sdk.md).
 */
import type { Client } from 'openapi-fetch';
import type { paths } from './generated/schema.js';
import type { SendTarget } from './routes.js';
import type { Logger, RetryPolicy, Transport } from './transport.js';

/** How the client talks to its server (section 1). */
export type ServerMode = 'maestro' | 'kernelci';

/** Something `client.close()` ends: a subscription or a waiter. */
export interface Closable {
  close(): Promise<void>;
}

/** Options after defaults (sdk/README.md#the-client). */
export interface ResolvedOptions {
  baseUrl: string;
  root: string;
  timeoutMs: number;
  listenTimeoutMs: number;
  retry: RetryPolicy | false;
  userAgent: string;
  socket: Record<string, unknown>;
}

/** Internal: shared by the namespaces of one client (and, for discovery, its `withToken` copies). */
export interface ClientContext extends SendTarget {
  raw: Client<paths>;
  transport: Transport;
  options: ResolvedOptions;
  logger: Logger;
  /** Aborted by `close()`. */
  closed: AbortSignal;
  /** The server mode; runs discovery once for `compat: "auto"`. */
  mode(): Promise<ServerMode>;
  /** The current token, or undefined. */
  token(): Promise<string | undefined>;
  /** Whether the client was given a token at all. */
  hasToken: boolean;
  /** Registers a closable until it ends; returns the unregister function. */
  track(item: Closable): () => void;
  /** Per-client lazily created helpers (the socket.io connection). */
  slots: Map<string, unknown>;
  /** Logs `message` at warn level once per client and key. */
  warnOnce(key: string, message: string): void;
}
