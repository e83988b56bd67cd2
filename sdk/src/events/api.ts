/**
 * The `events` namespace of a client (SDK A11): `subscribe` (iterator form), `consume` (callback
 * form), `publish` and `history`. The subscriber's transports and CloudEvents parsing are loaded on
 * first use, so the core entry point does not bundle socket.io-client or cloudevents (docs/sdk.md).
 */
import type { ClientContext } from '../context.js';
import { ValidationError } from '../errors.js';
import { send } from '../routes.js';
import type { CallOptions } from '../transport.js';
import { historyPages } from './history.js';
import { Subscription, type Handler, type NodeReader } from './subscription.js';
import type { HistoryFilter, StoredEvent, SubscribeOptions } from './types.js';

/** Options of `events.publish`. */
export interface PublishOptions extends CallOptions {
  /** CloudEvent `type`; the server's default is `api.kernelci.org`. */
  type?: string;
  source?: string;
  /** Extension attributes (names `[a-z0-9]{1,20}`). */
  attributes?: Record<string, unknown>;
  /** Sent as the CloudEvent `id`, so consumers can recognise a republished event. */
  idempotencyKey?: string;
}

/** The `events` namespace. */
export interface EventsApi {
  /** A subscription to iterate: `for await (const d of maestro.events.subscribe({...}))`. */
  subscribe(opts?: SubscribeOptions): Subscription;
  /** Runs `handler` for every delivery; await `.done` to run until closed. */
  consume(opts: SubscribeOptions, handler: Handler): Subscription;
  /** Publishes a CloudEvent on `channel` (`POST /publish/{channel}`); never retried. */
  publish(channel: string, data: unknown, opts?: PublishOptions): Promise<void>;
  /** Stored events (`GET /events`), oldest first, each once. */
  history(filter?: HistoryFilter, opts?: CallOptions): AsyncIterable<StoredEvent>;
}

function isEmptyData(data: unknown): boolean {
  if (data === null || data === undefined || data === '' || data === 0 || data === false) return true;
  if (Array.isArray(data)) return data.length === 0;
  return typeof data === 'object' && Object.keys(data as object).length === 0;
}

/** Internal: builds the `events` namespace. */
export function createEventsApi(ctx: ClientContext, getNode: NodeReader): EventsApi {
  return {
    subscribe: (opts = {}) => new Subscription(ctx, getNode, opts),
    consume: (opts, handler) => new Subscription(ctx, getNode, opts, handler),
    async publish(channel, data, opts = {}) {
      if (isEmptyData(data)) {
        throw new ValidationError({ detail: 'event data must not be empty', issues: [{ loc: ['body', 'data'], msg: 'None is not allowed as event payload' }] });
      }
      const attributes = { ...(opts.attributes ?? {}), ...(opts.idempotencyKey ? { id: opts.idempotencyKey } : {}) };
      const { validatePublish } = await import('./codec.js');
      try {
        validatePublish(data, { ...attributes, ...(opts.type ? { type: opts.type } : {}), ...(opts.source ? { source: opts.source } : {}) });
      } catch (cause) {
        throw new ValidationError({ detail: `not a valid CloudEvent: ${cause instanceof Error ? cause.message : String(cause)}`, issues: [{ loc: ['body'], msg: 'invalid CloudEvent' }], cause });
      }
      const body = { data, ...(opts.type ? { type: opts.type } : {}), ...(opts.source ? { source: opts.source } : {}), ...(Object.keys(attributes).length ? { attributes } : {}) };
      await send(ctx, 'POST /publish/{channel}', { path: { channel }, body }, { op: 'never', signal: opts.signal, timeoutMs: opts.timeoutMs, headers: opts.headers });
    },
    history(filter = {}, opts = {}) {
      return {
        async *[Symbol.asyncIterator]() {
          for await (const page of historyPages(ctx, filter, opts)) yield* page;
        },
      };
    },
  };
}
