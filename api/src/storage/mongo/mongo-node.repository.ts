/**
 * Nodes in KernelCI's `node` collection (docs/nodes.md#model, docs/deployment.md#running-on-mongodb), and the mapping between its
 * documents and the port's NodeRecord.
 */
import { ObjectId } from 'bson';
import type { Document, Sort } from 'mongodb';
import { BadRequestError } from '../../common/errors/domain-errors';
import { isObjectIdString } from '../../common/object-id';
import type { NodeFilter } from '../../common/query/filter-model';
import {
  InvalidFilterError,
  QueryTimeoutError,
  type NodeListQuery,
  type NodeRecord,
  type NodeRepository,
  type NodeResult,
  type NodeState,
  type NodeTransition,
  type QueryOptions,
} from '../ports';
import { isInvalidRegex, MONGO_MAX_TIME_MS_EXPIRED, type MongoContext } from './mongo-context';
import { MongoLeaseRepository } from './mongo-lease.repository';
import { nodeFromDocument, nodeToDocument, nodeToUpdate } from './mongo-node.documents';
import { toMongoNodeFilter } from './node-filter.mongo';

const SORT_FIELDS = { id: '_id', created: 'created', updated: 'updated' } as const;

/** Natural order is `_id` order: ObjectIds grow with insertion time, as KernelCI's ids do. */
function orderAndKeyset(query: NodeListQuery): { sort: Sort; after: Document | null } {
  if (!query.sort) return { sort: { _id: 1 }, after: null };
  const field = SORT_FIELDS[query.sort.field];
  const direction = query.sort.descending ? -1 : 1;
  const sort: Sort = field === '_id' ? { _id: direction } : { [field]: direction, _id: direction };
  if (!query.after) return { sort, after: null };
  const cmp = query.sort.descending ? '$lt' : '$gt';
  const id = new ObjectId(query.after.id);
  if (field === '_id') return { sort, after: { _id: { [cmp]: id } } };
  const value = query.after.value instanceof Date ? query.after.value : new Date(query.after.value);
  return { sort, after: { $or: [{ [field]: { [cmp]: value } }, { [field]: value, _id: { [cmp]: id } }] } };
}

