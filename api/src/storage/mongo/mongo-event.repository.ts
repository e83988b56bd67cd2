/**
 * The event log (`eventhistory`, contract §10.3, §11.1), live subscriptions (`maestro_subscription`)
 * and durable cursors (`subscriber_state`, §10.7). Sequence ids and subscription ids come from
 * `maestro_counter` (§11.4).
 *
 * Ordering (§10.3: delivery never skips an event committed after a higher sequence id):
 * - in a transaction (replica set), the `$inc` of `event_sequence` is a write to the counter
 *   document that stays uncommitted until the transaction ends; a concurrent transaction's `$inc`
 *   meets a write conflict and is retried by the driver after this one committed. Event-producing
 *   transactions therefore commit in sequence order, as on PostgreSQL (docs/adr/0005-events.md);
 * - without a transaction (a standalone server, or an append outside a unit of work on one), the
 *   counter document doubles as a short lease: an append takes the next id and the lease in one
 *   atomic update, inserts the event, then releases the lease, so appends are inserted one at a time
 *   in sequence order. A holder that stalls longer than the lease (process paused) can be overtaken;
 *   docs/deployment.md states that limit.
 */
import { randomUUID } from 'node:crypto';
import { Long, ObjectId } from 'bson';
import type { Document } from 'mongodb';
import { isObjectIdString } from '../../common/object-id';
import {
  DuplicateKeyError,
  InvalidPatternError,
  type EventHistoryCondition,
  type EventHistoryQuery,
  type EventRecord,
  type EventRepository,
  type EventStreamQuery,
  type NewEvent,
  type StoredCloudEvent,
} from '../ports';
import { isInvalidRegex, type MongoContext } from './mongo-context';
import { raiseEventSequence } from './mongo-index-manager';

/** How long an append without a transaction may hold the sequence lease before another may take it. */
export const SEQUENCE_LEASE_MS = 10_000;
const LEASE_WAIT_LIMIT_MS = 30_000;

const hex = (value: unknown): string => (value instanceof ObjectId ? value.toHexString() : String(value));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MATCH_NOTHING: Document = { _id: { $exists: false } };

/** KernelCI's (pymongo's) integer encoding: int32 when it fits, int64 beyond (a JS number would become a double). */
export function bsonInteger(value: number): number | Long {
  return value > 0x7fffffff || value < -0x80000000 ? Long.fromNumber(value) : value;
}

/** The `eventhistory` document (pure): KernelCI's fields in its order, plus `ce` when there is one. */
export function eventToDocument(event: NewEvent, sequenceId: number): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(event.id),
    timestamp: event.timestamp,
    sequence_id: bsonInteger(sequenceId),
    channel: event.channel,
    owner: event.owner,
    data: event.data,
    ...(event.ce ? { ce: { ...event.ce } } : {}),
  };
}

function ceFromDocument(ce: unknown): StoredCloudEvent | null {
  if (typeof ce !== 'object' || ce === null) return null;
  const stored = ce as Record<string, unknown>;
  // `time` is kept as the envelope's text (microseconds); a date, if another writer stored one, is read as ISO text.
  const time = stored.time instanceof Date ? stored.time.toISOString() : String(stored.time);
  const extensions = typeof stored.extensions === 'object' && stored.extensions !== null ? (stored.extensions as Record<string, unknown>) : {};
  return { id: String(stored.id), time, type: String(stored.type), source: String(stored.source), specversion: String(stored.specversion ?? '1.0'), extensions };
}

/**
 * Reads an `eventhistory` document (pure). KernelCI's documents have no `ce` (null: the events
 * service derives the replay id from `_id`, §11.1); a missing owner or data reads as null, a
 * missing channel as `node` (KernelCI's only channel before channels were stored).
 */
