/**
 * Type tests (docs/sdk.md), checked by `tsc -b sdk/tsconfig.spec.json` (part of `npm run typecheck`):
 * filter field and value typing, `Node` narrowing on `kind`, and assignability of the refined
 * types to the generated wire types (docs/sdk.md). A line marked `@ts-expect-error` fails the check when it
 * stops being an error.
 */
import type { components } from './generated/schema';
import { field, nodeFilter, type NodeFilter } from './filters';
import type { EventFilter } from './events/types';
import type { MaestroClient } from './client';
import type { CheckoutData, CheckoutNode, JobNode, KbuildData, KindData, Node, NodeInput, NodePage, WireNode, WireNodeInput } from './types';
import { canTransition, NODE_KINDS, STATE_TRANSITIONS, type NodeKind } from './states';

type Assert<T extends true> = T;
type IsAssignable<A, B> = [A] extends [B] ? true : false;

// Refinements are assignable to the generated wire types (docs/sdk.md).
export type RefinedNodeIsWire = Assert<IsAssignable<Node, WireNode>>;
export type CheckoutIsWire = Assert<IsAssignable<CheckoutNode, components['schemas']['NodeDto']>>;
export type PageIsWire = Assert<IsAssignable<NodePage, Omit<components['schemas']['NodeListDto'], 'items'> & { items: WireNode[] }>>;
export type InputWithoutDatesIsWire = Assert<IsAssignable<Omit<NodeInput, 'created' | 'updated' | 'timeout' | 'holdoff'>, Omit<WireNodeInput, 'created' | 'updated' | 'timeout' | 'holdoff'>>>;

// Node narrows on kind.
export function narrow(node: Node): string | null | undefined {
  if (node.kind === 'kbuild') {
    const data: KbuildData | null = node.data;
    return data?.arch;
  }
  if (node.kind === 'job') {
    const job: JobNode = node;
    return job.data?.platform;
  }
  // @ts-expect-error a checkout's data does not type `platform`: it is unknown, not a number
  const n: number = node.kind === 'checkout' ? node.data?.platform : 0;
  return String(n);
}

// Filter fields and values are typed.
export const ok: NodeFilter[] = [
  { kind: 'job', state: { in: ['running', 'available'] }, created: { gte: new Date() } },
  { 'data.kernel_revision.tree': 'mainline', result: null, parent: null },
  { retry_counter: { lt: 3 }, 'artifacts.log': { re: '^https://' } },
];
// @ts-expect-error unknown kind
export const badKind: NodeFilter = { kind: 'kbuilds' };
// @ts-expect-error states are an enum
export const badState: NodeFilter = { state: { in: ['runing'] } };
// @ts-expect-error timestamps take Date | string, not numbers
export const badTime: NodeFilter = { created: { gte: 1700000000 } };
// @ts-expect-error unknown top-level field: use field() with the builder
export const badField: NodeFilter = { colour: 'red' };

export const built = nodeFilter().eq('kind', 'kbuild').in('state', ['available']).gte('created', '2024-01-01T00:00:00').eq(field('data.custom.path'), 'x');
// @ts-expect-error value typed by field
export const badBuilt = nodeFilter().eq('state', 'sleeping');

// Event filters take any-of lists of the same enums.
export const events: EventFilter = { kind: ['kbuild', 'job'], state: 'available', node_id: 'abc' };

// Unknown fields and invalid states are refused everywhere a filter or a state is written (issue #6).
// @ts-expect-error unknown field in the builder: data paths go through field()
export const badBuiltField = nodeFilter().eq('colour', 'red');
// @ts-expect-error a dotted path outside data/artifacts is not a field
export const badDotted: NodeFilter = { 'owner.name': 'admin' };
// @ts-expect-error an invalid state as a plain value
export const badPlainState: NodeFilter = { state: 'sleeping' };
// @ts-expect-error an invalid state in a list of the builder
export const badBuiltStates = nodeFilter().in('state', ['available', 'sleeping']);
// @ts-expect-error an invalid result
export const badResult: NodeFilter = { result: 'passed' };

declare const maestro: MaestroClient;
export async function writes(): Promise<void> {
  await maestro.nodes.setState('id', 'done');
  // @ts-expect-error setState takes a NodeState
  await maestro.nodes.setState('id', 'sleeping');
  // @ts-expect-error setResult takes a NodeResult
  await maestro.nodes.setResult('id', 'passed');
  // @ts-expect-error waitFor conditions are typed by state
  await maestro.nodes.waitFor('id', 'finished', { timeoutMs: 1 });
  // @ts-expect-error waitFor conditions are typed by state, in object form too
  await maestro.nodes.waitFor('id', { state: ['done', 'finished'] }, { timeoutMs: 1 });
  // @ts-expect-error find refuses unknown fields
  maestro.nodes.find({ colour: 'red' });
  // @ts-expect-error count refuses invalid states
  await maestro.nodes.count({ state: { ne: 'sleeping' } });
  // @ts-expect-error a node input's state is a NodeState
  await maestro.nodes.create({ kind: 'job', name: 'x', path: ['x'], state: 'sleeping' });
}

// Kinds, data models and the state machine come from the document's named schemas.
export const checkoutInput: NodeInput = { kind: 'checkout', name: 'checkout', path: ['checkout'], data: { architecture_filter: ['x86_64'] } };
// @ts-expect-error a misspelt kind does not type-check
export const misspelt: NodeInput = { kind: 'chekout', name: 'checkout', path: ['checkout'] };
export const checkoutData: CheckoutData = { architecture_filter: ['x86_64', 'arm64'], error_code: 'git_checkout_failure' };
// @ts-expect-error architecture_filter is a list
export const badFilter: CheckoutData = { architecture_filter: 'x86_64' };
// @ts-expect-error a checkout's error codes are the checkout ones
export const badCheckoutCode: CheckoutData = { error_code: 'submit_error' };
export type KbuildDataIsKindData = Assert<IsAssignable<KindData['kbuild'], KbuildData>>;
export const everyKind: readonly NodeKind[] = NODE_KINDS;
export const runningMoves: readonly string[] = STATE_TRANSITIONS.running;
export const allowed: boolean = canTransition('running', 'done');
