/** The mapping between KernelCI `node` documents and the port's NodeRecord (docs/nodes.md#model). */
import { ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { BadRequestError } from '../../common/errors/domain-errors';
import { isObjectIdString } from '../../common/object-id';
import type { NodeRecord, NodeResult, NodeState } from '../ports';
import { withInt64, withNumbers } from './mongo-bson';

const NODE_STATES: readonly string[] = ['running', 'available', 'closing', 'done'];
const NODE_RESULTS: readonly string[] = ['pass', 'fail', 'skip', 'incomplete'];
const SIX_HOURS_MS = 6 * 3600_000;

/** The document Maestro writes: exactly the 23 fields of docs/nodes.md#model, `id` as `_id`, KernelCI's BSON types. */
export function nodeToDocument(node: NodeRecord): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(node.id),
    kind: node.kind,
    name: node.name,
    path: node.path,
    group: node.group,
    parent: node.parent === null ? null : new ObjectId(node.parent),
    state: node.state,
    result: node.result,
    artifacts: node.artifacts,
    // Integers beyond int32 as int64, as pymongo writes them (mongo-bson.ts).
    data: withInt64(node.data),
    debug: withInt64(node.debug),
    jobfilter: node.jobfilter,
    platform_filter: node.platform_filter,
    created: node.created,
    updated: node.updated,
    timeout: node.timeout,
    holdoff: node.holdoff,
    owner: node.owner,
    submitter: node.submitter,
    treeid: node.treeid,
    user_groups: node.user_groups,
    processed_by_kcidb_bridge: node.processed_by_kcidb_bridge,
    retry_counter: node.retry_counter,
  };
}

/**
 * The update that rewrites a stored node: `$set` of the 22 fields besides `_id`, so fields Maestro
 * does not know (a redundant `id`, anything a KernelCI release added) stay as they are (docs/nodes.md#model, docs/deployment.md#running-on-mongodb).
 */
export function nodeToUpdate(node: NodeRecord): { $set: Document } {
  const { _id: _ignored, ...fields } = nodeToDocument(node);
  return { $set: fields };
}

class UnpresentableNode extends BadRequestError {
  constructor(id: unknown, field: string, expected: string) {
    super(`Stored node ${String(id)} cannot be presented: field '${field}' is not ${expected}`);
  }
}

/**
 * Reads a stored document (docs/nodes.md#model): unknown top-level fields (including a redundant `id`) are
 * dropped, missing fields take their docs/nodes.md#model defaults, and a missing `name`/`path` or a field of the
 * wrong type makes the node unpresentable (400, text not fixed).
 */
export function nodeFromDocument(document: Document, now: Date = new Date()): NodeRecord {
  const id = document._id;
  const fail = (field: string, expected: string): never => {
    throw new UnpresentableNode(id instanceof ObjectId ? id.toHexString() : id, field, expected);
  };
  const has = (field: string) => document[field] !== undefined;
  const string = (field: string, fallback: string | null): string | null => {
    const value: unknown = has(field) ? document[field] : fallback;
    return value === null || typeof value === 'string' ? value : fail(field, 'a string');
  };
  const stringList = (field: string, fallback: string[] | null): string[] | null => {
    const value: unknown = has(field) ? document[field] : fallback;
    if (value === null) return null;
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : fail(field, 'a list of strings');
  };
  const object = <T>(field: string): T | null => {
    const value: unknown = has(field) ? document[field] : {};
    if (value === null) return null;
    // A BSON value (ObjectId, date, binary…) is an object in JavaScript but not a document.
    const isDocument = typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
    return isDocument ? (value as T) : fail(field, 'an object');
  };
  const date = (field: string, fallback: Date | null): Date | null => {
    const value: unknown = has(field) ? document[field] : fallback;
    return value === null || value instanceof Date ? value : fail(field, 'a date');
  };
  const objectId = (value: unknown, field: string): string =>
    value instanceof ObjectId ? value.toHexString() : isObjectIdString(value) ? value.toLowerCase() : fail(field, 'an ObjectId');

  if (!has('name')) fail('name', 'present');
  if (!has('path')) fail('path', 'present');
  const state = string('state', 'running');
  if (state === null || !NODE_STATES.includes(state)) fail('state', `one of ${NODE_STATES.join(', ')}`);
  const result = string('result', null);
  if (result !== null && !NODE_RESULTS.includes(result)) fail('result', `one of ${NODE_RESULTS.join(', ')} or null`);
  // int64 values arrive as numbers (the driver's default `promoteLongs`).
  const retryCounter: unknown = has('retry_counter') ? document.retry_counter : 0;
  if (typeof retryCounter !== 'number' || !Number.isSafeInteger(retryCounter)) fail('retry_counter', 'an integer');
  const bridge: unknown = has('processed_by_kcidb_bridge') ? document.processed_by_kcidb_bridge : false;
  if (typeof bridge !== 'boolean') fail('processed_by_kcidb_bridge', 'a boolean');
  const created = date('created', now) ?? fail('created', 'a date');
  const userGroups = stringList('user_groups', []) ?? fail('user_groups', 'a list of strings');

  return {
    id: objectId(id, '_id'),
    kind: string('kind', 'node') ?? fail('kind', 'a string'),
    name: string('name', null) ?? fail('name', 'a string'),
    path: stringList('path', null) ?? fail('path', 'a list of strings'),
    group: string('group', null),
    parent: document.parent === undefined || document.parent === null ? null : objectId(document.parent, 'parent'),
    state: state as NodeState,
    result: result as NodeResult | null,
    artifacts: object<Record<string, string>>('artifacts'),
    data: withNumbers(object<Record<string, unknown>>('data')),
    debug: withNumbers(object<Record<string, unknown>>('debug')),
    jobfilter: stringList('jobfilter', null),
    platform_filter: stringList('platform_filter', []),
    created,
    updated: date('updated', now) ?? fail('updated', 'a date'),
    timeout: date('timeout', new Date(now.getTime() + SIX_HOURS_MS)) ?? fail('timeout', 'a date'),
    holdoff: date('holdoff', null),
    owner: string('owner', null),
    submitter: string('submitter', null),
    treeid: string('treeid', null),
    user_groups: userGroups,
    processed_by_kcidb_bridge: bridge as boolean,
    retry_counter: retryCounter as number,
  };
}