/** A top-level field that exists only inside an uncommitted transaction (see `lockInTransaction`). */
export const LOCK_FIELD = '_maestro_lock';
/** Standalone server: how long a node lock lives if its holder dies, and how long a locker waits. */
const NODE_LOCK_TTL_MS = 60_000;
const NODE_LOCK_WAIT_MS = 30_000;
/** Concurrent conditional writes of one lifecycle batch outside a transaction (inside one: one at a time). */
const LIFECYCLE_CONCURRENCY = 16;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` over `items`, at most `width` at a time, keeping the input order of the results. */
async function inGroups<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  return results;
}

const TIMEOUT_ERROR = { error_code: 'node_timeout', error_msg: 'Node timed-out' };

/**
 * The timeout rule of docs/nodes.md#lifecycle as an update pipeline (pure): `done`; a node without a result also gets
 * `incomplete` and the error fields merged into `data` (an object, or `{}` when data is not one).
 */
export function timeoutPipeline(now: Date): Document[] {
  const noResult = { $eq: [{ $ifNull: ['$result', null] }, null] };
  const dataObject = { $cond: [{ $eq: [{ $type: '$data' }, 'object'] }, '$data', {}] };
  return [
    {
      $set: {
        state: 'done',
        result: { $ifNull: ['$result', 'incomplete'] },
        data: { $cond: [noResult, { $mergeObjects: [dataObject, { $literal: TIMEOUT_ERROR }] }, '$data'] },
        updated: { $literal: now },
        processed_by_kcidb_bridge: false,
      },
    },
  ];
}

/** The selections of docs/nodes.md#lifecycle (pure), each served by an index of docs/deployment.md#running-on-mongodb. */
export function lifecycleSelections(now: Date) {
  return {
    timeouts: { filter: { state: { $in: ['running', 'available', 'closing'] }, timeout: { $lt: now } }, sort: { timeout: 1 } as Sort },
    holdoffs: { filter: { state: 'available', holdoff: { $lt: now }, timeout: { $gte: now } }, sort: { holdoff: 1 } as Sort },
    closing: { filter: { state: 'closing' }, sort: { _id: 1 } as Sort },
  };
}

/** A transition's write happens only while the node is as selected (docs/nodes.md#lifecycle: state and `updated`). */
export function unchangedSince(document: Document): Document {
  return { _id: document._id, state: document.state, updated: document.updated };
}

export class MongoNodeRepository implements NodeRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get nodes() {
    return this.ctx.collection('node');
  }

  /** Operations in flight at once: one on a session (the driver's rule), a few otherwise. */
  private get width(): number {
    return this.ctx.unit.session ? 1 : LIFECYCLE_CONCURRENCY;
  }

  async insert(node: NodeRecord): Promise<NodeRecord> {
    await this.ctx.insert('node', nodeToDocument(node));
    return (await this.findById(node.id)) ?? node;
  }

  /** Insertion order is the given order, so natural (`_id`) order follows it for ids made in order. */
  async insertMany(nodes: NodeRecord[]): Promise<void> {
    await this.ctx.insertMany('node', nodes.map(nodeToDocument));
  }

  async findById(id: string, options: { forUpdate?: boolean } = {}): Promise<NodeRecord | null> {
    if (!isObjectIdString(id)) return null;
    const _id = new ObjectId(id);
    if (options.forUpdate && this.ctx.unit.session) return this.lockInTransaction(_id);
    if (options.forUpdate && this.ctx.unit.journal) await this.lockOnStandalone(id);
    const document = await this.ctx.run(() => this.nodes.findOne({ _id }, this.ctx.session));
    return document ? nodeFromDocument(document) : null;
  }

  /**
   * A locked read inside a transaction: a write to the document (a field set and removed again in
   * the same transaction, so the committed document is unchanged and no reader ever sees the
   * field). Until this transaction ends, another transaction's write to the node meets a write
   * conflict and is retried by the driver, and a write outside a transaction waits: the compare and
   * the write that follow are atomic, as with `SELECT … FOR UPDATE` (docs/nodes.md#etag-and-if-match).
   */
  private async lockInTransaction(_id: ObjectId): Promise<NodeRecord | null> {
    const before = await this.ctx.run(() =>
      this.nodes.findOneAndUpdate({ _id }, { $set: { [LOCK_FIELD]: this.ctx.unit.holder ?? true } }, { returnDocument: 'before', ...this.ctx.session }),
    );
    if (!before) return null;
    await this.ctx.run(() => this.nodes.updateOne({ _id }, { $unset: { [LOCK_FIELD]: '' } }, this.ctx.session));
    return nodeFromDocument(before);
  }

  /**
   * A locked read on a standalone server (no transactions): a lease `node:<id>` in `maestro_lock`,
   * held until the unit of work ends. It excludes other locked reads only; writes that take no
   * lock (lifecycle, bulk) are not held back (docs/deployment.md).
   */
  private async lockOnStandalone(id: string): Promise<void> {
    const leases = new MongoLeaseRepository(this.ctx.withUnit({}));
    const name = `node:${id}`;
    const holder = this.ctx.unit.holder ?? 'unit';
    const deadline = Date.now() + NODE_LOCK_WAIT_MS;
    for (let wait = 1; !(await leases.tryAcquire(name, holder, NODE_LOCK_TTL_MS)); wait = Math.min(wait * 2, 50)) {
      if (Date.now() > deadline) throw new Error(`node ${id} stayed locked for ${NODE_LOCK_WAIT_MS / 1000} s`);
      await sleep(wait);
    }
    this.ctx.unit.releases?.push(() => leases.release(name, holder));
  }

  async findByIds(ids: string[]): Promise<NodeRecord[]> {
    const valid = ids.filter(isObjectIdString).map((id) => new ObjectId(id));
    if (valid.length === 0) return [];
    const documents = await this.ctx.run(() => this.nodes.find({ _id: { $in: valid } }, this.ctx.session).toArray());
    return documents.map((document) => nodeFromDocument(document));
  }

  async update(node: NodeRecord): Promise<NodeRecord | null> {
    await this.ctx.validate('node', nodeToDocument(node));
    const after = await this.ctx.modify('node', { _id: new ObjectId(node.id) }, nodeToUpdate(node));
    return after ? nodeFromDocument(after) : null;
  }

  async updateMany(nodes: NodeRecord[]): Promise<void> {
    for (const node of nodes) await this.ctx.validate('node', nodeToDocument(node));
    await this.ctx.updateEach('node', nodes.map((node) => ({ id: new ObjectId(node.id), update: nodeToUpdate(node) })));
  }

  /** One `bulkWrite` of updates and one `insertMany` per 1,000 nodes, then one read of what was written. */
  async writeMany(changes: { update: NodeRecord[]; insert: NodeRecord[] }): Promise<NodeRecord[]> {
    await this.updateMany(changes.update);
    await this.insertMany(changes.insert);
    return this.findByIds([...changes.update, ...changes.insert].map((node) => node.id));
  }

  async setKcidbFlag(id: string, value: boolean, updated: Date): Promise<void> {
    if (!isObjectIdString(id)) return;
    await this.ctx.modify('node', { _id: new ObjectId(id) }, { $set: { processed_by_kcidb_bridge: value, updated } });
  }

  /** One `bulkWrite` per 1,000 ids. */
  async setKcidbFlags(ids: string[], value: boolean, updated: Date): Promise<void> {
    const update = { $set: { processed_by_kcidb_bridge: value, updated } };
    await this.ctx.updateEach('node', ids.filter(isObjectIdString).map((id) => ({ id: new ObjectId(id), update })));
  }

  /**
   * Runs a read under `maxTimeMS`, so the server abandons it; the server's refusals become the
   * port's errors (what `statement_timeout` and SQLSTATE 2201B give on PostgreSQL).
   */
  private async read<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isInvalidRegex(error)) throw new InvalidFilterError(`Invalid regular expression: ${(error as Error).message}`);
      if ((error as { code?: unknown } | null)?.code === MONGO_MAX_TIME_MS_EXPIRED) throw new QueryTimeoutError();
      throw error;
    }
  }

  async list(query: NodeListQuery, options: QueryOptions = {}): Promise<NodeRecord[]> {
    // MongoDB reads `limit(0)` as "no limit"; the port means "no rows".
    if (query.limit === 0) return [];
    const { sort, after } = orderAndKeyset(query);
    const filter = toMongoNodeFilter(query.filter);
    const maxTime = options.timeoutMs === undefined ? {} : { maxTimeMS: Math.max(1, Math.round(options.timeoutMs)) };
    const cursor = this.nodes.find(after ? { $and: [filter, after] } : filter, { ...this.ctx.session, ...maxTime, sort });
    if (query.offset) cursor.skip(query.offset);
    if (query.limit !== undefined) cursor.limit(query.limit);
    const documents = await this.read(() => this.ctx.run(() => cursor.toArray()));
    return documents.map((document) => nodeFromDocument(document));
  }

  count(filter: NodeFilter, options: QueryOptions = {}): Promise<number> {
    const maxTime = options.timeoutMs === undefined ? {} : { maxTimeMS: Math.max(1, Math.round(options.timeoutMs)) };
    return this.read(() => this.ctx.run(() => this.nodes.countDocuments(toMongoNodeFilter(filter), { ...this.ctx.session, ...maxTime })));
  }

  /**
   * One conditional write per selected node (`findOneAndUpdate` filtered on state and `updated` as
   * selected), so each transition happens and is reported once even with several replicas: a
   * multi-document update would not tell which documents it changed.
   */
  private async transition(selected: Document[], update: (document: Document) => Document | Document[]): Promise<NodeTransition[]> {
    const written = await inGroups(selected, this.width, async (document) => {
      const after = await this.ctx.modify('node', unchangedSince(document), update(document));
      if (!after) return null;
      const previous = { state: document.state as NodeState, result: (document.result ?? null) as NodeResult | null };
      try {
        return { node: nodeFromDocument(after), previous };
      } catch (error) {
        // A stored node that cannot be presented (docs/nodes.md#model: no name, a field of the wrong type) still
        // changes state, so it is not selected again every pass; it has no event, as it has no JSON.
        if (error instanceof BadRequestError) return null;
        throw error;
      }
    });
    return written.filter((transition): transition is NodeTransition => transition !== null);
  }

  /**
   * The same repository outside the unit's transaction: lifecycle selections and descendant walks
   * read committed data without the session, so the transaction begins at the first transition and
   * holds only the conditional writes (each re-checks state and `updated`, so a stale selection
   * changes nothing): a unit stays far below MongoDB's 60 s transaction lifetime however long the
   * scan takes.
   */
  private get outside(): MongoNodeRepository {
    return this.ctx.unit.session ? new MongoNodeRepository(this.ctx.withUnit({})) : this;
  }

  private select(selection: { filter: Document; sort: Sort }, limit: number): Promise<Document[]> {
    return this.ctx.run(() =>
      this.nodes.find(selection.filter, { ...this.ctx.session, sort: selection.sort, limit, projection: { _id: 1, state: 1, result: 1, updated: 1 } }).toArray(),
    );
  }

  async applyTimeouts(now: Date, limit: number): Promise<NodeTransition[]> {
    if (limit <= 0) return [];
    return this.transition(await this.outside.select(lifecycleSelections(now).timeouts, limit), () => timeoutPipeline(now));
  }

  async applyHoldoffs(now: Date, limit: number): Promise<NodeTransition[]> {
    if (limit <= 0) return [];
    const outside = this.outside;
    const selected = await outside.select(lifecycleSelections(now).holdoffs, limit);
    const pending = await inGroups(selected, LIFECYCLE_CONCURRENCY, (document) => outside.hasPendingDescendant(document._id));
    const next = new Map(selected.map((document, i) => [document, pending[i] ? 'closing' : 'done']));
    return this.transition(selected, (document) => ({ $set: { state: next.get(document), updated: now, processed_by_kcidb_bridge: false } }));
  }

  /** Closing nodes in natural order whose descendants are all done, at most `limit` of them. */
  async closeFinished(now: Date, limit: number): Promise<NodeTransition[]> {
    if (limit <= 0) return [];
    const finished: Document[] = [];
    const { filter, sort } = lifecycleSelections(now).closing;
    const outside = this.outside;
    const cursor = outside.nodes.find(filter, { ...outside.ctx.session, sort, projection: { _id: 1, state: 1, result: 1, updated: 1 } });
    try {
      for await (const document of cursor) {
        if (!(await outside.hasPendingDescendant(document._id))) finished.push(document);
        if (finished.length >= limit) break;
      }
    } finally {
      await cursor.close();
    }
    return this.transition(finished, () => ({ $set: { state: 'done', updated: now, processed_by_kcidb_bridge: false } }));
  }

  /**
   * True when a node below `id`, at any depth through `parent` links, is not `done`: level by level
   * (each level one query on the `(parent, state)` index, stopping at the first pending node), so
   * memory stays bounded by one level's ids, unlike `$graphLookup`'s 100 MB limit. Visited ids keep
   * a corrupt parent cycle finite.
   */
  async hasPendingDescendant(id: unknown): Promise<boolean> {
    const visited = new Set<string>([String(id)]);
    let frontier: unknown[] = [id];
    while (frontier.length > 0) {
      const level = frontier;
      const pending = await this.ctx.run(() => this.nodes.findOne({ parent: { $in: level }, state: { $ne: 'done' } }, { ...this.ctx.session, projection: { _id: 1 } }));
      if (pending) return true;
      const children = await this.ctx.run(() => this.nodes.find({ parent: { $in: level } }, { ...this.ctx.session, projection: { _id: 1 } }).toArray());
      frontier = children.map((child) => child._id).filter((childId) => !visited.has(String(childId)));
      for (const childId of frontier) visited.add(String(childId));
    }
    return false;
  }

  /** Deletes up to `limit` old non-checkout nodes, lowest ids first (docs/nodes.md#purge). */
  async purgeBatch(before: Date, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const ids = await this.ctx.run(() =>
      this.nodes.find({ created: { $lt: before }, kind: { $ne: 'checkout' } }, { ...this.ctx.session, sort: { _id: 1 }, limit, projection: { _id: 1 } }).toArray(),
    );
    if (ids.length === 0) return 0;
    return this.ctx.remove('node', { _id: { $in: ids.map((document) => document._id) } });
  }
}
