/**
 * The node definitions, in one place: kinds, states, results, error codes, the state machine and
 * each kind's `data` model. The kind validator (node-kinds.ts), the request DTOs and the OpenAPI
 * document (as named schemas, see `definitionSchemas`) all read them from here; the SDK generates
 * its constants and types from the document, so `npm run check:generated` catches any drift.
 * docs/nodes.md describes the rules in prose.
 */

/** Every node kind a write accepts; `node` and unknown kinds are refused with 400. */
export const NODE_KINDS = ['checkout', 'kbuild', 'job', 'test', 'process', 'regression'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** KernelCI's ErrorCodes: `data.error_code` of kbuild, test, job and regression nodes. */
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
  'kbuild_internal_error',
] as const;

/** KernelCI's CheckoutErrorCodes: `data.error_code` of checkout nodes. */
export const CHECKOUT_ERROR_CODES = ['node_timeout', 'git_checkout_failure'] as const;

/** Node states, in life-cycle order. */
export const NODE_STATES = ['running', 'available', 'closing', 'done'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** Node results; a node without a result has `result: null`. */
export const NODE_RESULTS = ['pass', 'fail', 'skip', 'incomplete'] as const;
export type NodeResult = (typeof NODE_RESULTS)[number];

/** The state machine: the moves allowed besides staying in the same state; nothing leaves `done`. */
export const STATE_TRANSITIONS: Readonly<Record<NodeState, readonly NodeState[]>> = {
  running: ['available', 'closing', 'done'],
  available: ['closing', 'done'],
  closing: ['done'],
  done: [],
};

// ---------------------------------------------------------------------------------------------
// Kind models

/**
 * A field type. `int` is pydantic's lax integer (a JSON integer or a decimal string), `strict_int`
 * a JSON integer only; `url` any absolute URL (pydantic AnyUrl), `http_url` an absolute http/https
 * URL (AnyHttpUrl); `bool` pydantic's lax boolean.
 */
export type FieldType =
  | 'str'
  | 'bool'
  | 'int'
  | 'strict_int'
  | 'url'
  | 'http_url'
  | 'object_id'
  | 'dict'
  | { enum: readonly string[]; name: string }
  | { list: FieldType }
  | { model: Schema; name: string };

export interface Field {
  type: FieldType;
  /** Absent → "Field required". Required fields also refuse null; optional ones accept it. */
  required?: true;
  /** Stored for an absent field by the normalising mode; null when not given. */
  default?: [] | Record<string, never>;
}

/** Fields in schema order: the order normalised data is written in. */
export type Schema = Record<string, Field>;

const required = (type: FieldType): Field => ({ type, required: true });
const optional = (type: FieldType): Field => ({ type });
const withDefault = (type: FieldType, value: [] | Record<string, never>): Field => ({ type, default: value });
const str = optional('str');

const KERNEL_VERSION: Schema = {
  version: required('strict_int'),
  patchlevel: required('strict_int'),
  sublevel: optional('int'),
  extra: str,
  name: str,
};

const REVISION: Schema = {
  tree: required('str'),
  url: required('url'),
  branch: required('str'),
  commit: required('str'),
  describe: str,
  version: optional({ model: KERNEL_VERSION, name: 'KernelVersion' }),
  patchset: str,
  commit_tags: withDefault({ list: 'str' }, []),
  commit_message: str,
  tip_of_branch: optional('bool'),
};

const revision = optional({ model: REVISION, name: 'Revision' });
const errorCode = optional({ enum: ERROR_CODES, name: 'ErrorCode' });
const objectId = optional('object_id');

const TEST_DATA: Schema = {
  error_code: errorCode,
  error_msg: str,
  test_source: optional('url'),
  test_revision: revision,
  platform: str,
  device: str,
  runtime: str,
  job_id: str,
  job_context: str,
  regression: objectId,
  kernel_revision: revision,
  arch: str,
  defconfig: str,
  config_full: str,
  compiler: str,
  kernel_type: str,
  misc: withDefault('dict', {}),
};

export interface KindModel {
  /** The pydantic model name quoted in reports. */
  model: string;
  /** null for `process`, whose data is any object or null, kept as sent. */
  data: Schema | null;
}

export const KINDS: Record<NodeKind, KindModel> = {
  checkout: {
    model: 'Checkout',
    data: {
      kernel_revision: revision,
      error_code: optional({ enum: CHECKOUT_ERROR_CODES, name: 'CheckoutErrorCode' }),
      error_msg: str,
      architecture_filter: optional({ list: 'str' }),
    },
  },
  kbuild: {
    model: 'Kbuild',
    data: {
      kernel_revision: revision,
      arch: str,
      defconfig: str,
      compiler: str,
      error_code: errorCode,
      error_msg: str,
      fragments: optional({ list: 'str' }),
      config_full: str,
      platform: str,
      runtime: str,
      job_id: str,
      job_context: str,
      kernel_type: str,
      regression: objectId,
    },
  },
  test: { model: 'Test', data: TEST_DATA },
  job: { model: 'Job', data: TEST_DATA },
  process: { model: 'Process', data: null },
  regression: {
    model: 'Regression',
    data: {
      fail_node: objectId,
      pass_node: objectId,
      node_sequence: withDefault({ list: 'object_id' }, []),
      error_code: errorCode,
      error_msg: str,
      failed_kernel_revision: revision,
      arch: str,
      defconfig: str,
      config_full: str,
      compiler: str,
      platform: str,
      device: str,
    },
  },
};
