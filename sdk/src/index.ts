/**
 * @maestro-ci/sdk: a typed client for Maestro and KernelCI APIs.
 * The generated wire types live in `@maestro-ci/sdk/schema`; everything here is hand-written.
 */
export { createClient, userAgentOf, type ClientOptions, type MaestroClient } from './client.js';
export type { ServerMode } from './context.js';
export * from './errors.js';
export { API_VERSION } from './generated/version.js';
export { SDK_VERSION } from './version.js';
export { backoffDelay, parseRetryAfter, type BackoffOptions } from './backoff.js';
export * from './filters.js';
export { deriveKey, canonicalJson, newIdempotencyKey, MAX_DERIVED_KEY_LENGTH } from './keys.js';
export * from './states.js';
export * from './result-tree.js';
export { apiRoot, joinApiUrl, DEFAULT_API_PREFIX } from './url.js';
export { redactText, redactUrl, REDACTED } from './redact.js';
export { NodeQuery } from './node-query.js';
export { etagOf, type NodesApi, type FindOptions, type NodeSort, type PatchOptions, type SetStateOptions, type ChildInput, type SubmitResultsOptions, type NodeTree, type Expect, type FilterInput } from './nodes.js';
export type { WaitCondition, WaitOptions } from './wait.js';
export type { UsersApi, GroupsApi, TokensApi, User, UserUpdate, UserGroup, ApiToken, TokenInfo } from './accounts.js';
export type { EventsApi, PublishOptions } from './events/api.js';
export type { TelemetryApi, TelemetryBatcher, TelemetryBatcherOptions, TelemetryEvent, TelemetryEventInput, TelemetryStatsRow, TelemetryAnomalies, TelemetryStatsQuery, TelemetryAnomaliesQuery, TelemetryFindQuery, TelemetryGroupField } from './telemetry.js';
export type { KeyValueApi } from './kv.js';
export type { QueuesApi, QueueEvent, PushOptions } from './queues.js';
export type { Subscription, Handler } from './events/subscription.js';
export type * from './events/types.js';
export type { CallOptions, WriteOptions, RetryOptions, Logger } from './transport.js';
export { unset } from './types.js';
export type * from './types.js';
