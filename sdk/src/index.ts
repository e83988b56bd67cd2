/**
 * @maestro-ci/sdk: a typed client for Maestro and KernelCI APIs.
 * The generated wire types live in `@maestro-ci/sdk/schema`; everything here is hand-written.
 */
export { createClient, type ClientOptions, type MaestroClient, type Node, type NodeInput, type NodePage } from './client.js';
export * from './errors.js';
export { API_VERSION } from './generated/version.js';
