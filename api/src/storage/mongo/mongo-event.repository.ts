/**
 * The event log (`eventhistory`, docs/events.md#the-log, docs/deployment.md#running-on-mongodb), live subscriptions (`maestro_subscription`)
 * and durable cursors (`subscriber_state`, docs/events.md#durable-subscribers). Sequence ids and subscription ids come from
 * `maestro_counter` (docs/deployment.md#running-on-mongodb).
 *
 * Ordering (docs/events.md#the-log: delivery never skips an event committed after a higher sequence id; design and
 * reasoning in docs/adr/0007-mongo.md):
 * - on a replica set, a sequence id is reserved OUTSIDE the unit's transaction, in one atomic
 *   update of `maestro_counter.event_sequence` that also records it in `pending` with a deadline
 *   (`reserveSequencePipeline`); the event is inserted inside the transaction; the reservation is
 *   released once the attempt has ended (MongoStorage.transaction). The counter write commits at
 *   once, so it conflicts with no other unit. Readers see events only up to the visible horizon —
 *   just below the lowest live reservation (`visibleHorizon`) — read with `majority`, so an event
 *   whose reservation is pending holds later ones back instead of being skipped. A reservation
 *   outlives no transaction: its deadline exceeds MongoDB's 60 s transaction lifetime, after which
 *   its transaction has committed or been aborted;
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
  type CommittedAppend,
  type EventHistoryCondition,
  type EventHistoryQuery,
  type EventRecord,
  type EventRepository,
  type EventStreamQuery,
  type NewEvent,
  type StoredCloudEvent,
} from '../ports';
import { bsonInteger, withInt64, withNumbers } from './mongo-bson';
import { isInvalidRegex, type MongoContext } from './mongo-context';
import { raiseEventSequence } from './mongo-index-manager';
import { MongoPendingEventRepository } from './mongo-pending-event.repository';

/** How long an append without a transaction may hold the sequence lease before another may take it. */
export const SEQUENCE_LEASE_MS = 10_000;
const LEASE_WAIT_LIMIT_MS = 30_000;

const hex = (value: unknown): string => (value instanceof ObjectId ? value.toHexString() : String(value));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MATCH_NOTHING: Document = { _id: { $exists: false } };


