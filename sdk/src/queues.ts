/**
 * The `queues` namespace (docs/queues-kv.md): FIFO lists of CloudEvents shared by every replica.
 * Neither call is retried: a repeated push queues the item twice, and a pop whose answer was lost
 * may already have taken an item, so retrying it blindly could take a second one.
 */
import type { ClientContext } from './context.js';
import type { components } from './generated/schema.js';
import { send } from './routes.js';
import type { CallOptions } from './transport.js';

export type QueueEvent = components['schemas']['QueueEventDto'] & Record<string, unknown>;

export interface PushOptions extends CallOptions {
  /** CloudEvent `type` (default `api.kernelci.org`). */
  type?: string;
  /** CloudEvent `source` (default the server's CLOUD_EVENTS_SOURCE). */
  source?: string;
  /** More CloudEvent attributes (lower-case letters and digits). */
  attributes?: Record<string, string>;
}

export interface QueuesApi {
  /** Appends an event with payload `data` to `list`. */
  push(list: string, data: unknown, opts?: PushOptions): Promise<void>;
  /** The oldest event of `list`, or null when none arrived within the server's POP_TIMEOUT_SECONDS. */
  pop(list: string, opts?: CallOptions): Promise<QueueEvent | null>;
}

export function createQueuesApi(ctx: ClientContext): QueuesApi {
  return {
    async push(list, data, opts = {}) {
      const { type, source, attributes, ...call } = opts;
      const body = { ...attributes, data, ...(type ? { type } : {}), ...(source ? { source } : {}) };
      await send(ctx, 'POST /push/{list_name}', { path: { list_name: list }, body }, { op: 'never', ...call });
    },
    async pop(list, opts = {}) {
      // A pop waits up to the server's POP_TIMEOUT_SECONDS: it gets the long-poll deadline.
      const timeoutMs = opts.timeoutMs ?? ctx.options.listenTimeoutMs;
      return (await send<QueueEvent | null>(ctx, 'GET /pop/{list_name}', { path: { list_name: list } }, { op: 'never', phase: 'listen', ...opts, timeoutMs })).data ?? null;
    },
  };
}