export function eventFromDocument(document: Document): EventRecord {
  return {
    id: hex(document._id),
    timestamp: document.timestamp,
    sequenceId: Number(document.sequence_id ?? 0),
    channel: typeof document.channel === 'string' ? document.channel : 'node',
    owner: typeof document.owner === 'string' ? document.owner : null,
    data: document.data === undefined ? null : document.data,
    ce: ceFromDocument(document.ce),
  };
}

/** A payload key that names one top-level field of `data` (no path, no operator). */
const isPlainKey = (key: string) => key.length > 0 && !key.includes('.') && !key.startsWith('$') && !key.includes('\0');

/**
 * The filter of `stream` (pure). `path` matches when the array `data.path` contains one of the
 * values; another key when `data.<key>` is one of the values and not an array (PostgreSQL compares
 * the field's text, so it also matches the number 5 with "5"; MongoDB compares typed values).
 */
export function streamFilter(query: EventStreamQuery): Document {
  const clauses: Document[] = [{ channel: { $eq: query.channel } }, { sequence_id: { $gt: query.afterSequence } }];
  if (query.visibleTo !== undefined) clauses.push({ $or: [{ owner: null }, { owner: { $eq: query.visibleTo } }] });
  for (const [key, values] of Object.entries(query.payload ?? {})) {
    if (!isPlainKey(key)) return MATCH_NOTHING;
    if (key === 'path') clauses.push({ 'data.path': { $elemMatch: { $in: values } } });
    else clauses.push({ [`data.${key}`]: { $in: values, $not: { $type: 'array' } } });
  }
  return { $and: clauses };
}

function historyClause(condition: EventHistoryCondition): Document {
  switch (condition.field) {
    case 'channel':
      return { channel: { $eq: condition.value } };
    case 'data':
      // A dotted path matches the value or an array containing it (MongoDB's own semantics, §10.9).
      return condition.path.length > 0 && condition.path.every(isPlainKey) ? { [`data.${condition.path.join('.')}`]: { $eq: condition.value } } : MATCH_NOTHING;
    case 'pathRegex':
      return { 'data.path': { $regex: condition.pattern } };
    case 'ids':
      return { _id: { $in: condition.ids.filter(isObjectIdString).map((id) => new ObjectId(id)) } };
    case 'after':
      return { timestamp: { $gt: condition.timestamp } };
    case 'document':
      return (condition.key === 'channel' || condition.key === 'owner') && typeof condition.value === 'string' ? { [condition.key]: { $eq: condition.value } } : MATCH_NOTHING;
  }
}

/** The filter of `GET /events` (pure); field names come from the condition kinds, never from the request as is. */
export function historyFilter(query: EventHistoryQuery): Document {
  return query.conditions.length === 0 ? {} : { $and: query.conditions.map(historyClause) };
}

/** The update that takes the sequence lease and the next id when the lease is free (pure). */
export function takeSequencePipeline(holder: string, leaseMs: number): Document[] {
  const free = { $or: [{ $eq: [{ $ifNull: ['$holder', null] }, null] }, { $lt: ['$held_until', '$$NOW'] }] };
  return [
    {
      $set: {
        // int64 + 1 stays int64 on the server; start-up creates the counter as int64 (§11.4).
        value: { $cond: [free, { $add: [{ $ifNull: ['$value', 0] }, 1] }, '$value'] },
        holder: { $cond: [free, { $literal: holder }, '$holder'] },
        held_until: { $cond: [free, { $add: ['$$NOW', leaseMs] }, '$held_until'] },
      },
    },
  ];
}

