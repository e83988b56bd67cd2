/**
 * Refinements of the generated wire types (SDK A1.2): `Node` is a discriminated union on `kind`
 * with `data` typed per kind (known keys typed, unknown keys allowed). The wire shapes themselves
 * come from `generated/schema.ts`; `types.test-d.ts` proves each refinement is assignable to them.
 */
import type { components } from './generated/schema.js';
import type { CheckoutErrorCode, ErrorCode, NodeKind, NodeResult, NodeState, TimestampInput } from './states.js';

/** A node exactly as the generated schema describes it (23 keys, contract §6.1). */
export type WireNode = components['schemas']['NodeDto'];
/** The generated body of `POST /node`. */
export type WireNodeInput = components['schemas']['NodeInputDto'];

/** `data.kernel_revision` (contract §6.3). */
export interface KernelRevision {
  tree?: string;
  url?: string;
  branch?: string;
  commit?: string;
  describe?: string | null;
  version?: { version?: number; patchlevel?: number; sublevel?: number | null; extra?: string | null; name?: string | null } | null;
  patchset?: string | null;
  commit_tags?: string[];
  commit_message?: string | null;
  [key: string]: unknown;
}

/** Fields a `data` map of any kind may carry. */
export interface CommonData {
  kernel_revision?: KernelRevision;
  error_code?: ErrorCode | CheckoutErrorCode | null;
  error_msg?: string | null;
  [key: string]: unknown;
}

/** `data` of a `checkout` node. */
export interface CheckoutData extends CommonData {
  error_code?: CheckoutErrorCode | null;
  architectures?: string[] | null;
}
/** `data` of a `kbuild` node. */
export interface KbuildData extends CommonData {
  arch?: string | null;
  defconfig?: string | null;
  config_full?: string | null;
  compiler?: string | null;
  fragments?: string[] | null;
  kernel_type?: string | null;
}
/** `data` of a `job` or `test` node. */
export interface TestData extends KbuildData {
  platform?: string | null;
  runtime?: string | null;
  job_id?: string | null;
  job_context?: string | null;
}
/** `data` of a `process` node (stored as sent). */
export type ProcessData = CommonData;
/** `data` of a `regression` node. */
export interface RegressionData extends TestData {
  fail_node?: string | null;
  pass_node?: string | null;
  node_sequence?: string[];
}

type NodeOf<K extends NodeKind, D> = Omit<WireNode, 'kind' | 'data' | 'state' | 'result'> & {
  kind: K;
  data: D | null;
  state: NodeState;
  result: NodeResult | null;
};

/** A `checkout` node. */
export type CheckoutNode = NodeOf<'checkout', CheckoutData>;
/** A `kbuild` node. */
export type KbuildNode = NodeOf<'kbuild', KbuildData>;
/** A `job` node (a test job, or a suite of a result tree). */
export type JobNode = NodeOf<'job', TestData>;
/** A `test` node (a case of a result tree). */
export type TestNode = NodeOf<'test', TestData>;
/** A `process` node. */
export type ProcessNode = NodeOf<'process', ProcessData>;
/** A `regression` node. */
export type RegressionNode = NodeOf<'regression', RegressionData>;

/** A node as the server sends it, narrowed by `kind`. Timestamps stay naive UTC strings (A1.4). */
export type Node = CheckoutNode | KbuildNode | JobNode | TestNode | ProcessNode | RegressionNode;

/** The body of a node creation; timestamps accept `Date | string` (A1.4). */
export type NodeInput = Omit<WireNodeInput, 'created' | 'updated' | 'timeout' | 'holdoff' | 'kind'> & {
  /** A {@link NodeKind}; other strings are accepted because the server validates kinds itself. */
  kind?: NodeKind | (string & {});
  created?: TimestampInput;
  updated?: TimestampInput;
  timeout?: TimestampInput;
  holdoff?: TimestampInput | null;
};

/** A page of `GET /nodes`; `next_cursor` is present in keyset mode (contract §7.2). */
export type NodePage = Omit<components['schemas']['NodeListDto'], 'items'> & { items: Node[]; next_cursor?: string | null };

/** Fields `PATCH /node/{id}` applies (contract §7.7). */
export interface NodeChanges {
  state?: NodeState;
  result?: NodeResult | null;
  artifacts?: Record<string, string | typeof unset> | null;
  data?: Record<string, unknown> | null;
  debug?: Record<string, unknown> | null;
  jobfilter?: string[] | null;
  platform_filter?: string[] | null;
  timeout?: TimestampInput;
  holdoff?: TimestampInput | null;
  processed_by_kcidb_bridge?: boolean;
}

/** Deletes a key in a deep-merge patch (A7.4): `{ data: { obsolete: unset } }`. */
export const unset: unique symbol = Symbol.for('maestro.sdk.unset') as never;
