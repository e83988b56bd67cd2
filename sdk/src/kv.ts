/** The `kv` namespace (docs/queues-kv.md): namespaced string values. */
import type { ClientContext } from './context.js';
import { send } from './routes.js';
import type { CallOptions } from './transport.js';

export interface KeyValueApi {
  /** The value, or null when unset. */
  get(namespace: string, key: string, opts?: CallOptions): Promise<string | null>;
  /** Sets a value (an empty string deletes it). Retried like a read: setting twice is harmless. */
  set(namespace: string, key: string, value: string, opts?: CallOptions): Promise<void>;
  /** Deletes a value (also when unset). */
  delete(namespace: string, key: string, opts?: CallOptions): Promise<void>;
}

export function createKeyValueApi(ctx: ClientContext): KeyValueApi {
  return {
    async get(namespace, key, opts = {}) {
      return (await send<string | null>(ctx, 'GET /kv/{namespace}/{key}', { path: { namespace, key } }, { op: 'read', ...opts })).data ?? null;
    },
    async set(namespace, key, value, opts = {}) {
      await send(ctx, 'POST /kv/{namespace}/{key}', { path: { namespace, key }, body: value, headers: { 'Content-Type': 'application/json' } }, { op: 'read', ...opts });
    },
    async delete(namespace, key, opts = {}) {
      await send(ctx, 'DELETE /kv/{namespace}/{key}', { path: { namespace, key } }, { op: 'read', ...opts });
    },
  };
}
