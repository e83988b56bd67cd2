/**
 * `@maestro-ci/sdk/testing`: test doubles for programs built on the SDK. (The folder is `fake/`:
 * `testing/` holds the SDK's own test fixtures, which are not published.)
 *
 * `FakeApi` is an in-memory Maestro (or KernelCI) API behind an injected `fetch`: give its `fetch`
 * to `createClient` and the real SDK runs against it, with the API's state machine, merge
 * semantics, ETags, idempotency keys, keyset paging and long-poll events. Events over socket.io
 * need a server; use `transport: "long-poll"` in subscriptions, or the real API in e2e tests.
 * `api.idle()` resolves once every long-poll subscriber has handled every event published so far.
 */
export { FakeApi, type Call, type FakeApiOptions, type FakeUser, type Interceptor, type Mode, type StoredEventRecord } from './fake-api.js';
export { canTransition, STATE_TRANSITIONS } from '../states.js';
export { deepMerge } from '../merge.js';
