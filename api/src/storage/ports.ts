/**
 * Storage ports: what features need from a database, in domain types only. One file per repository
 * in `ports/`; this barrel re-exports them so features import from one place. Two adapters implement
 * them (PostgreSQL/PGlite in storage/postgres, MongoDB in storage/mongo) and both must pass the shared
 * contract suite in storage/contract. Nothing outside storage/ imports a driver.
 *
 * Naming: record fields are camelCase, except `NodeRecord`, whose fields are the node document's
 * own field names (`platform_filter`, `user_groups`, …) because the query language, the wire and
 * both adapters address node fields by those names (docs/architecture.md#module-map).
 */
export * from './ports/api-token.port';
export * from './ports/auth-change.port';
export * from './ports/errors';
export * from './ports/event.port';
export * from './ports/group.port';
export * from './ports/idempotency.port';
export * from './ports/kv.port';
export * from './ports/lease.port';
export * from './ports/node.port';
export * from './ports/pending-event.port';
export * from './ports/query.port';
export * from './ports/queue.port';
export * from './ports/rate-limit.port';
export * from './ports/storage.port';
export * from './ports/subscriber-state.port';
export * from './ports/subscription.port';
export * from './ports/telemetry.port';
export * from './ports/user.port';
export * from './ports/username.port';