/** The `eventhistory` document (pure): KernelCI's fields in its order, plus `ce` when there is one. */
export function eventToDocument(event: NewEvent, sequenceId: number): Document & { _id: ObjectId } {
  return {
    _id: new ObjectId(event.id),
    timestamp: event.timestamp,
    sequence_id: bsonInteger(sequenceId),
    channel: event.channel,
    owner: event.owner,
    data: withInt64(event.data),
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
 * service derives the replay id from `_id`, docs/deployment.md#running-on-mongodb); a missing owner or data reads as null, a
 * missing channel as `node` (KernelCI's only channel before channels were stored).
 */
export function eventFromDocument(document: Document): EventRecord {
  return {
    id: hex(document._id),
    timestamp: document.timestamp,
    sequenceId: Number(document.sequence_id ?? 0),
    channel: typeof document.channel === 'string' ? document.channel : 'node',
    owner: typeof document.owner === 'string' ? document.owner : null,
    data: document.data === undefined ? null : withNumbers(document.data),
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
      // A dotted path matches the value or an array containing it (MongoDB's own semantics, docs/events.md#event-history-get-events).
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

/**
 * How long a reservation holds readers back at most: longer than MongoDB's default
 * `transactionLifetimeLimitSeconds` (60 s), so its transaction has ended when it expires.
 */
export const RESERVATION_MS = 90_000;

/**
 * The update that reserves the next sequence id (pure): one atomic update of the counter that
 * increments `value`, drops expired reservations and records the new one with its deadline, all
 * against the server's clock (`$$NOW`).
 */
export function reserveSequencePipeline(holder: string, reservationMs: number): Document[] {
  const next = { $add: [{ $ifNull: ['$value', 0] }, 1] };
  const live = { $filter: { input: { $ifNull: ['$pending', []] }, as: 'r', cond: { $gt: ['$$r.until', '$$NOW'] } } };
  return [{ $set: { value: next, pending: { $concatArrays: [live, [{ seq: next, until: { $add: ['$$NOW', reservationMs] }, holder: { $literal: holder } }]] } } }];
}

/** The counter as the horizon query answers it: its value, its reservations, the server's time. */
export interface CounterSnapshot {
  value?: unknown;
  pending?: { seq: unknown; until: Date }[] | null;
  now: Date;
}

/**
 * The highest sequence id readers may deliver (pure): every id up to it is committed or will never
 * be (aborted, consumed by a duplicate). Below the lowest live reservation when there is one,
 * otherwise the counter's value.
 */
export function visibleHorizon(counter: CounterSnapshot | null): number {
  if (!counter) return 0;
  const live = (counter.pending ?? []).filter((r) => r.until > counter.now).map((r) => Number(r.seq));
  return live.length > 0 ? Math.min(...live) - 1 : Number(counter.value ?? 0);
}

/** Reads of the event log: only what a majority of the replica set has (never rolled back after a fail-over). */
const MAJORITY = { readConcern: { level: 'majority' as const } };

/** The update that takes the sequence lease and the next id when the lease is free (pure). */
export function takeSequencePipeline(holder: string, leaseMs: number): Document[] {
  const free = { $or: [{ $eq: [{ $ifNull: ['$holder', null] }, null] }, { $lt: ['$held_until', '$$NOW'] }] };
  return [
    {
      $set: {
        // int64 + 1 stays int64 on the server; start-up creates the counter as int64 (docs/deployment.md#running-on-mongodb).
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

  /**
   * No round trip to save by deferring (a unit of work's writes travel one by one on MongoDB): the
   * event is appended now, or recorded in the outbox of the same unit when the append fails
   * (docs/adr/0020-event-append-at-commit.md); `committed` runs after the unit's commit.
   */
  async appendAtCommit(event: NewEvent, committed: (outcome: CommittedAppend) => void): Promise<void> {
    let outcome: CommittedAppend;
    try {
      outcome = { sequenceId: (await this.append(event)).sequenceId };
    } catch (error) {
      await new MongoPendingEventRepository(this.ctx).add(event);
      outcome = { sequenceId: null, error: (error as Error).message };
    }
    this.ctx.afterCommit(() => committed(outcome));
  }

  async append(event: NewEvent): Promise<EventRecord> {
    if (!this.ctx.transactions) return this.appendUnderLease(event);
    if (this.ctx.unit.session) {
      // One reservation entry per attempt, at its first event: the horizon depends only on a unit's
      // lowest id, so later events of the unit just take the next ids (`pending` stays as small as
      // the number of units in flight, however many events a hierarchy produces).
      const reservations = (this.ctx.unit.reservations ??= []);
      const sequenceId = await this.reserve(reservations.length === 0);
      // Released by MongoStorage.transaction when the attempt ends.
      reservations.push(sequenceId);
      return this.insertEvent(event, sequenceId);
    }
    const sequenceId = await this.reserve(true);
    // Outside a unit of work: a single insert, atomic by itself.
    try {
      return await this.insertEvent(event, sequenceId);
    } finally {
      await this.releaseReservations([sequenceId]);
    }
  }

  /**
   * Reserves the next sequence id outside any transaction (no session): committed at once, so two
   * units producing events never conflict on the counter, however long they run. A duplicate event
   * id is detected without a server error, so the transaction stays usable (docs/security.md#input-limits); its id
   * becomes a gap, like an id of an aborted attempt.
   */
  private async reserve(withEntry: boolean): Promise<number> {
    const update = withEntry ? reserveSequencePipeline(randomUUID(), RESERVATION_MS) : { $inc: { value: Long.fromNumber(1) } };
    const counter = await this.ctx.collection('maestro_counter').findOneAndUpdate({ _id: 'event_sequence' }, update, { upsert: true, returnDocument: 'after' });
    return Number(counter!.value);
  }

  /** Drops the reservation entries of ids whose attempt has ended (committed or aborted); ids without one are ignored. */
  async releaseReservations(sequenceIds: number[]): Promise<void> {
    if (sequenceIds.length === 0) return;
    await this.ctx
      .collection('maestro_counter')
      .updateOne({ _id: 'event_sequence' }, { $pull: { pending: { seq: { $in: sequenceIds.map(bsonInteger) } } } } as Document);
  }

  /** The visible horizon (`visibleHorizon`), read with `majority` like the events. */
  private async horizon(): Promise<number> {
    const [counter] = await this.ctx
      .collection('maestro_counter')
      .aggregate<CounterSnapshot>([{ $match: { _id: 'event_sequence' } }, { $project: { value: 1, pending: 1, now: '$$NOW' } }], this.readOptions)
      .toArray();
    return visibleHorizon(counter ?? null);
  }

  /** Majority reads outside a transaction (a transaction has its own read concern). */
  private get readOptions() {
    return this.ctx.unit.session ? this.ctx.session : MAJORITY;
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
    const horizon = await this.horizon();
    if (horizon <= query.afterSequence) return [];
    const filter = { $and: [streamFilter(query), { sequence_id: { $lte: horizon } }] };
    const documents = await this.events.find(filter, { ...this.readOptions, sort: { sequence_id: 1 }, limit: query.limit }).toArray();
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

  /** The visible horizon: a cursor placed here skips no event still to commit below it. */
  latestSequence(): Promise<number> {
    return this.horizon();
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
