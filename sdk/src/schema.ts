/**
 * `@maestro-ci/sdk/schema`: the wire types generated from `openapi/openapi.json` (types only, no runtime).
 */
export type { paths, components } from './generated/schema.js';
