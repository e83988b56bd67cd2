/**
 * `@maestro-ci/sdk/events`: the event subscriber's types and helpers (SDK A11). A client's
 * `events` namespace creates subscriptions; this entry point adds CloudEvents parsing and the
 * filter helpers for applications that handle events themselves. It imports `cloudevents`.
 */
export { parseCloudEvent, validatePublish, type ParsedEvent } from './codec.js';
export { matchesFilter, passesTransition, toServerFilter, type TransitionRule } from './filter.js';
export { Subscription, type Handler } from './subscription.js';
export type { EventsApi, PublishOptions } from './api.js';
export type * from './types.js';
