/**
 * Refinements of the generated wire types: `Node` is a discriminated union on `kind`
 * with `data` typed per kind (known keys typed, unknown keys allowed). The wire shapes themselves
 * come from `generated/schema.ts`; `types.test-d.ts` proves each refinement is assignable to them.
 */
import type { components } from './generated/schema.js';
import type { CheckoutErrorCode, ErrorCode, NodeKind, NodeResult, NodeState, TimestampInput } from './states.js';

/** A node exactly as the generated schema describes it (23 keys). */
export type WireNode = components['schemas']['NodeDto'];
/** The generated body of `POST /node`. */
export type WireNodeInput = components['schemas']['NodeInputDto'];

type Schemas = components['schemas'];

/** `data.kernel_revision` (KernelCI's `Revision` model). */
export type KernelRevision = Schemas['Revision'];
/** `data.kernel_revision.version`. */
export type KernelVersion = Schemas['KernelVersion'];

/** Fields a `data` map of any kind may carry. */
export interface CommonData {
  kernel_revision?: KernelRevision | null;
  error_code?: ErrorCode | CheckoutErrorCode | null;
  error_msg?: string | null;
  [key: string]: unknown;
}

// Each kind's `data` model is generated from the schemas the API publishes (api/src/nodes/node-definitions.ts):
// known keys typed, unknown keys allowed.
/** `data` of a `checkout` node. */
export type CheckoutData = Schemas['CheckoutData'];
/** `data` of a `kbuild` node. */
export type KbuildData = Schemas['KbuildData'];
/** `data` of a `test` node. */
export type TestData = Schemas['TestData'];
/** `data` of a `job` node. */
export type JobData = Schemas['JobData'];
/** `data` of a `process` node (any object, stored as sent). */
export type ProcessData = Schemas['ProcessData'];
/** `data` of a `regression` node. */
export type RegressionData = Schemas['RegressionData'];
/** The `data` model of each kind: `KindData['kbuild']` is {@link KbuildData}. */
export type KindData = Schemas['NodeKindData'];

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
export type JobNode = NodeOf<'job', JobData>;
/** A `test` node (a case of a result tree). */
export type TestNode = NodeOf<'test', TestData>;
/** A `process` node. */
export type ProcessNode = NodeOf<'process', ProcessData>;
/** A `regression` node. */
export type RegressionNode = NodeOf<'regression', RegressionData>;

/** A node as the server sends it, narrowed by `kind`. Timestamps stay naive UTC strings (docs/sdk.md). */
export type Node = CheckoutNode | KbuildNode | JobNode | TestNode | ProcessNode | RegressionNode;

/** The body of a node creation; timestamps accept `Date | string` (docs/sdk.md). */
export type NodeInput = Omit<WireNodeInput, 'created' | 'updated' | 'timeout' | 'holdoff' | 'kind'> & {
  /** A {@link NodeKind}: a misspelt kind does not type-check. */
  kind?: NodeKind;
  created?: TimestampInput;
  updated?: TimestampInput;
  timeout?: TimestampInput;
  holdoff?: TimestampInput | null;
};

/** A page of `GET /nodes`; `next_cursor` is present in keyset mode (docs/nodes.md#endpoints). */
export type NodePage = Omit<components['schemas']['NodeListDto'], 'items'> & { items: Node[]; next_cursor?: string | null };

/** Fields `PATCH /node/{id}` applies (docs/nodes.md#endpoints). */
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

/** Deletes a key in a deep-merge patch (sdk/README.md#nodes): `{ data: { obsolete: unset } }`. */
export const unset: unique symbol = Symbol.for('maestro.sdk.unset') as never;
