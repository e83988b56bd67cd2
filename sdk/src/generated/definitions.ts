/**
 * GENERATED FILE: DO NOT EDIT.
 * Produced by `npm run generate:sdk` from openapi/openapi.json (its node-definition schemas).
 * Change the API (api/src) and regenerate instead.
 */

/** Every node kind a write accepts (schema `NodeKind`). */
export const NODE_KINDS = [
  'checkout',
  'kbuild',
  'job',
  'test',
  'process',
  'regression'
] as const;
/** A node kind. */
export type NodeKind = (typeof NODE_KINDS)[number];

/** Node states in life-cycle order (schema `NodeState`). */
export const NODE_STATES = [
  'running',
  'available',
  'closing',
  'done'
] as const;
/** A node state. */
export type NodeState = (typeof NODE_STATES)[number];

/** Node results; a node without a result has `result: null` (schema `NodeResult`). */
export const NODE_RESULTS = [
  'pass',
  'fail',
  'skip',
  'incomplete'
] as const;
/** A node result. */
export type NodeResult = (typeof NODE_RESULTS)[number];

/** `data.error_code` of kbuild, test, job and regression nodes (schema `ErrorCode`). */
export const ERROR_CODES = [
  'invalid_job_params',
  'submit_error',
  'node_timeout',
  'Infrastructure',
  'Canceled',
  'Job',
  'Bug',
  'Test',
  'Configuration',
  'LAVATimeout',
  'MultinodeTimeout',
  'ObjectNotPersisted',
  'Unexisting permission codename.',
  'job_generation_error',
  'kbuild_internal_error'
] as const;
/** A value of `data.error_code` on a non-checkout node. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `data.error_code` of checkout nodes (schema `CheckoutErrorCode`). */
export const CHECKOUT_ERROR_CODES = [
  'node_timeout',
  'git_checkout_failure'
] as const;
/** A value of `data.error_code` on a checkout node. */
export type CheckoutErrorCode = (typeof CHECKOUT_ERROR_CODES)[number];

/** The state machine (schema `NodeStateTransitions`): the moves allowed besides staying in the same state. */
export const STATE_TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>> = {
  'running': [
    'available',
    'closing',
    'done'
  ],
  'available': [
    'closing',
    'done'
  ],
  'closing': [
    'done'
  ],
  'done': []
};
