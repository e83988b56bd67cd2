/** The key/value store (docs/queues-kv.md): namespaced string values, no expiry. */
export interface KeyValueRepository {
  get(namespace: string, key: string): Promise<string | null>;
  /** Inserts or replaces. */
  set(namespace: string, key: string, value: string): Promise<void>;
  /** True when a value was deleted. */
  delete(namespace: string, key: string): Promise<boolean>;
}