export class MongoEventRepository implements EventRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get events() {
    return this.ctx.collection('eventhistory');
  }

  async append(event: NewEvent): Promise<EventRecord> {
    if (this.ctx.unit.session) return this.appendInTransaction(event);
    if (!this.ctx.transactions) return this.appendUnderLease(event);
    // Outside a unit of work on a replica set: a transaction of its own, so every append allocates the same way.
    const session = this.ctx.connection.getClient().startSession();
    try {
      return await session.withTransaction(() => new MongoEventRepository(this.ctx.withUnit({ session })).appendInTransaction(event));
    } finally {
      await session.endSession();
    }
  }

  /**
   * Allocation and insert in the transaction: the counter write orders commits. A duplicate event id
   * is detected without a server error, so the transaction stays usable (§13.12); the consumed id
   * becomes a gap, like an id of a rolled-back transaction.
   */
  private async appendInTransaction(event: NewEvent): Promise<EventRecord> {
    const counter = await this.ctx.run(() =>
      this.ctx
        .collection('maestro_counter')
        .findOneAndUpdate({ _id: 'event_sequence' }, { $inc: { value: Long.fromNumber(1) } }, { upsert: true, returnDocument: 'after', ...this.ctx.session }),
    );
    return this.insertEvent(event, Number(counter!.value));
  }

  private async appendUnderLease(event: NewEvent): Promise<EventRecord> {
    const holder = randomUUID();
    const counters = this.ctx.collection('maestro_counter');
    const deadline = Date.now() + LEASE_WAIT_LIMIT_MS;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      const counter = await counters.findOneAndUpdate({ _id: 'event_sequence' }, takeSequencePipeline(holder, SEQUENCE_LEASE_MS), {
        upsert: true,
        returnDocument: 'after',
      });
      if (counter?.holder === holder) {
        try {
          return await this.insertEvent(event, Number(counter.value));
        } finally {
          await counters.updateOne({ _id: 'event_sequence', holder }, { $set: { holder: null, held_until: null } });
        }
      }
      if (Date.now() > deadline) throw new Error(`event sequence lease not obtained within ${LEASE_WAIT_LIMIT_MS / 1000} s`);
      await sleep(wait);
    }
  }

  private async insertEvent(event: NewEvent, sequenceId: number): Promise<EventRecord> {
    const document = eventToDocument(event, sequenceId);
    if (!(await this.ctx.insertIfAbsent('eventhistory', { _id: document._id }, document))) throw new DuplicateKeyError('eventhistory');
    return { ...event, sequenceId };
  }

  async stream(query: EventStreamQuery): Promise<EventRecord[]> {
    if (query.limit === 0) return [];
    const documents = await this.events.find(streamFilter(query), { ...this.ctx.session, sort: { sequence_id: 1 }, limit: query.limit }).toArray();
    return documents.map(eventFromDocument);
  }

  async history(query: EventHistoryQuery): Promise<EventRecord[]> {
    if (query.limit === 0) return [];
    try {
      const cursor = this.events.find(historyFilter(query), { ...this.ctx.session, sort: { sequence_id: 1 } });
      if (query.offset) cursor.skip(query.offset);
      if (query.limit !== undefined) cursor.limit(query.limit);
      return (await cursor.toArray()).map(eventFromDocument);
    } catch (error) {
      const regex = query.conditions.find((condition) => condition.field === 'pathRegex');
      if (regex && isInvalidRegex(error)) throw new InvalidPatternError(regex.pattern);
      throw error;
    }
  }

  async latestSequence(): Promise<number> {
    const counter = await this.ctx.collection('maestro_counter').findOne({ _id: 'event_sequence' }, this.ctx.session);
    return Number(counter?.value ?? 0);
  }

  async oldestSequence(channel: string): Promise<number | null> {
    const [first] = await this.events.find({ channel: { $eq: channel } }, { ...this.ctx.session, sort: { sequence_id: 1 }, limit: 1, projection: { sequence_id: 1 } }).toArray();
    return first ? Number(first.sequence_id) : null;
  }

  purgeOlderThan(cutoff: Date): Promise<number> {
    return this.ctx.remove('eventhistory', { timestamp: { $lt: cutoff } });
  }

  async reconcileSequence(): Promise<void> {
    await raiseEventSequence(this.ctx.connection.db!);
  }
}
