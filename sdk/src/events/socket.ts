/**
 * The socket.io side of the subscriber (sdk/README.md#events-delivery-guarantees, docs/realtime.md): one connection per
 * client to namespace `/pubsub`, with every subscription multiplexed over it. This module is loaded
 * by dynamic `import()` only, so applications that never subscribe do not bundle socket.io-client.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientContext } from '../context.js';
import { errorFromResponse, ProtocolError } from '../errors.js';

/** A failed acknowledgement, `{ ok: false, status, detail }`. */
interface AckFailure {
  ok: false;
  status: number;
  detail: string;
}

/** What one subscription hears from the connection. */
export interface SocketListener {
  onEvent(message: { subscription: number; channel: string; sequence_id: number; event: unknown }): void;
  onClosed(reason: string): void;
  /** The connection is back after a loss: subscribe again. */
  onReconnected(): void;
  onDisconnected(cause: unknown): void;
  onReconnecting(attempt: number, cause: unknown): void;
  onHeartbeat(): void;
  /** The connection cannot be used: `unauthorized`, or `unavailable` (no realtime endpoint). */
  onFatal(kind: 'unauthorized' | 'unavailable', cause: unknown): void;
}

const ACK_TIMEOUT_MS = 30_000;

/** The socket.io path of the API root: `<base path>/latest/socket.io/` (sdk/README.md#the-client). */
export function socketPath(root: string): string {
  const path = new URL(root).pathname.replace(/\/v0$/, '/latest').replace(/\/+$/, '');
  return `${path}/socket.io/`;
}

/** One socket.io connection of a client, shared by its subscriptions. */
export class SocketHub {
  readonly #ctx: ClientContext;
  readonly #socket: Socket;
  readonly #listeners = new Set<SocketListener>();
  readonly #bySubscription = new Map<number, SocketListener>();
  // Events that arrive before their subscribe acknowledgement has been processed (same packet batch).
  readonly #orphans = new Map<number, { subscription: number; channel: string; sequence_id: number; event: unknown }[]>();
  #everConnected = false;
  #connected: Promise<void>;
  #resolveConnected!: () => void;

  constructor(ctx: ClientContext) {
    this.#ctx = ctx;
    this.#connected = this.#pending();
    const origin = new URL(ctx.root).origin;
    this.#socket = io(`${origin}/pubsub`, {
      ...ctx.options.socket,
      path: socketPath(ctx.root),
      autoConnect: false,
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      // A callback, so every (re)connect sends a fresh token (sdk/README.md#events-delivery-guarantees).
      auth: (cb: (data: object) => void) => {
        ctx.token().then(
          (token) => cb(token ? { token } : {}),
          () => cb({}),
        );
      },
      extraHeaders: { 'X-Maestro-Client': ctx.options.userAgent },
    });
    const s = this.#socket;
    s.on('connect', () => {
      const again = this.#everConnected;
      this.#everConnected = true;
      this.#resolveConnected();
      if (again) for (const l of this.#listeners) l.onReconnected();
    });
    s.on('disconnect', (reason) => {
      this.#connected = this.#pending();
      this.#bySubscription.clear();
      this.#orphans.clear();
      for (const l of this.#listeners) l.onDisconnected(reason);
    });
    s.on('connect_error', (error: Error & { data?: { detail?: string }; description?: unknown; context?: { status?: number } }) => {
      if (error.message === 'Unauthorized' || error.data?.detail === 'Unauthorized') {
        for (const l of this.#listeners) l.onFatal('unauthorized', error);
        return;
      }
      const status = typeof error.description === 'number' ? error.description : error.context?.status;
      if (!this.#everConnected && status === 404) {
        for (const l of this.#listeners) l.onFatal('unavailable', error);
      }
    });
    s.io.on('reconnect_attempt', (attempt) => {
      for (const l of this.#listeners) l.onReconnecting(attempt, undefined);
    });
    s.io.on('ping', () => {
      for (const l of this.#listeners) l.onHeartbeat();
    });
    s.on('event', (message: { subscription: number; channel: string; sequence_id: number; event: unknown }) => {
      const l = this.#bySubscription.get(message?.subscription);
      if (l) l.onEvent(message);
      else {
        const held = this.#orphans.get(message?.subscription) ?? [];
        if (held.length < 10_000) held.push(message);
        this.#orphans.set(message?.subscription, held);
      }
    });
    s.on('subscription_closed', (message: { subscription: number; reason: string }) => {
      const l = this.#bySubscription.get(message?.subscription);
      this.#bySubscription.delete(message?.subscription);
      l?.onClosed(message?.reason);
    });
  }

  #pending(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#resolveConnected = resolve;
    });
  }

  /** Adds a listener and connects if needed. */
  attach(listener: SocketListener): void {
    this.#listeners.add(listener);
    if (!this.#socket.connected && !this.#socket.active) this.#socket.connect();
  }

  /** Removes a listener; the last one closes the connection. */
  detach(listener: SocketListener): void {
    this.#listeners.delete(listener);
    for (const [id, l] of this.#bySubscription) if (l === listener) this.#bySubscription.delete(id);
    if (this.#listeners.size === 0) {
      // A later attach starts a fresh connection, not a reconnection of this one.
      this.#everConnected = false;
      this.#socket.disconnect();
    }
  }

  /** Resolves once connected. */
  connected(): Promise<void> {
    return this.#connected;
  }

  /** Routes events of `subscription` to `listener`. */
  bind(subscription: number, listener: SocketListener): void {
    this.#bySubscription.set(subscription, listener);
    const held = this.#orphans.get(subscription);
    this.#orphans.delete(subscription);
    for (const m of held ?? []) listener.onEvent(m);
  }

  /** Stops routing events of `subscription`. */
  unbind(subscription: number): void {
    this.#bySubscription.delete(subscription);
  }

  /** Sends a message and resolves its acknowledgement; `{ ok: false }` becomes the matching error (sdk/README.md#errors). */
  async request<T extends object>(event: 'subscribe' | 'ack' | 'unsubscribe', payload: object): Promise<T & { ok: true }> {
    let answer: unknown;
    try {
      answer = await this.#socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    } catch (cause) {
      throw new ProtocolError(`socket.io ${event}: no acknowledgement`, { cause });
    }
    const a = answer as { ok?: boolean } | null;
    if (a && a.ok === true) return a as T & { ok: true };
    const failure = (a ?? {}) as Partial<AckFailure>;
    throw errorFromResponse({
      method: 'SOCKET',
      url: `${this.#ctx.root}/socket.io/${event}`,
      status: typeof failure.status === 'number' ? failure.status : 500,
      body: { detail: failure.detail ?? 'malformed acknowledgement' },
      secrets: await this.#ctx.transport.secrets(),
    });
  }

  /** Whether the socket is connected now. */
  get isConnected(): boolean {
    return this.#socket.connected;
  }

  /** Drops the connection (tests use it to simulate a network loss); the manager reconnects. */
  dropConnection(): void {
    this.#socket.io.engine?.close();
  }
}

/** The client's hub, created on first use. */
export function hubOf(ctx: ClientContext): SocketHub {
  let hub = ctx.slots.get('socket') as SocketHub | undefined;
  if (!hub) {
    hub = new SocketHub(ctx);
    ctx.slots.set('socket', hub);
  }
  return hub;
}
